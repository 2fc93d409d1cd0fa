"""The group mode's content files: every answer has a word, a symbol and a readable colour; every
scale lets people abstain; a typo stops the course with the file, the row and the column named."""

from __future__ import annotations

import pytest

from widgets.data import DataFileError, load_csv
from widgets.salle import content

HEADER = "id,echelle,ordre,libelle,symbole,couleur,couleur_texte,abstention,source\n"


def test_the_course_scales_are_complete_and_readable():
    scales = content.load_scales()
    assert set(scales) == {"abaque", "feux", "meteo"}
    for scale in scales.values():
        assert sum(c.abstention for c in scale.choices) == 1
        for choice in scale.choices:
            assert choice.label.strip() and choice.symbol.strip()
            assert content.contrast(choice.colour, choice.text_colour) >= content.MIN_CONTRAST
    assert scales["abaque"].choices[-1].colour == "#ffffff" and scales["abaque"].choices[-1].abstention
    assert [c.label for c in scales["feux"].choices][:3] == [
        "Tout à fait d'accord",
        "Moyennement d'accord",
        "Pas du tout d'accord",
    ]
    assert len({c.symbol for c in scales["abaque"].choices}) == 6  # no two answers look alike without colour
    statements = content.load_statements()
    assert len(statements) >= 10 and all(len(s.text) <= 200 and s.origin for s in statements)


def test_contrast_follows_wcag():
    assert content.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert content.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("abaque-x,abaque,1,Oui,+,vert,#000000,non,s", None, "couleur"),
        ("abaque-x,abaque,1,Oui,+,#ffff00,#ffffff,non,s", None, "se lit mal"),
        ("abaque-x,abaque,1,,+,#1b5e20,#ffffff,non,s", "libelle", "vide"),
        ("abaque-x,abaque,1,Oui,,#1b5e20,#ffffff,non,s", "symbole", "vide"),
        ("abaque-x,sondage,1,Oui,+,#1b5e20,#ffffff,non,s", "echelle", "permise"),
        ("Abaque X,abaque,1,Oui,+,#1b5e20,#ffffff,non,s", None, "minuscules"),
    ],
)
def test_a_malformed_answer_names_file_row_and_column(tmp_path, row, column, words):
    path = tmp_path / "echelles.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_csv(path, content.SCALE_SCHEMA)
    error = caught.value
    assert error.row == 2 and "echelles.csv" in str(error) and words in str(error)
    if column:
        assert error.column == column


def test_a_scale_without_abstention_is_refused(tmp_path, monkeypatch):
    rows = [
        "abaque-a,abaque,1,Oui,+,#1b5e20,#ffffff,non,s",
        "abaque-b,abaque,2,Non,-,#b71c1c,#ffffff,non,s",
        "feux-a,feux,1,Oui,+,#1b5e20,#ffffff,non,s",
        "feux-b,feux,2,Blanc,○,#ffffff,#000000,oui,s",
        "meteo-a,meteo,1,Soleil,☀,#ffd54f,#000000,non,s",
        "meteo-b,meteo,2,Secret,○,#ffffff,#000000,oui,s",
    ]
    path = tmp_path / "echelles.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setattr(content, "SCALES_FILE", str(path))
    content.load_scales.cache_clear()
    try:
        with pytest.raises(DataFileError) as caught:
            content.load_scales()
        assert "abaque" in str(caught.value) and "abstention" in str(caught.value)
    finally:
        content.load_scales.cache_clear()
