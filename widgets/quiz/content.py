"""Quiz questions of every chapter, from ``data/quiz/*.yml`` (one file per chapter).

The file name is the chapter's key and is the source of truth: ``data/quiz/pairite.yml`` holds the
questions of chapter « pairite » (``chapters/01-pairite.md``, live at ``autoeval-pairite.ipynb``). Each
question's ``chapitre`` must repeat it; a typo there is a load error naming the file, the line and the
column, instead of a question silently dropped from the chapter.
"""

from __future__ import annotations

from functools import cache

from widgets.data import DATA_DIR, Column, Schema, load_yaml
from widgets.quiz.model import Answer, Question

ANSWER_SCHEMA = Schema(columns=(Column("texte"), Column("juste", bool), Column("explication")))


def question_schema(chapter: str) -> Schema:
    """The schema of ``data/quiz/<chapter>.yml``: ``chapitre`` must name the chapter of the file."""
    return Schema(
        columns=(
            Column(
                "chapitre",
                choices=(chapter,),
                unknown=(
                    "« {value} » ne désigne pas le chapitre de ce fichier. Le nom du fichier fait foi : "
                    f"écrivez « chapitre: {chapter} » (ou déplacez la question dans data/quiz/{{value}}.yml)."
                ),
            ),
            Column("id"),
            Column("question"),
            Column("reponses", list, items=ANSWER_SCHEMA, min_items=2, max_items=5),
        ),
        unique=("id",),
        checks=(
            lambda r: (
                None if any(a["juste"] for a in r["reponses"]) else "aucune réponse n'est marquée « juste: true »."
            ),
        ),
    )


def quiz_chapters() -> tuple[str, ...]:
    """Every chapter that has a self-check, by the names of the files in ``data/quiz/``."""
    return tuple(sorted(path.stem for path in (DATA_DIR / "quiz").glob("*.yml")))


@cache
def load_questions(chapter: str) -> tuple[Question, ...]:
    rows = load_yaml(DATA_DIR / "quiz" / f"{chapter}.yml", question_schema(chapter))
    return tuple(
        Question(
            r["id"],
            r["chapitre"],
            r["question"],
            tuple(Answer(a["texte"], a["juste"], a["explication"]) for a in r["reponses"]),
        )
        for r in rows
    )
