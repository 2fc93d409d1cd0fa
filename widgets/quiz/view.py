"""Thin ipywidgets view of a chapter's self-check: one block per question, keyboard-usable."""

from __future__ import annotations

import html
import string

import ipywidgets as w

from widgets.quiz.content import load_questions
from widgets.quiz.model import Question, QuizAttempt, QuizInputError
from widgets.ui import STYLE, display_exercise, message_html, reset_control


class QuestionBlock:
    def __init__(self, attempt: QuizAttempt, question: Question, number: int, on_change):
        self.attempt, self.question, self.on_change = attempt, question, on_change
        labels = [f"{letter}. {a.text}" for letter, a in zip(string.ascii_uppercase, question.answers, strict=False)]
        hint = " (plusieurs réponses possibles : cochez-les toutes)" if question.multiple else ""
        self.title = w.HTML(
            f"<h3>Question {number}</h3><p style='font-size:1.1rem'>{html.escape(question.text)}{hint}</p>"
        )
        if question.multiple:
            self.boxes = [
                w.Checkbox(value=False, description=label, indent=False, layout=w.Layout(width="auto"))
                for label in labels
            ]
            self.input = w.VBox(self.boxes)
        else:
            self.boxes = []
            self.input = w.RadioButtons(
                options=[(label, i) for i, label in enumerate(labels)], value=None, layout=w.Layout(width="auto")
            )
        self.validate = w.Button(
            description="Valider", button_style="primary", icon="check", layout=w.Layout(width="auto")
        )
        self.feedback = w.HTML()
        self.validate.on_click(self._on_validate)
        self.root = w.VBox([self.title, self.input, self.validate, self.feedback])

    def chosen(self) -> set[int]:
        if self.question.multiple:
            return {i for i, box in enumerate(self.boxes) if box.value}
        return set() if self.input.value is None else {self.input.value}

    def _on_validate(self, _button) -> None:
        try:
            feedback = self.attempt.answer(self.question.id, self.chosen())
        except QuizInputError as error:
            self.feedback.value = message_html(str(error), "error", "Attention :")
            return
        lines = "".join(
            f"<li>{'<strong>Votre choix</strong> — ' if chosen else ''}{'✔ Juste' if a.correct else '✘ Non'} : "
            f"{html.escape(a.text)}. <em>{html.escape(a.explanation)}</em></li>"
            for a, chosen in feedback.explanations
        )
        kind = "right" if feedback.correct else "far"
        self.feedback.value = message_html("", kind, feedback.headline).replace("</div>", f"<ul>{lines}</ul></div>")
        self.on_change()

    def clear(self) -> None:
        if self.question.multiple:
            for box in self.boxes:
                box.value = False
        else:
            self.input.value = None
        self.feedback.value = ""


def show(chapter: str) -> None:
    """Display a chapter's live self-check; a data problem is shown as a French message."""
    display_exercise(lambda: _build(chapter), (QuizInputError,), "L'auto-évaluation ne peut pas s'ouvrir :")


def _build(chapter: str) -> w.VBox:
    attempt = QuizAttempt(load_questions(chapter))
    score = w.HTML()

    def refresh() -> None:
        score.value = (
            f"<p role='status' style='font-size:1.1rem'><strong>{html.escape(attempt.score_text())}</strong></p>"
        )

    blocks = [QuestionBlock(attempt, q, n, refresh) for n, q in enumerate(attempt.questions, start=1)]

    def on_reset() -> None:
        attempt.reset()
        for block in blocks:
            block.clear()
        refresh()

    reset = reset_control(on_reset)
    refresh()
    return w.VBox([w.HTML(STYLE), *[b.root for b in blocks], score, reset], layout=w.Layout(max_width="60rem"))
