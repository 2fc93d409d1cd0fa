"""Tests of the legal figures: the model (``widgets/droit_model.py``), the file's schema and the
rendering in loaders (``widgets/data.py``), and the API (``widgets/droit.py``).

Why: every amount the course states is now read from ``data/droit.yml``. A wrong date lookup would
show last year's RSA; a derived figure computed wrongly would teach a wrong threshold; a malformed entry
must stop the course at load with the file, the entry and the key named in French. Expected values
below are published figures (bibliography keys in comments) or computed by hand from them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from widgets import droit
from widgets.data import Column, DataFileError, Schema, load_csv, load_yaml, read_droit
from widgets.droit_model import FigureError, build, format_amount, parse_expression

NBSP, NNBSP = "\u00a0", "\u202f"


def entry(figure_id: str, unit: str = "euros", **fields: object) -> dict[str, object]:
    """A validated entry as widgets.data hands it to the model."""
    base: dict[str, object] = {"id": figure_id, "libelle": figure_id, "unite": unit, "sources": ["k"]}
    return base | fields


def value(amount: float, since: date | None = None, until: date | None = None) -> dict[str, object]:
    return {"valeur": amount, "depuis": since, "jusqu_au": until, "sources": ["k"], "note": None}


SMALL = build(
    [
        entry(
            "smic",
            valeurs=[value(11.88, date(2024, 11, 1)), value(12.02, date(2026, 1, 1)), value(12.31, date(2026, 6, 1))],
        ),
        entry("fois", "fois", valeurs=[value(200, until=date(2013, 12, 31)), value(150, date(2014, 1, 1))]),
        entry("seuil", calcul="fois × smic", au_1er_janvier=True),
        entry("mensuel", calcul="smic × 35 × 52 ÷ 12"),
        entry("taux", "pourcent", valeurs=[value(34, date(2006, 1, 1))]),
        entry("amende", valeurs=[value(15000)]),
    ]
)


# ------------------------------------------------------------------------------------------- model


def test_a_value_is_the_one_in_force_on_the_day():
    assert SMALL.value("smic", date(2025, 12, 31)) == Decimal("11.88")
    assert SMALL.value("smic", date(2026, 1, 1)) == Decimal("12.02")
    assert SMALL.value("smic", date(2026, 5, 31)) == Decimal("12.02")
    assert SMALL.value("smic") == Decimal("12.31")  # without a day: the newest value of the file
    assert SMALL.value("fois", date(2013, 12, 31)) == 200
    assert SMALL.value("fois", date(2014, 1, 1)) == 150
    assert SMALL.value("amende", date(1990, 1, 1)) == 15000  # no start date: in force as far as we know


def test_a_day_without_a_value_is_an_error_not_a_guess():
    with pytest.raises(FigureError, match=r"« smic » n'a pas de valeur connue le 31 octobre 2024"):
        SMALL.value("smic", date(2024, 10, 31))


def test_a_derived_figure_is_computed_from_its_inputs_at_each_date():
    """150 × SMIC of 1 January (CSS R.351-9): 150 × 11,88 = 1 782 € in 2025 (published:
    retraite-boursorama), 150 × 12,02 = 1 803 € in 2026 (hand computation); the SMIC of June 2026 does
    not change the 2026 threshold, and 2027 is not known until the SMIC of 1 January 2027 is."""
    seuil = SMALL.get("seuil")
    assert [(v.since, v.until, v.amount) for v in seuil.values] == [
        (date(2025, 1, 1), date(2025, 12, 31), Decimal("1782.00")),
        (date(2026, 1, 1), date(2026, 12, 31), Decimal("1803.00")),
    ]
    assert SMALL.value("seuil", date(2026, 7, 1)) == Decimal("1803.00")
    with pytest.raises(FigureError):
        SMALL.value("seuil", date(2027, 1, 1))


def test_a_derived_figure_changes_when_an_input_changes():
    """Monthly SMIC for 35 h = hourly × 35 × 52 / 12, rounded to the cent: 1 823,03 € in January 2026
    (published with décret 2025-1228: smic-oreco), 1 867,02 € from June 2026 (openfisca-france)."""
    mensuel = SMALL.get("mensuel")
    assert [(v.since, v.amount) for v in mensuel.values] == [
        (date(2024, 11, 1), Decimal("1801.80")),
        (date(2026, 1, 1), Decimal("1823.03")),
        (date(2026, 6, 1), Decimal("1867.02")),
    ]
    assert mensuel.values[1].until == date(2026, 5, 31)


@pytest.mark.parametrize(
    ("amount", "unit", "shown"),
    [
        ("651.69", "euros", f"651,69{NBSP}€"),
        ("1803.00", "euros", f"1{NNBSP}803{NBSP}€"),
        ("15000", "euros", f"15{NNBSP}000{NBSP}€"),
        ("16.5", "pourcent", f"16,5{NBSP}%"),
        ("12.0", "pourcent", f"12{NBSP}%"),
        ("910", "heures", "910 heures"),
        ("1", "jours", "1 jour"),
        ("24", "mois", "24 mois"),
        ("150", "fois", "150 fois"),
    ],
)
def test_each_unit_reads_the_french_way(amount, unit, shown):
    assert format_amount(Decimal(amount), unit) == shown


@pytest.mark.parametrize(
    ("reference", "shown"),
    [
        ("smic", f"12,31{NBSP}€"),
        ("smic@2026-01-01", f"12,02{NBSP}€"),
        ("smic@2026-01-01:depuis", "1er janvier 2026"),
        ("smic@2025-03-01:annee", "2024"),
        ("fois@2000-01-01:jusqu_au", "31 décembre 2013"),
        ("fois:nombre", "150"),
        ("seuil:calcul", f"150 × 12,02{NBSP}€"),  # the SMIC of 1 January, not June's
        ("seuil@2025-06-01:calcul", f"150 × 11,88{NBSP}€"),
        ("seuil:annee", "2026"),
        ("taux", f"34{NBSP}%"),
    ],
)
def test_a_reference_shows_a_value_a_date_or_a_computation(reference, shown):
    assert SMALL.reference(reference) == shown


@pytest.mark.parametrize(
    ("reference", "problem"),
    [
        ("smc", r"« smc » n'est pas un chiffre de data/droit\.yml \(vouliez-vous dire : smic \?\)"),
        ("smic:montant", "variante inconnue"),
        ("smic@2026-13-01", "n'est pas une date"),
        ("amende:depuis", "la date de début de cette valeur n'est pas connue"),
        ("smic:jusqu_au", "la date de fin de cette valeur n'est pas connue"),
        ("smic:calcul", "n'est pas un chiffre calculé"),
        ("smic 12", "écrivez un nom de chiffre"),
    ],
)
def test_a_wrong_reference_says_what_is_wrong_in_french(reference, problem):
    with pytest.raises(FigureError, match=problem):
        SMALL.reference(reference)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("600", f"600{NBSP}€"),
        ("600 €", f"600{NBSP}€"),
        ("1 200", f"1{NNBSP}200{NBSP}€"),
        ("600 × (1 − taux)", f"396{NBSP}€"),  # 600 € of BNC turnover count for 396 € (34 % off)
        ("0,7 × 300", f"210{NBSP}€"),
        ("seuil × 4", f"7{NNBSP}212{NBSP}€"),
        ("seuil × 4 @2025-01-01", f"7{NNBSP}128{NBSP}€"),
        ("100 ÷ 3", f"33,33{NBSP}€"),
    ],
)
def test_an_example_is_an_amount_in_euros_computed_from_the_file(text, shown):
    assert SMALL.example(text) == shown


@pytest.mark.parametrize("text", ["__import__('os')", "smic.real", "smic(1)", "[1, 2]", "2 ** 8", "True + 1", ""])
def test_a_computation_is_arithmetic_and_nothing_else(text):
    with pytest.raises(FigureError):
        parse_expression(text)


def test_a_text_renders_every_role_and_leaves_the_rest():
    text = "RSA {droit}`smic@2026-01-01` depuis le {droit}`smic@2026-01-01:depuis`, {exemple}`2 × 3` ; {term}`CAF`."
    assert SMALL.render(text) == f"RSA 12,02{NBSP}€ depuis le 1er janvier 2026, 6{NBSP}€ ; {{term}}`CAF`."


def test_a_computation_that_names_an_unknown_figure_or_turns_in_a_circle_is_refused():
    with pytest.raises(FigureError, match="« smik » n'est pas un chiffre de ce fichier") as unknown:
        build([entry("smic", valeurs=[value(12)]), entry("seuil", calcul="150 × smik")])
    assert (unknown.value.figure, unknown.value.key) == ("seuil", "calcul")
    with pytest.raises(FigureError, match="tourne en rond") as circle:
        build([entry("a", calcul="b × 2"), entry("b", calcul="a × 2")])
    assert circle.value.key == "calcul"


# ----------------------------------------------------------------------------- the course's file


def test_the_course_file_gives_the_published_figures():
    """Values of data/droit.yml against their sources: montants-2025-fo66 (RSA 646,52 €, prime
    d'activité 633,21 € from 1 April 2025), smic-oreco (12,02 € and 1 823,03 € from 1 January 2026),
    retraite-boursorama (1 782 € for 2025), forfait-logement-ash (12 / 16 / 16,5 %)."""
    assert droit.value("rsa_base", date(2025, 4, 1)) == Decimal("646.52")
    assert droit.value("ppa_base", date(2025, 4, 1)) == Decimal("633.21")
    assert droit.value("smic_horaire", date(2026, 1, 1)) == Decimal("12.02")
    assert droit.value("smic_mensuel_brut", date(2026, 1, 1)) == Decimal("1823.03")
    assert droit.value("seuil_trimestre_retraite", date(2025, 6, 1)) == Decimal("1782.00")
    assert [droit.value(f"forfait_logement_{n}") for n in (1, 2, 3)] == [12, 16, Decimal("16.5")]
    assert droit.text("rsa_base", date(2026, 4, 1)) == f"651,69{NBSP}€"
    assert droit.since("rsa_base") == date(2026, 4, 1)
    assert droit.render("au moins {droit}`chomage_heures`") == "au moins 910 heures"


# ------------------------------------------------------------------------------ schema and loaders


def write_figures(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "droit.yml"
    path.write_text(content, encoding="utf-8")
    return path


GOOD = """\
- id: rsa_base
  libelle: RSA
  unite: euros{fields}
  valeurs:
    - depuis: 2025-04-01
      valeur: 646.52
      sources: [montants-2025-fo66]
"""
VALID = GOOD.format(fields="")
SECOND_VALUE = "    - depuis: {day}\n      valeur: 1\n      sources: [montants-2025-fo66]\n"
DERIVED = "- id: seuil\n  libelle: S\n  unite: euros\n  calcul: {formula}\n  sources: [montants-2025-fo66]\n"


def test_a_well_formed_file_loads(tmp_path):
    figures = read_droit(write_figures(tmp_path, VALID + SECOND_VALUE.format(day="2026-04-01")))
    assert figures.value("rsa_base", date(2025, 5, 1)) == Decimal("646.52")
    assert figures.value("rsa_base") == 1


@pytest.mark.parametrize(
    ("content", "row", "column", "problem"),
    [
        (
            VALID.replace("unite: euros", "unite: dollars"),
            "entrée n° 1 (ligne 3)",
            "unite",
            "n'est pas une valeur permise",
        ),
        (VALID.replace("2025-04-01", "2025-04-31"), "entrée n° 1 (ligne 5)", "valeurs[1].depuis", "n'est pas une date"),
        (VALID.replace("[montants-2025-fo66]", "[fo66]"), "entrée n° 1 (ligne 7)", "valeurs[1].sources", "« fo66 »"),
        (
            VALID.replace("      sources: [montants-2025-fo66]\n", ""),
            "entrée n° 1 (ligne 4)",
            "valeurs[1].sources",
            "pas de source",
        ),
        (VALID.replace("id: rsa_base", "id: RSA base"), "entrée n° 1 (ligne 1)", "id", "minuscules"),
        (GOOD.format(fields="\n  calcul: 2 × 3"), "entrée n° 1 (ligne 5)", "valeurs", "pas les deux"),
        (GOOD.format(fields="\n  au_1er_janvier: oui"), "entrée n° 1 (ligne 4)", "au_1er_janvier", "chiffre calculé"),
        (GOOD.format(fields="\n  openfisca: rsa montant"), "entrée n° 1 (ligne 4)", "openfisca", "chemin de paramètre"),
        (GOOD.format(fields="\n  montant: 3"), "entrée n° 1 (ligne 4)", "montant", "colonne inconnue"),
        (
            VALID.replace("      sources:", "      jusqu_au: 2025-03-01\n      sources:"),
            "entrée n° 1 (ligne 7)",
            "valeurs[1].jusqu_au",
            "avant la date de début",
        ),
        (
            VALID + SECOND_VALUE.format(day="2024-04-01"),
            "entrée n° 1 (ligne 4)",
            "valeurs[2].depuis",
            "de la plus ancienne à la plus récente",
        ),
        (
            VALID + DERIVED.format(formula="150 x rsa_base"),
            "entrée n° 2 (ligne 11)",
            "calcul",
            "n'est pas un calcul lisible",
        ),
        (
            VALID + DERIVED.format(formula="150 × rsa_bas"),
            "entrée n° 2 (« seuil »)",
            "calcul",
            "« rsa_bas » n'est pas un chiffre de ce fichier (vouliez-vous dire : rsa_base ?)",
        ),
        (VALID + VALID, "entrée n° 2 (ligne 8)", "id", "est déjà utilisé"),
    ],
    ids=lambda case: case if isinstance(case, str) and len(case) < 40 else "",
)
def test_a_malformed_entry_fails_at_load_naming_file_entry_and_key(tmp_path, content, row, column, problem):
    path = write_figures(tmp_path, content)
    with pytest.raises(DataFileError) as raised:
        read_droit(path)
    error = raised.value
    assert (error.path, error.row, error.column) == (str(path), row, column), str(error)
    assert problem in error.problem, str(error)
    assert str(error).startswith(f"{path}, {row}, colonne « {column} » : ")


TEXTS = Schema(columns=(Column("id"), Column("texte"), Column("liste", list, required=False)))


def test_loaders_render_figures_in_every_text(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,texte\na,Le RSA vaut {droit}`rsa_base@2025-04-01` ({exemple}`600`).\n", encoding="utf-8")
    assert load_csv(path, TEXTS)[0]["texte"] == f"Le RSA vaut 646,52{NBSP}€ (600{NBSP}€)."
    yml = tmp_path / "t.yml"
    yml.write_text("- id: a\n  texte: rien\n  liste: ['{droit}`forfait_logement_1`', deux]\n", encoding="utf-8")
    assert load_yaml(yml, TEXTS)[0]["liste"] == [f"12{NBSP}%", "deux"]


def test_a_text_naming_an_unknown_figure_fails_at_load_at_its_cell(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,texte\na,ok\nb,Le RSA vaut {droit}`rsa_bas`.\n", encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        load_csv(path, TEXTS)
    assert (raised.value.row, raised.value.column) == (3, "texte")
    assert "« rsa_bas » n'est pas un chiffre de data/droit.yml (vouliez-vous dire : rsa_base" in str(raised.value)


def test_uses_are_found_in_texts_and_code_but_not_in_docstrings(tmp_path):
    code = tmp_path / "module.py"
    code.write_text(
        '"""Write {droit}`exemple_doc`."""\n\nA = "{droit}`rsa_base`"\nB = droit.text("aah_max")\n', encoding="utf-8"
    )
    found = [(u.line, u.role, u.figure_ids()) for u in droit.uses_in(code)]
    assert found == [(3, "droit", ("rsa_base",)), (4, "code", ("aah_max",))]
    page = tmp_path / "page.md"
    page.write_text("x\n{exemple}`600 × (1 − micro_bnc) @2026-01-01` et {droit}`rsa_base:depuis`\n", encoding="utf-8")
    assert [(u.line, u.figure_ids()) for u in droit.uses_in(page)] == [(2, ("micro_bnc",)), (2, ("rsa_base",))]
