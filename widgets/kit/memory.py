"""What the session planner keeps in the trainer's browser between visits, and how it is read back.

Why a module of its own, pure: a reload or « retour » must give back the plan being edited (the view
hands this dict to :class:`widgets.controls.BrowserMemory`, which keeps it in the browser's
``localStorage``, never on the server). What comes back from a browser is not trusted: an older version
of the course, or a changed ``data/kit/``, may have stored lines that no longer exist. Every line is
checked, a wrong one is dropped, and the rest of the plan is kept.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from widgets.kit.model import MAX_ITEM_MINUTES, Item, Kind, Phase, Plan

MAX_ITEMS = 400  # far beyond any real plan (three days hold about 70 lines): a bigger list is not ours
MAX_TEXT = 2_000  # characters in one title or detail


def item_state(item: Item) -> dict[str, Any]:
    """One line as JSON-able values, default fields left out (the browser keeps little)."""
    state: dict[str, Any] = {"type": item.kind.value, "titre": item.title, "minutes": item.minutes}
    if item.phases:
        state["etapes"] = [p.name.lower() for p in item.phases]
    if item.tools:
        state["outils"] = list(item.tools)
    if item.chapter:
        state["chapitre"] = item.chapter
    if item.detail:
        state["detail"] = item.detail
    if item.material:
        state["materiel"] = list(item.material)
    if item.estimated:
        state["estime"] = True
    return state


def plan_state(plan: Plan) -> dict[str, Any]:
    """The parts of a plan the trainer can change: title, length, days, start time and lines."""
    return {
        "titre": plan.title,
        "duree": plan.length,
        "jours": plan.days,
        "debut": plan.start,
        "lignes": [item_state(i) for i in plan.items],
    }


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and len(value) <= MAX_TEXT else None


def _texts(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(_text(v) is not None for v in value):
        return tuple(value)
    return None


def restored_item(state: Any, tools: set[str], chapters: set[str]) -> Item | None:
    """One line read back, or None when it does not fit the course as it is now."""
    if not isinstance(state, dict):
        return None
    try:
        kind = Kind(state.get("type"))
    except ValueError:
        return None
    title, minutes = _text(state.get("titre")), state.get("minutes")
    if title is None or type(minutes) is not int or not 0 <= minutes <= MAX_ITEM_MINUTES:
        return None
    phases = state.get("etapes", [])
    if not isinstance(phases, list) or not all(isinstance(p, str) and p.upper() in Phase.__members__ for p in phases):
        return None
    used_tools, material = _texts(state.get("outils")), _texts(state.get("materiel"))
    if used_tools is None or material is None or not set(used_tools) <= tools:
        return None
    chapter, detail, estimated = state.get("chapitre"), _text(state.get("detail", "")), state.get("estime", False)
    if (chapter is not None and chapter not in chapters) or detail is None or not isinstance(estimated, bool):
        return None
    return Item(
        kind=kind,
        title=title,
        minutes=minutes,
        phases=tuple(Phase.from_id(p) for p in phases),
        tools=used_tools,
        chapter=chapter,
        detail=detail,
        material=material,
        estimated=estimated,
    )


def restored_plan(
    state: Any,
    base: Plan,
    tools: set[str],
    chapters: set[str],
    lengths: set[tuple[int, int]],
) -> tuple[Plan, int]:
    """``base`` (the ready session the plan started from) with what the browser kept put back.

    Returns the plan and how many stored lines were dropped. A length the planner does not offer
    (``lengths``: (minutes, days) pairs), a start outside the day or a malformed title keeps
    ``base``'s value; objectives, audience and material always come from ``base``, i.e. from
    ``data/kit/`` as it is now.
    """
    if not isinstance(state, dict):
        return base, 0
    plan = base
    title = _text(state.get("titre"))
    if title is not None:
        plan = replace(plan, title=title)
    length, days = state.get("duree"), state.get("jours")
    if type(length) is int and type(days) is int and (length, days) in lengths:
        plan = replace(plan, length=length, days=days)
    start = state.get("debut")
    if type(start) is int and 0 <= start < 24 * 60:
        plan = replace(plan, start=start)
    lines = state.get("lignes")
    if not isinstance(lines, list) or len(lines) > MAX_ITEMS:
        return plan, 0
    items = [restored_item(line, tools, chapters) for line in lines]
    kept = tuple(i for i in items if i is not None)
    return replace(plan, items=kept), len(items) - len(kept)
