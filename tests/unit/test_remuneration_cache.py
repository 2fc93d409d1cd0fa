"""The cache's two speeds: first figures from the asked hours only, the slider's grid in the background.

Why with a fake OpenFisca: these tests are about scheduling (what is computed, in which order, who
waits for whom), so each simulated « month » is a short sleep whose length the test controls, and
no figure depends on OpenFisca. Figures themselves are compared with OpenFisca elsewhere.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from widgets.remuneration import cache
from widgets.remuneration import openfisca_adapter as adapter
from widgets.remuneration.inputs import Household, Offer

MONTH_SECONDS = 0.05


@pytest.fixture
def fake_openfisca(monkeypatch):
    """An adapter whose run records its calls and takes MONTH_SECONDS per month, asking should_stop."""
    calls: list[dict[str, object]] = []
    lock = threading.Lock()

    def run(household, rows, months=adapter.MONTHS, should_stop=None):
        call = {"rent": household.rent, "rows": len(rows), "finished": False, "background": should_stop is not None}
        with lock:
            calls.append(call)
        for _month in months:
            if should_stop is not None and should_stop():
                raise adapter.Interrupted()
            time.sleep(MONTH_SECONDS)
        call["finished"] = True
        levels = np.array([sum(float(v.sum()) for v in row.values()) if row else 0.0 for row in rows])
        return {key: np.tile(levels[:, None], (1, 12)) for key in adapter.OUTPUT_KEYS}

    monkeypatch.setenv("FAIRE_AVEC_CACHE", "")
    monkeypatch.setattr(adapter, "run", run)
    monkeypatch.setattr(adapter, "smic_hourly", lambda month: 12.0)
    monkeypatch.setattr(adapter, "minimum_payments", lambda month: {"rsa": 6.0, "ppa": 15.0})
    monkeypatch.setattr(adapter, "legislation_date", lambda: "2026-10-01")
    monkeypatch.setattr(adapter, "rsa_base_amount", lambda month: 650.0)
    monkeypatch.setattr(
        adapter, "age_rules", lambda: {"rsa_min_age": 25.0, "rsa_young_hours": 3214.0, "ppa_min_age": 18.0}
    )
    cache.clear_memory()
    yield calls
    assert cache.wait_for_background(30), "the background thread did not finish"
    cache.clear_memory()


def test_first_figures_simulate_only_the_baseline_and_the_asked_hours(fake_openfisca) -> None:
    household, offer = Household(rent=501.0), Offer("salaire", 37.5, 10.0, 1, 12)
    grid = cache.grid_for(household, offer, full=False)
    assert fake_openfisca[-1]["rows"] == 2  # « 0 h » (the baseline) and 37,5 h
    assert sorted(grid.levels.tolist()) == [0.0, 37.5] and not cache.is_complete(grid)
    assert cache.is_ready(household, offer)
    # the full grid adds every whole hour, keeps the 37,5 h already known, and is then complete
    full = cache.grid_for(household, offer, full=True)
    assert fake_openfisca[-1]["rows"] == 201  # row 0 (no offer) + 1..200 h; 37,5 h is not simulated again
    assert cache.is_complete(full) and full.index_of(37.5) is not None
    count = len(fake_openfisca)
    cache.grid_for(household, offer.with_hours(120), full=False)
    assert len(fake_openfisca) == count  # a whole hour of a complete grid: no run


def test_a_learners_request_interrupts_the_background_grid_which_resumes_after(fake_openfisca) -> None:
    background_case = (Household(rent=502.0), Offer("salaire", 10, 10.0, 1, 12))
    done = threading.Event()
    cache.complete_in_background([background_case], done.set)
    deadline = time.monotonic() + 10
    while not fake_openfisca and time.monotonic() < deadline:  # the background run has started
        time.sleep(0.01)
    assert fake_openfisca and fake_openfisca[0]["background"]

    started = time.perf_counter()
    cache.grid_for(Household(rent=503.0), Offer("salaire", 20, 10.0, 1, 12), full=False)
    waited = time.perf_counter() - started
    # the learner's run (12 months) plus at most one month of the background run, with room for a loaded machine
    assert waited < 12 * MONTH_SECONDS + 2.0
    first_background = fake_openfisca[0]
    assert not first_background["finished"]  # it gave way

    assert done.wait(30)
    grid = cache.grid_for(*background_case, full=False)
    assert cache.is_complete(grid)
    background_runs = [call for call in fake_openfisca if call["background"]]
    assert len(background_runs) == 2 and background_runs[-1]["finished"]  # tried again, then finished


def test_only_the_latest_background_request_is_kept(fake_openfisca) -> None:
    cases = [(Household(rent=510.0 + i), Offer("salaire", 10, 10.0, 1, 12)) for i in range(4)]
    for case in cases:
        cache.complete_in_background([case])
    assert cache.wait_for_background(30)
    rents = {call["rent"] for call in fake_openfisca if call["finished"]}
    assert 513.0 in rents  # the last one is computed
    assert len(rents) < 4  # older ones were dropped (or at most the one already running)


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
