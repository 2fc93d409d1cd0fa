"""Loading the continuum exercise's content from ``data/continuum/``.

Why separate from the model: the model works on plain typed objects, so tests can build small
grids and situations by hand, while the course reads trainers' CSV files through the one schema
layer (:mod:`widgets.data`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from widgets.continuum.model import Situation, Step
from widgets.data import Column, Record, Schema, load_csv

STEPS_FILE = "continuum/etapes.csv"
SITUATIONS_FILE = "continuum/situations.csv"
ARNSTEIN_FILE = "continuum/arnstein.csv"

STEP_SCHEMA = Schema(
    columns=(
        Column("position", int, minimum=1, maximum=12),
        Column("libelle"),
        Column("degre"),
        Column("description"),
        Column("exemple"),
    ),
    unique=("position", "libelle"),
)

ARNSTEIN_SCHEMA = Schema(
    columns=(
        Column("echelon", int, minimum=1, maximum=8),
        Column("nom_anglais"),
        Column("nom_francais"),
        Column("groupe", choices=("Non-participation", "Participation symbolique", "Pouvoir citoyen")),
    ),
    unique=("echelon",),
)


def parse_steps(text: str) -> tuple[int, ...]:
    """« 3-4 » → (3, 4); « 4;6 » → (4, 6); « 2-3;5 » → (2, 3, 5). Raises ValueError on anything else."""
    steps: set[int] = set()
    for token in text.replace(" ", "").split(";"):
        low, dash, high = token.partition("-")
        if not low.isdigit() or (dash and not high.isdigit()):
            raise ValueError(token)
        first, last = int(low), int(high) if dash else int(low)
        if last < first:
            raise ValueError(token)
        steps.update(range(first, last + 1))
    return tuple(sorted(steps))


def _check_accepted(positions: tuple[int, ...]) -> Callable[[Record], tuple[str, str] | None]:
    """``etapes_acceptees`` names steps of the grid and includes the reference."""

    def check(record: Record) -> tuple[str, str] | None:
        text = record["etapes_acceptees"]
        if not text:
            return None
        try:
            steps = parse_steps(text)
        except ValueError:
            return (
                "etapes_acceptees",
                f"« {text} » n'est pas une liste d'étapes : écrivez par exemple « 3-4 » (de 3 à 4) ou « 4;6 ».",
            )
        unknown = [str(step) for step in steps if step not in positions]
        if unknown:
            allowed = ", ".join(str(p) for p in positions)
            return (
                "etapes_acceptees",
                f"l'étape {', '.join(unknown)} n'existe pas dans le continuum (étapes de {STEPS_FILE} : {allowed}).",
            )
        if record["reference"] not in steps:
            return (
                "etapes_acceptees",
                f"les étapes acceptées ({text}) doivent comprendre l'étape repère ({record['reference']}).",
            )
        return None

    return check


def situation_schema(positions: tuple[int, ...]) -> Schema:
    """The situations' schema depends on the grid: a reference, and every accepted step, must be one
    of its positions. ``etapes_acceptees`` (optional) lists the steps that earn the full points, the
    reference included; ``debat`` (optional) is the question the feedback puts to the group."""
    return Schema(
        columns=(
            Column("id"),
            Column("titre"),
            Column("situation"),
            Column(
                "reference",
                int,
                choices=positions,
                unknown=f"« {{value}} » ne désigne aucune étape du continuum (étapes de {STEPS_FILE} : {{allowed}}).",
            ),
            Column("etapes_acceptees", required=False),
            Column("explication"),
            Column("debat", required=False),
            Column("source"),
        ),
        unique=("id",),
        checks=(_check_accepted(positions),),
    )


@lru_cache(maxsize=1)
def load_steps() -> tuple[Step, ...]:
    rows = load_csv(STEPS_FILE, STEP_SCHEMA)
    return tuple(Step(r["position"], r["libelle"], r["degre"], r["description"], r["exemple"]) for r in rows)


@lru_cache(maxsize=1)
def load_situations() -> tuple[Situation, ...]:
    positions = tuple(step.position for step in load_steps())
    rows = load_csv(SITUATIONS_FILE, situation_schema(positions))
    return tuple(
        Situation(
            r["id"],
            r["titre"],
            r["situation"],
            r["reference"],
            r["explication"],
            r["source"],
            also_accepted=frozenset(parse_steps(r["etapes_acceptees"])) - {r["reference"]}
            if r["etapes_acceptees"]
            else frozenset(),
            debate=r["debat"] or "",
        )
        for r in rows
    )


@lru_cache(maxsize=1)
def load_arnstein() -> tuple[dict, ...]:
    return tuple(load_csv(ARNSTEIN_FILE, ARNSTEIN_SCHEMA))
