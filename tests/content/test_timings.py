"""Each chapter's announced length is the length of the session it describes.

Why: a trainer plans a day from the « Fiche pédagogique » (« 2 h 45 en groupe ») and runs it from the
numbered « Déroulé » of « Pour animer cette séquence ». When the two disagree (a chapter once said
2 h 30 here and 2 h 45 there, another had an exercise with no time slot), the session overruns.
The boxes are read with the trainer's kit parser (widgets/kit/chapters.py), so this test and the kit
read the same numbers.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from widgets.kit.chapters import Chapter, chapter_paths, load_chapters
from widgets.kit.content import tools_by_id
from widgets.kit.model import Tool

BREAK = re.compile(r"pause de (\d+) min", re.IGNORECASE)


def chapters() -> list[Chapter]:
    return list(load_chapters())


def test_every_numbered_chapter_is_read():
    assert len(chapters()) == len(chapter_paths()) >= 7


@pytest.mark.parametrize("chapter", chapters(), ids=lambda c: c.id)
def test_every_step_has_its_own_duration(chapter):
    """A step without « (N min) » would get a share guessed by the kit: the chapter must say it."""
    guessed = [s.number for s in chapter.steps if s.estimated]
    assert not guessed, f"{chapter.id} : étapes sans durée « (N min) » : {guessed}"


@pytest.mark.parametrize("chapter", chapters(), ids=lambda c: c.id)
def test_steps_add_up_to_the_session_length(chapter):
    total = sum(s.minutes or 0 for s in chapter.steps)
    assert total == chapter.session_minutes, (
        f"{chapter.id} : le déroulé fait {total} min, l'encadré « Pour animer » annonce {chapter.session_minutes} min"
    )


@pytest.mark.parametrize("chapter", chapters(), ids=lambda c: c.id)
def test_fiche_and_animer_announce_the_same_length(chapter):
    assert chapter.group_minutes == chapter.session_minutes, (
        f"{chapter.id} : la fiche annonce {chapter.group_minutes} min en groupe, "
        f"l'encadré « Pour animer » {chapter.session_minutes} min"
    )


@pytest.mark.parametrize("chapter", chapters(), ids=lambda c: c.id)
def test_a_break_in_the_length_is_a_step_of_the_same_length(chapter):
    """« pause de 15 min comprise » in the fiche means a « Pause (15 min) » step, and the reverse."""
    announced = [int(m) for m in BREAK.findall(chapter.duration_text)]
    steps = [s.minutes for s in chapter.steps if s.text.casefold().startswith("pause")]
    assert announced == steps, f"{chapter.id} : pauses annoncées dans la fiche {announced}, pauses du déroulé {steps}"


#: Chapter 6 gives « après chaque outil, un retour d'environ 10 min » inside a step's time.
FEEDBACK_MINUTES = 10


def tool_time_problems(chapter: Chapter, tools: dict[str, Tool]) -> list[str]:
    """Steps whose time for a named tool is outside that tool's range in ``data/kit/outils.yml``.

    Why a check rather than one number read from two places: the chapter's « Déroulé » is prose that a
    trainer reads and prints, with plain durations, and the kit reads it from there; the tools file
    gives each tool's usual range for the planner. The two must agree, or the chapter runs a « parole au
    centre » in less time than the kit says it needs (issue 15). A step « …, puis retour » keeps
    FEEDBACK_MINUTES for the discussion; a step naming alternatives (« photolangage ou carte ») must fit
    each of them.
    """
    problems = []
    for step in chapter.steps:
        if not step.tools or step.minutes is None:
            continue
        own = step.minutes - (FEEDBACK_MINUTES if "retour" in step.text.casefold() else 0)
        for tool_id in step.tools:
            tool = tools[tool_id]
            if not tool.min_minutes <= own <= tool.max_minutes:
                problems.append(
                    f"{chapter.id}, étape {step.number} : {own} min pour « {tool.name} », "
                    f"le kit dit {tool.min_minutes} à {tool.max_minutes} min"
                )
    return problems


def test_chapter_six_says_how_long_the_feedback_is():
    animer = next(c for c in chapters() if c.id == "06-animer")
    assert f"un retour d'environ {FEEDBACK_MINUTES} min" in animer.path.read_text(encoding="utf-8")


def test_the_tool_time_check_can_fail():
    """The old chapter 6: parole au centre and speed boat had 35 min with their feedback, 25 without."""
    tools = tools_by_id()
    animer = next(c for c in chapters() if c.id == "06-animer")
    old = replace(animer, steps=tuple(replace(s, minutes=35) if s.number in (5, 6) else s for s in animer.steps))
    found = tool_time_problems(old, tools)
    assert len(found) == 2 and "25 min pour « La parole au centre »" in found[0], found


@pytest.mark.parametrize("chapter", chapters(), ids=lambda c: c.id)
def test_a_step_gives_a_tool_the_time_the_kit_gives_it(chapter):
    found = tool_time_problems(chapter, tools_by_id())
    assert not found, "\n".join(found)
