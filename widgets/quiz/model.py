"""Pure model of a chapter's self-check (« Je vérifie mes connaissances »).

Every answer carries its own explanation, so a wrong choice still teaches something; the same
questions serve the static book (no kernel) and the live exercise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from widgets.errors import InputError, require_index
from widgets.fr import plural, plural_word


@dataclass(frozen=True)
class Answer:
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Question:
    id: str
    chapter: str
    text: str
    answers: tuple[Answer, ...]

    @property
    def multiple(self) -> bool:
        """Several right answers: the learner ticks boxes instead of choosing one."""
        return sum(a.correct for a in self.answers) > 1


@dataclass(frozen=True)
class QuestionFeedback:
    question_id: str
    correct: bool
    headline: str
    explanations: tuple[tuple[Answer, bool], ...]  # (answer, chosen by the learner)


def verdict(correct: bool) -> str:
    """How one answer is judged, with a symbol and words (never colour alone), live and in the book."""
    return "✔ Réponse juste." if correct else "✘ Réponse fausse."


class QuizAttempt:
    def __init__(self, questions: tuple[Question, ...]):
        if not questions:
            raise InputError("Ce chapitre n'a pas encore de questions d'auto-évaluation.")
        self.questions = questions
        self._by_id = {q.id: q for q in questions}
        self._results: dict[str, bool] = {}

    def question(self, question_id: str) -> Question:
        try:
            return self._by_id[question_id]
        except KeyError:
            raise InputError(f"La question « {question_id} » n'existe pas.") from None

    def answer(self, question_id: str, answers: Iterable[int]) -> QuestionFeedback:
        """Record the answers picked (indices, in any collection a view or a form gives) and say how they fare."""
        question = self.question(question_id)
        chosen = set(answers)
        if not chosen:
            raise InputError("Choisissez au moins une réponse, puis validez.")
        for index in chosen:
            require_index(index, len(question.answers), "Cette réponse n'existe pas pour cette question.")
        if not question.multiple and len(chosen) > 1:
            raise InputError("Une seule réponse est attendue pour cette question.")
        right = {i for i, a in enumerate(question.answers) if a.correct}
        correct = chosen == right
        self._results[question_id] = correct
        if correct:
            headline = "✔ Bonne réponse !"
        elif chosen & right:
            headline = "≈ En partie juste : lisez les explications."
        else:
            headline = "✘ Pas tout à fait : lisez les explications."
        return QuestionFeedback(
            question_id, correct, headline, tuple((a, i in chosen) for i, a in enumerate(question.answers))
        )

    def score_text(self) -> str:
        good = sum(self._results.values())
        done = len(self._results)
        return (
            f"Bonnes réponses : {good} sur {len(self.questions)} "
            f"({plural(done, 'question')} {plural_word(done, 'faite')})."
        )

    def reset(self) -> None:
        self._results.clear()
