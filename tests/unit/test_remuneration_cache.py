"""The cache's two speeds: first figures from the asked hours only, the slider's grid in the background.

Why with a fake OpenFisca: these tests are about scheduling (what is computed, in which order, who
waits for whom), so no figure depends on OpenFisca; figures themselves are compared with OpenFisca
elsewhere. A background run's « months » advance only when the test opens its gate, and the test
waits on events (a run started, a learner asked), never for a fixed time: the order of events is
then the same on a loaded machine as on a quiet one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import pytest

from widgets.remuneration import cache
from widgets.remuneration import openfisca_adapter as adapter
from widgets.remuneration.inputs import Household, Offer

WAIT_S = 30.0  # a safety bound for every wait: reached only if the code under test is broken


@dataclass
class Run:
    """One run of the fake OpenFisca, as the tests read it."""

    rent: float
    rows: int
    background: bool
    months: int = 0
    finished: bool = False


@dataclass
class FakeOpenFisca:
    """Records each run; a background run (one that can be told to stop) waits at each month until
    :attr:`gate` is open, and gives way at the next month once ``should_stop`` says so."""

    calls: list[Run] = field(default_factory=list)
    gate: threading.Event = field(default_factory=threading.Event)
    background_started: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, household, rows, months=adapter.MONTHS, should_stop=None):
        background = should_stop is not None
        call = Run(household.rent, len(rows), background)
        with self.lock:
            self.calls.append(call)
        if background:
            self.background_started.set()
        for _month in months:
            if background and should_stop():
                raise adapter.Interrupted()
            if background and not self.gate.wait(WAIT_S):
                raise TimeoutError("the test never let the background run go on")
            call.months += 1
        call.finished = True
        levels = np.array([sum(float(v.sum()) for v in row.values()) if row else 0.0 for row in rows])
        return {key: np.tile(levels[:, None], (1, 12)) for key in adapter.OUTPUT_KEYS}


@pytest.fixture
def fake_openfisca(monkeypatch):
    fake = FakeOpenFisca()
    fake.gate.set()  # months flow unless a test closes the gate
    monkeypatch.setenv("FAIRE_AVEC_CACHE", "")
    monkeypatch.setattr(adapter, "run", fake.run)
    monkeypatch.setattr(adapter, "smic_hourly", lambda month: 12.0)
    monkeypatch.setattr(adapter, "minimum_payments", lambda month: {"rsa": 6.0, "ppa": 15.0})
    monkeypatch.setattr(adapter, "legislation_date", lambda: "2026-10-01")
    monkeypatch.setattr(adapter, "rsa_base_amount", lambda month: 650.0)
    monkeypatch.setattr(
        adapter, "age_rules", lambda: {"rsa_min_age": 25.0, "rsa_young_hours": 3214.0, "ppa_min_age": 18.0}
    )
    cache.clear_memory()
    yield fake
    fake.gate.set()
    assert cache.wait_for_background(WAIT_S), "the background thread did not finish"
    cache.clear_memory()


def test_first_figures_simulate_only_the_baseline_and_the_asked_hours(fake_openfisca) -> None:
    calls = fake_openfisca.calls
    household, offer = Household(rent=501.0), Offer("salaire", 37.5, 10.0, 1, 12)
    grid = cache.grid_for(household, offer, full=False)
    assert calls[-1].rows == 2  # « 0 h » (the baseline) and 37,5 h
    assert sorted(grid.levels.tolist()) == [0.0, 37.5] and not cache.is_complete(grid)
    assert cache.is_ready(household, offer)
    # the full grid adds every whole hour, keeps the 37,5 h already known, and is then complete
    full = cache.grid_for(household, offer, full=True)
    assert calls[-1].rows == 201  # row 0 (no offer) + 1..200 h; 37,5 h is not simulated again
    assert cache.is_complete(full) and full.index_of(37.5) is not None
    count = len(calls)
    cache.grid_for(household, offer.with_hours(120), full=False)
    assert len(calls) == count  # a whole hour of a complete grid: no run


def test_a_learners_request_interrupts_the_background_grid_which_resumes_after(fake_openfisca) -> None:
    fake = fake_openfisca
    fake.gate.clear()  # the background run stops at its first month until the learner has asked
    background_case = (Household(rent=502.0), Offer("salaire", 10, 10.0, 1, 12))
    done = threading.Event()
    cache.complete_in_background([background_case], done.set)
    assert fake.background_started.wait(WAIT_S)

    learner = threading.Thread(
        target=cache.grid_for, args=(Household(rent=503.0), Offer("salaire", 20, 10.0, 1, 12)), kwargs={"full": False}
    )
    learner.start()
    assert cache._INTERRUPT.wait(WAIT_S)  # the learner asked the background run to give way
    fake.gate.set()  # one more month: the background run sees the request and stops
    learner.join(WAIT_S)
    assert not learner.is_alive()
    first_background = fake.calls[0]
    assert first_background.background and not first_background.finished
    assert first_background.months == 1  # it gave way within one simulated month
    learners_run = next(call for call in fake.calls if not call.background)
    assert learners_run.rent == 503.0 and learners_run.finished

    assert done.wait(WAIT_S)
    grid = cache.grid_for(*background_case, full=False)
    assert cache.is_complete(grid)
    background_runs = [call for call in fake.calls if call.background]
    assert len(background_runs) == 2 and background_runs[-1].finished  # tried again, then finished


def test_only_the_latest_background_request_is_kept(fake_openfisca) -> None:
    fake = fake_openfisca
    fake.gate.clear()  # the first request is held at its first month while the others arrive
    cases = [(Household(rent=510.0 + i), Offer("salaire", 10, 10.0, 1, 12)) for i in range(4)]
    cache.complete_in_background([cases[0]])
    assert fake.background_started.wait(WAIT_S)
    for case in cases[1:]:
        cache.complete_in_background([case])
    fake.gate.set()
    assert cache.wait_for_background(WAIT_S)
    finished = [call.rent for call in fake.calls if call.finished]
    assert finished == [510.0, 513.0]  # the one running, then only the latest: 511 and 512 were dropped


def test_every_input_that_changes_a_figure_changes_the_grid_key() -> None:
    """Two offers differing only by their hourly rate (or the AAH rate) must never share a grid:
    a cache hit would then show another case's figures."""
    household, offer = Household(rent=500.0), Offer("salaire", 20.0, 12.0, 1, 12)
    key = cache.GridKey.of(household, offer)
    assert cache.GridKey.of(household, Offer("salaire", 20.0, 15.0, 1, 12)) != key
    assert cache.GridKey.of(Household(rent=500.0, aah_incapacity_rate=0.8), offer) != key
    assert cache.GridKey.of(household, offer).hourly_rate == 12.0
    # what never changes a figure does not split the cache: the hours (a grid holds them all), the name
    assert cache.GridKey.of(household, offer.with_hours(35.0)) == key
    assert cache.GridKey.of(Household(rent=500, commune="Ailleurs"), offer) == key
