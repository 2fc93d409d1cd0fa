"""The end-of-session questionnaire asks only about the objectives a session works on.

``data/kit/objectifs.yml`` says which steps of each chapter's « Déroulé » work on each objective of its
fiche; it is checked against the chapters (a changed fiche is named, not silently mismapped).
"""

from __future__ import annotations

import html
import re

import pytest

from widgets.data import DataFileError
from widgets.kit import objectives
from widgets.kit.chapters import load_chapters
from widgets.kit.content import SessionEntry, SessionSpec
from widgets.kit.page import questionnaire_html


def asked(plan_id: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", questionnaire_html(plan_id))).split())


def spec(*entries: SessionEntry) -> SessionSpec:
    return SessionSpec("essai", "Essai", 60, 1, "9 h 00", "", "", "", (), entries, "entrée n° 1")


def chapter_line(chapter: str, *steps: int) -> SessionEntry:
    return SessionEntry("chapitre", chapter, steps, None, None, None, None)


def test_every_objective_of_every_chapter_has_steps_that_exist():
    found = objectives.load_objectives()
    for chapter in load_chapters():
        assert [o.text for o in found[chapter.id]] == list(chapter.objectives), chapter.id
        numbers = {s.number for s in chapter.steps}
        assert all(o.steps and o.steps <= numbers for o in found[chapter.id]), chapter.id


def test_the_three_hour_questionnaire_leaves_out_what_the_session_does_not_do():
    """The 3-hour session skips step 3 of chapter 7 (the three conclusions, remuneration among them)."""
    text = asked("trois-heures")
    conclusion = {o.text: o for o in objectives.load_objectives()["07-conclusion"]}
    for goal, step_three_only in ((t, o.steps == {3}) for t, o in conclusion.items()):
        assert (f"je sais {goal}" in text) != step_three_only, goal
    assert "je sais résumer les trois conclusions" not in text
    assert "je sais distinguer rémunération et indemnisation" not in text
    for goal in next(c for c in load_chapters() if c.id == "01-pairite").objectives:  # every step of chapter 1
        assert f"je sais {goal}" in text, goal
    assert "Le rythme de la séance m'a convenu." in text  # the satisfaction part stays whole


def test_an_objective_counts_when_one_of_its_steps_runs_and_a_chapter_line_without_steps_runs_all():
    chosen = dict((c.id, texts) for c, texts in objectives.covered(spec(chapter_line("05-accueillir", 5))))
    assert chosen == {
        "05-accueillir": (
            "utiliser six familles de risques pour la santé au travail afin de parler de la situation d'une personne paire",
        )
    }
    everything = objectives.covered(spec(chapter_line("06-animer")))
    assert len(everything[0][1]) == len(next(c for c in load_chapters() if c.id == "06-animer").objectives)
    assert objectives.covered(spec(chapter_line("01-pairite", 7))) == []  # the quiz alone works on nothing new


def test_a_changed_fiche_or_a_wrong_step_is_named_with_file_entry_and_field(monkeypatch, tmp_path):
    from widgets import data

    original = (data.DATA_DIR / objectives.OBJECTIVES_FILE).read_text(encoding="utf-8")
    chapters = load_chapters()  # read from the real data/ before pointing it elsewhere
    cases = (
        (
            original.replace('debut: "comparer trois définitions"', 'debut: "comparer deux définitions"'),
            "objectifs[2].debut",
            "la fiche a changé",
        ),
        (
            original.replace("etapes: [6]\n\n- chapitre: 02-savoirs", "etapes: [9]\n\n- chapitre: 02-savoirs"),
            "objectifs[5].etapes",
            "n'est pas une étape",
        ),
        (original.replace("- chapitre: 07-conclusion", "- chapitre: 08-inconnu"), "chapitre", "n'est pas un chapitre"),
    )
    for number, (text, column, words) in enumerate(cases):
        folder = tmp_path / str(number)
        (folder / "kit").mkdir(parents=True)
        (folder / "kit" / "objectifs.yml").write_text(text, encoding="utf-8")
        assert text != original, column  # the case really changes the file
        monkeypatch.setattr(data, "DATA_DIR", folder)
        with pytest.raises(DataFileError) as caught:
            objectives._read(chapters)
        assert "objectifs.yml" in str(caught.value) and caught.value.column == column and words in str(caught.value)
