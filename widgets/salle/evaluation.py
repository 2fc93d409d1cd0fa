"""Pure model of the group's evaluations: the quiz du groupe, avant / après, the end-of-session questionnaire.

Why a model of its own: these answers obey other rules than the votes of the grid.

- *Anonymous and unlinkable.* A vote of the grid carries the phone's number in the session (the
  abaque needs its columns). An evaluation answer carries only a pseudonym drawn for one question
  (:func:`pseudonym`): the same phone answering before and after gives two pseudonyms that nothing
  in the store, the exports or the screens can pair. The change of the group is read from the
  counts of each moment, never from a person's two answers.
- *No competition.* There is no score per person, no ranking, no time: the trainer's screen and the
  exports show counts per answer. Abstaining (« Je passe ») is always possible and counted apart.
- *Hostile text.* Free texts are cleaned (characters that reorder text removed), limited to
  :data:`MAX_TEXT` characters, and every page, CSV and PDF escapes them.

Vocabulary: an :class:`EvalItem` is one thing to answer (a quiz question, a « Suis-je prêt·e ? »
statement, one question of the questionnaire), with its :class:`Option` s. A round of the session
(:class:`~widgets.salle.model.Round`) asks one quiz question or one statement, or the whole
questionnaire; its ``tag`` says the moment (:class:`Moment`) and where its content comes from
(:class:`Tag`). Nothing here imports ipywidgets, plotly, tornado or a database driver.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from widgets.salle.model import (
    EVALUATIONS,
    EXPIRED,
    HIDDEN,
    NOT_CURRENT,
    ROUND_CLOSED,
    SESSION_CLOSED,
    Activity,
    Problem,
    Round,
    RoundState,
    SalleError,
    SessionInfo,
)

ABSTAIN = "passe"
ABSTAIN_LABEL = "Je passe"
MAX_TEXT = 600  # characters of one free text: a few sentences, readable on the trainer's screen
SEVERAL_JOIN = "+"
PRET_CHOICES = (
    ("oui", "Oui"),
    ("en-partie", "En partie"),
    ("pas-encore", "Pas encore"),
    ("ne-sait-pas", "Je ne sais pas"),
)
PRET_WEIGHTS = {"oui": 1.0, "en-partie": 0.5, "pas-encore": 0.0}  # as widgets.pret.model: « Je ne sais pas » apart
SCALE_CHOICES = (
    ("pas-du-tout", "Pas du tout"),
    ("un-peu", "Un peu"),
    ("plutot-oui", "Plutôt oui"),
    ("tout-a-fait", "Tout à fait"),
    ("ne-sait-pas", "Je ne sais pas"),
)
NO_EVALUATION = "Il n'y a pas de quiz ni de questionnaire en cours : attendez la personne qui anime."


class Moment(StrEnum):
    """When a question is asked: alone (a quiz), at the start or at the end of the session."""

    ALONE = ""
    BEFORE = "avant"
    AFTER = "apres"


MOMENT_NAMES = {Moment.ALONE: "Quiz", Moment.BEFORE: "Avant", Moment.AFTER: "Après"}


class Kind(StrEnum):
    ONE = "une"  # one answer among the options
    SEVERAL = "plusieurs"  # one or more options (a quiz question with several right answers)
    SCALE = "echelle"  # the questionnaire's scale, « Je ne sais pas » included
    TEXT = "texte"  # a free text


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class EvalItem:
    """One thing to answer, as phones show it and as the results count it.

    ``right`` and ``explanations`` come from the course's self-check (``data/quiz/``): the ids of the
    right options, and each option's explanation, shown after the trainer reveals the results.
    """

    id: str
    text: str
    kind: Kind
    options: tuple[Option, ...] = ()
    right: frozenset[str] = frozenset()
    explanations: tuple[str, ...] = ()
    part: str = ""  # questionnaire: « apprentissage » or « satisfaction »

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Tag:
    """What a round's ``tag`` column holds for an evaluation: the moment, the source, the question.

    ``source`` is a chapter's self-check (``accueillir``), ``pret`` for « Suis-je prêt·e ? », or for
    the questionnaire ``plan:<id>``, ``chapitre:<id>`` or ``""`` (the objectives it adds).
    """

    moment: Moment
    source: str
    question: str

    def text(self) -> str:
        return f"{self.moment.value}|{self.source}|{self.question}"

    @property
    def key(self) -> tuple[str, str]:
        """The same question asked at two moments has the same key: that is how they are compared."""
        return self.source, self.question


def read_tag(text: str) -> Tag:
    """A round's tag read back; anything unexpected reads as a lone quiz with no source."""
    parts = text.split("|")
    if len(parts) != 3 or parts[0] not in {m.value for m in Moment}:
        return Tag(Moment.ALONE, "", "")
    return Tag(Moment(parts[0]), parts[1], parts[2])


def is_evaluation(round_: Round | None) -> bool:
    return round_ is not None and round_.activity in EVALUATIONS


def quiz_options(count: int) -> tuple[str, ...]:
    """The ids of a quiz question's answers, in the order of ``data/quiz/``: « r1 », « r2 »…"""
    return tuple(f"r{index}" for index in range(1, count + 1))


def pseudonym(session_key: str, round_id: int, token: str) -> str:
    """Who answered, for one round only: enough to replace a phone's answer when it changes its mind,
    and to count each phone once; useless to follow a phone from one round to another (the token is
    never stored, and each round gives another hash)."""
    return hashlib.sha256("\x1f".join((session_key, str(round_id), token)).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- what a phone may send


def check_open(session: SessionInfo, round_: Round | None, round_id: int, now: float) -> Round:
    """The round a phone answers must be the session's current evaluation, still taking answers."""
    if session.expired(now):
        raise SalleError(EXPIRED, Problem.NOT_FOUND)
    if session.closed:
        raise SalleError(SESSION_CLOSED, Problem.CLOSED)
    if round_ is None or not is_evaluation(round_):
        raise SalleError(NO_EVALUATION, Problem.CLOSED)
    if round_id != session.current_round:
        raise SalleError(NOT_CURRENT, Problem.CLOSED)
    if round_.state is not RoundState.VOTE:
        raise SalleError(ROUND_CLOSED, Problem.CLOSED)
    return round_


def clean_text(text: str) -> str:
    """A free text as it will be kept: NFC, hidden characters removed, spaces tidied (line breaks kept)."""
    text = HIDDEN.sub("", unicodedata.normalize("NFC", text))
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines()).strip()


def read_answer(item: EvalItem, sent: Sequence[str]) -> str | None:
    """The value to keep for what was sent for ``item``; None when nothing was answered.

    ``sent`` is every value of the form field (a list: several boxes can be ticked). Anything that is
    not one of the item's options is a French refusal (HTTP 400), never a crash.
    """
    values = [v for v in sent if isinstance(v, str)]
    if len(values) != len(sent):
        raise SalleError("Cette réponse n'est pas lisible : rechargez la page puis recommencez.")
    if item.kind is Kind.TEXT:
        text = clean_text("\n".join(values))
        if len(text) > MAX_TEXT:
            raise SalleError(
                f"Votre texte pour « {item.text[:60]} » est trop long ({len(text)} caractères) : {MAX_TEXT} au plus. "
                "Raccourcissez-le, il est encore dans la case."
            )
        return text or None
    chosen = [v for v in values if v]
    if not chosen:
        return None
    if ABSTAIN in chosen:
        return ABSTAIN
    known = [o.id for o in item.options]
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise SalleError("Cette réponse n'existe pas : choisissez parmi les réponses proposées.")
    if item.kind is Kind.SEVERAL:
        return SEVERAL_JOIN.join(o for o in known if o in chosen)
    if len(set(chosen)) > 1:
        raise SalleError("Une seule réponse est attendue pour cette question.")
    return chosen[0]


def read_answers(items: Sequence[EvalItem], form: Mapping[str, Sequence[str]]) -> dict[str, str | None]:
    """Every item's value from a phone's form (``form[item.id]``); an item not sent is left as it was."""
    answers: dict[str, str | None] = {}
    for item in items:
        if item.id in form:
            answers[item.id] = read_answer(item, form[item.id])
    if not answers:
        raise SalleError("Rien n'a été envoyé : choisissez une réponse, ou « Je passe ».")
    return answers


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Answer:
    """One stored answer. ``voter`` is a pseudonym valid for its round only; it never leaves the model."""

    round_id: int
    item: str
    value: str
    paper: bool
    voter: str = ""


@dataclass(frozen=True)
class OptionCount:
    option: Option
    count: int
    right: bool


@dataclass(frozen=True)
class ItemResult:
    """What the group answered to one item: counts per option, abstentions, free texts (sorted, so
    that their order tells nothing about who wrote them or when)."""

    item: EvalItem
    counts: tuple[OptionCount, ...]
    abstained: int
    answered: int  # answers other than « Je passe »
    exactly_right: int  # quiz: answers with all the right options and no other
    texts: tuple[str, ...]
    paper: int  # answers typed in from paper sheets (abstentions included)

    @property
    def responses(self) -> int:
        return self.answered + self.abstained

    def share_right(self) -> float | None:
        """Share of right answers among those who answered (abstentions apart); None without answers."""
        return self.exactly_right / self.answered if self.answered else None

    def pret_score(self) -> float | None:
        """« Suis-je prêt·e ? »: a « Oui » counts 1, « En partie » one half; « Je ne sais pas » apart."""
        weighed = [(c.count, PRET_WEIGHTS[c.option.id]) for c in self.counts if c.option.id in PRET_WEIGHTS]
        total = sum(count for count, _ in weighed)
        return sum(count * weight for count, weight in weighed) / total if total else None


def item_result(item: EvalItem, answers: Iterable[Answer]) -> ItemResult:
    mine = [a for a in answers if a.item == item.id]
    abstained = sum(1 for a in mine if a.value == ABSTAIN)
    given = [a for a in mine if a.value != ABSTAIN]
    ticked: Counter[str] = Counter()
    for answer in given:
        ticked.update(set(answer.value.split(SEVERAL_JOIN)) if item.kind is Kind.SEVERAL else [answer.value])
    right = SEVERAL_JOIN.join(o.id for o in item.options if o.id in item.right)
    texts = tuple(sorted((a.value for a in given), key=str.casefold)) if item.kind is Kind.TEXT else ()
    return ItemResult(
        item=item,
        counts=tuple(OptionCount(o, ticked.get(o.id, 0), o.id in item.right) for o in item.options),
        abstained=abstained,
        answered=len(given),
        exactly_right=sum(1 for a in given if item.right and a.value == right),
        texts=texts,
        paper=sum(1 for a in mine if a.paper),
    )


@dataclass(frozen=True)
class Respondents:
    phones: int
    paper: int

    @property
    def total(self) -> int:
        return self.phones + self.paper


def respondents(answers: Iterable[Answer], round_id: int) -> Respondents:
    """How many phones and paper sheets answered at least one item of the round."""
    mine = [a for a in answers if a.round_id == round_id]
    return Respondents(len({a.voter for a in mine if not a.paper}), len({a.voter for a in mine if a.paper}))


def answers_of(answers: Iterable[Answer], round_id: int) -> list[Answer]:
    return [a for a in answers if a.round_id == round_id]


@dataclass(frozen=True)
class Change:
    """One question asked before and after: the group's answers at each moment, never paired."""

    activity: Activity
    item: EvalItem
    before: ItemResult | None
    after: ItemResult | None


def changes(rounds: Sequence[Round], items: Mapping[int, EvalItem], answers: Sequence[Answer]) -> list[Change]:
    """The questions asked « avant » or « après », in the order they were first asked; for each moment,
    the last round that got answers (a question asked again replaces the earlier one)."""
    order: list[tuple[Activity, tuple[str, str]]] = []  # (activity, tag.key)
    latest: dict[tuple[Activity, tuple[str, str], Moment], Round] = {}
    answered = {a.round_id for a in answers}
    for round_ in rounds:
        if round_.activity not in (Activity.QUIZ, Activity.PRET) or round_.id not in items:
            continue
        tag = read_tag(round_.tag)
        if tag.moment is Moment.ALONE:
            continue
        question: tuple[Activity, tuple[str, str]] = (round_.activity, tag.key)
        if question not in order:
            order.append(question)
        slot = (round_.activity, tag.key, tag.moment)
        if slot not in latest or round_.id in answered or latest[slot].id not in answered:
            latest[slot] = round_
    found = []
    for activity, key in order:
        before, after = latest.get((activity, key, Moment.BEFORE)), latest.get((activity, key, Moment.AFTER))
        shown = after if after is not None else before
        if shown is None:  # impossible: the key came from one of them; said rather than assumed
            continue
        item = items[shown.id]
        found.append(
            Change(
                activity,
                item,
                None if before is None else item_result(items[before.id], answers_of(answers, before.id)),
                None if after is None else item_result(items[after.id], answers_of(answers, after.id)),
            )
        )
    return found


def percent(share: float | None) -> str:
    """« 38 % », or « — » when nobody answered (a share of nobody is not zero)."""
    return "—" if share is None else f"{round(100 * share)}\u00a0%"
