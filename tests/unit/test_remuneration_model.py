"""Tests of the pure part of the remuneration simulator: no OpenFisca run here.

Why separate: validation, presets and pension arithmetic must hold without the 2-second OpenFisca
start, and the model must stay importable by a view without OpenFisca, ipywidgets or plotly.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
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
    HOUSING,
    Household,
    Offer,
    Scenario,
    split_field,
    validate,
)

REPO = Path(__file__).resolve().parents[2]

#: A value of any type where the model's fields say which one: what a careless caller (or a broken
#: widget) could pass, that validation must refuse with a French message. Typed ``Any`` on purpose.
Hostile = Any

# Anything a careless caller (or a broken widget) could pass for a number.
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10_000, max_value=10_000),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.text(max_size=5),
)


def _is_number(value: Hostile) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _in_range(value: Hostile, low: float, high: float, *, integer: bool = False, low_exclusive: bool = False) -> bool:
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
def test_hours_per_month_between_0_and_200(hours: Hostile) -> None:
    error = _outcome(Scenario(Household(), (Offer(hours_per_month=hours),)))
    if _in_range(hours, 0, 200):
        assert error is None
    else:
        assert error is not None and _where(error) == (0, "hours_per_month")
        _assert_french(error, "Heures par mois")
        assert "entre 0 et 200" in str(error)


@settings(max_examples=300, deadline=None)
@given(rate=ANY_VALUE)
def test_hourly_rate_none_or_between_0_and_200(rate: Hostile) -> None:
    error = _outcome(Scenario(Household(), (Offer(hours_per_month=10, hourly_rate=rate),)))
    if rate is None or _in_range(rate, 0, 200):
        assert error is None
    else:
        assert error is not None and _where(error) == (0, "hourly_rate")
        _assert_french(error, "Taux horaire brut")
        assert "SMIC" in str(error)


@settings(max_examples=300, deadline=None)
@given(rent=ANY_VALUE)
def test_rent_positive_and_at_most_3000(rent: Hostile) -> None:
    error = _outcome(Scenario(Household(rent=rent), (Offer(),)))
    if _in_range(rent, 0, 3000, low_exclusive=True):
        assert error is None
    else:
        assert error is not None and _where(error) == (None, "rent")
        _assert_french(error, "Loyer mensuel")
        assert "3\u202f000" in str(error)


@settings(max_examples=200, deadline=None)
@given(duration=ANY_VALUE, start=ANY_VALUE)
def test_duration_and_start_month_1_to_12(duration: Hostile, start: Hostile) -> None:
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
def test_unknown_form_rejected_with_the_allowed_list(form: Hostile) -> None:
    error = _outcome(Scenario(Household(), (Offer(form=form),)))
    if form in FORMS:
        assert error is None
    else:
        assert error is not None and _where(error) == (0, "form")
        _assert_french(error, "Forme de paiement")
        for label in FORMS.values():
            assert label in str(error)


@settings(max_examples=200, deadline=None)
@given(age=ANY_VALUE, partner_age=ANY_VALUE, couple=st.booleans())
def test_adult_ages_18_to_64_partner_only_in_a_couple(age: Hostile, partner_age: Hostile, couple: bool) -> None:
    error = _outcome(Scenario(Household(couple=couple, age=age, partner_age=partner_age), (Offer(),)))
    age_ok = _in_range(age, 18, 64, integer=True)
    partner_ok = not couple or _in_range(partner_age, 18, 64, integer=True)
    if age_ok and partner_ok:
        assert error is None
    else:
        assert error is not None
        assert _where(error) == (None, "age" if not age_ok else "partner_age")
        _assert_french(error, "Âge du conjoint" if age_ok else "Âge")
        assert "entre 18 et 64 ans" in str(error)


@settings(max_examples=200, deadline=None)
@given(children=st.one_of(st.lists(ANY_VALUE, max_size=8).map(tuple), ANY_VALUE))
def test_children_are_a_tuple_of_ages_0_to_20(children: Hostile) -> None:
    error = _outcome(Scenario(Household(children=children), (Offer(),)))
    ok = isinstance(children, tuple) and len(children) <= 6 and all(_in_range(a, 0, 20, integer=True) for a in children)
    if ok:
        assert error is None
    else:
        assert error is not None and _where(error) == (None, "children")
        _assert_french(error, "Âges des enfants")


def test_children_given_as_a_list_become_a_tuple() -> None:
    children: Hostile = [5, 9]
    assert Household(children=children).children == (5, 9)


@pytest.mark.parametrize(
    ("housing", "rent", "field_name"),
    [
        ("locataire", 0.0, "rent"),
        ("heberge", 300.0, "rent"),
        ("proprietaire", 1.0, "rent"),
        ("hôtel", 0.0, "housing"),
        (None, 0.0, "housing"),
    ],
)
def test_housing_and_rent(housing: Hostile, rent: float, field_name: str) -> None:
    error = _outcome(Scenario(Household(housing=housing, rent=rent), (Offer(),)))
    assert error is not None and _where(error) == (None, field_name)
    if field_name == "housing":
        assert "« locataire »" in str(error) and "« heberge »" in str(error) and "« proprietaire »" in str(error)
    elif housing != "locataire":
        assert "seulement pour un locataire" in str(error) or "ne se donne que pour un locataire" in str(error)


@pytest.mark.parametrize("housing", ["heberge", "proprietaire"])
def test_no_rent_for_hosted_people_and_owners(housing: str) -> None:
    validate(Scenario(Household(housing=housing, rent=0.0), (Offer(),)))


@pytest.mark.parametrize("rate", [0.4, 1.2, "0,8", True])
def test_aah_rate_between_half_and_one(rate: Hostile) -> None:
    error = _outcome(Scenario(Household(aah_incapacity_rate=rate), (Offer(),)))
    assert error is not None and _where(error) == (None, "aah_incapacity_rate")
    assert "entre 0,5 et 1" in str(error)


@pytest.mark.parametrize("claims", ["", "RSA", None])
def test_claims_must_be_a_known_code(claims: Hostile) -> None:
    error = _outcome(Scenario(Household(claims=claims), (Offer(),)))
    assert error is not None and _where(error) == (None, "claims")


@settings(max_examples=200, deadline=None)
@given(
    couple=st.booleans(),
    age=st.integers(18, 64),
    children=st.lists(st.integers(0, 20), max_size=6).map(tuple),
    situation=st.sampled_from(sorted(content.SITUATIONS)),
    housing=st.sampled_from(sorted(HOUSING)),
    rent=st.floats(min_value=0.01, max_value=3000),
    asylum=st.booleans(),
    asylum_months=st.integers(0, 120),
    prefilled=st.booleans(),
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
def test_any_valid_scenario_is_accepted(
    couple, age, children, situation, housing, rent, asylum, asylum_months, prefilled, offers
) -> None:
    household = content.in_situation(
        situation,
        Household(
            couple=couple,
            age=age,
            partner_age=age,
            children=children,
            housing=housing,
            rent=rent if housing == "locataire" else 0.0,
            asylum_seeker=asylum,
            asylum_months_at_start=asylum_months,
            prefilled_declaration=prefilled,
        ),
    )
    validate(Scenario(household, offers))  # must not raise


@pytest.mark.parametrize("field_name", ["couple", "asylum_seeker", "prefilled_declaration"])
@pytest.mark.parametrize("value", [1, "oui", None])
def test_yes_no_fields_need_a_boolean(field_name: str, value: Hostile) -> None:
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
def test_bad_commune_code(depcom: Hostile) -> None:
    error = _outcome(Scenario(Household(depcom=depcom), (Offer(),)))
    assert error is not None and error.field == "depcom"
    assert "code INSEE" in str(error)


def test_corsican_commune_code_is_valid() -> None:
    validate(Scenario(Household(depcom="2A004", commune="Ajaccio"), (Offer(),)))


def test_scenario_accepts_a_list_and_stays_hashable() -> None:
    offers: Hostile = [Offer(hours_per_month=10)]
    scenario = Scenario(Household(), offers)
    assert isinstance(scenario.offers, tuple)
    assert hash(scenario) == hash(Scenario(Household(), (Offer(hours_per_month=10),)))


# --------------------------------------------------------------------------- pension quarters
@pytest.mark.parametrize(
    ("gross", "smic", "quarters"),
    [
        (0, 12.02, 0),
        (1802.99, 12.02, 0),
        (1803.00, 12.02, 1),  # 150 × 12,02 € (retraite-decret-2014-349)
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
def test_the_presets_load_and_validate() -> None:
    profiles = content.load_profiles()
    assert [p.label for p in profiles] == [
        "Siéger au CVS avec une indemnité",
        "Co-formateur·ice payé·e à la séance",
        "Trois mois de salaire (exemple du chapitre 4)",
        "Travailleur·euse pair·e salarié·e à mi-temps",
    ]
    for profile in profiles:
        validate(profile.scenario())
        assert profile.facts, "each preset says which facts it rests on"
        assert content.situation_of(profile.scenario().household) == profile.situation
    forms = {p.id: p.offer.form for p in profiles}
    assert forms == {"cvs": "defraiement", "coformation": "salaire", "trois_mois": "salaire", "travail_pair": "salaire"}


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
    assert {content.situation_of(h) for h, _ in pairs} == set(content.SITUATIONS)
    assert len(pairs) == len(content.SITUATIONS) * len(content.load_profiles())


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
            "review": [f"déclaration de {m}" for m in MONTHS],
            "rsa_window": [f"fenêtre de {m}" for m in MONTHS],
            "ppa_window": [f"fenêtre de {m}" for m in MONTHS],
            "offer_paid": [m in paid_months for m in MONTHS],
            "rsa_change": [rsa_changes.get(m, 0.0) for m in MONTHS],
            "ppa_change": [ppa_changes.get(m, 0.0) for m in MONTHS],
        },
        index=pd.Index(MONTHS, name="month"),
    )


def test_lag_summary_names_the_months_and_the_delay():
    """OpenFisca's rules: the month where each benefit first moves, and how long it stays moved."""
    from widgets.remuneration.explain import lag_summary
    from widgets.remuneration.law import Calendar

    lag = _lag(
        {"2026-03", "2026-04"},
        {"2026-04": -40.0, "2026-05": -80.0, "2026-07": -40.0},
        {"2026-04": 20.0, "2026-06": 10.0},
    )
    text = " ".join(lag_summary(lag, Calendar("openfisca")))
    assert "Le paiement commence en mars 2026 et s'arrête après avril 2026." in text
    assert "Le RSA change pour la première fois en avril 2026, 1 mois après le premier paiement" in text
    assert "ce mois-là, il compte les ressources de fenêtre de 2026-04" in text
    assert "Le RSA est encore plus bas après la fin du paiement, jusqu'en juillet 2026" in text
    assert "La prime d'activité change pour la première fois en avril 2026, 1 mois après le premier paiement" in text
    assert "La prime d'activité reste versée après la fin du paiement, jusqu'en juin 2026" in text
    assert "trois mois" not in text  # OpenFisca's rules have no quarter


def test_lag_summary_under_the_texts_names_the_declarations():
    from widgets.remuneration.explain import lag_summary
    from widgets.remuneration.law import Calendar

    lag = _lag({"2026-03", "2026-04"}, {"2026-07": -40.0}, {"2026-07": 20.0})
    text = " ".join(lag_summary(lag, Calendar("textes", declaration_month=1)))
    assert "à chaque déclaration : en janvier, avril, juillet et octobre" in text
    assert "Le RSA change pour la première fois en juillet 2026, 4 mois après le premier paiement" in text
    assert "la déclaration de juillet 2026 compte les ressources de fenêtre de 2026-07" in text
    march = " ".join(lag_summary(lag, Calendar("textes", declaration_month=3)))
    assert "en mars, juin, septembre et décembre" in march


def test_no_rsa_at_all_is_said_first_with_its_reason_and_not_as_no_change():
    """A 22-year-old or an asylum seeker has no RSA at all: the page gives the reason first, never
    « le RSA ne change pas »."""
    from widgets.remuneration.explain import lag_summary
    from widgets.remuneration.law import Calendar

    lag = _lag({"2026-03"}, {}, {"2026-05": 30.0})
    story = lag_summary(lag, Calendar(), "moins de 25 ans et sans enfant")
    assert story[0] == "Pas de RSA pour ce foyer, avec ou sans l'offre : moins de 25 ans et sans enfant."
    assert not any("RSA ne change pas" in sentence for sentence in story)
    asylum = lag_summary(
        _lag({"2026-03"}, {}, {}), Calendar(), "pendant une demande d'asile, le RSA n'est pas versé", "x"
    )
    assert asylum[0].startswith("Pas de RSA") and asylum[1].startswith("Pas de prime d'activité")
    assert not any("ne change pas" in sentence or "trois mois" in sentence for sentence in asylum)


def test_lag_summary_without_pay_says_nothing_moves():
    from widgets.remuneration.explain import lag_summary
    from widgets.remuneration.law import Calendar

    assert lag_summary(_lag(set(), {}, {}), Calendar()) == (
        "Pas de paiement avec cette offre : le RSA et la prime d'activité ne bougent pas à cause d'elle.",
    )


def test_communes_file_loads_with_valid_insee_codes_and_names():
    """Each commune offered on the page is in OpenFisca's own table, under the same name."""
    from widgets.remuneration.content import load_communes
    from widgets.remuneration.inputs import DEFAULT_DEPCOM, Household, validate_household
    from widgets.remuneration.openfisca_adapter import commune_name

    communes = load_communes()
    assert ("Lyon", DEFAULT_DEPCOM) in communes
    for name, code in communes:
        validate_household(Household(depcom=code, commune=name), commune_name)  # raises on a mismatch


@pytest.mark.parametrize(
    ("depcom", "name", "field_name", "words"),
    [
        ("69999", "", "depcom", "aucune commune connue"),
        ("99999", "Lyon", "depcom", "aucune commune connue"),
        ("69266", "Lyon", "commune", "« Villeurbanne »"),
        ("38185", "Grenoble-les-Bains", "commune", "« Grenoble »"),
    ],
)
def test_unknown_commune_or_name_not_matching_its_code(depcom: str, name: str, field_name: str, words: str) -> None:
    """OpenFisca would silently put an unknown code in housing-aid zone 2: the model refuses it."""
    from widgets.remuneration import model

    with pytest.raises(InputError) as caught:
        model.validate(Scenario(Household(depcom=depcom, commune=name), (Offer(),)))
    assert caught.value.field == field_name
    assert words in str(caught.value) and depcom in str(caught.value)


@pytest.mark.parametrize("name", ["", "saint etienne", "SAINT-ÉTIENNE", "Saint-Étienne"])
def test_a_name_matches_whatever_its_case_accents_and_hyphens(name: str) -> None:
    from widgets.remuneration import model

    model.validate(Scenario(Household(depcom="42218", commune=name), (Offer(),)))


@pytest.mark.parametrize(
    ("offer", "expected"),
    [
        (Offer("salaire", 10, 0.0, 3, 2), []),  # 0 € an hour: not paid
        (Offer("salaire", 0, None, 3, 2), []),
        (Offer("benevolat", 10, 15.0, 3, 2), []),
        (Offer("salaire", 10, None, 3, 2), [3, 4]),
        (Offer("defraiement", 4, 15.0, 11, 4), [11, 12]),
    ],
)
def test_paid_means_pay_above_zero(offer: Offer, expected: list[int]) -> None:
    from widgets.remuneration.inputs import paid_months

    assert [i + 1 for i in np.flatnonzero(paid_months(Household(), offer))] == expected


def test_asylum_seekers_are_paid_from_the_seventh_month_of_the_claim() -> None:
    from widgets.remuneration.inputs import paid_months

    household = Household(asylum_seeker=True, asylum_months_at_start=3)
    assert [i + 1 for i in np.flatnonzero(paid_months(household, Offer("salaire", 10, None, 1, 12)))] == list(
        range(4, 13)
    )
    assert not paid_months(household, Offer("micro_bnc", 10, 20.0, 1, 12)).any()


def test_the_end_of_a_job_says_nothing_about_an_rsa_the_household_does_not_get():
    """A 22-year-old without a child gets no RSA: the end of her job is not told as « the RSA no
    longer counts the pay »; with an RSA, it is (CASF R.262-13)."""
    from widgets.remuneration import explain, law
    from widgets.remuneration.inputs import MONTHS

    offer = Offer("salaire", 50, 12.0, 3, 3)
    end = law.job_end(Household(age=22), offer)
    frame = pd.DataFrame({"ppa": [0.0] * 5 + [50.0] * 7}, index=pd.Index(MONTHS, name="month"))
    lag = _lag({"2026-03", "2026-04", "2026-05"}, {}, {})
    said = explain.neutralisation(law.Calendar(), offer, end, 50, True, frame, lag, rsa_paid=False)
    assert said and not any("RSA" in sentence for sentence in said)
    told = explain.neutralisation(law.Calendar(), offer, end, 50, True, frame, lag, rsa_paid=True)
    assert told[0].startswith("Fin du travail après mai 2026, sans droit au chômage") and "neutralisation" in told[0]
