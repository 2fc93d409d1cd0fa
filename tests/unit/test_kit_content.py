"""The kit's flat files (jobs, notes, numbers, questionnaire) load into the right fields, or stop in French.

Why: one generic loader builds these entries from the schema's column order, so a field put in the
wrong place would not raise; these checks read the real files and would see it.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from widgets import data
from widgets.data import DataFileError
from widgets.kit import content


def test_each_help_number_is_a_number_with_its_check_and_source_in_place():
    numbers = content.load_numbers()
    assert numbers
    for entry in numbers:
        assert re.fullmatch(r"\d[\d ]*", entry.number), entry
        assert isinstance(entry.checked, bool)
        assert entry.name and entry.for_whom and entry.when
        assert entry.checked is False or "://" in entry.source
    assert any(n.number == "3114" for n in numbers)


def test_questionnaire_entries_keep_part_kind_and_text_apart():
    questions = content.load_questions()
    assert {q.part for q in questions} == {"apprentissage", "satisfaction"}
    assert {q.kind for q in questions} <= {"echelle", "texte"}
    assert all(q.text not in ("apprentissage", "satisfaction", "echelle", "texte") and q.id for q in questions)


def test_jobs_and_notes_have_text_where_text_is_optional():
    jobs = content.load_jobs()
    assert jobs and all(isinstance(j.detail, str) and j.title and j.source for j in jobs)
    notes = content.load_notes()
    assert notes and all(n.id and n.title and n.points for n in notes)
    for note in notes:
        for point in note.points:
            assert point.origin in content.NOTE_ORIGINS and isinstance(point.source, str) and point.text


def test_a_malformed_number_names_the_file_the_entry_and_the_field(tmp_path, monkeypatch):
    (tmp_path / "kit").mkdir()
    body = """
    - numero: "15"
      nom: SAMU
      pour_qui: Une urgence.
      quand: Toujours.
      verifie: peut-être
      source: https://exemple.fr
    """
    (tmp_path / "kit" / "numeros.yml").write_text(textwrap.dedent(body), encoding="utf-8")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    content.load_numbers.cache_clear()
    try:
        with pytest.raises(DataFileError) as error:
            content.load_numbers()
        assert "numeros.yml" in str(error.value) and "« verifie »" in str(error.value)
        assert error.value.row is not None
    finally:
        content.load_numbers.cache_clear()
