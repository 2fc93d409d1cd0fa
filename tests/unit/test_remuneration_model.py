"""Tests of the pure part of the remuneration simulator: no OpenFisca run here.

Why separate: validation, presets and pension arithmetic must hold without the 2-second OpenFisca
start, and the model must stay importable by a view without OpenFisca, ipywidgets or plotly.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.data import DataFileError
from widgets.errors import InputError
from widgets.remuneration import content
from widgets.remuneration.explain import pension_quarters
from widgets.remuneration.inputs import (
    FORMS,
    SITUATIONS,
    Household,
    Offer,
    Scenario,
    split_field,
    validate,
)

REPO = Path(__file__).resolve().parents[2]

# Anything a careless caller (or a broken widget) could pass for a number.
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10_000, max_value=10_000),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.text(max_size=5),
)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _in_range(value: object, low: float, high: float, *, integer: bool = False, low_exclusive: bool = False) -> bool:
    """The rule of the issue, written independently of the model's code."""
    if not _is_number(value):
        return False
    if integer and float(value) != int(value):
        return False
    above = value > low if low_exclusive else value >= low
    return above and value <= high


def _outcome(scenario: Scenario) -> InputError | None:
    try:
        validate(scenario)
    except InputError as error:
        return error
    return None


def _assert_french(error: InputError, label: str) -> None:
    assert label in str(error), str(error)
    assert "n'est pas permis" in str(error)


def _where(error: InputError) -> tuple[int | None, str | None]:
    """(offer index or None, field name) named by an error."""
    return split_field(error.field)


# --------------------------------------------------------------------------- validation
@settings(max_examples=300, deadline=None)
@given(hours=ANY_VALUE)
def test_hours_per_month_between_0_and_200(hours: object) -> None:
    error = _outcome(Scenario(Household(), (Offer(hours_per_month=hours),)))
    if _in_range(hours, 0, 200):
        assert error is None
    else:
        assert error is not None and _where(error) == (0, "hours_per_month")
        _assert_french(error, "Heures par mois")
        assert "entre 0 et 200" in str(error)


@settings(max_examples=300, deadline=None)
@given(rate=ANY_VALUE)
def test_hourly_rate_none_or_between_0_and_200(rate: object) -> None:
    error = _outcome(Scenario(Household(), (Offer(hours_per_month=10, hourly_rate=rate),)))
    if rate is None or _in_range(rate, 0, 200):
        assert error is None
    else:
        assert error is not None and _where(error) == (0, "hourly_rate")
        _assert_french(error, "Taux horaire brut")
        assert "SMIC" in str(error)


@settings(max_examples=300, deadline=None)
@given(rent=ANY_VALUE)
def test_rent_positive_and_at_most_3000(rent: object) -> None:
    error = _outcome(Scenario(Household(rent=rent), (Offer(),)))
    if _in_range(rent, 0, 3000, low_exclusive=True):
        assert error is None
    else:
        assert error is not None and _where(error) == (None, "rent")
        _assert_french(error, "Loyer mensuel")
        assert "3\u202f000" in str(error)


@settings(max_examples=200, deadline=None)
@given(duration=ANY_VALUE, start=ANY_VALUE)
def test_duration_and_start_month_1_to_12(duration: object, start: object) -> None:
    error = _outcome(Scenario(Household(), (Offer(start_month=start, duration_months=duration),)))
    start_ok = _in_range(start, 1, 12, integer=True)
    duration_ok = _in_range(duration, 1, 12, integer=True)
    if start_ok and duration_ok:
        assert error is None
    else:
        assert error is not None
        assert _where(error)[1] in {"start_month", "duration_months"}
        if not start_ok:  # start is checked first
            _assert_french(error, "Mois de début")
        else:
            _assert_french(error, "Durée (en mois)")
            assert "de 1 à 12 mois" in str(error)


@settings(max_examples=200, deadline=None)
@given(form=st.one_of(st.sampled_from(sorted(FORMS)), st.text(max_size=12), st.none(), st.integers()))
def test_unknown_form_rejected_with_the_allowed_list(form: object) -> None:
    error = _outcome(Scenario(Household(), (Offer(form=form),)))
    if form in FORMS:
        assert error is None
    else:
        assert error is not None and _where(error) == (0, "form")
        _assert_french(error, "Forme de paiement")
        for label in FORMS.values():
            assert label in str(error)


@settings(max_examples=150, deadline=None)
@given(children=ANY_VALUE, situation=st.one_of(st.sampled_from(SITUATIONS), st.text(max_size=8)))
def test_children_and_situation(children: object, situation: str) -> None:
    error = _outcome(Scenario(Household(children=children, situation=situation), (Offer(),)))
    children_ok = _in_range(children, 0, 4, integer=True)
    situation_ok = situation in SITUATIONS
    if children_ok and situation_ok:
        assert error is None
    else:
        assert error is not None
        label = "Nombre d'enfants" if not children_ok else "Situation actuelle"
        _assert_french(error, label)


@settings(max_examples=200, deadline=None)
@given(
    couple=st.booleans(),
    children=st.integers(0, 4),
    situation=st.sampled_from(SITUATIONS),
    rent=st.floats(min_value=0.01, max_value=3000),
    asylum=st.booleans(),
    asylum_months=st.integers(0, 120),
    offers=st.lists(
        st.builds(
            Offer,
            form=st.sampled_from(sorted(FORMS)),
            hours_per_month=st.one_of(st.integers(0, 200), st.floats(0, 200)),
            hourly_rate=st.one_of(st.none(), st.floats(0, 200)),
            start_month=st.integers(1, 12),
            duration_months=st.integers(1, 12),
            cdd_usage=st.booleans(),
        ),
        min_size=1,
        max_size=2,
    ),
)
def test_any_valid_scenario_is_accepted(couple, children, situation, rent, asylum, asylum_months, offers) -> None:
    household = Household(couple, children, situation, rent, asylum_seeker=asylum, asylum_months_at_start=asylum_months)
    validate(Scenario(household, offers))  # must not raise


@pytest.mark.parametrize("field_name", ["couple", "asylum_seeker", "prefilled_declaration"])
@pytest.mark.parametrize("value", [1, "oui", None])
def test_yes_no_fields_need_a_boolean(field_name: str, value: object) -> None:
    error = _outcome(Scenario(Household(**{field_name: value}), (Offer(),)))
    assert error is not None and error.field == field_name
    assert "Répondez par oui ou non" in str(error)


@pytest.mark.parametrize("count", [0, 3])
def test_one_or_two_offers(count: int) -> None:
    error = _outcome(Scenario(Household(), tuple(Offer() for _ in range(count))))
    assert error is not None and error.field == "offers"
    assert "une ou deux offres" in str(error)


def test_second_offer_is_named_in_the_message() -> None:
    error = _outcome(Scenario(Household(), (Offer(), Offer(hours_per_month=-1))))
    assert error is not None and _where(error) == (1, "hours_per_month")
    assert str(error).startswith("Offre 2 — Heures par mois")


@pytest.mark.parametrize("depcom", ["6912", "lyon", "", 69123, "2A004x"])
def test_bad_commune_code(depcom: object) -> None:
    error = _outcome(Scenario(Household(depcom=depcom), (Offer(),)))
    assert error is not None and error.field == "depcom"
    assert "code INSEE" in str(error)


def test_corsican_commune_code_is_valid() -> None:
    validate(Scenario(Household(depcom="2A004", commune="Ajaccio"), (Offer(),)))


def test_scenario_accepts_a_list_and_stays_hashable() -> None:
    scenario = Scenario(Household(), [Offer(hours_per_month=10)])
    assert isinstance(scenario.offers, tuple)
    assert hash(scenario) == hash(Scenario(Household(), (Offer(hours_per_month=10),)))


# --------------------------------------------------------------------------- pension quarters
@pytest.mark.parametrize(
    ("gross", "smic", "quarters"),
    [
        (0, 12.02, 0),
        (1802.99, 12.02, 0),
        (1803.00, 12.02, 1),  # 150 × 12,02 € (facts.md §4: 2026 threshold, own arithmetic)
        (3605.99, 12.02, 1),
        (3606.00, 12.02, 2),
        (7212.00, 12.02, 4),
        (50_000, 12.02, 4),  # at most 4 a year
        (1782.00, 11.88, 1),  # published 2025 example: 150 × 11,88 € = 1 782 €
        (1781.99, 11.88, 0),
    ],
)
def test_pension_quarter_arithmetic(gross: float, smic: float, quarters: int) -> None:
    assert pension_quarters(gross, smic) == quarters


@settings(max_examples=200, deadline=None)
@given(gross=st.floats(0, 100_000), smic=st.floats(5, 30))
def test_pension_quarters_match_the_rule(gross: float, smic: float) -> None:
    got = pension_quarters(gross, smic)
    assert 0 <= got <= 4
    threshold = 150 * smic
    assert got == 4 or gross < (got + 1) * threshold * (1 + 1e-9)
    assert gross >= got * threshold * (1 - 1e-9)


# --------------------------------------------------------------------------- profiles
def test_three_presets_load_and_validate() -> None:
    profiles = content.load_profiles()
    assert [p.label for p in profiles] == [
        "Membre d'un CVS indemnisé",
        "Co-formateur·rice payé·e à la séance",
        "Travailleur·se pair·e salarié·e à mi-temps",
    ]
    for profile in profiles:
        validate(profile.scenario())
        assert profile.facts, "each preset says which facts it rests on"
        assert profile.scenario().household.situation == profile.situation
    forms = {p.id: p.offer.form for p in profiles}
    assert forms == {"cvs": "defraiement", "coformation": "salaire", "travail_pair": "salaire"}


def test_preset_file_errors_are_french_and_located(tmp_path: Path) -> None:
    text = (REPO / "data" / "remuneration" / "profils.yml").read_text(encoding="utf-8")
    broken = tmp_path / "profils.yml"
    broken.write_text(text.replace("hours_per_month: 7\n", "hours_per_month: 250\n"), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        content.load_profiles(str(broken))
    assert caught.value.column == "hours_per_month"
    assert "maximum" in str(caught.value) and "entrée n° 2" in str(caught.value)


def test_preset_pairs_cover_every_situation() -> None:
    pairs = content.preset_pairs()
    assert {h.situation for h, _ in pairs} == set(SITUATIONS)
    assert len(pairs) == len(SITUATIONS) * len(content.load_profiles())


# --------------------------------------------------------------------------- purity
def test_model_imports_no_openfisca_nor_view_libraries() -> None:
    code = (
        "import sys, widgets.remuneration.model as m, widgets.remuneration.content as c; c.load_profiles(); "
        "bad = [n for n in sys.modules if n.split('.')[0] in "
        "{'openfisca_core', 'openfisca_france', 'ipywidgets', 'plotly', 'IPython'}]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_the_package_does_not_import_the_view() -> None:
    """The package ``__init__`` may offer a lazy ``show()``, but importing it must not pull the view."""
    code = (
        "import sys, widgets.remuneration; "
        "print([n for n in sys.modules if n in {'widgets.remuneration.view', 'widgets.remuneration.chart', "
        "'ipywidgets', 'plotly', 'openfisca_core', 'openfisca_france'}])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _lag(paid_months, rsa_changes, ppa_changes):
    from widgets.remuneration.inputs import MONTHS

    return pd.DataFrame(
        {
            "rsa_window": [f"fenêtre de {m}" for m in MONTHS],
            "ppa_window": [f"fenêtre de {m}" for m in MONTHS],
            "offer_paid": [m in paid_months for m in MONTHS],
            "rsa_change": [rsa_changes.get(m, 0.0) for m in MONTHS],
            "ppa_change": [ppa_changes.get(m, 0.0) for m in MONTHS],
        },
        index=pd.Index(MONTHS, name="month"),
    )


def test_lag_summary_names_the_months_and_the_delay():
    from widgets.remuneration.explain import lag_summary

    lag = _lag(
        {"2026-03", "2026-04"},
        {"2026-04": -40.0, "2026-05": -80.0, "2026-07": -40.0},
        {"2026-04": 20.0, "2026-06": 10.0},
    )
    text = " ".join(lag_summary(lag))
    assert "Le paiement commence en mars 2026 et s'arrête après avril 2026." in text
    assert "Le RSA change pour la première fois en avril 2026 (1 mois plus tard)" in text
    assert "fenêtre de 2026-04" in text
    assert "Le RSA reste modifié après la fin du paiement, jusqu'en juillet 2026" in text
    assert (
        "La prime d'activité change pour la première fois en avril 2026 (1 mois plus tard) : ce mois-là, elle" in text
    )
    assert "La prime d'activité reste modifiée après la fin du paiement, jusqu'en juin 2026" in text


def test_lag_summary_without_pay_says_nothing_moves():
    from widgets.remuneration.explain import lag_summary

    assert lag_summary(_lag(set(), {}, {})) == (
        "Pas de paiement avec cette offre : le RSA et la prime d'activité ne bougent pas à cause d'elle.",
    )


def test_communes_file_loads_with_valid_insee_codes():
    from widgets.remuneration.content import load_communes
    from widgets.remuneration.inputs import DEFAULT_DEPCOM, Household, validate_household

    communes = load_communes()
    assert ("Lyon", DEFAULT_DEPCOM) in communes
    for name, code in communes:
        validate_household(Household(depcom=code, commune=name))  # raises if a code is malformed
