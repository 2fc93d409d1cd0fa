"""What the light face says after an answer: the same words as the Voilà face, from the same models.

Why a module of its own: the Voilà views (``widgets/*/view.py``) write their feedback into ipywidgets,
which a light page must not load. These functions take the same model results (a
:class:`~widgets.quiz.model.QuestionFeedback`, a continuum :class:`~widgets.continuum.model.Feedback`,
a « Suis-je prêt·e ? » :class:`~widgets.pret.model.Level`) and return the same headline, sentences and
kind of card (right, close, far, info, error: a symbol and a word, never colour alone).
``tests/unit/test_leger_same_feedback.py`` builds both faces for the same answers and compares the
words a learner reads, so that a change of wording in one face fails the tests until the other follows.
Pure: no ipywidgets, no HTML (the templates write it, escaped).
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from widgets.continuum.model import Feedback, Verdict
from widgets.fr import sentence, typography
from widgets.pret.model import Item, Level
from widgets.quiz.model import QuestionFeedback, verdict

MULTIPLE_HINT = "Plusieurs réponses possibles : cochez toutes celles qui sont justes."
CONTINUUM_QUESTION = "Où placez-vous cette situation sur le continuum ?"
ERROR_TITLE = "Attention :"
VERDICT_KIND = {Verdict.RIGHT: "right", Verdict.DEFENSIBLE: "right", Verdict.CLOSE: "close", Verdict.FAR: "far"}
# « Suis-je prêt·e ? »: the message under a statement once answered (kind, title).
LEVEL_MESSAGE = {
    Level.YES: ("right", "✔ Force :"),
    Level.PARTLY: ("close", "≈ Point de vigilance :"),
    Level.NOT_YET: ("close", "○ Point de vigilance :"),
    Level.UNSURE: ("info", "? À discuter en équipe :"),
}


@dataclass(frozen=True)
class AnswerLine:
    """One answer of a question in the feedback: « A. text (votre choix) ✔ Réponse juste. explanation »."""

    label: str
    chosen: bool
    verdict: str
    explanation: str


@dataclass(frozen=True)
class Card:
    """A feedback card: ``kind`` is right, close, far, info or error; ``title`` is said first, in bold."""

    kind: str
    title: str
    text: str = ""
    lines: tuple[AnswerLine, ...] = ()
    debate: str = ""  # the continuum's question for the group

    @property
    def role(self) -> str:
        """An error is an alert; any other card is a status."""
        return "alert" if self.kind == "error" else "status"


def error_card(message: str) -> Card:
    return Card("error", typography(ERROR_TITLE), typography(message))


def answer_label(index: int, text: str) -> str:
    """« A. Le texte de la réponse. », as the Voilà face labels its choices and its feedback."""
    return f"{string.ascii_uppercase[index]}. {text}"


def quiz_card(feedback: QuestionFeedback) -> Card:
    """After « Valider »: the headline, then every answer with its verdict and explanation."""
    lines = tuple(
        AnswerLine(
            typography(answer_label(index, sentence(answer.text))),
            chosen,
            verdict(answer.correct),
            typography(answer.explanation),
        )
        for index, (answer, chosen) in enumerate(feedback.explanations)
    )
    kind = "right" if feedback.correct else "close" if feedback.headline.startswith("≈") else "far"
    return Card(kind, typography(feedback.headline), lines=lines)


def continuum_card(feedback: Feedback) -> Card:
    """After « Valider ma réponse »: verdict, why, the course's reference step and, if any, the debate."""
    return Card(
        VERDICT_KIND[feedback.verdict],
        typography(f"{feedback.symbol} {feedback.headline}"),
        typography(feedback.detail),
        debate=typography(feedback.debate),
    )


def pret_card(item: Item, level: Level) -> Card:
    """The message under a statement of « Suis-je prêt·e ? » once the team has answered it."""
    kind, title = LEVEL_MESSAGE[level]
    if level is Level.YES:
        text = item.strength
    elif level is Level.UNSURE:
        text = f"Ce n'est pas un échec. Une piste pour en parler : {item.action}"
    else:
        text = item.vigilance
    return Card(kind, typography(title), typography(text))
