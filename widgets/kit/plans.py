"""The ready sessions: ``data/kit/seances.yml`` + the chapters' own boxes + ``data/kit/outils.yml`` → plans.

Why computed: a ready session only says *which* chapter steps, tools and breaks come in which order.
Durations come from the chapters (« Pour animer cette séquence ») and from the tools file, so when a
chapter's step changes, every plan that uses it changes too, and ``tests/unit/test_kit_plans.py``
says at once if a session no longer fits its length.
"""

from __future__ import annotations

import re
from dataclasses import replace

from widgets.data import DataFileError
from widgets.errors import InputError
from widgets.kit.chapters import Chapter, load_chapters
from widgets.kit.content import SESSIONS_FILE, SessionSpec, load_session_specs, load_tools
from widgets.kit.model import Item, Kind, Plan, Tool, parse_clock, tool_item

PATH = f"data/{SESSIONS_FILE}"


def is_break(text: str) -> bool:
    """A chapter step that is only a break (« Pause. », « Pause café ») counts as a break in the plan."""
    return re.match(r"^pause\b", text.strip(), flags=re.IGNORECASE) is not None


def step_items(chapter: Chapter, numbers: tuple[int, ...] = (), tools: tuple[Tool, ...] | None = None) -> list[Item]:
    """Plan items for a chapter's steps (all of them when ``numbers`` is empty). A step's material is the
    chapter's (« Matériel » of its fiche) plus that of the tools it names."""
    by_tool = {t.id: t for t in (load_tools() if tools is None else tools)}
    chosen = [chapter.step(n) for n in numbers] if numbers else list(chapter.steps)
    base = (f"{chapter.short_title} : {chapter.material}",) if chapter.material else ()
    return [
        Item(
            kind=Kind.BREAK,
            title="Pause",
            minutes=step.minutes or 0,
            chapter=chapter.id,
            detail=f"Chapitre {chapter.number}, étape {step.number}.",
        )
        if is_break(step.text)
        else Item(
            kind=Kind.STEP,
            title=step.text,
            minutes=step.minutes or 0,
            phases=step.phases,
            tools=step.tools,
            chapter=chapter.id,
            detail=f"Chapitre {chapter.number}, étape {step.number}.",
            material=base + tuple(m for t in step.tools if t in by_tool for m in by_tool[t].material),
            estimated=step.estimated,
        )
        for step in chosen
    ]


def build_plan(
    spec: SessionSpec, chapters: tuple[Chapter, ...] | None = None, tools: tuple[Tool, ...] | None = None
) -> Plan:
    """Turn one entry of ``seances.yml`` into a timed :class:`Plan` (French error naming the entry if wrong)."""
    chapters = load_chapters() if chapters is None else chapters
    tools = load_tools() if tools is None else tools
    by_chapter = {c.id: c for c in chapters}
    by_tool = {t.id: t for t in tools}
    items: list[Item] = []
    for number, entry in enumerate(spec.entries, start=1):
        where = f"deroule[{number}]"
        if entry.kind == "chapitre":
            chapter = by_chapter.get(entry.chapter or "")
            if chapter is None:
                known = ", ".join(sorted(by_chapter))
                raise DataFileError(
                    PATH, spec.row, f"{where}.chapitre", f"« {entry.chapter} » n'est pas un chapitre ({known})."
                )
            for step in entry.steps:
                if step not in {s.number for s in chapter.steps}:
                    raise DataFileError(
                        PATH,
                        spec.row,
                        f"{where}.etapes",
                        f"le chapitre {chapter.id} n'a pas d'étape {step} dans son déroulé "
                        f"(il en a {len(chapter.steps)}).",
                    )
            items += step_items(chapter, entry.steps, tools)
        elif entry.kind == "outil":
            tool = by_tool.get(entry.tool or "")
            if tool is None:
                known = ", ".join(sorted(by_tool))
                raise DataFileError(PATH, spec.row, f"{where}.outil", f"« {entry.tool} » n'est pas un outil ({known}).")
            item = tool_item(tool, entry.minutes, entry.title)
            if entry.detail:
                item = replace(item, detail=entry.detail)
            items.append(item)
        else:
            kind = Kind(entry.kind)
            default_titles = {
                Kind.BREAK: "Pause",
                Kind.MEAL: "Repas",
                Kind.EVALUATION: "Questionnaire de fin de séance",
                Kind.NEW_DAY: "Jour suivant",
            }
            items.append(
                Item(
                    kind=kind,
                    title=entry.title or default_titles.get(kind, ""),
                    minutes=entry.minutes or 0,
                    detail=entry.detail or "",
                )
            )
    try:
        start = parse_clock(spec.start)
    except InputError as error:
        raise DataFileError(PATH, spec.row, "debut", str(error)) from error
    return Plan(
        title=spec.title,
        length=spec.length,
        start=start,
        days=spec.days,
        items=tuple(items),
        objectives=(spec.aim,),
        audience=spec.audience,
        evaluation=spec.evaluation,
        extra_material=spec.material,
    )


def ready_plans() -> tuple[Plan, ...]:
    """Every ready session of ``data/kit/seances.yml``, timed."""
    return tuple(build_plan(spec) for spec in load_session_specs())


def plan_ids() -> tuple[str, ...]:
    return tuple(spec.id for spec in load_session_specs())
