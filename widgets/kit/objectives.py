"""Which chapter objectives a session works on: ``data/kit/objectifs.yml`` + the chapters + a session.

Why: the end-of-session questionnaire asks « À la fin de la séance, je sais … » for each objective of
the chapters a session uses. A session that runs only some steps of a chapter (the 3-hour one skips
chapter 7's three conclusions, remuneration included) must not ask about what it never did: people
would tick « pas du tout » and the training body would read a failure. The chapters keep their
objectives in their « Fiche pédagogique »; ``objectifs.yml`` says which steps of each « Déroulé »
work on each objective, and an objective is asked when the session runs at least one of them.

The file is checked against the chapters when it is read: every chapter, every objective in the
order of its fiche, and only steps its « Déroulé » has. An objective rewritten in a chapter is named
(its first words no longer match) rather than silently mapped to the wrong steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from widgets.data import Column, DataFileError, Schema, load_yaml
from widgets.kit.chapters import Chapter, load_chapters
from widgets.kit.content import SessionSpec, load_session_specs

OBJECTIVES_FILE = "kit/objectifs.yml"
PATH = f"data/{OBJECTIVES_FILE}"
OBJECTIVE_SCHEMA = Schema(columns=(Column("debut"), Column("etapes", list, min_items=1)))
CHAPTER_SCHEMA = Schema(
    columns=(Column("chapitre"), Column("objectifs", list, items=OBJECTIVE_SCHEMA, min_items=1)),
    unique=("chapitre",),
)


@dataclass(frozen=True)
class Objective:
    """One objective of a chapter's fiche, with the steps of its « Déroulé » that work on it."""

    chapter: str
    text: str
    steps: frozenset[int]


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[\u00a0\u202f]", " ", text).casefold().split())


def _read(chapters: tuple[Chapter, ...]) -> dict[str, tuple[Objective, ...]]:
    by_id = {c.id: c for c in chapters}
    found: dict[str, tuple[Objective, ...]] = {}
    for index, record in enumerate(load_yaml(OBJECTIVES_FILE, CHAPTER_SCHEMA), start=1):
        row = f"entrée n° {index} ({record['chapitre']})"
        chapter = by_id.get(record["chapitre"])
        if chapter is None:
            known = ", ".join(sorted(by_id))
            raise DataFileError(PATH, row, "chapitre", f"« {record['chapitre']} » n'est pas un chapitre ({known}).")
        listed = record["objectifs"]
        if len(listed) != len(chapter.objectives):
            raise DataFileError(
                PATH,
                row,
                "objectifs",
                f"la fiche du chapitre {chapter.id} a {len(chapter.objectives)} objectifs, le fichier en donne "
                f"{len(listed)} : un par objectif, dans l'ordre de la fiche.",
            )
        numbers = {s.number for s in chapter.steps}
        objectives = []
        for position, (entry, text) in enumerate(zip(listed, chapter.objectives, strict=True), start=1):
            column = f"objectifs[{position}]"
            if not _plain(text).startswith(_plain(entry["debut"])):
                raise DataFileError(
                    PATH,
                    row,
                    f"{column}.debut",
                    f"« {entry['debut']} » ne commence pas l'objectif n° {position} de la fiche du chapitre "
                    f"{chapter.id} (« {text[:80]} ») : la fiche a changé, revoyez ses étapes.",
                )
            steps = entry["etapes"]
            wrong = [s for s in steps if isinstance(s, bool) or not isinstance(s, int) or s not in numbers]
            if wrong:
                raise DataFileError(
                    PATH,
                    row,
                    f"{column}.etapes",
                    f"« {wrong[0]} » n'est pas une étape du déroulé du chapitre {chapter.id} (étapes 1 à {max(numbers)}).",
                )
            objectives.append(Objective(chapter.id, text, frozenset(steps)))
        found[chapter.id] = tuple(objectives)
    missing = [c.id for c in chapters if c.id not in found]
    if missing:
        raise DataFileError(PATH, None, "chapitre", f"il manque les objectifs du chapitre {missing[0]}.")
    return found


@lru_cache(maxsize=1)
def load_objectives() -> dict[str, tuple[Objective, ...]]:
    """Every chapter's objectives with their steps, by chapter id (checked against the chapters)."""
    return _read(load_chapters())


def covered(spec: SessionSpec) -> list[tuple[Chapter, tuple[str, ...]]]:
    """The objectives a ready session works on, chapter by chapter in the order it first meets them.

    A chapter line without ``etapes`` runs every step; an objective counts when one of its steps runs.
    """
    chapters = {c.id: c for c in load_chapters()}
    objectives = load_objectives()
    run: dict[str, set[int]] = {}
    for entry in spec.entries:
        if entry.kind != "chapitre" or entry.chapter not in chapters:
            continue
        chapter = chapters[entry.chapter]
        run.setdefault(chapter.id, set()).update(entry.steps or {s.number for s in chapter.steps})
    result = []
    for chapter_id, steps in run.items():
        texts = tuple(o.text for o in objectives[chapter_id] if o.steps & steps)
        if texts:
            result.append((chapters[chapter_id], texts))
    return result


def session_objectives(plan_id: str) -> list[tuple[Chapter, tuple[str, ...]]]:
    """:func:`covered` for a ready session of ``data/kit/seances.yml``, by its id."""
    spec = next((s for s in load_session_specs() if s.id == plan_id), None)
    if spec is None:
        known = ", ".join(s.id for s in load_session_specs())
        raise KeyError(f"« {plan_id} » n'est pas une séance de data/kit/seances.yml ({known}).")
    return covered(spec)
