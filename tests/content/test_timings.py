"""Each chapter's announced length is the length of the session it describes.

Why: a trainer plans a day from the « Fiche pédagogique » (« 2 h 45 en groupe ») and runs it from the
numbered « Déroulé » of « Pour animer cette séquence ». When the two disagree (a chapter once said
2 h 30 here and 2 h 45 there, another had an exercise with no time slot), the session overruns.
The boxes are read with the trainer's kit parser (widgets/kit/chapters.py), so this test and the kit
read the same numbers.
"""

from __future__ import annotations

import re

import pytest

from widgets.kit.chapters import Chapter, chapter_paths, load_chapters

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
