"""The texts where OpenFisca simplifies them (widgets/remuneration/law.py), on small hand-made grids.

Why without OpenFisca: these are calendar rules — which months a quarterly declaration counts, from
when R.262-13 stops counting a pay, when a job opens an unemployment right — and each expected value
below is worked out by hand in the test from those rules. The households computed through
OpenFisca, against amounts worked out from the texts, are in test_remuneration_textes.py.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from widgets.remuneration import law
from widgets.remuneration.inputs import Household, Offer

FLOOR = np.full(12, 6.0)  # the RSA's minimum payment (rsa_maj.montant_minimum_verse), 6 € in 2026
BASE = np.array([646.52] * 3 + [651.69] * 9)  # RSA montant forfaitaire for one person, 2026


def grid(income: Sequence[float], room: float = 500.0, ppa: Sequence[float] | None = None) -> dict[str, np.ndarray]:
    """Two rows (0 h, then the offer): a flat « room » (the RSA without the offer's income)."""
    rows = np.array([[0.0] * 12, income])
    ppa_rows = np.array([[0.0] * 12, ppa if ppa is not None else [float(i) for i in range(12)]])
    return {"rsa_room": np.full((2, 12), room), "rsa_income": rows, "ppa_month": ppa_rows, "rsa": np.zeros((2, 12))}


# --------------------------------------------------------------------------- calendar
@pytest.mark.parametrize(
    ("month", "reviews"),
    [
        (1, [0, 0, 0, 3, 3, 3, 6, 6, 6, 9, 9, 9]),
        (2, [-2, 1, 1, 1, 4, 4, 4, 7, 7, 7, 10, 10]),  # January belongs to the quarter of November 2025
        (3, [-1, -1, 2, 2, 2, 5, 5, 5, 8, 8, 8, 11]),
    ],
)
def test_each_month_is_fixed_by_the_declaration_that_starts_its_quarter(month: int, reviews: list[int]) -> None:
    cal = law.Calendar("textes", declaration_month=month)
    assert [cal.review(i) for i in range(12)] == reviews
    assert cal.reviews() == sorted({r for r in reviews if r >= 0})


def test_windows_pre_filled_and_before() -> None:
    """Pre-filled declaration: the 4th, 3rd and 2nd months before the review (R.262-7); before March
    2025, the three months just before. OpenFisca's rules: every month is its own review."""
    assert list(law.Calendar("textes", 1, prefilled=True).window(5)) == [-1, 0, 1]  # June: review April → Dec-Feb
    assert list(law.Calendar("textes", 1, prefilled=False).window(5)) == [0, 1, 2]  # review April → Jan-Mar
    assert list(law.Calendar("openfisca", 1, prefilled=True).window(5)) == [1, 2, 3]  # June itself → Feb-Apr


def test_window_average_counts_no_income_before_january() -> None:
    income = np.array([[300.0] * 12])
    averaged = law.window_average(income, law.Calendar("textes", 1))
    # January-March: window Sep-Nov 2025 → 0; April-June: Dec 2025, Jan, Feb → (0 + 300 + 300) / 3 = 200
    assert list(averaged[0]) == pytest.approx([0, 0, 0, 200, 200, 200, 300, 300, 300, 300, 300, 300])


# --------------------------------------------------------------------------- unemployment right
def test_days_worked_are_five_per_full_calendar_week_of_the_contract() -> None:
    """1 March 2026 is a Sunday: a contract from 1 March to 31 August holds the 26 full weeks from
    Monday 2 March to Sunday 30 August → 26 × 5 = 130 days, whatever the hours. March to July: 21
    full weeks (to Sunday 26 July) → 105 days. January to June: Monday 5 January to Sunday 28 June →
    25 weeks → 125 days (the two incomplete weeks are left out: a lower bound)."""
    assert law.affiliation_days(3, 8) == 130
    assert law.affiliation_days(3, 7) == 105
    assert law.affiliation_days(1, 6) == 125
    assert law.affiliation_days(6, 6) == 20  # 1 June 2026 is a Monday: 4 full weeks to Sunday 28 June


def test_an_unemployment_right_needs_130_days_or_910_hours() -> None:
    assert law.opens_unemployment_right(130, 0.0) and law.opens_unemployment_right(0, 910.0)
    assert not law.opens_unemployment_right(129, 909.0)


def test_only_a_salary_opens_a_substitute_income() -> None:
    household = Household()
    long_salary = Offer("salaire", 20, 12.0, 3, 6)  # 130 days, 120 h
    assert law.substitute_income(long_salary, law.job_end(household, long_salary), 20)
    short_salary = Offer("salaire", 100, 12.0, 3, 5)  # 105 days, 500 h
    assert not law.substitute_income(short_salary, law.job_end(household, short_salary), 100)
    assert law.substitute_income(short_salary, law.job_end(household, short_salary), 182)  # 5 × 182 = 910 h
    micro = Offer("micro_bnc", 200, 20.0, 1, 11)
    assert not law.substitute_income(micro, law.job_end(household, micro), 200)


# --------------------------------------------------------------------------- applying the rules
def test_pay_that_stops_without_a_right_is_never_counted_again() -> None:
    """Salary of 300 € net, March to May (13 weeks: 65 days, 300 h: no unemployment right), declaration
    in January, April, July, October, pre-filled window. By hand, with a room of 500 €:
    April-June: window Dec-Feb → nothing counted → 500; July-September: window Mar-May → 300 counted,
    but the pay stopped after May: neutralised from June → 500; October-December: 500."""
    offer = Offer("salaire", 25, 12.0, 3, 3)
    income = [0, 0, 300, 300, 300, 0, 0, 0, 0, 0, 0, 0]
    applied = law.apply(grid(income), np.array([0.0, 25.0]), Household(), offer, law.Calendar(), FLOOR, BASE)
    assert list(applied.data["rsa"][1]) == [500.0] * 12
    assert applied.neutralised[1] and not applied.unemployment_right[1]
    assert list(applied.counted[1]) == [0.0] * 12


def test_pay_that_opens_an_unemployment_right_keeps_being_counted_by_quarter() -> None:
    """Same pay of 300 € from March to August (26 full weeks: 130 days → unemployment right): no
    neutralisation. By hand: April-June 500 - 0 = 500; July-September: window Mar-May → 500 - 300 =
    200; October-December: window Jun-Aug → 500 - 300 = 200."""
    offer = Offer("salaire", 25, 12.0, 3, 6)
    income = [0, 0, 300, 300, 300, 300, 300, 300, 0, 0, 0, 0]
    applied = law.apply(grid(income), np.array([0.0, 25.0]), Household(), offer, law.Calendar(), FLOOR, BASE)
    assert list(applied.data["rsa"][1]) == [500.0] * 6 + [200.0] * 6
    assert applied.unemployment_right[1] and not applied.neutralised[1]


def test_prime_d_activite_averages_the_monthly_primes_of_the_reference_months() -> None:
    """CSS R.843-1: the average of the primes of the 4th, 3rd and 2nd months before the review, fixed
    for the quarter. The prime computed on month i's resources is i €; declarations from February:
    January (review November 2025, window May-July 2025) and February-April (window October-December
    2025): 0 ; May-July: (0 + 1 + 2) / 3 = 1 ; August-October: (3 + 4 + 5) / 3 = 4 ; November-December:
    (6 + 7 + 8) / 3 = 7. Under a minimum payment of 1,5 €, the May quarter's 1 € is not paid."""
    offer = Offer("salaire", 25, 12.0, 3, 3)
    cal = law.Calendar("textes", 2)
    applied = law.apply(grid([0.0] * 12), np.array([0.0, 25.0]), Household(), offer, cal, FLOOR, BASE)
    assert list(applied.data["ppa"][1]) == pytest.approx([0, 0, 0, 0, 1, 1, 1, 4, 4, 4, 7, 7])
    floored = law.apply(grid([0.0] * 12), np.array([0.0, 25.0]), Household(), offer, cal, FLOOR, BASE, np.full(12, 1.5))
    assert list(floored.data["ppa"][1]) == pytest.approx([0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 7, 7])


def test_a_flat_indemnity_is_neutralised_up_to_the_rsa_amount_for_one_person() -> None:
    """« Other resources » (R.262-13, 2nd paragraph): 800 € a month January to March, declaration in
    April with the window of January to March (not pre-filled): 800 counted. The indemnity stopped after
    March: from April it is ignored up to 651,69 € → 800 - 651,69 = 148,31 € still counted."""
    offer = Offer("defraiement", 40, 20.0, 1, 3)
    income = [800, 800, 800] + [0] * 9
    applied = law.apply(
        grid(income, room=1000.0),
        np.array([0.0, 40.0]),
        Household(prefilled_declaration=False),
        offer,
        law.Calendar("textes", 1, prefilled=False),
        FLOOR,
        BASE,
    )
    assert applied.data["rsa"][1][3] == pytest.approx(1000 - (800 - 651.69))
    assert applied.data["rsa"][1][6] == pytest.approx(1000.0)  # July: window April-June, nothing left


def test_an_rsa_under_its_minimum_payment_is_not_paid() -> None:
    offer = Offer("salaire", 40, 12.0, 1, 12)
    applied = law.apply(grid([497.0] * 12), np.array([0.0, 40.0]), Household(), offer, law.Calendar(), FLOOR, BASE)
    assert applied.data["rsa"][1][6] == 0.0  # July: window March-May, 500 - 497 = 3 €, under 6 €: not paid
    assert applied.data["rsa"][1][3] == pytest.approx(500 - 2 * 497 / 3)  # April: Dec 2025 had no pay


def test_openfisca_rules_leave_the_figures_as_they_are() -> None:
    offer = Offer("salaire", 25, 12.0, 3, 3)
    data = grid([0, 0, 300, 300, 300, 0, 0, 0, 0, 0, 0, 0])
    data["rsa"] = np.arange(24, dtype=float).reshape(2, 12)
    applied = law.apply(data, np.array([0.0, 25.0]), Household(), offer, law.Calendar("openfisca"), FLOOR, BASE)
    for key in data:
        assert np.array_equal(applied.data[key], data[key])
