"""Thin ipywidgets view of a chapter's self-check: one card per question, keyboard-usable.

Each question is one accessible choice group (one Tab stop, arrows inside, long answers wrap in
their own box), a « Valider » button and a feedback card that explains every answer. What the
learner chose and validated is kept in this browser (:class:`widgets.controls.BrowserMemory`), so a
reload or « retour » finds the page as it was left; « Tout recommencer » erases it.
"""

from __future__ import annotations

import html
import string
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from widgets.controls import BrowserMemory, RadioGroup, ResetControl, restored_part
from widgets.errors import InputError
from widgets.fr import sentence, typography
from widgets.quiz.content import load_questions
from widgets.quiz.model import Question, QuestionFeedback, QuizAttempt, verdict
from widgets.ui import display_exercise, message_html, status_html

MULTIPLE_HINT = "Plusieurs réponses possibles : cochez toutes celles qui sont justes."


def feedback_markup(feedback: QuestionFeedback) -> str:
    """The card after « Valider »: the headline, then every answer with its verdict and explanation."""
    lines = "".join(
        f"<li><strong>{letter}. {html.escape(typography(sentence(answer.text)))}</strong>"
        f"{' <em>(votre choix)</em>' if chosen else ''}<br>{verdict(answer.correct)} "
        f"{html.escape(typography(answer.explanation))}</li>"
        for letter, (answer, chosen) in zip(string.ascii_uppercase, feedback.explanations, strict=False)
    )
    kind = "right" if feedback.correct else "close" if feedback.headline.startswith("≈") else "far"
    return message_html(
        "",
        kind,
        feedback.headline,
        extra=f"<ul>{lines}</ul>",
        say=f"{feedback.headline} Les explications sont sous la question.",
    )


class QuestionBlock:
    def __init__(
        self, attempt: QuizAttempt, question: Question, number: int, total: int, on_change: Callable[[], None]
    ) -> None:
        self.attempt, self.question, self.on_change = attempt, question, on_change
        labels = [f"{letter}. {a.text}" for letter, a in zip(string.ascii_uppercase, question.answers, strict=False)]
        self.title = w.HTML(f"<h2>Question {number} sur {total}</h2>")
        self.choice = RadioGroup(
            [(label, i) for i, label in enumerate(labels)],
            question.text,
            multiple=question.multiple,
            hint=MULTIPLE_HINT if question.multiple else "",
        )
        self.validate = w.Button(description="Valider", button_style="primary", layout=w.Layout(width="auto"))
        self.feedback = w.HTML()
        self.validated = False
        self.validate.on_click(lambda _button: self.check())
        self.choice.observe(lambda _change: self.on_change(), names="selected")
        self.root = w.VBox([self.title, self.choice, self.validate, self.feedback])
        self.root.add_class("fa-card")
        self.root.add_class(f"fa-quiz-question-{question.id}")

    def chosen(self) -> set[int]:
        return set(self.choice.selected)

    def check(self) -> None:
        try:
            feedback = self.attempt.answer(self.question.id, self.chosen())
        except InputError as error:
            self.feedback.value = message_html(str(error), "error", "Attention :")
            return
        self.validated = True
        self.feedback.value = feedback_markup(feedback)
        self.on_change()

    def clear(self) -> None:
        self.choice.selected = []
        self.feedback.value = ""
        self.validated = False


class QuizView:
    """The whole self-check of one chapter."""

    def __init__(self, chapter: str):
        self.attempt = QuizAttempt(load_questions(chapter))
        self.memory = BrowserMemory(f"quiz:{chapter}")
        self.score = w.HTML()
        self._restoring = False
        total = len(self.attempt.questions)
        self.blocks = [
            QuestionBlock(self.attempt, q, n, total, self._changed) for n, q in enumerate(self.attempt.questions, 1)
        ]
        self.reset = ResetControl(self._on_reset)
        self.memory.on_restore(self.restore)
        self._refresh()
        self.root = w.VBox([*[b.root for b in self.blocks], self.score, self.reset, self.memory])
        self.root.add_class("fa-exercise")

    def _refresh(self) -> None:
        self.score.value = status_html(self.attempt.score_text())

    def _changed(self) -> None:
        self._refresh()
        if not self._restoring:
            self.memory.save(self.state())

    def state(self) -> dict[str, Any]:
        """What the browser keeps: the ticked answers of each question and which were validated."""
        chosen = {b.question.id: sorted(b.chosen()) for b in self.blocks if b.chosen()}
        validated = [b.question.id for b in self.blocks if b.validated]
        return {"choix": chosen, "valide": validated} if chosen or validated else {}

    def restore(self, state: dict[str, Any]) -> None:
        """Put back what the browser kept; anything that no longer fits the questions is ignored."""
        chosen = restored_part(state, "choix", dict)
        validated = restored_part(state, "valide", list)
        self._restoring = True
        try:
            for block in self.blocks:
                picks = chosen.get(block.question.id)
                if isinstance(picks, list) and all(type(i) is int for i in picks):
                    block.choice.selected = [i for i in picks if 0 <= i < len(block.question.answers)]
                if block.question.id in validated and block.chosen():
                    block.check()
        finally:
            self._restoring = False
        self._refresh()

    def _on_reset(self) -> None:
        self._restoring = True
        try:
            self.attempt.reset()
            for block in self.blocks:
                block.clear()
        finally:
            self._restoring = False
        self.memory.clear()
        self._refresh()


def show(chapter: str) -> None:
    """Display a chapter's live self-check; a data problem is shown as a French message."""
    display_exercise(lambda: QuizView(chapter).root, (), "L'auto-évaluation ne peut pas s'ouvrir :")
