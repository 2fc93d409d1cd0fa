"""Quiz questions of every chapter, from ``data/quiz/*.yml`` (one file per chapter)."""

from __future__ import annotations

from functools import cache

from widgets.data import DATA_DIR, Column, Schema, load_yaml
from widgets.quiz.model import Answer, Question

ANSWER_SCHEMA = Schema(columns=(Column("texte"), Column("juste", bool), Column("explication")))
QUESTION_SCHEMA = Schema(
    columns=(
        Column("chapitre"),
        Column("id"),
        Column("question"),
        Column("reponses", list, items=ANSWER_SCHEMA, min_items=2, max_items=5),
    ),
    unique=("id",),
    checks=(
        lambda r: None if any(a["juste"] for a in r["reponses"]) else "aucune réponse n'est marquée « juste: true ».",
    ),
)


@cache
def load_questions(chapter: str) -> tuple[Question, ...]:
    path = DATA_DIR / "quiz" / f"{chapter}.yml"
    rows = load_yaml(path, QUESTION_SCHEMA)
    return tuple(
        Question(
            r["id"],
            r["chapitre"],
            r["question"],
            tuple(Answer(a["texte"], a["juste"], a["explication"]) for a in r["reponses"]),
        )
        for r in rows
        if r["chapitre"] == chapter
    )
