"""The session planner's model: a plan is a list of timed items; the model times it and checks it.

Why pure and typed: the planner exercise, the ready-made plans of the trainers' page, the printable
page and the Markdown export all need the same clock times, totals and warnings. Computing them once,
here, without ipywidgets or IPython, lets the unit tests prove them and keeps every view thin.

Conventions:

* durations are whole minutes; clock times are minutes since midnight (``570`` is 9 h 30);
* the *length* of a session counts everything done in the room, short breaks included, but not
  meals: a training day of 7 hours is 420 minutes, 9 h 00 – 17 h 00 with one hour for lunch;
* a plan spanning several days holds :attr:`Kind.NEW_DAY` items; each day restarts at the start time.

The model never writes French sentences for a learner except in :class:`~widgets.errors.InputError`
(what a trainer typed that cannot be accepted); :mod:`widgets.kit.wording` turns results into text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from widgets.errors import InputError, require_index

MAX_ITEM_MINUTES = 8 * 60
"""No single activity lasts more than a day's work; a bigger number is a typo (« 900 » for « 90 »)."""

LONG_STRETCH_MINUTES = 120
"""Beyond this without a break, the plan gets a warning: attention drops after about two hours,
and participants who live with illness or addiction may need to step out (a course convention)."""

LINE_GONE = "Cette ligne n'existe plus dans le déroulé."
"""A view asked for a line that another action removed meanwhile (e.g. two quick clicks)."""


class Phase(Enum):
    """The four stages of EPIC, as the study day's workshop 5 named them."""

    EXISTER = "Exister"
    PARTICIPER = "Participer"
    INTERROGER = "Interroger"
    CONSTRUIRE = "Construire"

    @property
    def letter(self) -> str:
        return self.value[0]

    @classmethod
    def from_id(cls, key: str) -> Phase:
        return cls[key.upper()]


class Kind(Enum):
    """What an item of a plan is; the value is the word trainers use in ``data/kit/seances.yml``."""

    TOOL = "outil"
    STEP = "chapitre"
    ACTIVITY = "activite"
    BREAK = "pause"
    MEAL = "repas"
    EVALUATION = "evaluation"
    NEW_DAY = "jour"


@dataclass(frozen=True)
class Tool:
    """A facilitation tool of ``data/kit/outils.yml``."""

    id: str
    name: str
    phase: Phase
    other_phases: tuple[Phase, ...]
    purpose: str
    instruction: str
    minutes: int
    min_minutes: int
    max_minutes: int
    minutes_origin: str
    group: str
    group_min: int | None
    group_max: int | None
    group_origin: str
    material: tuple[str, ...]
    report: str
    accessibility: str
    source: str
    keywords: tuple[str, ...]

    @property
    def phases(self) -> tuple[Phase, ...]:
        return (self.phase, *self.other_phases)


@dataclass(frozen=True)
class Item:
    """One line of a plan. ``tools`` are tool ids; ``chapter`` is a chapter id such as ``01-pairite``.

    ``estimated`` is true when the duration is the model's share of a chapter's time because the
    chapter gives none for this step: views show it with « ≈ » so that nobody takes it as the author's.
    """

    kind: Kind
    title: str
    minutes: int = 0
    phases: tuple[Phase, ...] = ()
    tools: tuple[str, ...] = ()
    chapter: str | None = None
    detail: str = ""
    material: tuple[str, ...] = ()
    estimated: bool = False

    @property
    def counts(self) -> bool:
        """Whether the item counts in the session's length (meals and day changes do not)."""
        return self.kind not in (Kind.MEAL, Kind.NEW_DAY)

    @property
    def is_break(self) -> bool:
        return self.kind in (Kind.BREAK, Kind.MEAL, Kind.NEW_DAY)


@dataclass(frozen=True)
class Plan:
    """A session: its title, length (minutes, meals excluded), start time, days and items."""

    title: str
    length: int
    start: int = 9 * 60
    days: int = 1
    items: tuple[Item, ...] = ()
    objectives: tuple[str, ...] = ()
    audience: str = ""
    evaluation: str = ""
    extra_material: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Slot:
    """An item placed on the clock: its day (1, 2…), start and end in minutes since midnight."""

    index: int
    item: Item
    day: int
    start: int
    end: int


class Fit(Enum):
    """How the total compares with the session's length."""

    EXACT = "exact"
    OVER = "over"
    UNDER = "under"
    EMPTY = "empty"


@dataclass(frozen=True)
class LongStretch:
    """Work without a break longer than :data:`LONG_STRETCH_MINUTES`."""

    day: int
    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class UnusualDuration:
    """A tool given a duration outside its usual range (a hint, not an error)."""

    index: int
    tool: Tool
    minutes: int


@dataclass(frozen=True)
class DayTotal:
    day: int
    minutes: int
    expected: int


@dataclass(frozen=True)
class Check:
    """Everything a view says about a plan's timing."""

    total: int
    length: int
    fit: Fit
    stretches: tuple[LongStretch, ...]
    unusual: tuple[UnusualDuration, ...]
    day_totals: tuple[DayTotal, ...]
    phases: tuple[Phase, ...]
    days_declared: int
    days_found: int

    @property
    def difference(self) -> int:
        """Positive when the plan is too long, negative when time is left."""
        return self.total - self.length

    @property
    def unbalanced_days(self) -> tuple[DayTotal, ...]:
        if self.days_declared < 2:
            return ()
        return tuple(d for d in self.day_totals if d.minutes != d.expected)

    @property
    def missing_phases(self) -> tuple[Phase, ...]:
        return tuple(p for p in Phase if p not in self.phases)


def validate_minutes(value: float, field_name: str = "minutes") -> int:
    """A duration typed by a trainer: a whole number of minutes between 1 and a day's work."""
    if isinstance(value, bool) or not float(value).is_integer():
        raise InputError("Indiquez une durée en minutes entières, par exemple 15.", field_name)
    minutes = int(value)
    if minutes < 1:
        raise InputError("Une durée doit être d'au moins 1 minute.", field_name)
    if minutes > MAX_ITEM_MINUTES:
        raise InputError(
            f"{minutes} minutes, c'est plus qu'une journée de travail : vérifiez le nombre (par exemple 90 pour 1 h 30).",
            field_name,
        )
    return minutes


def parse_clock(text: str, field_name: str = "start") -> int:
    """Read « 9 h 30 », « 9h30 », « 09:30 » or « 9 » as minutes since midnight (French message if not)."""
    import re

    cleaned = str(text).strip().lower().replace("\u202f", " ").replace("\u00a0", " ")
    match = re.fullmatch(r"(\d{1,2})\s*(?:h|:)?\s*(\d{2})?\s*(?:min)?", cleaned)
    if not match:
        raise InputError(f"« {text} » n'est pas une heure. Écrivez par exemple 9 h 30.", field_name)
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        raise InputError(f"« {text} » n'est pas une heure de la journée. Écrivez par exemple 9 h 30.", field_name)
    return hours * 60 + minutes


def with_items(plan: Plan, items: list[Item] | tuple[Item, ...]) -> Plan:
    return replace(plan, items=tuple(items))


def add(plan: Plan, item: Item, position: int | None = None) -> Plan:
    """The plan with ``item`` inserted at ``position`` (at the end by default)."""
    items = list(plan.items)
    items.insert(len(items) if position is None else max(0, min(position, len(items))), item)
    return with_items(plan, items)


def remove(plan: Plan, index: int) -> Plan:
    items = list(plan.items)
    require_index(index, len(items), LINE_GONE, "items")
    del items[index]
    return with_items(plan, items)


def move(plan: Plan, index: int, delta: int) -> Plan:
    """The plan with item ``index`` moved by ``delta`` places (clamped at both ends)."""
    items = list(plan.items)
    require_index(index, len(items), LINE_GONE, "items")
    target = max(0, min(len(items) - 1, index + delta))
    items.insert(target, items.pop(index))
    return with_items(plan, items)


def set_minutes(plan: Plan, index: int, value: float) -> Plan:
    """The plan with item ``index`` lasting ``value`` minutes (validated); the « ≈ » mark goes away."""
    require_index(index, len(plan.items), LINE_GONE, "items")
    minutes = validate_minutes(value)
    item = plan.items[index]
    if not item.counts and item.kind is not Kind.MEAL:
        raise InputError("Un changement de jour n'a pas de durée.", "minutes")
    items = list(plan.items)
    items[index] = replace(item, minutes=minutes, estimated=False)
    return with_items(plan, items)


def set_length(plan: Plan, length: float, days: int | None = None) -> Plan:
    minutes = int(length) if float(length).is_integer() else -1
    if minutes < 15 or minutes > 5 * 8 * 60:
        raise InputError("La durée de la séance doit être comprise entre 15 minutes et 5 jours.", "length")
    return replace(plan, length=minutes, days=plan.days if days is None else max(1, days))


def timeline(plan: Plan) -> tuple[Slot, ...]:
    """Each item on the clock. A :attr:`Kind.NEW_DAY` item moves to the next day at ``plan.start``."""
    slots = []
    day, clock = 1, plan.start
    for index, item in enumerate(plan.items):
        if item.kind is Kind.NEW_DAY:
            day, clock = day + 1, plan.start
            slots.append(Slot(index, item, day, clock, clock))
            continue
        slots.append(Slot(index, item, day, clock, clock + item.minutes))
        clock += item.minutes
    return tuple(slots)


def total_minutes(plan: Plan) -> int:
    """The time that counts in the session's length: everything but meals."""
    return sum(item.minutes for item in plan.items if item.counts)


def _stretches(slots: tuple[Slot, ...]) -> tuple[LongStretch, ...]:
    """Runs of work between two breaks (or a day's edges) that last longer than the limit."""
    found: list[LongStretch] = []
    runs: list[tuple[int, int, int]] = []  # (day, start, end) of each run of work
    for slot in slots:
        if slot.item.is_break:
            runs.append((-1, 0, 0))  # a separator
            continue
        if runs and runs[-1][0] == slot.day:
            day, start, _ = runs[-1]
            runs[-1] = (day, start, slot.end)
        else:
            runs.append((slot.day, slot.start, slot.end))
    for day, start, end in runs:
        if day > 0 and end - start > LONG_STRETCH_MINUTES:
            found.append(LongStretch(day, start, end))
    return tuple(found)


def check(plan: Plan, tools: dict[str, Tool] | None = None) -> Check:
    """Compare the plan with its length, find long stretches, unusual tool durations and EPIC phases."""
    slots = timeline(plan)
    total = total_minutes(plan)
    if not any(item.counts for item in plan.items):
        fit = Fit.EMPTY
    elif total > plan.length:
        fit = Fit.OVER
    elif total < plan.length:
        fit = Fit.UNDER
    else:
        fit = Fit.EXACT
    unusual = []
    for index, item in enumerate(plan.items):
        if item.kind is Kind.TOOL and tools and len(item.tools) == 1 and item.tools[0] in tools:
            tool = tools[item.tools[0]]
            if not tool.min_minutes <= item.minutes <= tool.max_minutes:
                unusual.append(UnusualDuration(index, tool, item.minutes))
    days_found = 1 + sum(1 for item in plan.items if item.kind is Kind.NEW_DAY)
    per_day = [0] * days_found
    for slot in slots:
        if slot.item.counts:
            per_day[slot.day - 1] += slot.item.minutes
    expected = plan.length // max(plan.days, 1)
    day_totals = tuple(DayTotal(d + 1, minutes, expected) for d, minutes in enumerate(per_day))
    seen: list[Phase] = []
    for item in plan.items:
        for phase in item.phases:
            if phase not in seen:
                seen.append(phase)
    phases = tuple(p for p in Phase if p in seen)
    return Check(total, plan.length, fit, _stretches(slots), tuple(unusual), day_totals, phases, plan.days, days_found)


def tool_item(tool: Tool, minutes: int | None = None, title: str | None = None) -> Item:
    """A plan item for ``tool``, lasting its usual duration unless told otherwise."""
    return Item(
        kind=Kind.TOOL,
        title=title or tool.name,
        minutes=tool.minutes if minutes is None else minutes,
        phases=tool.phases[:1],
        tools=(tool.id,),
        detail=tool.instruction,
        material=tool.material,
    )


def material(plan: Plan) -> tuple[str, ...]:
    """Every piece of material the plan needs, once each, in order of first use."""
    seen: list[str] = []
    for entry in (*plan.extra_material, *(m for item in plan.items for m in item.material)):
        if entry and entry not in seen:
            seen.append(entry)
    return tuple(seen)


def chapters(plan: Plan) -> tuple[str, ...]:
    seen: list[str] = []
    for item in plan.items:
        if item.chapter and item.chapter not in seen:
            seen.append(item.chapter)
    return tuple(seen)
