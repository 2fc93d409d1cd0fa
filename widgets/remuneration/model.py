"""The simulator's model: :func:`simulate` a scenario and the result types a view or a command reads.

Why this shape: a view and the command line need one call that checks the input, gets every
figure from OpenFisca-France (through :class:`Figures`, which the caller passes in: the course's
callers pass :data:`widgets.remuneration.figures.CACHED`, which reads prepared grids or runs
:mod:`.openfisca_adapter`), reads the RSA and the prime d'activité through the texts where OpenFisca
simplifies them (:mod:`.law`: quarterly rhythm, neutralisation of CASF R.262-13; unless the scenario
asks for ``rules="openfisca"``) and returns plain tables with their French explanations
(:mod:`.explain`). No benefit formula is written here: what is computed here is bookkeeping OpenFisca
does not provide — the monthly totals, the differences with the baseline, which months RSA looked
at — plus the pension quarters of the published rule.

Costs: :func:`simulate` is instant (a few ms) when :meth:`Figures.ready` is True (memory or disk);
otherwise ONE OpenFisca run for all offers. Pure: no ipywidgets, plotly or IPython import, and no
cache, thread, disk or HTTP either (issue 17): where the figures come from is the caller's choice
(:class:`Figures`), so a test can hand the model figures of its own.

Month convention (measured, see tests): OpenFisca's month M is the month the right is FOR. The
RSA revaluation of 1 April 2026 (646,52 € → 651,69 €) applies to April 2026 in the model. The
payment date (the CAF pays early in the next month) is not modelled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from . import explain, law
from .explain import COLUMNS, Rights
from .inputs import MONTHS, Household, Offer, Scenario, active_months, paid_months, work_allowed
from .inputs import validate as validate_inputs

#: A household and one of its offers: what a grid of OpenFisca's figures is computed for.
Pair = tuple[Household, Offer]


class Grid(Protocol):
    """OpenFisca's figures of one household and offer shape at several hour levels:
    ``data[output][level_index, month_index]`` (:class:`widgets.remuneration.cache.Grid` is one)."""

    @property
    def levels(self) -> np.ndarray: ...

    @property
    def data(self) -> dict[str, np.ndarray]: ...

    def index_of(self, hours: float) -> int | None: ...


class Parameters(Protocol):
    """The OpenFisca parameters the model reads besides the grids (:class:`widgets.remuneration.cache.Constants`)."""

    @property
    def smic(self) -> tuple[float, ...]: ...

    @property
    def minimum_payments(self) -> tuple[dict[str, float], ...]: ...

    @property
    def legislation_date(self) -> str: ...

    @property
    def openfisca_version(self) -> str: ...

    @property
    def age_rules(self) -> dict[str, float]: ...

    @property
    def rsa_base(self) -> tuple[float, ...]: ...


class Figures(Protocol):
    """Where the model gets OpenFisca's figures; the model's caller chooses and passes it in.

    Why a protocol: the model stays pure (no cache, disk, thread nor HTTP import), and only the
    caller touches the cache (:class:`widgets.remuneration.figures.CachedFigures`).
    """

    def grids(self, pairs: Sequence[Pair], full: bool) -> list[tuple[Grid, bool]]:
        """One grid per pair (same order) holding its hours and « 0 h » (with ``full``, every hour of
        the slider), each with True when it holds every hour of the slider."""
        ...

    def parameters(self) -> Parameters: ...

    def commune_name(self, depcom: str) -> str | None:
        """The official name of a commune from its INSEE code; None for an unknown code."""
        ...

    def ready(self, pairs: Sequence[Pair]) -> bool:
        """True if :meth:`grids` will answer without running OpenFisca (instant)."""
        ...

    def complete_later(self, pairs: Sequence[Pair], on_done: Callable[[], None]) -> None:
        """Fill every hour of the slider for ``pairs`` in the background, then call ``on_done``."""
        ...


def validate(scenario: Scenario, figures: Figures) -> None:
    """Check a scenario as :func:`simulate` does (French :class:`~widgets.errors.InputError`), the
    commune included: its INSEE code must be in OpenFisca's table, and its name must match."""
    validate_inputs(scenario, figures.commune_name)


@dataclass(frozen=True)
class OfferResult:
    """One offer compared with the baseline, month by month (euros, rounded to the cent).

    * ``with_offer`` / ``difference``: DataFrames indexed by month ``"2026-01"``…, columns
      :data:`~widgets.remuneration.explain.COLUMNS`; ``difference = with_offer - baseline``.
    * ``lag``: per month, the review that fixes the RSA and prime d'activité of that month, which
      months they look at, the average offer pay in that window, the resources RSA actually counted
      because of the offer, whether the pay is ignored (neutralisation), and whether the offer is
      paid / allowed that month.
    * ``warnings``: French warnings (legal risks, model limits) to show next to the figures.
    * ``explained_cases``: French explanations of months where more hours give LESS in total.
    * ``after_job``: months after the job whose total falls below the no-offer line, in plain words.
    * ``neutralisation``: what happens to the pay once the job ends (which rule applied and why),
      in plain words; empty when the job does not end within the year or brings no money.
    """

    offer: Offer
    with_offer: pd.DataFrame
    difference: pd.DataFrame
    lag: pd.DataFrame
    rights: Rights
    warnings: tuple[str, ...]
    explained_cases: tuple[str, ...]
    after_job: tuple[str, ...] = ()
    neutralisation: tuple[str, ...] = ()
    #: The lag told in plain words (:func:`~widgets.remuneration.explain.lag_summary`), reason first
    #: when the household gets no RSA or no prime d'activité at all.
    story: tuple[str, ...] = ()

    @property
    def yearly_gain(self) -> float:
        """Total resources gained over the 12 months (may be negative)."""
        return round(float(self.difference["total"].sum()), 2)


@dataclass(frozen=True)
class Result:
    """Everything a view draws for one scenario."""

    scenario: Scenario
    baseline: pd.DataFrame
    offers: tuple[OfferResult, ...]
    legislation_date: str
    openfisca_version: str
    notes: tuple[str, ...]
    #: The calendar the RSA and the prime d'activité were read with (rules, declaration month, window).
    calendar: law.Calendar = field(default_factory=law.Calendar)
    #: The articles and texts behind the sentences (« Pour aller plus loin »).
    further: tuple[str, ...] = ()
    #: False when only the asked hours were simulated (first figures of a new case): the cliffs
    #: (``explained_cases``) need every level of the slider and are empty until then.
    complete: bool = True


def _frame(arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    """Monthly table: each component rounded to the cent, total = sum of the rounded components."""
    data = {name: np.round(arrays[name], 2) + 0.0 for name in COLUMNS if name != "total"}  # + 0.0: no « -0,00 € »
    frame = pd.DataFrame(data, index=pd.Index(MONTHS, name="month"))
    frame["total"] = frame[list(data)].sum(axis=1).round(2) + 0.0
    return frame


def _lag_frame(
    cal: law.Calendar,
    with_offer: dict[str, np.ndarray],
    baseline: dict[str, np.ndarray],
    counted: np.ndarray | None,
    paid: np.ndarray,
    allowed: np.ndarray,
) -> pd.DataFrame:
    """Per month: the review that fixes RSA / prime d'activité, the window it looks at, and what was counted.

    Under the texts, ``counted`` is the offer's income the RSA counts (:mod:`.law`); with OpenFisca's
    rules it is OpenFisca's ``rsa_base_ressources`` with the offer minus without it. A month where
    pay sits in the window but nothing is counted shows the neutralisation.
    """
    pay = with_offer["pay"] - baseline["pay"]
    window_avg = law.window_average(pay, cal)[0]
    if counted is None:
        counted = with_offer["rsa_resources"] - baseline["rsa_resources"]
    ignored = (window_avg > 0.005) & (counted < window_avg - 0.005) & ~paid
    window = [explain.months_range_label(cal.window(i)) for i in range(12)]
    return pd.DataFrame(
        {
            "review": [explain.month_index_label(cal.review(i)) for i in range(12)],
            "rsa_window": window,
            "ppa_window": window,
            "offer_paid": paid,
            "work_allowed": allowed,
            "pay_window_average": np.round(window_avg, 2),
            "rsa_resources_from_offer": np.round(counted, 2),
            "pay_ignored_by_rsa": ignored,
            "rsa_change": np.round(with_offer["rsa"] - baseline["rsa"], 2),
            "ppa_change": np.round(with_offer["ppa"] - baseline["ppa"], 2),
        },
        index=pd.Index(MONTHS, name="month"),
    )


def simulate(scenario: Scenario, figures: Figures, complete: bool = True) -> Result:
    """Simulate every offer of ``scenario`` against the same baseline, over the simulated year.

    Instant when ``figures`` is ready (the grid is in memory or on disk); otherwise ONE OpenFisca run
    for all offers. With ``complete=False`` that run holds only the asked hours (the first figures
    come about twice as fast); the slider's other levels, needed to explain cliffs, can then be
    filled by :meth:`Figures.complete_later`. Raises :class:`~widgets.errors.InputError` on invalid
    input, before any simulation.
    """
    validate(scenario, figures)
    household = scenario.household
    cal = calendar_of(scenario)
    # Both offers of a comparison share ONE OpenFisca run when they are not cached yet.
    grids = figures.grids(pairs_of(scenario), full=complete)
    constants = figures.parameters()
    smic = np.array(constants.smic)
    floors = np.array([payment["rsa"] for payment in constants.minimum_payments])
    ppa_floors = np.array([payment["ppa"] for payment in constants.minimum_payments])
    baseline_arrays: dict[str, np.ndarray] | None = None
    results = []
    mva = 0.0
    rsa_paid = False
    all_complete = True
    for offer, (grid, grid_complete) in zip(scenario.offers, grids, strict=True):
        all_complete = all_complete and grid_complete
        hours = float(offer.hours_per_month)
        applied = law.apply(
            grid.data, grid.levels, household, offer, cal, floors, np.array(constants.rsa_base), ppa_floors
        )
        here, zero = grid.index_of(hours), grid.index_of(0.0)
        if here is None or zero is None:
            raise KeyError(hours)
        with_arrays = {key: values[here] for key, values in applied.data.items()}
        base = {key: values[zero] for key, values in applied.data.items()}
        if baseline_arrays is None:
            baseline_arrays = base
        active = active_months(offer)
        allowed = work_allowed(household, offer)
        paid = paid_months(household, offer)
        with_frame = _frame(with_arrays)
        difference = (with_frame - _frame(base)).round(2) + 0.0
        lag = _lag_frame(cal, with_arrays, base, applied.counted[here] if cal.quarterly else None, paid, allowed)
        mva = max(mva, float(np.max(with_arrays["mva"])), float(np.max(base["mva"])))
        no_rsa = not (with_frame["rsa"].any() or _frame(base)["rsa"].any())
        rsa_paid = rsa_paid or not no_rsa
        no_ppa = not (with_frame["ppa"].any() or _frame(base)["ppa"].any())
        story = explain.lag_summary(
            lag,
            cal,
            explain.no_rsa_reason(household, constants.age_rules) if no_rsa else "",
            explain.no_ppa_reason(household, offer) if no_ppa else "",
        )
        results.append(
            OfferResult(
                offer=offer,
                with_offer=with_frame,
                difference=difference,
                lag=lag,
                rights=explain.rights(offer, float(with_arrays["gross"].sum()), float(smic[0]), applied.end, hours),
                warnings=tuple(explain.offer_warnings(household, offer, allowed, active, smic)),
                explained_cases=tuple(
                    explain.explained_cases(grid.levels, applied.data, hours, paid, constants.minimum_payments)
                )
                if grid_complete
                else (),
                after_job=explain.after_job(cal, paid, difference),
                neutralisation=explain.neutralisation(
                    cal, offer, applied.end, hours, bool(applied.neutralised[here]), with_frame, lag, not no_rsa
                ),
                story=story,
            )
        )
    if baseline_arrays is None:  # validate() allows no scenario without an offer
        raise ValueError("a scenario has at least one offer")
    notes = explain.scenario_notes(
        household,
        scenario.offers,
        cal,
        commune=household.commune or figures.commune_name(household.depcom) or household.depcom,
        legislation=constants.legislation_date,
        version=constants.openfisca_version,
        smic=constants.smic,
        age_rules=constants.age_rules,
        mva=mva,
        rsa_paid=rsa_paid,
    )
    return Result(
        scenario=scenario,
        baseline=_frame(baseline_arrays),
        offers=tuple(results),
        legislation_date=constants.legislation_date,
        openfisca_version=constants.openfisca_version,
        notes=tuple(notes),
        calendar=cal,
        further=tuple(explain.further_reading(household, scenario.offers, cal)),
        complete=all_complete,
    )


def calendar_of(scenario: Scenario) -> law.Calendar:
    """The months the RSA and the prime d'activité of ``scenario`` count, under its rules."""
    return law.Calendar(scenario.rules, int(scenario.declaration_month), bool(scenario.household.prefilled_declaration))


def pairs_of(scenario: Scenario) -> list[Pair]:
    """The (household, offer) pairs whose grids ``scenario`` needs."""
    return [(scenario.household, offer) for offer in scenario.offers]


@dataclass(frozen=True)
class Simulator:
    """The model as a view asks it: checks, figures now, the slider's other hours later.

    Why an object: the view is handed one (by :func:`widgets.remuneration.view.show`) and never
    reaches past it to the cache; a test hands it one built on figures of its own.
    """

    figures: Figures

    def validate(self, scenario: Scenario) -> None:
        validate(scenario, self.figures)

    def simulate(self, scenario: Scenario, complete: bool = True) -> Result:
        return simulate(scenario, self.figures, complete)

    def is_ready(self, scenario: Scenario) -> bool:
        """True if :meth:`simulate` will answer without running OpenFisca (instant)."""
        return self.figures.ready(pairs_of(scenario))

    def complete_later(self, scenario: Scenario, on_done: Callable[[], None]) -> None:
        """Fill the slider's other hours of ``scenario`` in the background, then call ``on_done``
        (from a background thread): the cliffs can then be explained and every hour is instant."""
        self.figures.complete_later(pairs_of(scenario), on_done)
