"""Benchmark of the remuneration simulator: prints figures, asserts nothing (it is not a test).

Why: the issue asks that a preset or a slider change redraws in ≤ 150 ms p95, while one OpenFisca
simulation costs about 2 s. This script measures what the model's cache gives against the naive
design (one OpenFisca simulation per change), and what a cold start costs.

    .venv/bin/python bench/bench_remuneration.py [--quick]

Cold-start figures run in fresh subprocesses with a temporary cache directory, so they do not
depend on this process nor on the repository's ``.cache/``.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"p50 {statistics.median(ordered) * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms   (n={len(ordered)})"


def _subprocess_seconds(code: str, cache: str) -> str:
    env = dict(os.environ, FAIRE_AVEC_CACHE=cache)
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


COLD_IMPORT = """
import time; t = time.perf_counter()
from widgets.remuneration import content, model
profiles = content.load_profiles()
print(f"{time.perf_counter() - t:.3f}")
"""
COLD_WARM_UP = """
import time; t = time.perf_counter()
from widgets.remuneration import cache, content, model
n = cache.warm_up(content.preset_pairs())
t1 = time.perf_counter()
model.simulate(content.load_profiles()[2].scenario())
print(f"{t1 - t:.2f} {time.perf_counter() - t1:.3f} {n}")
"""
COLD_CUSTOM = """
import time; t = time.perf_counter()
from widgets.remuneration import inputs, model
model.simulate(inputs.Scenario(inputs.Household(couple=True, children=1, rent=620), [inputs.Offer('salaire', 42, 13.5, 2, 8)]))
print(f"{time.perf_counter() - t:.2f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    naive_runs = 3 if args.quick else 8
    rng = random.Random(2026)

    print("== Cold start (fresh processes, temporary cache) ==")
    with tempfile.TemporaryDirectory() as cache:
        print(
            f"import model + load presets (no OpenFisca):          {float(_subprocess_seconds(COLD_IMPORT, cache)):.3f} s"
        )
        warm, first, computed = _subprocess_seconds(COLD_WARM_UP, cache).split()
        print(
            f"warm_up of {computed} preset grids, EMPTY disk cache:        {float(warm):.2f} s  (then first simulate {float(first) * 1000:.1f} ms)"
        )
        warm, first, computed = _subprocess_seconds(COLD_WARM_UP, cache).split()
        print(
            f"warm_up again in a new process, disk cache filled:    {float(warm):.2f} s  (grids computed: {computed}; first simulate {float(first) * 1000:.1f} ms)"
        )
        print(
            f"fully custom case, new process (TBS + 1 grid):        {float(_subprocess_seconds(COLD_CUSTOM, cache)):.2f} s"
        )
        size = sum(p.stat().st_size for p in Path(cache).iterdir())
        print(
            f"disk cache size for the presets + 1 custom grid:      {size / 1024:.0f} kB in {len(list(Path(cache).iterdir()))} files"
        )

    os.environ["FAIRE_AVEC_CACHE"] = ""  # in-process figures: memory cache only
    from widgets.remuneration import cache, content, model
    from widgets.remuneration import openfisca_adapter as simulation
    from widgets.remuneration.inputs import Household, Scenario

    t = time.perf_counter()
    simulation.tax_benefit_system()
    print(
        f"\n== In one process ==\nTaxBenefitSystem build:                                {time.perf_counter() - t:.2f} s"
    )
    t = time.perf_counter()
    cache.warm_up(content.preset_pairs())
    print(f"warm_up of every preset × situation (memory only):    {time.perf_counter() - t:.2f} s")

    profiles = content.load_profiles()
    presets = [Scenario(h, (o,)) for h, o in content.preset_pairs(profiles)]
    samples = []
    for _ in range(300):
        scenario = rng.choice(presets)
        t = time.perf_counter()
        model.simulate(scenario)
        samples.append(time.perf_counter() - t)
    print(f"preset change, cached:                                 {_percentiles(samples)}")

    samples = []
    base = presets[0]
    for _ in range(500):
        offer = base.offers[0].with_hours(rng.randint(0, 200))
        t = time.perf_counter()
        model.simulate(Scenario(base.household, (offer,)))
        samples.append(time.perf_counter() - t)
    print(f"slider change (hours 0–200), cached:                   {_percentiles(samples)}")

    samples = []
    two = Scenario(Household(situation="RSA"), (profiles[1].offer, profiles[2].offer))
    model.simulate(two)
    for _ in range(200):
        offers = (profiles[1].offer.with_hours(rng.randint(0, 200)), profiles[2].offer.with_hours(rng.randint(0, 200)))
        t = time.perf_counter()
        model.simulate(Scenario(two.household, offers))
        samples.append(time.perf_counter() - t)
    print(f"slider change, two offers compared, cached:            {_percentiles(samples)}")

    samples = []
    for _ in range(naive_runs):
        offer = base.offers[0].with_hours(rng.randint(1, 200))
        t = time.perf_counter()
        simulation.run(
            base.household,
            [{}, simulation.income_row(base.household, offer, offer.hours_per_month, cache.constants().smic)],
        )
        samples.append(time.perf_counter() - t)
    print(f"NAIVE: one OpenFisca simulation per change:            {_percentiles(samples)}")

    samples = []
    for index in range(max(2, naive_runs // 2)):
        household = Household(rent=500 + 17 * index)  # a new rent: nothing cached
        t = time.perf_counter()
        model.simulate(Scenario(household, (profiles[2].offer,)))
        samples.append(time.perf_counter() - t)
    print(f"custom case (cache miss: 201 hour levels in 1 run):    {_percentiles(samples)}")

    samples = []
    for index in range(max(2, naive_runs // 2)):
        offer = profiles[2].offer.with_hours(37.25 + index)  # hours off the integer grid
        t = time.perf_counter()
        model.simulate(Scenario(base.household, (offer,)))
        samples.append(time.perf_counter() - t)
    print(f"off-grid hours on a cached grid (1 extra level):       {_percentiles(samples)}")

    # Whole view redraw on the kernel side: model + tables + chart JSON + widget messages (the browser
    # then draws the chart; measure that with bench/time_to_widgets.py and a browser profile).
    from widgets.remuneration.view import RemunerationView

    view = RemunerationView()
    samples = []
    for hours in [rng.randint(0, 200) for _ in range(60)]:
        t = time.perf_counter()
        view.offers[0].hours.value = hours
        samples.append(time.perf_counter() - t)
    print(f"VIEW: slider change, full redraw in the kernel:        {_percentiles(samples)}")
    samples = []
    for index in range(30):
        t = time.perf_counter()
        view.preset.value = profiles[index % len(profiles)].id
        samples.append(time.perf_counter() - t)
    print(f"VIEW: preset change, full redraw in the kernel:        {_percentiles(samples)}")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process:                              {peak:.0f} MB")


if __name__ == "__main__":
    main()
