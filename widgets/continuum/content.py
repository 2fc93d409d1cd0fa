"""Loading the continuum exercise's content from ``data/continuum/``.

Why separate from the model: the model works on plain typed objects, so tests can build small
grids and situations by hand, while the course reads trainers' CSV files through the one schema
layer (:mod:`widgets.data`).
"""

from __future__ import annotations

from functools import lru_cache

from widgets.continuum.model import Situation, Step
from widgets.data import Column, Schema, load_csv

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


def situation_schema(positions: tuple[int, ...]) -> Schema:
    """The situations' schema depends on the grid: a reference must be one of its positions."""
    return Schema(
        columns=(
            Column("id"),
            Column("titre"),
            Column("situation"),
            Column("reference", int, choices=positions),
            Column("explication"),
            Column("source"),
        ),
        unique=("id",),
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
        Situation(r["id"], r["titre"], r["situation"], r["reference"], r["explication"], r["source"]) for r in rows
    )


@lru_cache(maxsize=1)
def load_arnstein() -> tuple[dict, ...]:
    return tuple(load_csv(ARNSTEIN_FILE, ARNSTEIN_SCHEMA))
