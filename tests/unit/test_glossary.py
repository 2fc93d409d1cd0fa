"""Tests of the glossary page generated from ``data/glossaire.csv``.

Why: Jupyter Book links every ``{term}`` role to the ``{glossary}`` block of chapters/glossaire.md;
a term missing from the page, a definition not indented under its term, or a stale page breaks the
links. The CSV is read here with the csv module alone, so the page is checked against the source
file and not against the generator's own reading of it (a legal figure, ``{droit}`micro_bnc```, is
compared with its value from ``data/droit.yml``).
"""

from __future__ import annotations

import csv
import unicodedata

import pytest

from widgets import droit, glossary
from widgets.data import DATA_DIR, DataFileError, load_csv

FENCE = "```{glossary}"


def csv_entries() -> list[dict[str, str]]:
    with (DATA_DIR / glossary.GLOSSARY_FILE).open(encoding="utf-8-sig", newline="") as handle:
        rows = [{k: droit.render((v or "").strip()) for k, v in row.items()} for row in csv.DictReader(handle)]
    return [row for row in rows if any(row.values())]


def glossary_block(page: str) -> list[str]:
    lines = page.split("\n")
    assert lines.count(FENCE) == 1
    start = lines.index(FENCE) + 1
    end = lines.index("```", start)
    return lines[start:end]


def fold(term: str) -> str:
    """Case- and accent-insensitive key: « Élan » and « elan » compare equal."""
    decomposed = unicodedata.normalize("NFD", term)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def block_terms(block: list[str]) -> list[str]:
    return [line for line in block if line and not line.startswith(" ")]


def test_page_has_a_glossary_block_with_every_term():
    entries = csv_entries()
    block = glossary_block(glossary.render_page())

    terms = block_terms(block)

    assert len(entries) > 0
    assert sorted(terms) == sorted(e["terme"] for e in entries)  # each term exactly once


def test_terms_are_sorted_ignoring_case_and_accents():
    terms = block_terms(glossary_block(glossary.render_page()))

    assert terms == sorted(terms, key=fold)


def test_each_definition_is_on_the_indented_line_after_its_term():
    block = glossary_block(glossary.render_page())
    by_term = {e["terme"]: e for e in csv_entries()}

    for index, line in enumerate(block):
        if not line or line.startswith(" "):
            continue
        entry = by_term[line]
        definition = block[index + 1]
        assert definition.startswith("  ") and not definition.startswith("   ")
        assert entry["definition"] in definition
        if entry["source"]:
            assert definition.endswith(f"Source : {entry['source']}")
        else:
            assert definition == f"  {entry['definition']}"
        # A blank line separates entries (the last one is followed by the closing fence).
        assert index + 2 == len(block) or block[index + 2] == ""


def test_page_says_it_is_generated_then_starts_with_title_and_ends_with_closing_fence():
    page = glossary.render_page()
    comments, body = page.split("\n\n", 1)

    assert all(line.startswith("% ") for line in comments.splitlines())
    assert "Fichier généré" in comments and "data/glossaire.csv" in comments
    assert body.startswith("# Glossaire\n")
    assert page.endswith("```\n")


def test_sorting_on_hand_made_entries(monkeypatch):
    entries = tuple(
        {"terme": t, "definition": f"Définition de {t}.", "source": None}
        for t in ["zèbre", "élan", "Bateau", "Éducation", "abri", "Eau"]
    )
    monkeypatch.setattr(glossary, "load_glossary", lambda: entries)

    block = glossary_block(glossary.render_page())

    assert block_terms(block) == ["abri", "Bateau", "Eau", "Éducation", "élan", "zèbre"]
    assert block[block.index("Éducation") + 1] == "  Définition de Éducation."


def test_source_is_appended_to_the_definition(monkeypatch):
    entries = (
        {"terme": "CVS", "definition": "Conseil de la vie sociale.", "source": "https://exemple.fr/cvs"},
        {"terme": "GEM", "definition": "Groupe d'entraide mutuelle.", "source": None},
    )
    monkeypatch.setattr(glossary, "load_glossary", lambda: entries)

    block = glossary_block(glossary.render_page())

    assert block == [
        "CVS",
        "  Conseil de la vie sociale. Source : https://exemple.fr/cvs",
        "",
        "GEM",
        "  Groupe d'entraide mutuelle.",
    ]


# ---------------------------------------------------------------------------------- the CLI


def test_check_passes_on_the_committed_page():
    assert glossary.main(["--check"]) == 0


def test_check_fails_when_page_differs(monkeypatch, tmp_path, capsys):
    page = tmp_path / "glossaire.md"
    page.write_text(glossary.render_page() + "Une ligne ajoutée à la main.\n", encoding="utf-8")
    monkeypatch.setattr(glossary, "PAGE", page)

    assert glossary.main(["--check"]) == 1
    assert "pas à jour" in capsys.readouterr().err
    assert page.read_text(encoding="utf-8").endswith("Une ligne ajoutée à la main.\n")  # --check writes nothing


def test_check_fails_when_page_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(glossary, "PAGE", tmp_path / "absent.md")

    assert glossary.main(["--check"]) == 1
    assert not (tmp_path / "absent.md").exists()


def test_main_writes_the_page_then_check_passes(monkeypatch, tmp_path, capsys):
    page = tmp_path / "glossaire.md"
    page.write_text("ancienne version\n", encoding="utf-8")
    monkeypatch.setattr(glossary, "PAGE", page)

    assert glossary.main([]) == 0

    assert page.read_text(encoding="utf-8") == glossary.render_page()
    assert f"{len(csv_entries())} termes" in capsys.readouterr().out
    assert glossary.main(["--check"]) == 0


# ------------------------------------------------------------------------------- the schema


@pytest.mark.parametrize(
    ("body", "row", "column", "word"),
    [
        pytest.param(
            "CVS,Conseil de la vie sociale.,\nGEM,Groupe d'entraide mutuelle,\n", 3, None, "point", id="no-final-period"
        ),
        pytest.param(
            "CVS,Conseil de la vie sociale.,\nCVS,Autre définition.,\n", 3, "terme", "déjà utilisé", id="duplicate-term"
        ),
        pytest.param("CVS,,\n", 2, "definition", "vide", id="empty-definition"),
    ],
)
def test_glossary_schema_rejects_bad_rows(tmp_path, body, row, column, word):
    path = tmp_path / "glossaire.csv"
    path.write_text("terme,definition,source\n" + body, encoding="utf-8")

    with pytest.raises(DataFileError) as caught:
        load_csv(path, glossary.GLOSSARY_SCHEMA)

    assert (caught.value.row, caught.value.column) == (row, column)
    assert f"ligne {row}" in str(caught.value)
    assert word in caught.value.problem


def test_glossary_schema_accepts_closing_guillemet_or_parenthesis(tmp_path):
    path = tmp_path / "glossaire.csv"
    path.write_text(
        "terme,definition,source\n"
        "FALC,Facile à lire et à comprendre (méthode),\n"
        "Pacte,Politique dite « Pacte des solidarités »,https://handirect.fr/?p=21781\n",
        encoding="utf-8",
    )

    records = load_csv(path, glossary.GLOSSARY_SCHEMA)

    assert [r["terme"] for r in records] == ["FALC", "Pacte"]
    assert records[0]["source"] is None and records[1]["source"] == "https://handirect.fr/?p=21781"
