"""No answer position wins a self-check: answering « A » (or any one letter) every time must not pay.

Why: every correct answer used to be the first one, so always answering « A » scored 6 out of 6 in four
chapters (issue 15); a learner learned the trick, not the content. The answers keep a fixed order (the
printed book and the live exercise show the same letters, and a trainer can say « réponse C »), so the
data balance the positions: ticking the same letter in every question never scores more than answering
at random would, rounded up.
"""

from __future__ import annotations

import math

import pytest

from widgets.quiz.content import load_questions, quiz_chapters
from widgets.quiz.model import Answer, Question


def single_letter_scores(questions: tuple[Question, ...]) -> dict[int, int]:
    """For each position, how many questions « always tick this one answer » gets right.

    A question with several right answers is never won by ticking one box, so it scores for nobody."""
    width = max(len(q.answers) for q in questions)
    scores = dict.fromkeys(range(width), 0)
    for question in questions:
        right = [i for i, answer in enumerate(question.answers) if answer.correct]
        if len(right) == 1:
            scores[right[0]] += 1
    return scores


def random_score(questions: tuple[Question, ...]) -> float:
    """What a learner answering at random scores on average (one box ticked per question)."""
    return sum(1 / len(q.answers) for q in questions if sum(a.correct for a in q.answers) == 1)


def winning_positions(questions: tuple[Question, ...]) -> dict[str, int]:
    """Letters that score more than random answering (rounded up) when ticked every time."""
    ceiling = math.ceil(random_score(questions))
    return {chr(ord("A") + p): s for p, s in single_letter_scores(questions).items() if s > ceiling}


def test_the_check_catches_the_old_layout():
    """Six questions whose right answer is always first: « A » scores 6, random answering about 2."""
    answers = (Answer("oui", True, "."), Answer("non", False, "."), Answer("peut-être", False, "."))
    old = tuple(Question(f"q{i}", "essai", "?", answers) for i in range(6))
    assert winning_positions(old) == {"A": 6}
    balanced = tuple(Question(f"q{i}", "essai", "?", answers[i % 3 :] + answers[: i % 3]) for i in range(6))
    assert single_letter_scores(balanced) == {0: 2, 1: 2, 2: 2} and not winning_positions(balanced)


@pytest.mark.parametrize("chapter", quiz_chapters())
def test_no_answer_position_wins(chapter):
    questions = load_questions(chapter)
    found = winning_positions(questions)
    assert not found, (
        f"data/quiz/{chapter}.yml : répondre toujours la même lettre rapporte trop {found} "
        f"(au hasard : {random_score(questions):.1f} sur {len(questions)}). Changez l'ordre des réponses."
    )
