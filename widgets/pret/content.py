"""Loading the statements of « Suis-je prêt·e ? » from ``data/pret/items.yml``.

Why separate from the model: the model works on plain typed objects, so tests can build a few
statements by hand, while the course reads the trainers' YAML file through the one schema layer
(:mod:`widgets.data`). The three themes follow the headings of atelier 6 (posture, cadre) and of
the day's conclusion (organisation of the structure); they are course structure, not content that
trainers edit, so they live here rather than in ``data/``.
"""

from __future__ import annotations

from functools import lru_cache

from widgets.data import Column, Schema, load_yaml
from widgets.pret.model import Item, Theme

ITEMS_FILE = "pret/items.yml"

THEMES: tuple[Theme, ...] = (
    Theme(
        "posture",
        "Posture de l'équipe",
        "Être prêt·e à revoir la posture et le fonctionnement de l'équipe.",
    ),
    Theme(
        "cadre",
        "Cadre de travail",
        "Être prêt·e à questionner le cadre de travail.",
    ),
    Theme(
        "organisation",
        "Organisation de la structure",
        "Préparer toute la structure : une décision commune et une culture partagée.",
    ),
)

ITEM_SCHEMA = Schema(
    columns=(
        Column("id"),
        Column("theme", choices=tuple(t.id for t in THEMES)),
        Column("affirmation"),
        Column("force"),
        Column("vigilance"),
        Column("action"),
        Column("source"),
    ),
    unique=("id", "affirmation"),
)


def load_themes() -> tuple[Theme, ...]:
    return THEMES


@lru_cache(maxsize=1)
def load_items() -> tuple[Item, ...]:
    rows = load_yaml(ITEMS_FILE, ITEM_SCHEMA)
    return tuple(
        Item(r["id"], r["theme"], r["affirmation"], r["force"], r["vigilance"], r["action"], r["source"]) for r in rows
    )
