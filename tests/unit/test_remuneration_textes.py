"""Households computed through OpenFisca, each RSA checked against arithmetic done by hand from the texts.

Why: the simulator's default rules follow the texts where OpenFisca simplifies them (quarterly
declarations, CASF R.262-13). Nothing expected below is read from OpenFisca's RSA: it is the RSA's
montant forfaitaire, minus the forfait logement, minus the pay the texts count, worked out in each
test's comments so that a reader can redo it with a pencil.

The household: one adult of 36, hosted free of charge in Lyon (no rent, so no housing aid; the
forfait logement is 12 % of the montant forfaitaire for one person: CASF R.262-9 and R.262-10).
Amounts: RSA montant forfaitaire 646,52 € until March 2026 (décret 2025-293) and 651,69 € from
April 2026 (décret 2026-220, single source: OpenFisca-France's parameters), so the RSA without
any resource is 646,52 × 0,88 = 568,94 € (January-March) and 651,69 × 0,88 = 573,49 € (April on).

The pay P is the only figure taken from the simulator's own table (« Paie nette », OpenFisca's net
salary of 50 h × 12,02 € = 601 € gross, about 79 % of it): the RSA arithmetic on it is the texts'.
One OpenFisca run computes every offer (they share the household); the disk cache is disabled.
"""

from __future__ import annotations

import pytest

from widgets.remuneration import cache, model
from widgets.remuneration.inputs import MONTHS, Household, Offer, Scenario

CENT = 0.011  # the RSA is rounded to the cent after subtracting an average of three rounded pays
HOSTED = Household(age=36, housing="heberge", rent=0.0)
WITHOUT_ANY_RESOURCE = [646.52 * 0.88] * 3 + [651.69 * 0.88] * 9  # 568,94 € then 573,49 €

#: February to July, 50 h a month: 25 full weeks (Monday 2 February to Sunday 26 July) → 125 days, and
#: 6 × 50 = 300 h: under 130 days and 910 h, no unemployment right.
SHORT = Offer("salaire", 50, 12.02, 2, 6)
#: January to June, full time: 6 × 151,67 = 910,02 h ≥ 910 h → an unemployment right (125 days only).
FULL_TIME = Offer("salaire", 151.67, 12.02, 1, 6)
#: May to August, 50 h: starts in the middle of the April-June quarter; 4 months, no unemployment right.
MID_QUARTER = Offer("salaire", 50, 12.02, 5, 4)
#: March to August, 20 h a month: 26 full weeks (2 March - 30 August) → 130 days → an unemployment
#: right, although only 120 h: days count 5 a week whatever the hours.
PART_TIME_SIX_MONTHS = Offer("salaire", 20, 12.02, 3, 6)
OFFERS = (SHORT, FULL_TIME, MID_QUARTER, PART_TIME_SIX_MONTHS)


@pytest.fixture(scope="module", autouse=True)
def _one_run():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAIRE_AVEC_CACHE", "")
        cache.clear_memory()
        cache.grids_for([(HOSTED, offer) for offer in OFFERS], full=False)  # ONE OpenFisca run
        yield
    cache.clear_memory()


def simulate(offer: Offer, declaration_month: int = 1, rules: str = "textes") -> model.OfferResult:
    result = model.simulate(Scenario(HOSTED, (offer,), rules=rules, declaration_month=declaration_month), False)
    assert list(result.baseline["rsa"]) == pytest.approx(WITHOUT_ANY_RESOURCE, abs=CENT)
    return result.offers[0]


def rsa(offer_result: model.OfferResult) -> list[float]:
    return list(offer_result.with_offer["rsa"])


def pay(offer_result: model.OfferResult, month: int) -> float:
    value = float(offer_result.with_offer["pay"].loc[MONTHS[month - 1]])
    assert 0.78 < value / (offer_result.offer.hours_per_month * 12.02) < 0.80  # a net pay, not a gross one
    return value


def constant_within_quarters(values: list[float], declaration_month: int) -> None:
    first = declaration_month - 1
    starts = sorted({0, *range(first, 12, 3)})
    for begin, end in zip(starts, [*starts[1:], 12], strict=True):
        assert len(set(values[begin:end])) == 1, f"not constant from month {begin + 1} to {end}: {values}"


def test_a_job_that_ends_without_unemployment_right_is_never_counted_again() -> None:
    """Pay P from February to July, declarations in January, April, July, October (pre-filled window).

    * January-March (window September-November 2025): no pay → 568,94.
    * April-June (window December 2025, January, February): (0 + 0 + P) / 3 → 573,49 - P/3.
    * July (window March-May): P → 573,49 - P (July is still paid).
    * From August, the first month without pay: no unemployment right (125 days, 300 h), so the pay is
      neutralised (CASF R.262-13) at once, not at the October declaration → 573,49, the RSA without the
      offer, until December.
    """
    result = simulate(SHORT)
    p = pay(result, 2)
    expected = [568.94] * 3 + [573.49 - p / 3] * 3 + [573.49 - p] + [573.49] * 5
    assert rsa(result) == pytest.approx(expected, abs=CENT)
    assert list(result.difference.loc["2026-08":, "rsa"]) == [0.0] * 5  # = the RSA without the offer, to the cent
    assert any("sans droit au chômage" in s and "neutralisation" in s for s in result.neutralisation)
    # The prime d'activité is fixed for each quarter and is still paid after the job: the October
    # declaration counts June and July, two paid months (CSS R.843-1).
    ppa = list(result.with_offer["ppa"])
    constant_within_quarters(ppa, 1)
    assert ppa[9] > 0
    assert any("La prime d'activité ne s'arrête pas avec le travail" in s for s in result.neutralisation)


def test_a_job_long_enough_to_open_unemployment_keeps_being_counted() -> None:
    """Full time P2 from January to June: 910,02 h open an unemployment right, a substitute income, so
    R.262-13 does not apply and the pay keeps being counted by quarter (the unemployment benefit itself
    is not simulated: the page says the real RSA would be lower still).

    * January-March: 568,94. April-June: (0 + P2 + P2) / 3 ≈ 960 € > 573,49 → 0.
    * July-September (window March-May): P2 → 0.
    * October-December (window June-August): P2 / 3 → 573,49 - P2/3.
    """
    result = simulate(FULL_TIME)
    p2 = pay(result, 6)
    expected = [568.94] * 3 + [0.0] * 6 + [573.49 - p2 / 3] * 3
    assert rsa(result) == pytest.approx(expected, abs=CENT)
    assert any("ouvre un droit au chômage" in s for s in result.neutralisation)


def test_days_not_hours_can_open_the_unemployment_right() -> None:
    """20 h a month from March to August: 120 h only, but 130 days of contract → a right, no
    neutralisation: October-December (window June-August) still counts (P + P + P) / 3 = P."""
    result = simulate(PART_TIME_SIX_MONTHS)
    p = pay(result, 8)
    assert rsa(result)[9:] == pytest.approx([573.49 - p] * 3, abs=CENT)
    assert any("130 jours de contrat" in s for s in result.neutralisation)


def test_declaration_month_1_and_3_move_the_steps() -> None:
    """The same pay P from February to July, declared in March, June, September, December instead:

    * January, February (quarter of December 2025, window August-October 2025): 568,94.
    * March-May (window November 2025 - January 2026): no pay → 568,94 in March, then 573,49 in April
      and May: the RSA's amount rises on 1 April even within a quarter (revaluation, not resources).
    * June, July (window February-April): P → 573,49 - P.
    * From August (first month without pay): neutralised → 573,49.
    """
    march = simulate(SHORT, declaration_month=3)
    p = pay(march, 2)
    expected = [568.94] * 3 + [573.49] * 2 + [573.49 - p] * 2 + [573.49] * 5
    assert rsa(march) == pytest.approx(expected, abs=CENT)
    constant_within_quarters(list(march.with_offer["ppa"]), 3)
    january = simulate(SHORT, declaration_month=1)
    assert rsa(january)[3] != pytest.approx(rsa(march)[3], abs=CENT)  # April: P/3 counted in one, nothing in the other


def test_a_job_starting_in_the_middle_of_a_quarter_counts_from_the_next_declaration() -> None:
    """Pay P from May to August, declarations in January, April, July, October:

    * April-June (window December-February): nothing yet → 573,49, although May and June are paid.
    * July, August (window March-May: only May is paid): 573,49 - P/3.
    * September, the first month without pay: neutralised → 573,49, and so on to December.
    """
    result = simulate(MID_QUARTER)
    p = pay(result, 5)
    expected = [568.94] * 3 + [573.49] * 3 + [573.49 - p / 3] * 2 + [573.49] * 4
    assert rsa(result) == pytest.approx(expected, abs=CENT)


def test_openfisca_rules_keep_openfiscas_own_neutralisation() -> None:
    """With ``regles: openfisca`` the RSA slides month by month and the stopped pay is ignored for one
    month only: August (first month without pay) is the full amount, September counts June and July
    again. (The equality with a direct OpenFisca run is in test_remuneration_households.py.)"""
    result = simulate(SHORT, rules="openfisca")
    values = rsa(result)
    assert values[7] == pytest.approx(573.49, abs=CENT)
    assert values[8] < 573.49 - 100


def test_chapter_4_quotes_only_figures_the_simulator_computed() -> None:
    """Chapter 4's example (the « trois_mois » case type on the default household): every
    ``{glue:text}`` of the chapter is a figure of :func:`example.figures`, and the figures agree with
    the texts' arithmetic: the pay of February to April is never counted after April (no unemployment
    right: 3 months), so the RSA from May is the one without the offer, and the year's gain is the pay,
    minus the RSA lost, plus the prime d'activité."""
    import re
    from pathlib import Path

    from widgets.fr import format_euros
    from widgets.remuneration import example

    shown = example.example()
    chapter = (Path(__file__).resolve().parents[2] / "chapters" / "04-remunerer.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:text\}`([^`]+)`", chapter))
    assert used and used <= set(shown.figures), sorted(used - set(shown.figures))
    offer = shown.offer
    assert list(offer.difference.loc["2026-05":, "rsa"]) == [0.0] * 8
    gain = offer.difference["pay"].sum() + offer.difference["rsa"].sum() + offer.difference["ppa"].sum()
    assert shown.figures["exemple_gain"] == format_euros(round(gain, 2))
    assert shown.figures["exemple_premier_mois_sans_paie"] == "mai"
    # no amount, percentage or threshold typed by hand in the section: each amount is glued
    section = chapter.split("## Le décalage")[1].split("\n## ")[0]
    assert not re.search(r"\d\s?[€%]|\d heures|\d jours", section), re.findall(r".{30}\d\s?[€%]", section)
    assert {"exemple_ponctuel_gain_salaire", "exemple_ponctuel_gain_indemnite"} <= used
