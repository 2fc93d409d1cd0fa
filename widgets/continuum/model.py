"""Pure model of the exercise « Où se situe cette situation ? ».

The learner places real situations on the course's continuum, from « Être informé·e » to
« Travailler comme pair ». The model scores each placement by its distance to the steps it accepts and
returns supportive French feedback. It never imports ipywidgets, plotly or IPython, so it is
unit-tested directly and could serve another interface (a printed sheet, a group vote).

Why a situation may accept several steps: the steps touch each other and trainers debate the borders
(a paid testimony, a co-trainer, a self-organised collective read with Arnstein's ladder). The course
gives one reference step, and the data may list other steps that can be defended
(``etapes_acceptees``): such a placement earns the full points, and its feedback opens the discussion
(``debat``) instead of calling it wrong. A step next to an accepted one earns a point, so the score
encourages rather than punishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from widgets.errors import InputError
from widgets.fr import list_and, plural, plural_word

POINTS_EXACT = 2
POINTS_NEIGHBOUR = 1


@dataclass(frozen=True)
class Step:
    """One step of the continuum grid (``data/continuum/etapes.csv``)."""

    position: int
    label: str
    degree: str
    description: str
    example: str


@dataclass(frozen=True)
class Situation:
    """A situation to place, with its reference position and the explanation shown after answering.

    ``also_accepted`` are the other steps a placement can defend (empty: only the reference);
    ``debate`` is a question for the group, shown with the feedback whatever the answer.
    """

    id: str
    title: str
    text: str
    reference: int
    explanation: str
    source: str
    also_accepted: frozenset[int] = frozenset()
    debate: str = ""

    @property
    def accepted(self) -> tuple[int, ...]:
        """Every step that earns the full points, the reference included, in order."""
        return tuple(sorted(self.also_accepted | {self.reference}))


class Verdict(Enum):
    RIGHT = "juste"
    DEFENSIBLE = "défendable"
    CLOSE = "proche"
    FAR = "à revoir"


# What the learner reads: a symbol and a word, never colour alone.
VERDICT_TEXT = {
    Verdict.RIGHT: ("✔", "Juste !", "Vous avez placé cette situation au même endroit que le repère du cours."),
    Verdict.DEFENSIBLE: (
        "✔",
        "Défendable.",
        "Le repère du cours est une autre étape, mais votre choix se défend : c'est une bonne question "
        "à discuter en groupe.",
    ),
    Verdict.CLOSE: (
        "≈",
        "Tout proche.",
        "Votre réponse est à une étape de ce que le cours accepte : la frontière entre ces étapes se discute.",
    ),
    Verdict.FAR: (
        "✘",
        "À revoir.",
        "Votre réponse est à {distance} étapes de ce que le cours accepte. Lisez l'explication : "
        "elle peut ouvrir le débat.",
    ),
}


@dataclass(frozen=True)
class Feedback:
    situation_id: str
    chosen: int
    reference: int
    distance: int
    points: int
    verdict: Verdict
    symbol: str
    headline: str
    message: str
    explanation: str
    reference_label: str
    accepted: tuple[int, ...] = ()
    debate: str = ""

    @property
    def accepted_note(self) -> str:
        """« Étapes que le cours accepte : 2 et 3. » (with a leading space) when the course accepts
        more than one step, else "": both faces of the exercise say it in the same words."""
        if len(self.accepted) < 2:
            return ""
        return f" Étapes que le cours accepte : {list_and([str(p) for p in self.accepted])}."

    @property
    def detail(self) -> str:
        """What follows the verdict: the message, the course's reference step, the steps it accepts, why."""
        return (
            f"{self.message} Repère du cours : étape {self.reference}, « {self.reference_label} »."
            f"{self.accepted_note} {self.explanation}"
        )


@dataclass(frozen=True)
class Score:
    points: int
    max_points: int
    answered: int
    total: int
    exact: int  # on the reference step
    accepted: int = 0  # on a step the course accepts, the reference included

    @property
    def text(self) -> str:
        return (
            f"Score : {plural(self.points, 'point')} sur {self.max_points}. "
            f"{plural(self.answered, 'situation')} sur {self.total} "
            f"{plural_word(self.answered, 'placée')}, dont {self.accepted} sur une étape que le cours accepte."
        )


@dataclass(frozen=True)
class Placement:
    """One answered situation, for the chart of placements against references."""

    situation_id: str
    title: str
    chosen: int
    reference: int
    accepted: tuple[int, ...] = ()


class ContinuumExercise:
    """State of one learner's attempt: the answers given so far, and how they score."""

    def __init__(self, steps: tuple[Step, ...], situations: tuple[Situation, ...]):
        if not steps:
            raise InputError("La grille du continuum est vide : ajoutez des étapes dans data/continuum/etapes.csv.")
        if not situations:
            raise InputError("Il n'y a aucune situation : ajoutez-en dans data/continuum/situations.csv.")
        self.steps = tuple(sorted(steps, key=lambda s: s.position))
        positions = {s.position for s in self.steps}
        for situation in situations:
            for step in situation.accepted:
                if step not in positions:
                    what = "a pour repère" if step == situation.reference else "accepte"
                    raise InputError(
                        f"La situation « {situation.id} » {what} l'étape {step}, qui n'existe pas dans la grille."
                    )
        self.situations = situations
        self._by_id = {s.id: s for s in situations}
        self._steps_by_position = {s.position: s for s in self.steps}
        self._answers: dict[str, int] = {}

    @property
    def positions(self) -> tuple[int, ...]:
        return tuple(self._steps_by_position)

    def situation(self, situation_id: str) -> Situation:
        try:
            return self._by_id[situation_id]
        except KeyError:
            raise InputError(f"La situation « {situation_id} » n'existe pas dans cet exercice.") from None

    def step(self, position: int) -> Step:
        return self._steps_by_position[position]

    def answer(self, situation_id: str, position: int | None) -> Feedback:
        """Record the learner's placement of a situation and return the feedback for it.

        Answering again replaces the previous answer: learners may change their mind after a debate.
        """
        self.situation(situation_id)  # an unknown id raises a French error before anything is recorded
        if position is None:
            raise InputError("Choisissez d'abord une étape du continuum, puis validez.")
        if isinstance(position, bool) or not isinstance(position, int) or position not in self._steps_by_position:
            first, last = self.positions[0], self.positions[-1]
            raise InputError(f"L'étape « {position} » n'existe pas : choisissez une étape de {first} à {last}.")
        self._answers[situation_id] = position
        return self._feedback(self.situation(situation_id), position)

    def feedback(self, situation_id: str) -> Feedback | None:
        """Feedback for an answered situation, or None if it has no answer yet."""
        situation = self.situation(situation_id)
        chosen = self._answers.get(situation_id)
        return None if chosen is None else self._feedback(situation, chosen)

    def _feedback(self, situation: Situation, chosen: int) -> Feedback:
        """What the learner sees for ``chosen``, a recorded answer to ``situation``."""
        distance = min(self._distance(chosen, step) for step in situation.accepted)
        if chosen == situation.reference:
            verdict, points = Verdict.RIGHT, POINTS_EXACT
        elif distance == 0:
            verdict, points = Verdict.DEFENSIBLE, POINTS_EXACT
        elif distance == 1:
            verdict, points = Verdict.CLOSE, POINTS_NEIGHBOUR
        else:
            verdict, points = Verdict.FAR, 0
        symbol, headline, message = VERDICT_TEXT[verdict]
        return Feedback(
            situation_id=situation.id,
            chosen=chosen,
            reference=situation.reference,
            distance=distance,
            points=points,
            verdict=verdict,
            symbol=symbol,
            headline=headline,
            message=message.format(distance=distance),
            explanation=situation.explanation,
            reference_label=self.step(situation.reference).label,
            accepted=situation.accepted,
            debate=situation.debate,
        )

    def _distance(self, a: int, b: int) -> int:
        """Distance in steps along the grid (positions need not be consecutive numbers)."""
        order = self.positions
        return abs(order.index(a) - order.index(b))

    def answer_of(self, situation_id: str) -> int | None:
        self.situation(situation_id)
        return self._answers.get(situation_id)

    def score(self) -> Score:
        feedbacks = [self.feedback(sid) for sid in self._answers]
        return Score(
            points=sum(f.points for f in feedbacks if f),
            max_points=POINTS_EXACT * len(self.situations),
            answered=len(self._answers),
            total=len(self.situations),
            exact=sum(1 for f in feedbacks if f and f.verdict is Verdict.RIGHT),
            accepted=sum(1 for f in feedbacks if f and f.verdict in (Verdict.RIGHT, Verdict.DEFENSIBLE)),
        )

    def placements(self) -> list[Placement]:
        """Answered situations in the order of the exercise."""
        return [
            Placement(s.id, s.title, self._answers[s.id], s.reference, s.accepted)
            for s in self.situations
            if s.id in self._answers
        ]

    def reset(self) -> None:
        self._answers.clear()
