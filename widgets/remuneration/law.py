"""The texts where OpenFisca simplifies them: the quarterly rhythm of RSA and prime d'activité, and
the neutralisation of pay that stops for good (CASF R.262-13).

Why a module of its own: OpenFisca-France computes the RSA of every month on a three-month window
that slides month by month, and ignores pay that has just stopped for ONE month only (it compares
month M with M-1), then counts it again. The CAF does otherwise, and a trainer who knows its rules
must not be contradicted in front of the group:

* **Quarterly rhythm** (CASF R.262-7 and D.262-34 for the RSA, CSS R.843-1 for the prime
  d'activité). The resources are averaged over three months (the 4th, 3rd and 2nd months before the
  quarterly review since the pre-filled declaration of March 2025, or the three months just before
  it) and fixed for the three months of the quarter. The household's first declaration of the year
  is in January, February or March (:attr:`Calendar.declaration_month`), then every three months.
* **Neutralisation** (CASF R.262-13; CNAF letter-circular 2010-130 as summarised by the ASH). When
  pay stops for good and no substitute income follows, it is not counted for the RSA from the
  month after the last paid month (the contract ends on that month's last day), and never again:
  the end of a job is a change of situation, it applies at once, not at the next review. A flat
  indemnity is one of the « other resources »: it is ignored up to the RSA's montant forfaitaire for
  one person each month.
* **Substitute income** (:func:`substitute_income`): the only one a simulated household can have
  is an unemployment right (ARE) opened by the job itself, from :data:`AFFILIATION_DAYS` days or
  :data:`AFFILIATION_HOURS` hours of work (règlement d'assurance chômage, article 3); the simulated
  households have no daily allowance, pension nor other income (the page says so).
* **Prime d'activité** (CSS R.843-1): the average of the primes computed for each of the three
  reference months, each on that month's resources, fixed for the quarter. OpenFisca gives the prime
  of each month (``ppa_fictive``); its own ``ppa`` is not used under the texts because its
  eligibility test looks at months M-1..M-3 even with the pre-filled window M-4..M-2 (a quarter whose
  only paid month is the 4th before would get nothing). After the job, no text found neutralises it:
  it stays until the next declaration (CSS R.843-2: only isolation revises it in the meantime), then
  is computed on months that may still hold pay.

No benefit formula is written here: OpenFisca gives, month by month, the prime d'activité of each
month and what the RSA would be if the offer's income counted for nothing (``rsa_room``, see
:mod:`.openfisca_adapter`); this module only decides WHICH months' income counts, as the texts say,
and subtracts it (the RSA is a differential allowance: CASF L.262-2). Pure numpy: no OpenFisca,
ipywidgets or plotly.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from widgets import droit

from .inputs import DEFAULT_RULES, SALARY_FORMS, SIM_YEAR, Household, Offer, paid_months

#: Affiliation that opens an unemployment right (ARE): at least chomage_jours days or chomage_heures
#: hours worked (data/droit.yml) over the chomage_periode months before the end of the contract
#: (chomage_periode_55_ans from age 55): règlement d'assurance
#: chômage, article 3 §1 (convention of 15 November 2024; bibliography entry chomage-reglement-art3).
#: A lower threshold for people who never had a right in the last 20 years (article 3 §1 bis) is
#: being studied: change :func:`opens_unemployment_right` in one place when it is settled.
AFFILIATION_DAYS = int(droit.value("chomage_jours"))
AFFILIATION_HOURS = float(droit.value("chomage_heures"))
#: Days counted per full calendar week of a contract, whatever the hours (règlement d'assurance
#: chômage, article 3 §2; Unédic circular on the 2019 rules: five days per calendar week).
DAYS_PER_WEEK = 5
#: Months of the year before the simulated one that a quarter's window can reach: a quarter that
#: starts in November of the year before (declaration month 2) looks back to May.
_PAST = 6


def opens_unemployment_right(days: int, hours: float) -> bool:
    """True if ``days`` worked or ``hours`` worked (over the 24 months before the end of the
    contract) open an unemployment right: the ONE place where the thresholds are compared."""
    return days >= AFFILIATION_DAYS or hours >= AFFILIATION_HOURS - 1e-9


def affiliation_days(first_month: int, last_month: int, year: int = SIM_YEAR) -> int:
    """Days worked, as unemployment insurance counts them, for a contract from the 1st of
    ``first_month`` to the last day of ``last_month`` (months 1-12 of ``year``).

    Five days per full calendar week (Monday to Sunday) of the contract, whatever the hours. The
    incomplete weeks at both ends count the days actually worked there, which the simulator does not
    know: they are left out, so the figure is a lower bound (said on the page).
    """
    start = datetime.date(year, first_month, 1)
    end = datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])
    first_monday = start + datetime.timedelta(days=(7 - start.weekday()) % 7)
    full_weeks = max(0, ((end - first_monday).days + 1) // 7)
    return DAYS_PER_WEEK * full_weeks


@dataclass(frozen=True)
class JobEnd:
    """How an offer ends within the simulated year, whatever its hours (hours only decide ARE)."""

    #: Index (0 = January) of the last paid month, or None if the offer pays nothing.
    last_paid: int | None
    #: Number of paid months.
    paid_count: int
    #: True when the pay stops within the year (the last paid month is not December).
    ends: bool
    #: Salary forms only: days worked as unemployment insurance counts them (0 otherwise, and 0 for
    #: a CDD d'usage: one contract per session, whose days worked the simulator does not know).
    days: int
    #: What the RSA does with the income once it has stopped: ``professional`` (salary, micro-entreprise:
    #: fully ignored), ``other`` (flat indemnity: ignored up to the montant forfaitaire), or ``none``.
    kind: str

    @property
    def first_unpaid(self) -> int | None:
        """Index of the first month without pay after the job, if the job ends within the year."""
        return None if not self.ends or self.last_paid is None else self.last_paid + 1


def job_end(household: Household, offer: Offer) -> JobEnd:
    """When the offer's pay stops, and what kind of income it is for CASF R.262-13."""
    paid = paid_months(household, offer)
    months = np.flatnonzero(paid)
    if not months.size:
        return JobEnd(None, 0, False, 0, "none")
    first, last = int(months[0]), int(months[-1])
    salary = offer.form in SALARY_FORMS
    kind = "other" if offer.form == "defraiement" else "professional"
    # A continuous contract from the first to the last paid month, except a CDD d'usage: one short
    # contract per session (the co-trainer's case), so only its hours are compared with the threshold.
    days = affiliation_days(first + 1, last + 1) if salary and not offer.cdd_usage else 0
    return JobEnd(last, int(months.size), last < 11, days, kind)


def substitute_income(offer: Offer, end: JobEnd, hours: float) -> bool:
    """True when the end of the job opens a substitute income, so R.262-13 does not apply.

    The only substitute income a simulated household can have: an unemployment right (ARE) opened
    by this job (a salary; the household has no other work in the 24 months, by assumption). No
    right for a micro-entreprise, a flat indemnity or volunteering.
    """
    if offer.form not in SALARY_FORMS or end.last_paid is None:
        return False
    return opens_unemployment_right(end.days, float(hours) * end.paid_count)


# --------------------------------------------------------------------------- the quarterly calendar
@dataclass(frozen=True)
class Calendar:
    """Which months the RSA and the prime d'activité of each month count."""

    rules: str = DEFAULT_RULES
    #: 1, 2 or 3: the quarters start in that month of the year, then every three months.
    declaration_month: int = 1
    #: Months M-4..M-2 of the review (pre-filled declaration, the default) instead of M-3..M-1.
    prefilled: bool = True

    @property
    def quarterly(self) -> bool:
        return self.rules == "textes"

    def review(self, month_index: int) -> int:
        """The month (index from January, negative before it) whose review fixes ``month_index``:
        the first month of its quarter under the texts, the month itself in OpenFisca."""
        if not self.quarterly:
            return month_index
        return month_index - (month_index - (self.declaration_month - 1)) % 3

    def window(self, month_index: int) -> range:
        """Indices of the months whose resources count for ``month_index`` (may be negative)."""
        first, last = (4, 2) if self.prefilled else (3, 1)
        review = self.review(month_index)
        return range(review - first, review - last + 1)

    def reviews(self) -> list[int]:
        """The review months that fall within the simulated year (indices 0-11)."""
        return sorted({self.review(i) for i in range(12)} & set(range(12)))


def window_average(income: np.ndarray, cal: Calendar) -> np.ndarray:
    """Per row and month, the average of ``income`` (rows × 12) over the month's window.

    Months before January count no income: the simulation assumes none in the previous years.
    """
    rows = np.atleast_2d(np.asarray(income, dtype=float))
    padded = np.concatenate([np.zeros((rows.shape[0], _PAST)), rows], axis=1)
    return np.stack([padded[:, [_PAST + j for j in cal.window(i)]].mean(axis=1) for i in range(12)], axis=1)


@dataclass(frozen=True)
class Applied:
    """OpenFisca's figures read through the texts, for every row (hour level) of a grid."""

    #: The grid's data with ``rsa`` and ``ppa`` as the texts give them (other outputs unchanged).
    data: dict[str, np.ndarray]
    #: Per row and month: the offer's income the RSA counts that month (after neutralisation).
    counted: np.ndarray
    #: Per row: True if the job ends within the year without a substitute income (R.262-13 applies).
    neutralised: np.ndarray
    #: Per row: True if the job opens an unemployment right (a substitute income).
    unemployment_right: np.ndarray
    end: JobEnd


def apply(
    data: Mapping[str, np.ndarray],
    levels: np.ndarray,
    household: Household,
    offer: Offer,
    cal: Calendar,
    rsa_floor: np.ndarray,
    rsa_base: np.ndarray,
    ppa_floor: np.ndarray | None = None,
) -> Applied:
    """Read a grid's RSA and prime d'activité through the texts (``cal.rules == "textes"``).

    ``data`` holds OpenFisca's outputs (``rsa_room``, ``rsa_income``, ``ppa_month``…; rows × 12
    months) for the hour ``levels`` of one offer; ``rsa_floor`` and ``ppa_floor`` are the minimum
    payments of the RSA and the prime d'activité and ``rsa_base`` the RSA's montant forfaitaire for
    one person, month by month. With OpenFisca's rules the figures are returned as they are.
    """
    out = {key: np.array(values, dtype=float, copy=True) for key, values in data.items()}
    end = job_end(household, offer)
    hours = np.asarray(levels, dtype=float)
    right = np.array([substitute_income(offer, end, h) for h in hours], dtype=bool)
    neutralised = np.array(
        [end.first_unpaid is not None and h > 0 and not r for h, r in zip(hours, right, strict=True)]
    )
    if not cal.quarterly:
        return Applied(out, np.zeros_like(out["rsa"]), np.zeros_like(neutralised), right, end)
    counted = window_average(out["rsa_income"], cal)
    if end.first_unpaid is not None:
        after = slice(end.first_unpaid, 12)
        if end.kind == "professional":
            counted[neutralised, after] = 0.0
        elif end.kind == "other":
            limit = np.asarray(rsa_base, dtype=float)[after]
            counted[neutralised, after] = np.maximum(0.0, counted[neutralised, after] - limit)
    rsa = np.maximum(0.0, out["rsa_room"] - counted)
    out["rsa"] = np.where(rsa >= np.asarray(rsa_floor, dtype=float) - 1e-9, rsa, 0.0)
    # The prime d'activité of a quarter: the average of the monthly primes of its review's window
    # (none before January: no activity income in the previous years), not paid under its minimum,
    # which is the one in force at the review (a review before January pays nothing anyway).
    ppa = window_average(out["ppa_month"], cal)
    floors = np.zeros(12) if ppa_floor is None else np.asarray(ppa_floor, dtype=float)
    floor = np.array([floors[max(cal.review(i), 0)] for i in range(12)])
    out["ppa"] = np.where(ppa >= floor - 1e-9, ppa, 0.0)
    return Applied(out, counted, neutralised, right, end)
