"""Pure model of the exercise « Suis-je prêt·e à accueillir un travailleur pair ou une travailleuse paire ? ».

A team reads short statements drawn from atelier 6 of the study day (Lyon, 20 December 2023) and
answers each one on a four-level scale. The model turns the answers into a team review: strengths,
points of vigilance, concrete next steps, a score per theme and a supportive sentence. It never
imports ipywidgets, plotly or IPython, so it is unit-tested directly and also feeds the printable
report (:mod:`widgets.pret.report`).

Why these rules:

* « Je ne sais pas » is a point to discuss, not a failure: it is counted apart and never lowers a
  theme's percentage. A team that honestly does not know yet must not read a worse score than one
  that guessed.
* « En partie » is worth half a « Oui »: preparing a team is a path, a step already taken counts,
  and the team sees its score move when it gets there.
* Next steps start with « Pas encore » (the biggest gaps), then « En partie », then « Je ne sais
  pas », so the first lines of the printed review are the first things to do.
* An unanswered statement stays visible as « à discuter »: skipping a question is allowed, but it
  should come back at the next team meeting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from widgets.errors import InputError
from widgets.fr import NBSP, format_number, plural  # NBSP also goes before « % » in French


class Level(Enum):
    """The four answers, with the label the team reads (the value)."""

    YES = "Oui"
    PARTLY = "En partie"
    NOT_YET = "Pas encore"
    UNSURE = "Je ne sais pas"

    @classmethod
    def from_label(cls, label: object) -> Level:
        """Accept a :class:`Level` or its French label; anything else is a French error."""
        if isinstance(label, Level):
            return label
        for level in cls:
            if isinstance(label, str) and label.strip().casefold() == level.value.casefold():
                return level
        allowed = ", ".join(f"« {level.value} »" for level in cls)
        named = f"La réponse « {label} »" if isinstance(label, str) else "Cette réponse"
        raise InputError(f"{named} n'existe pas. Choisissez parmi : {allowed}.")


# Share of a « Oui » that each level brings to a theme's percentage; UNSURE is counted apart.
WEIGHTS = {Level.YES: 1.0, Level.PARTLY: 0.5, Level.NOT_YET: 0.0}

# Order of the next steps: the biggest gaps first.
NEXT_STEP_ORDER = (Level.NOT_YET, Level.PARTLY, Level.UNSURE)

TO_DISCUSS = "à discuter"


@dataclass(frozen=True)
class Theme:
    """A group of statements (``posture``, ``cadre``, ``organisation``) with its heading."""

    id: str
    label: str
    intro: str


@dataclass(frozen=True)
class Item:
    """One statement of ``data/pret/items.yml`` and the three texts the review can show for it."""

    id: str
    theme: str
    statement: str
    strength: str
    vigilance: str
    action: str
    source: str


@dataclass(frozen=True)
class Point:
    """One line of a list of the review (a strength, a point of vigilance or a next step)."""

    item_id: str
    theme: str
    level: Level
    text: str


@dataclass(frozen=True)
class Row:
    """One statement with the team's answer (None: not answered yet, shown as « à discuter »)."""

    item: Item
    level: Level | None

    @property
    def answer_text(self) -> str:
        return self.level.value if self.level else TO_DISCUSS


@dataclass(frozen=True)
class ThemeScore:
    """Counts and percentage of one theme; ``percent`` is None when nothing can be scored yet."""

    theme: Theme
    yes: int
    partly: int
    not_yet: int
    unsure: int
    unanswered: int

    @property
    def total(self) -> int:
        return self.yes + self.partly + self.not_yet + self.unsure + self.unanswered

    @property
    def scored(self) -> int:
        """Answers that count in the percentage (« Je ne sais pas » and blanks do not)."""
        return self.yes + self.partly + self.not_yet

    @property
    def percent(self) -> float | None:
        if not self.scored:
            return None
        points = self.yes * WEIGHTS[Level.YES] + self.partly * WEIGHTS[Level.PARTLY]
        return 100 * points / self.scored

    @property
    def text(self) -> str:
        """What is written on the chart's bar and in the tables: a number, or why there is none."""
        if self.percent is not None:
            # Half up (62,5 → 63), as people round by hand; Python's format would give 62.
            return f"{format_number(math.floor(self.percent + 0.5))}{NBSP}%"
        if self.unsure:
            return TO_DISCUSS
        return "pas encore de réponse"


@dataclass(frozen=True)
class Review:
    """The team's review at one moment: everything the page and the printed report show."""

    rows: tuple[Row, ...]
    themes: tuple[ThemeScore, ...]
    strengths: tuple[Point, ...]
    vigilance: tuple[Point, ...]
    next_steps: tuple[Point, ...]
    unsure: tuple[Item, ...]
    unanswered: tuple[Item, ...]
    summary: str

    @property
    def answered(self) -> int:
        return sum(1 for row in self.rows if row.level is not None)


def summary_sentence(total: int, strengths: int, vigilance: int, unsure: int, unanswered: int) -> str:
    """A short, encouraging sentence: it names what is there before what is missing."""
    answered = total - unanswered
    if answered == 0:
        return "Répondez aux affirmations, une par une : le bilan de votre équipe se construit au fur et à mesure."
    if strengths == total:
        return (
            "Bravo : votre équipe se sent prête sur tous les points. "
            "Gardez ce bilan et reparlez-en après l'arrivée de la personne paire."
        )
    details = []
    if vigilance:
        details.append(plural(vigilance, "point de vigilance", "points de vigilance"))
    if unsure + unanswered:
        details.append(plural(unsure + unanswered, "point à discuter", "points à discuter"))
    if strengths:
        # Here ``details`` is never empty: not every statement is a strength.
        sentence = f"Votre équipe a déjà {plural(strengths, 'force')}"
        sentence += (" et " if len(details) == 1 else ", ") + " et ".join(details)
    else:
        sentence = "Votre bilan compte " + " et ".join(details)
    return (
        f"{sentence}. Ce n'est pas un examen : chaque point est une piste de travail. "
        "Choisissez ensemble une prochaine étape pour commencer."
    )


class PretAssessment:
    """State of one team's self-assessment: the answers given so far, and the review they make."""

    def __init__(self, items: tuple[Item, ...], themes: tuple[Theme, ...]):
        if not themes:
            raise InputError("Aucun thème n'est défini pour cette auto-évaluation.")
        if not items:
            raise InputError("Il n'y a aucune affirmation : ajoutez-en dans data/pret/items.yml.")
        theme_ids = [t.id for t in themes]
        if len(set(theme_ids)) != len(theme_ids):
            raise InputError("Deux thèmes portent le même identifiant.")
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise InputError(f"L'affirmation « {item.id} » apparaît deux fois.")
            seen.add(item.id)
            if item.theme not in theme_ids:
                raise InputError(
                    f"L'affirmation « {item.id} » a pour thème « {item.theme} », qui n'existe pas "
                    f"(thèmes possibles : {', '.join(theme_ids)})."
                )
        self.themes = themes
        # Statements are shown theme by theme, in the order of the themes then of the file.
        self.items = tuple(item for theme in themes for item in items if item.theme == theme.id)
        self._by_id = {item.id: item for item in self.items}
        self._answers: dict[str, Level] = {}

    def item(self, item_id: str) -> Item:
        if isinstance(item_id, str) and item_id in self._by_id:
            return self._by_id[item_id]
        named = f"L'affirmation « {item_id} »" if isinstance(item_id, str) else "Cette affirmation"
        raise InputError(f"{named} n'existe pas dans cette auto-évaluation.")

    def items_of(self, theme_id: str) -> tuple[Item, ...]:
        if theme_id not in {t.id for t in self.themes}:
            raise InputError(f"Le thème « {theme_id} » n'existe pas.")
        return tuple(item for item in self.items if item.theme == theme_id)

    def answer(self, item_id: str, level: Level | str) -> Level:
        """Record (or change) the team's answer to one statement; returns the level recorded.

        Answering again replaces the previous answer: a team may change its mind while talking.
        """
        item = self.item(item_id)
        if level is None:
            raise InputError("Choisissez une réponse : « Oui », « En partie », « Pas encore » ou « Je ne sais pas ».")
        chosen = Level.from_label(level)
        self._answers[item.id] = chosen
        return chosen

    def clear(self, item_id: str) -> None:
        """Remove the answer to one statement: it goes back to « à discuter »."""
        self._answers.pop(self.item(item_id).id, None)

    def answer_of(self, item_id: str) -> Level | None:
        return self._answers.get(self.item(item_id).id)

    def reset(self) -> None:
        self._answers.clear()

    def review(self) -> Review:
        rows = tuple(Row(item, self._answers.get(item.id)) for item in self.items)
        strengths = tuple(
            Point(r.item.id, r.item.theme, r.level, r.item.strength) for r in rows if r.level is Level.YES
        )
        vigilance = tuple(
            Point(r.item.id, r.item.theme, r.level, r.item.vigilance)
            for r in rows
            if r.level in (Level.PARTLY, Level.NOT_YET)
        )
        next_steps = tuple(
            Point(r.item.id, r.item.theme, r.level, r.item.action)
            for level in NEXT_STEP_ORDER
            for r in rows
            if r.level is level
        )
        unsure = tuple(r.item for r in rows if r.level is Level.UNSURE)
        unanswered = tuple(r.item for r in rows if r.level is None)
        scores = tuple(self._theme_score(theme, rows) for theme in self.themes)
        return Review(
            rows=rows,
            themes=scores,
            strengths=strengths,
            vigilance=vigilance,
            next_steps=next_steps,
            unsure=unsure,
            unanswered=unanswered,
            summary=summary_sentence(len(rows), len(strengths), len(vigilance), len(unsure), len(unanswered)),
        )

    @staticmethod
    def _theme_score(theme: Theme, rows: tuple[Row, ...]) -> ThemeScore:
        levels = [r.level for r in rows if r.item.theme == theme.id]
        return ThemeScore(
            theme=theme,
            yes=levels.count(Level.YES),
            partly=levels.count(Level.PARTLY),
            not_yet=levels.count(Level.NOT_YET),
            unsure=levels.count(Level.UNSURE),
            unanswered=levels.count(None),
        )
