"""The self-check's model refuses impossible answers in French, and judges the possible ones."""

from __future__ import annotations

import pytest

from widgets.errors import InputError
from widgets.quiz.content import load_questions
from widgets.quiz.model import Answer, Question, QuizAttempt

ONE = Question(
    "q1", "essai", "Une seule bonne réponse ?", (Answer("Oui", True, "Parce que."), Answer("Non", False, "Non."))
)
TWO = Question(
    "q2",
    "essai",
    "Deux bonnes réponses ?",
    (Answer("A", True, "A."), Answer("B", True, "B."), Answer("C", False, "C.")),
)


@pytest.mark.parametrize(
    ("question", "chosen", "message"),
    [
        pytest.param("q1", set(), "Choisissez au moins une réponse", id="nothing"),
        pytest.param("q1", {2}, "Cette réponse n'existe pas pour cette question.", id="past-the-end"),
        pytest.param("q1", {-1}, "Cette réponse n'existe pas pour cette question.", id="negative"),
        pytest.param("q1", {True}, "Cette réponse n'existe pas pour cette question.", id="bool"),
        pytest.param("q1", {"0"}, "Cette réponse n'existe pas pour cette question.", id="text"),
        pytest.param("q1", {0, 1}, "Une seule réponse est attendue", id="two-for-one"),
        pytest.param("q9", {0}, "La question « q9 » n'existe pas.", id="unknown-question"),
    ],
)
def test_impossible_answers_are_refused_in_french_and_not_counted(question, chosen, message):
    attempt = QuizAttempt((ONE, TWO))
    with pytest.raises(InputError, match=message) as caught:
        attempt.answer(question, chosen)
    assert caught.value.field is None
    assert attempt.score_text().startswith("Bonnes réponses : 0 sur 2 (0 question faite)")


def test_possible_answers_are_judged_right_partly_or_wrong():
    attempt = QuizAttempt((ONE, TWO))
    assert attempt.answer("q1", {0}).correct is True
    partly = attempt.answer("q2", (0,))
    assert partly.correct is False and partly.headline.startswith("≈ En partie juste")
    assert attempt.answer("q2", frozenset({0, 1})).correct is True
    assert attempt.answer("q1", [1]).headline.startswith("✘ Pas tout à fait")
    assert attempt.score_text() == "Bonnes réponses : 1 sur 2 (2 questions faites)."


def test_the_book_renders_several_chapters_in_one_process():
    """``quiz.static`` stays a function after its first call (a submodule named ``static`` used to replace it)."""
    from widgets import quiz

    first = quiz.static("pairite").data
    second = quiz.static("savoirs").data
    assert load_questions("savoirs")[0].text.split()[0] in second and first != second
