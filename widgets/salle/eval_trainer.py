"""The trainer's evaluation actions, shared by the Voilà pages and the HTTP endpoints.

Why here: whether the trainer clicks in Voilà or a script calls ``/api/formateur/…/evaluation``, a
quiz question gets the same answers and the same moment, and every action is checked against the
session's trainer key by the store (:meth:`~widgets.salle.store.Store.start_round`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from widgets.salle import eval_content
from widgets.salle.evaluation import (
    ABSTAIN,
    PRET_CHOICES,
    SCALE_CHOICES,
    Moment,
    Tag,
    quiz_options,
    read_answers,
)
from widgets.salle.model import Activity, Problem, Round, SalleError
from widgets.salle.store import EMPTY_SHEET, Store

QUESTIONNAIRE_TITLE = "Questionnaire de fin de séance"
KINDS = {"quiz": Activity.QUIZ, "pret": Activity.PRET, "questionnaire": Activity.QUESTIONNAIRE}


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or len(value) > 80 or "|" in value or "," in value:
        raise SalleError(f"« {what} » doit être un identifiant du cours (un texte court, sans « | » ni virgule).")
    return value


def start(
    store: Store, code: str, secret: str, kind: object, source: object = "", question: object = "", moment: object = ""
) -> Round:
    """Put an evaluation to the group: one quiz question, one « Suis-je prêt·e ? » statement, or the
    questionnaire (``source``: ``plan:<id>``, ``chapitre:<id>`` or ``""``). The round before, if still
    open, is closed unrevealed, as for any question."""
    activity = KINDS.get(kind) if isinstance(kind, str) else None
    if activity is None:
        raise SalleError("« type » doit être « quiz », « pret » ou « questionnaire ».")
    source, question = _text(source, "source"), _text(question, "question")
    if not isinstance(moment, str) or moment not in {m.value for m in Moment}:
        raise SalleError("« moment » doit être vide, « avant » ou « apres ».")
    if activity is Activity.QUESTIONNAIRE:
        eval_content.questionnaire_items(source)  # checks the source before anything is written
        tag = Tag(Moment.ALONE, source, "")
        title = next((label for label, key in eval_content.questionnaire_sources() if key == source), "")
        text = f"{QUESTIONNAIRE_TITLE} — {title}" if source else QUESTIONNAIRE_TITLE
        choices = tuple(i for i, _ in SCALE_CHOICES)
    else:
        if activity is Activity.PRET:
            source = eval_content.PRET_SOURCE
        tag = Tag(Moment(moment), source, question)
        item = eval_content.question_of(activity, tag)
        text = item.text
        choices = quiz_options(len(item.options)) if activity is Activity.QUIZ else tuple(i for i, _ in PRET_CHOICES)
    return store.start_round(code, secret, activity, text, activity.value, (*choices, ABSTAIN), (), tag=tag.text())


def enter_paper(store: Store, code: str, secret: str, round_id: int, form: Mapping[str, Sequence[str]]) -> None:
    """Type in one paper questionnaire: the same questions and checks as the phones, marked as paper."""
    snapshot = store.snapshot(code)
    round_ = snapshot.round(round_id)
    if round_ is None or round_.activity is not Activity.QUESTIONNAIRE:
        raise SalleError("Ce questionnaire n'existe pas dans cette séance.", Problem.NOT_FOUND)
    if not any(value.strip() for values in form.values() for value in values):
        raise SalleError(EMPTY_SHEET)  # said for paper, before the phones' « choisissez … ou Je passe »
    answers = read_answers(eval_content.items_of(round_), form)
    store.evaluation_paper(code, secret, round_id, answers)
