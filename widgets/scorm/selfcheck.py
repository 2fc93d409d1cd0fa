"""The chapter's self-check inside a SCORM package: the same questions, verdicts and words as the course.

Why everything is computed here and nothing judged in the browser: the questions come from
``data/quiz/<nom>.yml`` (:func:`widgets.quiz.content.load_questions`, one source for the book, Voilà
and the packages), and every answer a learner can give is judged beforehand by the course's own model
(:class:`widgets.quiz.model.QuizAttempt`) and written by the live exercise's own view
(:func:`widgets.quiz.view.feedback_markup`). The package's script only looks the choice up: the feedback
cannot drift from the course's, and the page works with no server. A question has at most five
answers, so a chapter's every possible feedback weighs a few tens of kilobytes.

The markup mirrors the live exercise (one card per question, a choice group, « Valider », the feedback
card, the running score) with native form controls: a ``<fieldset>`` whose ``<legend>`` is the
question, so a screen reader announces it with each answer, and one Tab stop per radio group.
"""

from __future__ import annotations

import html
import itertools
import json
import string
from typing import Any

from widgets.errors import InputError
from widgets.fr import sentence, typography
from widgets.quiz.content import load_questions
from widgets.quiz.model import Question, QuizAttempt
from widgets.ui import message_html, status_html

HOWTO = (
    "Choisissez une réponse, puis « Valider » : l'explication s'affiche sous la question. "
    "Vous pouvez changer d'avis et valider de nouveau."
)


def choices(question: Question) -> list[tuple[int, ...]]:
    """Every choice a learner can validate: one answer, or (several right answers) any non-empty set."""
    count = len(question.answers)
    if not question.multiple:
        return [(index,) for index in range(count)]
    return [combo for size in range(1, count + 1) for combo in itertools.combinations(range(count), size)]


def choice_key(chosen: tuple[int, ...] | list[int]) -> str:
    """How the page's script names a choice: the answers' indices, sorted, joined by commas."""
    return ",".join(str(index) for index in sorted(chosen))


def _score_texts(questions: tuple[Question, ...]) -> dict[str, str]:
    """The running score for every (questions done, right) pair, as the live exercise writes it."""
    right = {q.id: next(c for c in choices(q) if QuizAttempt((q,)).answer(q.id, c).correct) for q in questions}
    wrong: dict[str, tuple[int, ...]] = {}
    for question in questions:
        for choice in choices(question):
            if not QuizAttempt((question,)).answer(question.id, choice).correct:
                wrong[question.id] = choice
                break
    texts = {}
    for done in range(len(questions) + 1):
        for good in range(done + 1):
            # the `good` first questions answered right, then wrong ones among those that can be wrong
            attempt = QuizAttempt(questions)
            picked = list(questions[:good])
            for question in picked:
                attempt.answer(question.id, right[question.id])
            wrongs = [q for q in questions if q not in picked and q.id in wrong][: done - good]
            if len(wrongs) < done - good:
                continue  # cannot happen: not enough questions that have a wrong answer
            for question in wrongs:
                attempt.answer(question.id, wrong[question.id])
            texts[f"{done},{good}"] = status_html(attempt.score_text())
    return texts


def selfcheck_data(chapter: str) -> dict[str, Any]:
    """What the page's script needs: each possible choice's verdict and feedback card, the score lines."""
    from widgets.quiz.view import feedback_markup

    questions = load_questions(chapter)
    items = []
    for question in questions:
        feedback = {}
        for choice in choices(question):
            result = QuizAttempt(questions).answer(question.id, choice)
            feedback[choice_key(choice)] = {"correct": result.correct, "html": feedback_markup(result)}
        items.append({"id": question.id, "multiple": question.multiple, "feedback": feedback})
    try:
        QuizAttempt(questions).answer(questions[0].id, set())
        empty = ""
    except InputError as error:  # the live exercise's message for « Valider » with nothing chosen
        empty = message_html(str(error), "error", "Attention :")
    return {"chapter": chapter, "questions": items, "scores": _score_texts(questions), "empty": empty}


def _json_for_html(value: Any) -> str:
    """JSON that cannot close its ``<script>`` element (``<`` is written ``\\u003c``)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def selfcheck_markup(chapter: str) -> str:
    """The self-check's HTML (questions, « Valider », feedback places, score) and its data."""
    from widgets.quiz.view import MULTIPLE_HINT

    questions = load_questions(chapter)
    total = len(questions)
    cards = []
    for number, question in enumerate(questions, start=1):
        name = f"q-{question.id}"
        kind = "checkbox" if question.multiple else "radio"
        options = "".join(
            f'<label class="fa-choice"><input class="fa-choice-input" type="{kind}" name="{html.escape(name)}" '
            f'value="{index}"><span class="fa-choice-text">{letter}. {html.escape(typography(sentence(answer.text)))}'
            "</span></label>"
            for index, (letter, answer) in enumerate(zip(string.ascii_uppercase, question.answers, strict=False))
        )
        hint_id = f"{name}-consigne"
        hint = (
            f'<p class="fa-choices-hint" id="{hint_id}">{html.escape(typography(MULTIPLE_HINT))}</p>'
            if question.multiple
            else ""
        )
        described = f' aria-describedby="{hint_id}"' if question.multiple else ""
        cards.append(
            f'<div class="fa-card sco-question" id="{html.escape(name)}" data-question="{html.escape(question.id)}">'
            f"<h3>Question {number} sur {total}</h3>"
            f'<fieldset class="fa-choices"{described}><legend class="fa-choices-label">'
            f"{html.escape(typography(question.text))}</legend>{hint}"
            f'<div class="fa-choices-list">{options}</div></fieldset>'
            '<button type="button" class="fa-button fa-button--primary sco-validate">Valider</button>'
            '<div class="sco-feedback"></div></div>'
        )
    data = selfcheck_data(chapter)
    return (
        '<div class="sco-selfcheck">'
        f'<p class="sco-howto">{html.escape(typography(HOWTO))}</p>'
        f"{''.join(cards)}"
        f'<div class="sco-score">{data["scores"]["0,0"]}</div>'
        f'<script type="application/json" id="sco-data">{_json_for_html(data)}</script>'
        "</div>"
    )
