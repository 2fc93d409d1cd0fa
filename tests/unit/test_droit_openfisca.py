"""Each legal figure of ``data/droit.yml`` that has an OpenFisca-France parameter equals it, at its date;
and ``make droit`` (``widgets/droit_openfisca.py``) says what changed after an update, and where.

Why: the simulator computes with OpenFisca while the chapters read ``data/droit.yml``; if they
disagree, the course contradicts itself. The parameters are read once for the whole module (building
the French tax and benefit system takes a few seconds).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from widgets import droit
from widgets.data import REPO_ROOT
from widgets.droit_model import build
from widgets.droit_openfisca import (
    at_their_dates,
    checked,
    dependents,
    main,
    newest,
    parameter,
    parameters,
    report,
    where_used,
)

CHECKED = [figure.id for figure in checked(droit.figures())]


@pytest.fixture(scope="module")
def tree():
    return parameters()


def test_most_figures_are_checked():
    """The amounts the course states after each revaluation all have a parameter."""
    assert {"smic_horaire", "smic_mensuel_brut", "rsa_base", "ppa_base", "aah_max", "chomage_heures"} <= set(CHECKED)


@pytest.mark.parametrize("figure_id", CHECKED)
def test_each_value_equals_openfisca_at_its_date(tree, figure_id):
    figures = droit.figures()
    comparisons = [c for c in at_their_dates(figures, tree) if c.figure.id == figure_id]
    assert comparisons, figure_id
    wrong = [c.describe() for c in comparisons if not c.agrees]
    assert not wrong, f"{figure_id} : " + " ; ".join(wrong)


def test_the_file_knows_openfiscas_newest_values(tree):
    """After an OpenFisca update, this fails until data/droit.yml has the new values (make droit)."""
    stale = [f"{c.figure.id} : {c.describe()}" for c in newest(droit.figures(), tree) if not c.agrees]
    assert not stale, "\n".join(stale)


def test_rates_are_compared_as_percentages(tree):
    """12 in the file is 0.12 in OpenFisca (forfait logement for one person, 2009-404)."""
    comparison = next(c for c in at_their_dates(droit.figures(), tree) if c.figure.id == "forfait_logement_1")
    assert (comparison.in_file, comparison.in_openfisca) == (Decimal(12), Decimal("12.00"))


# ------------------------------------------------------------------------- the checks can fail

STALE = build(
    [
        {
            "id": "rsa_base",
            "libelle": "RSA, montant de base",
            "unite": "euros",
            "openfisca": "prestations_sociales.solidarite_insertion.minima_sociaux.rsa.rsa_m.montant_de_base_du_rsa",
            "valeurs": [
                # 646,00 € is a typo for 646,52 €, and the 2026 revaluation is missing.
                {"valeur": 646.00, "depuis": date(2025, 4, 1), "jusqu_au": None, "sources": ["k"], "note": None},
            ],
        },
    ]
)


def test_a_wrong_value_and_a_missing_revaluation_are_reported(tree):
    wrong = [c for c in at_their_dates(STALE, tree) if not c.agrees]
    assert [(c.day, c.in_file, c.in_openfisca) for c in wrong] == [
        (date(2025, 4, 1), Decimal("646.0"), Decimal("646.52"))
    ]
    stale = [c for c in newest(STALE, tree) if not c.agrees]
    assert [(c.day, c.in_openfisca) for c in stale] == [(date(2026, 4, 1), Decimal("651.69"))]
    uses = [droit.Use(REPO_ROOT / "chapters" / "04-remunerer.md", 180, "rsa_base@2025-04-01", "droit")]
    text = "\n".join(report(STALE, tree, uses))
    assert "Valeurs différentes à leur date" in text and "Valeurs plus récentes dans OpenFisca" in text
    assert "le 1er avril 2026 : 646\u00a0€ dans data/droit.yml, 651,69\u00a0€ dans OpenFisca-France" in text
    assert "chapters/04-remunerer.md, ligne 180" in text
    assert "Tout est à jour" not in text


def test_an_unknown_parameter_is_a_french_error(tree):
    with pytest.raises(droit.FigureError, match="« rsa_m » introuvable"):
        parameter(tree, "prestations_sociales.rsa_m.montant")


# ----------------------------------------------------------------------------- where figures are used


def test_a_change_of_smic_points_at_the_figures_computed_from_it_and_their_pages():
    figures = droit.figures()
    assert set(dependents(figures, "smic_horaire")) == {"smic_mensuel_brut", "seuil_trimestre_retraite"}
    places = where_used(["seuil_trimestre_retraite"], droit.course_uses())
    assert any(place.startswith("chapters/07-conclusion.md, ligne") for place in places), places
    assert any(place.startswith("chapters/04-remunerer.md, lignes") for place in places), places


def test_make_droit_prints_a_french_report(capsys):
    assert main(["--tout"]) == 0
    out = capsys.readouterr().out
    assert "comparés à OpenFisca-France" in out and "Tout est à jour" in out
    assert "* rsa_base — RSA, montant de base pour une personne seule" in out
    assert "data/glossaire.csv, ligne" in out
