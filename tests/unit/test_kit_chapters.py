"""The chapters' own teaching boxes, read by widgets/kit/chapters.py: the format, its variants, its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from widgets.data import DataFileError
from widgets.kit.chapters import chapter_paths, load_chapters, minutes_in, parse_chapter, plain
from widgets.kit.content import load_tools
from widgets.kit.model import Phase

FICHE = """# Un chapitre d'essai

:::{admonition} Fiche pédagogique
:class: note
- **Objectifs** : à la fin, vous saurez :
  - expliquer la {term}`pairité` ;
  - citer les {term}`MSP <médiateur de santé pair>` et
    leur formation.
- **Durée** : 1 h 30 en groupe, 30 min en lecture seule.
- **Public** : tout le monde.
- **Matériel** : des post-it.
:::
"""


def write(tmp_path: Path, deroule: str, duree: str = "1 h 30") -> Path:
    path = tmp_path / "09-essai.md"
    path.write_text(
        FICHE
        + f"""
Du texte.

:::{{admonition}} Pour animer cette séquence
:class: seealso
- **Durée** : {duree}.
- **Question pour lancer** : « Pourquoi ? »
{deroule}
- **Pièges à éviter** :
  - forcer quelqu'un à parler ;
  - oublier la source.
:::
""",
        encoding="utf-8",
    )
    return path


def test_numbered_steps_with_durations_before_or_after(tmp_path):
    path = write(
        tmp_path,
        "- **Déroulé** :\n"
        "  1. Ouvrir avec une météo (10 min). Chacun·e dit un mot.\n"
        "  2. (20 min) Vote avec les feux tricolores.\n"
        "  3. Débat sur les dates (2005, 2024) (1 h).\n",
    )
    chapter = parse_chapter(path, load_tools())
    assert chapter.id == "09-essai" and chapter.number == 9
    assert chapter.title == "Un chapitre d'essai"
    assert chapter.objectives == ("expliquer la pairité", "citer les MSP et leur formation")
    assert chapter.group_minutes == 90 and chapter.session_minutes == 90
    assert chapter.opening_question == "« Pourquoi ? »"
    assert chapter.pitfalls == ("forcer quelqu'un à parler", "oublier la source")
    assert [(s.number, s.minutes, s.estimated) for s in chapter.steps] == [
        (1, 10, False),
        (2, 20, False),
        (3, 60, False),
    ]
    assert chapter.steps[0].text == "Ouvrir avec une météo. Chacun·e dit un mot."
    assert chapter.steps[1].text == "Vote avec les feux tricolores."
    assert chapter.steps[2].text == "Débat sur les dates (2005, 2024)."
    assert chapter.steps[0].tools == ("meteo",) and chapter.steps[0].phases == (Phase.EXISTER,)
    assert chapter.steps[1].tools == ("feux-tricolores",) and chapter.steps[1].phases == (Phase.PARTICIPER,)
    assert chapter.steps[2].tools == ()


def test_inline_steps_are_cut_only_at_numbers_in_sequence_and_missing_durations_are_estimated(tmp_path):
    path = write(
        tmp_path,
        "- **Déroulé** : 1) Ouvrir avec une météo. 2) Relire les dates (2005, 2024) puis débattre (20 min). "
        "3) Conclure. 4) Parole au centre.",
        duree="2 h (pauses comprises)",
    )
    chapter = parse_chapter(path, load_tools())
    assert chapter.session_minutes == 120
    assert [s.text for s in chapter.steps] == [
        "Ouvrir avec une météo.",
        "Relire les dates (2005, 2024) puis débattre.",
        "Conclure.",
        "Parole au centre.",
    ]
    # Step 2 gives 20 min; météo (10) and parole au centre (45) take their usual durations; « Conclure »
    # gets what is left of the 2 h, and all three are marked as estimated.
    assert [(s.minutes, s.estimated) for s in chapter.steps] == [(10, True), (20, False), (45, True), (45, True)]
    assert sum(s.minutes or 0 for s in chapter.steps) == 120


def test_steps_without_numbers_are_cut_at_semicolons_and_share_the_time(tmp_path):
    path = write(
        tmp_path, "- **Déroulé** : partir des récits ; présenter la grille ; finir par le quiz.", duree="1 h 10"
    )
    chapter = parse_chapter(path, load_tools())
    assert [s.text for s in chapter.steps] == ["Partir des récits.", "Présenter la grille.", "Finir par le quiz."]
    assert [s.minutes for s in chapter.steps] == [25, 25, 20]
    assert all(s.estimated for s in chapter.steps)


@pytest.mark.parametrize(
    ("deroule", "duree", "message"),
    [
        ("- **Déroulé** : tout faire.", "1 h", "au moins deux étapes"),
        ("- **Déroulé** : 1) A. 2) B.", "longtemps", "ne donne pas de durée"),
    ],
)
def test_a_chapter_that_breaks_the_format_names_file_and_line(tmp_path, deroule, duree, message):
    path = write(tmp_path, deroule, duree)
    with pytest.raises(DataFileError, match=message) as error:
        parse_chapter(path, load_tools())
    assert "09-essai.md" in str(error.value) and "ligne" in str(error.value)


def test_a_missing_box_is_named(tmp_path):
    path = tmp_path / "09-essai.md"
    path.write_text(FICHE, encoding="utf-8")
    with pytest.raises(DataFileError, match="il manque l'encadré « Pour animer cette séquence »"):
        parse_chapter(path, load_tools())


def test_helpers():
    assert plain("La {term}`CVS` et le {term}`travail pair <travailleur pair>` **ici**") == (
        "La CVS et le travail pair ici"
    )
    assert minutes_in("1 h 30 en groupe") == 90
    assert minutes_in("2 h (20 min de post-it)") == 120
    assert minutes_in("45 min en lecture seule") == 45
    assert minutes_in("bientôt") is None


def test_every_course_chapter_gives_the_kit_what_it_needs():
    """The real chapters: objectives, a duration, at least three steps whose durations fill it."""
    chapters = load_chapters()
    assert [c.id for c in chapters] == [p.stem for p in chapter_paths()]
    assert len(chapters) >= 7
    for chapter in chapters:
        assert len(chapter.objectives) >= 3, chapter.id
        assert chapter.opening_question, chapter.id
        assert len(chapter.steps) >= 3, chapter.id
        assert sum(s.minutes or 0 for s in chapter.steps) == chapter.session_minutes, chapter.id
        assert all("{term}" not in s.text and "**" not in s.text for s in chapter.steps), chapter.id
    # Chapter 6 teaches EPIC: its steps name tools of all four stages.
    animer = next(c for c in chapters if c.id.endswith("animer"))
    assert {p for s in animer.steps for p in s.phases} == set(Phase)
