"""Figures computed through OpenFisca-France, pinned to published amounts and to the model's conventions.

Why these tests exist: learners in precarity may decide about a job from these figures. Every
expected amount below is either published (bibliography entry montants-2025-fo66: RSA 646,52 € from 1 April 2025 and
651,69 € from 1 April 2026, SMIC 12,02 €, the 12 % forfait logement) or an observable property
of OpenFisca's results (lag, neutralisation, monotonicity); none is copied from this code's output.
OpenFisca's own conventions are checked with ``rules="openfisca"`` (OpenFisca as it is); the
simulator's default rules follow the texts (quarters, CASF R.262-13) and are checked here where they
change what a learner reads (a stopped pay), and against hand-computed amounts in
test_remuneration_textes.py.

The disk cache is disabled for the whole module (``FAIRE_AVEC_CACHE=""``) so every figure is really
computed by OpenFisca in this process; one TaxBenefitSystem is shared (lazy singleton).

Month convention (investigated): an OpenFisca MONTH period is the month the right is FOR. The
parameter ``rsa_m.montant_de_base_du_rsa`` changes on 2025-04-01 and 2026-04-01, and the model
applies 646,52 € to April 2025 and 651,69 € to April 2026 — not to May. an earlier reading of the model quoted
« 646,52 (2025-05), 651,69 (2026-05) » because it sampled March and May only. In real life the
April right is paid by the CAF early in May, which is when people see the new amount; the payment
date is not modelled (and that payment calendar is not in the course's sources: to be checked with the CAF).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from widgets.fr import format_euros
from widgets.remuneration import cache, content, explain, model
from widgets.remuneration import openfisca_adapter as adapter
from widgets.remuneration.inputs import MONTHS, Household, Offer, Scenario

CENT = 0.005
ROUNDING = 0.011  # components are rounded to the cent; their sum may move by one cent


@pytest.fixture(scope="module", autouse=True)
def _no_disk_cache():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAIRE_AVEC_CACHE", "")
        cache.clear_memory()
        cache.constants.cache_clear()
        yield
    cache.clear_memory()
    cache.constants.cache_clear()


# Offers used below, warmed in ONE OpenFisca run per household (the suite must stay under a minute
# on 2 cores; a grid costs ~2 s whether it holds 1 or 600 rows).
# The lag tests below use the window before March 2025 (M-3..M-1), OpenFisca's default; PREFILLED
# uses the pre-filled declaration's M-4..M-2, the simulator's default.
OLD_WINDOW = Household(prefilled_declaration=False)
RSA = content.in_situation("RSA", OLD_WINDOW)
RSA_AL = content.in_situation("RSA + aide au logement", OLD_WINDOW)
AAH = content.in_situation("AAH", OLD_WINDOW)
PREFILLED = content.in_situation("RSA", Household(prefilled_declaration=True))
ASYLUM = content.in_situation(
    "aucune prestation", Household(asylum_seeker=True, asylum_months_at_start=2, housing="heberge", rent=0.0)
)
LAG_OFFER = Offer("salaire", 50, None, start_month=6, duration_months=4)
ONE_MONTH_OFFER = Offer("salaire", 50, None, start_month=6, duration_months=1)
INDEMNITY_OFFER = Offer("defraiement", 4, 15, start_month=1, duration_months=12)
SIX_MONTHS, SEVEN_MONTHS = Offer("salaire", 20, 15, 1, 6), Offer("salaire", 20, 15, 1, 7)
MICRO_SEVEN = Offer("micro_bnc", 20, 15, 1, 7)
ONE_MONTH_SMIC = Offer("salaire", 100, 12.02, 1, 1)
AAH_OFFER = Offer("salaire", 60, None, 3, 10)
ASYLUM_SALARY, ASYLUM_MICRO = Offer("salaire", 50, None, 1, 12), Offer("micro_bnc", 50, 20, 1, 12)


def _profile(profile_id: str) -> content.Profile:
    return next(p for p in content.load_profiles() if p.id == profile_id)


@pytest.fixture(scope="module", autouse=True)
def _warm(_no_disk_cache):
    profiles = content.load_profiles()
    pairs = [
        (RSA, Offer("benevolat", 10)),
        (RSA, LAG_OFFER),
        (RSA, ONE_MONTH_OFFER),
        (RSA, SIX_MONTHS),
        (RSA, SEVEN_MONTHS),
        (RSA, MICRO_SEVEN),
        (RSA, ONE_MONTH_SMIC),
        (PREFILLED, LAG_OFFER),
        (RSA_AL, INDEMNITY_OFFER),
        (AAH, AAH_OFFER),
        (AAH, _profile("travail_pair").offer),
        (ASYLUM, ASYLUM_SALARY),
        (ASYLUM, ASYLUM_MICRO),
        *[(p.household(), p.offer) for p in profiles],
        *[(RSA, p.offer) for p in profiles],
    ]
    cache.warm_up(pairs)


def _rsa_parameter(month: str) -> float:
    params = adapter.tax_benefit_system().parameters(f"{month}-01")
    return float(params.prestations_sociales.solidarite_insertion.minima_sociaux.rsa.rsa_m.montant_de_base_du_rsa)


# --------------------------------------------------------------------------- published amounts
def test_rsa_single_person_no_income_no_housing_aid_month_convention() -> None:
    """RSA for one person, no income, no housing aid = montant de base: 646,52 from April 2025, 651,69 from April 2026."""
    months = ("2025-03", "2025-04", "2025-05", "2026-03", "2026-04", "2026-05")
    out = adapter.run(RSA, [{}], months=months)
    rsa = dict(zip(months, out["rsa"][0], strict=False))
    assert rsa["2025-03"] < 646.52 - 1  # March 2025 still has the 2024 amount
    assert rsa["2025-04"] == pytest.approx(646.52, abs=CENT)  # décret 2025-293, from 1 April 2025
    assert rsa["2025-05"] == pytest.approx(646.52, abs=CENT)
    assert rsa["2026-03"] == pytest.approx(646.52, abs=CENT)
    assert rsa["2026-04"] == pytest.approx(651.69, abs=CENT)  # décret 2026-220, from 1 April 2026
    assert rsa["2026-05"] == pytest.approx(651.69, abs=CENT)
    assert _rsa_parameter("2026-04") == pytest.approx(651.69)
    assert np.all(out["housing"] == 0) and np.all(out["ppa"] == 0)


def test_rsa_minus_forfait_logement_when_housing_aid_is_received() -> None:
    """With housing aid, RSA = montant de base × (1 - 12 %): 568,94 then 573,49 (observed), first month April."""
    out = adapter.run(RSA_AL, [{}], months=("2026-03", "2026-04"))
    assert out["housing"][0].min() > 0
    assert out["rsa"][0][0] == pytest.approx(568.94, abs=CENT)
    assert out["rsa"][0][1] == pytest.approx(573.49, abs=CENT)
    assert out["rsa"][0][0] == pytest.approx(646.52 * 0.88, abs=CENT)
    assert out["rsa"][0][1] == pytest.approx(651.69 * 0.88, abs=CENT)


def test_baseline_through_the_public_api() -> None:
    result = model.simulate(Scenario(RSA, (Offer("benevolat", 10),)))
    rsa = result.baseline["rsa"]
    assert list(rsa.iloc[:3]) == [646.52] * 3
    assert list(rsa.iloc[3:]) == [651.69] * 9
    assert (result.baseline["total"] == rsa).all()
    assert result.legislation_date == "2026-10-01"
    assert any("1er octobre 2026" in note for note in result.notes)
    # volunteering changes nothing
    assert (result.offers[0].difference.abs() < CENT).all().all()


def test_smic_from_openfisca_matches_facts() -> None:
    assert adapter.smic_hourly("2026-01") == pytest.approx(12.02)  # décret 2025-1228
    assert adapter.smic_hourly("2026-06") == pytest.approx(12.31)  # OpenFisca only (single source)
    assert cache.constants().smic[0] == pytest.approx(12.02)


# --------------------------------------------------------------------------- lag and neutralisation
def openfisca(household: Household, *offers: Offer) -> model.Result:
    """The simulator with OpenFisca's own rules (window sliding every month, one-month neutralisation)."""
    return model.simulate(Scenario(household, offers, rules="openfisca"))


def test_pay_in_month_m_changes_rsa_from_m_plus_1_not_m() -> None:
    result = openfisca(RSA, LAG_OFFER)
    diff = result.offers[0].difference
    assert diff["pay"].loc["2026-06"] > 400
    assert diff.loc["2026-06", "rsa"] == 0  # first paid month: RSA unchanged
    assert diff.loc["2026-06", "ppa"] == 0
    assert diff["rsa"].loc["2026-07"] < -100  # from M+1 the pay counts
    assert diff["ppa"].loc["2026-07"] > 0
    assert (diff.loc[:"2026-05"].abs() < CENT).all().all()  # nothing before the offer
    lag = result.offers[0].lag
    assert lag.loc["2026-07", "rsa_window"] == "avril à juin 2026"
    assert lag["rsa_resources_from_offer"].loc["2026-07"] == pytest.approx(diff["pay"].loc["2026-06"] / 3, abs=0.02)


def test_prefilled_declaration_shifts_the_lag_by_one_month() -> None:
    """With OpenFisca's ``departement_experimentation_rsa`` (months M-4..M-2, CASF R.262-7, bibliography entry rsa-casf),
    pay in month M changes RSA and prime d'activité from M+2."""
    result = openfisca(PREFILLED, LAG_OFFER)
    diff = result.offers[0].difference
    assert diff.loc["2026-06", "rsa"] == 0 and diff.loc["2026-07", "rsa"] == 0
    assert diff.loc["2026-07", "ppa"] == 0
    assert diff["rsa"].loc["2026-08"] < -100 and diff["ppa"].loc["2026-08"] > 0
    assert result.offers[0].lag.loc["2026-08", "rsa_window"] == "avril à juin 2026"
    assert any("les 4e, 3e et 2e mois avant" in note for note in result.notes)


def test_openfisca_neutralises_one_month_of_pay_the_month_after_then_counts_it() -> None:
    """OpenFisca's neutralisation compares M with M-1 only: pay stopped in M is ignored in M, counted in
    M+1, M+2 (the artefact the texts' rules correct: see the next test)."""
    result = openfisca(RSA, ONE_MONTH_OFFER)
    diff = result.offers[0].difference["rsa"]
    lag = result.offers[0].lag
    assert diff["2026-06"] == 0
    assert diff["2026-07"] == 0 and bool(lag.loc["2026-07", "pay_ignored_by_rsa"])
    assert diff["2026-08"] < -100 and diff["2026-09"] < -100  # June pay still in the 3-month window
    assert diff["2026-08"] == pytest.approx(diff["2026-09"], abs=CENT)
    assert diff["2026-10"] == 0  # window July-September: no pay
    (sentence,) = result.offers[0].neutralisation
    assert sentence.startswith("Règles d'OpenFisca : en juillet 2026, le RSA ne compte pas la paie")


def test_a_stopped_pay_without_unemployment_right_is_never_counted_again_by_the_rsa() -> None:
    """CASF R.262-13: one month of pay in June (50 h: no unemployment right) stops for good; from July
    the RSA does not count it, ever (it would have been counted from the July declaration on). So the
    RSA never moves; the prime d'activité, fixed for three months at each declaration, is paid from July
    to September: this household's declaration of July counts April to June (the window before March 2025)."""
    result = model.simulate(Scenario(RSA, (ONE_MONTH_OFFER,)))
    offer = result.offers[0]
    assert (offer.difference["rsa"] == 0).all()
    ppa = offer.with_offer["ppa"]
    assert (ppa.loc["2026-07":"2026-09"] > 0).all() and ppa["2026-07"] == ppa["2026-09"]
    assert (ppa.drop(["2026-07", "2026-08", "2026-09"]) == 0).all()
    assert offer.neutralisation[0].startswith("Fin du travail après juin 2026, sans droit au chômage")
    assert "À partir de juillet 2026, le RSA ne compte plus cette paie" in offer.neutralisation[0]


def test_after_a_job_ends_the_rsa_returns_at_once_to_its_amount_without_the_offer() -> None:
    """The co-trainer preset (a CDD d'usage per session, 42 h: no unemployment right) ends in August:
    from September the RSA is the no-offer RSA to the cent (R.262-13, applied at once: the end of a job
    is a change of situation), and the total never falls below the no-offer line. With OpenFisca's
    rules, the October RSA still counted August's pay and the total fell below that line."""
    result = model.simulate(_profile("coformation").scenario())
    offer = result.offers[0]
    diff = offer.difference
    assert diff["pay"].loc["2026-08"] > 0 and diff["pay"].loc["2026-09"] == 0
    assert (diff.loc["2026-09":, "rsa"] == 0).all()
    assert (diff["total"] >= -ROUNDING).all() and offer.after_job == ()
    assert offer.yearly_gain > 0
    assert any("neutralisation" in s and "septembre 2026" in s for s in offer.neutralisation)

    old = openfisca(_profile("coformation").household(), _profile("coformation").offer).offers[0]
    assert old.difference["total"].loc["2026-10"] < 0  # pay of August still counted by OpenFisca in October
    october = next(s for s in old.after_job if s.startswith("En octobre 2026 : "))
    amount = format_euros(-old.difference["total"].loc["2026-10"])
    assert october.startswith(f"En octobre 2026 : {amount} de moins que sans l'offre, parce que le RSA compte encore")
    assert "juin, juillet et août 2026" in october


# --------------------------------------------------------------------------- forms
def test_flat_indemnity_counts_for_rsa_not_for_ppa_nor_housing_aid() -> None:
    result = model.simulate(Scenario(RSA_AL, (INDEMNITY_OFFER,)))
    diff = result.offers[0].difference
    assert (diff["pay"] == 60).all()
    assert (diff["ppa"] == 0).all() and (diff["housing"] == 0).all()
    assert (diff.loc["2026-04":, "rsa"] == -60).all()  # full months in the window
    assert (diff.loc["2026-04":, "total"].abs() < ROUNDING).all()
    assert any("requalifié en salaire" in w for w in result.offers[0].warnings)
    assert any("gains exceptionnels" in w for w in result.offers[0].warnings)


def test_pension_quarters_through_simulate() -> None:
    """Gross salary over 2026 against 150 × SMIC at 1 January (1 803 €, own arithmetic from retraite-decret-2014-349 and smic-decret-2025-1228)."""
    six = model.simulate(Scenario(RSA, (SIX_MONTHS,))).offers[0].rights
    seven = model.simulate(Scenario(RSA, (SEVEN_MONTHS,))).offers[0].rights
    assert six.gross_salary_year == pytest.approx(1800.0) and six.pension_quarters == 0
    assert seven.gross_salary_year == pytest.approx(2100.0) and seven.pension_quarters == 1
    assert six.quarter_threshold == pytest.approx(150 * 12.02)
    assert "France Travail" in six.unemployment_note and "910 heures" in six.unemployment_note
    assert "120\u00a0h de travail en 2026 : à elle seule, ce n'est pas assez" in six.unemployment_note
    micro = model.simulate(Scenario(RSA, (MICRO_SEVEN,))).offers[0].rights
    assert micro.pension_quarters is None and "à vérifier" in micro.pension_note


def test_salary_net_is_about_79_percent_of_gross() -> None:
    result = model.simulate(Scenario(RSA, (ONE_MONTH_SMIC,)))
    pay = result.offers[0].with_offer["pay"].loc["2026-01"]
    assert 0.78 < pay / 1202 < 0.80


def test_aah_amount_and_warning_about_the_six_months() -> None:
    result = model.simulate(Scenario(AAH, (AAH_OFFER,)))
    aah = result.baseline["aah"]
    assert aah["2026-03"] == pytest.approx(1033.32, abs=CENT) and aah["2026-04"] == pytest.approx(1041.59, abs=CENT)
    assert any("6 premiers mois" in w for w in result.offers[0].warnings)
    assert any("D.821-9" in text for text in result.further)


def test_asylum_seeker_no_pay_in_the_first_six_months() -> None:
    result = model.simulate(Scenario(ASYLUM, (ASYLUM_SALARY, ASYLUM_MICRO)))
    pay = result.offers[0].with_offer["pay"]
    assert (pay.loc[:"2026-04"] == 0).all()  # months 2..5 of the claim
    assert (pay.loc["2026-05":] > 0).all()  # from the 6th month
    assert not result.offers[0].lag.loc["2026-04", "work_allowed"]
    assert any("6 premiers mois" in w for w in result.offers[0].warnings)
    assert (result.offers[1].with_offer["pay"] == 0).all()  # self-employment forbidden
    assert (result.offers[0].with_offer["rsa"] == 0).all()


def test_two_offers_share_the_baseline() -> None:
    profiles = content.load_profiles()
    result = model.simulate(Scenario(RSA, (profiles[1].offer, profiles[2].offer)))
    assert len(result.offers) == 2
    for offer_result in result.offers:
        rebuilt = offer_result.with_offer - offer_result.difference
        assert (rebuilt.sub(result.baseline).abs() < ROUNDING).all().all()


# --------------------------------------------------------------------------- monotonic sanity
@pytest.mark.parametrize("profile_id", ["cvs", "coformation", "travail_pair"])
def test_more_hours_never_lower_the_paid_month_total_unless_explained(profile_id: str) -> None:
    """More hours must not lower total resources in a paid month; where OpenFisca says it does, the
    model must expose it, and the only mechanism found for the presets is a minimum payment:
    RSA under ``rsa_maj.montant_minimum_verse`` or prime d'activité under ``pa_m.montant_minimum_verse``
    is not paid, so a benefit drops to 0 and the total loses at most that amount."""
    profile = _profile(profile_id)
    household = profile.household()
    cache.warm_up([(household, profile.offer)])
    params = adapter.tax_benefit_system().parameters
    previous = model.simulate(Scenario(household, (profile.offer.with_hours(0),))).offers[0].with_offer
    paid_months = [
        m
        for m in MONTHS
        if profile.offer.start_month <= int(m[5:]) < profile.offer.start_month + profile.offer.duration_months
    ]
    for hours in range(1, 201):
        assert model.is_ready(Scenario(household, (profile.offer.with_hours(hours),)))
        offer_result = model.simulate(Scenario(household, (profile.offer.with_hours(hours),))).offers[0]
        current = offer_result.with_offer
        for month in paid_months:
            drop = previous["total"].loc[month] - current["total"].loc[month]
            if drop <= ROUNDING:
                continue
            minima = params(f"{month}-01").prestations_sociales.solidarite_insertion.minima_sociaux
            floors = {
                "rsa": float(minima.rsa.rsa_maj.montant_minimum_verse),
                "ppa": float(minima.ppa.pa_m.montant_minimum_verse),
            }
            dropped_to_zero = [b for b in floors if previous[b].loc[month] > 0 and current[b].loc[month] == 0]
            assert dropped_to_zero, f"{profile_id} {hours} h {month}: unexplained drop of {drop:.2f} €"
            assert drop <= max(floors[b] for b in dropped_to_zero) + ROUNDING
            label = explain.MONTH_LABELS_FR[month]
            assert any(case.startswith(label) and "seuil de versement" in case for case in offer_result.explained_cases)
        previous = current


def test_stacked_withdrawal_is_exposed_for_aah() -> None:
    """AAH + housing aid + prime d'activité fall together: one more hour at 120 h costs money in
    October in OpenFisca's results (AAH's 6-month neutralisation is not modelled). Exposed, not hidden."""
    offer = _profile("travail_pair").offer
    low = model.simulate(Scenario(AAH, (offer.with_hours(119),))).offers[0]
    high = model.simulate(Scenario(AAH, (offer.with_hours(120),))).offers[0]
    october = "2026-10"
    assert high.with_offer["pay"].loc[october] > low.with_offer["pay"].loc[october]
    assert high.with_offer["total"].loc[october] < low.with_offer["total"].loc[october]
    falling = [c for c in ("ppa", "housing", "aah") if high.with_offer[c].loc[october] < low.with_offer[c].loc[october]]
    assert len(falling) >= 2
    assert any(case.startswith("octobre 2026") and "plusieurs aides baissent" in case for case in high.explained_cases)


# --------------------------------------------------------------------------- cache
def test_disk_cache_round_trip_needs_no_openfisca(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FAIRE_AVEC_CACHE", str(tmp_path))
    cache.clear_memory()
    household, offer = Household(couple=True, children=(4, 7), rent=600), Offer("cea", 30, 14, 2, 5)
    first = model.simulate(Scenario(household, (offer,)))
    files = sorted(p.name for p in tmp_path.iterdir())
    assert ".gitignore" in files and any(name.startswith("grid-") for name in files)
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    cache.clear_memory()

    def no_openfisca(*args, **kwargs):
        raise AssertionError("OpenFisca must not run: the grid is on disk")

    monkeypatch.setattr(adapter, "run", no_openfisca)
    second = model.simulate(Scenario(household, (offer.with_hours(31),)))  # another slider position
    again = model.simulate(Scenario(household, (offer,)))
    assert again.offers[0].with_offer.equals(first.offers[0].with_offer)
    assert second.offers[0].with_offer["pay"].loc["2026-03"] > first.offers[0].with_offer["pay"].loc["2026-03"]
    assert math.isclose(first.baseline["family"].iloc[0], again.baseline["family"].iloc[0])
