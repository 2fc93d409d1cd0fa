"""Benchmark of the remuneration simulator: prints figures and ratios, asserts nothing (it is not a test).

Why: a case not prepared in advance (another commune, another rent, another age…) must show its
first figures in at most half the time of one naive OpenFisca simulation of the same case, and a
slider move on a prepared case must stay instant. Both sides are measured in this process, with the
same TaxBenefitSystem, on new cases each round, alternating which side goes first, so the load of
the machine weighs on both alike:

* naive: what a person would write with OpenFisca's documentation — one simulation built from a
  situation dictionary (``build_from_entities``) holding the household without and with the offer,
  then RSA, prime d'activité, housing aid, AF + CF + ASF, AAH and net pay for the 12 months;
* first figures: :func:`widgets.remuneration.model.simulate` with ``complete=False`` (checks, the
  OpenFisca run for the asked hours and the baseline, tables and French explanations), nothing in
  the memory cache and no disk cache.

    .venv/bin/python bench/bench_remuneration.py [--rounds N] [--quick]

Nothing is drawn: the view's chart is serialised (its cost is counted) but never printed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from widgets.remuneration.inputs import Household, Offer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ["FAIRE_AVEC_CACHE"] = ""  # in-process figures: memory cache only, nothing read from .cache/

YEAR = 2026
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
HISTORY = [f"{y}-{m:02d}" for y in (YEAR - 2, YEAR - 1, YEAR) for m in range(1, 13)]


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms   (n={len(ordered)})"


def naive_run(tbs: Any, household: Household, offer: Offer, smic: Sequence[float]) -> dict[str, list[float]]:
    """One OpenFisca simulation of the case, written from OpenFisca's documentation (no cache, no shortcut)."""
    from openfisca_core.simulation_builder import SimulationBuilder

    # OpenFisca's situation: entity → id → variable → period → value
    persons: dict[str, dict[str, dict[str, object]]] = {}
    families: dict[str, object] = {}
    tax_units: dict[str, object] = {}
    homes: dict[str, object] = {}
    for n, with_offer in enumerate((False, True)):
        adults = [f"a{n}_{i}" for i in range(2 if household.couple else 1)]
        kids = [f"k{n}_{i}" for i in range(len(household.children))]
        for pid, age in zip(adults, household.adult_ages, strict=True):
            persons[pid] = {"date_naissance": {"ETERNITY": f"{YEAR - age}-01-01"}}
        for pid, age in zip(kids, household.children, strict=True):
            persons[pid] = {"date_naissance": {"ETERNITY": f"{YEAR - 1 - age}-07-01"}}
        if with_offer:
            persons[adults[0]]["salaire_de_base"] = {
                month: offer.hours_per_month * (offer.hourly_rate or smic[i])
                if offer.start_month <= i + 1 < offer.start_month + offer.duration_months
                else 0.0
                for i, month in enumerate(MONTHS)
            }
        families[f"f{n}"] = {
            "parents": adults,
            "enfants": kids,
            "departement_experimentation_rsa": {m: household.prefilled_declaration for m in HISTORY},
        }
        tax_units[f"t{n}"] = {"declarants": adults, "personnes_a_charge": kids}
        homes[f"m{n}"] = {
            "personne_de_reference": adults[:1],
            "conjoint": adults[1:],
            "enfants": kids,
            "loyer": {m: household.rent for m in HISTORY},
            "statut_occupation_logement": {m: "locataire_vide" for m in HISTORY},
            "depcom": {m: household.depcom for m in HISTORY},
        }
    situation = {"individus": persons, "familles": families, "foyers_fiscaux": tax_units, "menages": homes}
    simulation = SimulationBuilder().build_from_entities(tbs, situation)
    out: dict[str, list[float]] = {}
    for month in MONTHS:
        for variable in ("rsa", "ppa", "aide_logement", "af", "cf", "asf", "aah", "salaire_net"):
            out.setdefault(variable, []).append(float(simulation.calculate(variable, month)[-1]))
    return out


COLD_FIRST_FIGURES = """
import time; t = time.perf_counter()
from widgets.remuneration import model
from widgets.remuneration.inputs import Household, Offer, Scenario
result = model.simulate(Scenario(Household(couple=True, children=(4,), rent=620.0), (Offer('salaire', 42, 13.5, 2, 8),)), complete=False)
print(f"{time.perf_counter() - t:.2f}")
"""


def cold_start(cache_dir: str) -> float:
    env = dict(os.environ, FAIRE_AVEC_CACHE=cache_dir)
    out = subprocess.run(
        [sys.executable, "-c", COLD_FIRST_FIGURES], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="side-by-side rounds (new case each round)")
    parser.add_argument("--quick", action="store_true", help="3 rounds, fewer slider samples, no cold start")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    rng = random.Random(2026)

    from widgets.remuneration import cache, content, model
    from widgets.remuneration import openfisca_adapter as adapter
    from widgets.remuneration.inputs import Household, Offer, Scenario

    print(f"Machine : {os.cpu_count()} cœurs, charge moyenne au départ {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    tbs = adapter.tax_benefit_system()
    print(f"TaxBenefitSystem (une fois par processus) :            {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    constants = cache.constants()
    print(f"Paramètres lus une fois (SMIC, date de législation) :  {time.perf_counter() - started:.2f} s")
    smic = constants.smic

    # One round of each, not measured: the first simulation of a process pays one-off costs.
    warm = Household(rent=433.0)
    naive_run(tbs, warm, Offer("salaire", 50, None, 3, 6), smic)
    model.simulate(Scenario(warm, (Offer("salaire", 50, None, 3, 6),)), complete=False)

    print(f"\n== Un cas non préparé : premiers chiffres contre une simulation OpenFisca naïve ({rounds} tours) ==")
    naive, first, full = [], [], []
    for index in range(rounds):
        household = Household(
            couple=index % 2 == 1,
            age=30 + index,
            partner_age=28 + index,
            children=(5, 9)[: index % 3],
            rent=500.0 + 17 * index,  # a new rent: nothing cached
            depcom=("69266", "38185", "42218")[index % 3],
            commune="",
        )
        offer = Offer("salaire", float(rng.randint(20, 120)), None, 1 + index % 6, 6)
        sides = ["naive", "first"] if index % 2 == 0 else ["first", "naive"]
        for side in sides:
            t = time.perf_counter()
            if side == "naive":
                reference = naive_run(tbs, household, offer, smic)
                naive.append(time.perf_counter() - t)
            else:
                result = model.simulate(Scenario(household, (offer,)), complete=False)
                first.append(time.perf_counter() - t)
        # the figures agree (to the cent) on RSA: both sides compute the same case
        gap = max(abs(a - b) for a, b in zip(result.offers[0].with_offer["rsa"], reference["rsa"], strict=True))
        t = time.perf_counter()
        cache.grids_for([(household, offer)], full=True)  # what the background thread then does
        full.append(time.perf_counter() - t)
        print(
            f"  tour {index + 1} : naïf {naive[-1]:5.2f} s · premiers chiffres {first[-1]:5.2f} s · "
            f"grille complète ensuite {full[-1]:5.2f} s · écart RSA {gap:.2f} €"
        )
    ratio = statistics.median(first) / statistics.median(naive)
    print(f"naïf (1 simulation OpenFisca, situation en dictionnaire) : {percentiles(naive)}")
    print(f"premiers chiffres (model.simulate, complete=False) :     {percentiles(first)}")
    print(f"grille des 201 niveaux d'heures (en arrière-plan) :      {percentiles(full)}")
    print(f"RAPPORT premiers chiffres / naïf (médianes) : {ratio:.2f}   (objectif ≤ 0,50)")

    print("\n== Cas préparés (grilles en mémoire) ==")
    profiles = content.load_profiles()
    pairs = content.preset_pairs(profiles)
    t = time.perf_counter()
    computed = cache.warm_up(pairs)
    print(f"warm_up de {computed} grilles (cas types × situations) : {time.perf_counter() - t:.2f} s")
    presets = [Scenario(h, (o,)) for h, o in pairs]
    samples = []
    for _ in range(50 if args.quick else 300):
        scenario = rng.choice(presets)
        t = time.perf_counter()
        model.simulate(scenario)
        samples.append(time.perf_counter() - t)
    print(f"changement de cas type :                 {percentiles(samples)}")
    base = presets[0]
    samples = []
    for _ in range(100 if args.quick else 500):
        t = time.perf_counter()
        model.simulate(Scenario(base.household, (base.offers[0].with_hours(rng.randint(0, 200)),)))
        samples.append(time.perf_counter() - t)
    print(f"curseur des heures (0 à 200) :           {percentiles(samples)}")

    # The view's whole redraw in the kernel (tables, chart serialised to JSON, widget messages);
    # the chart is never printed.
    import widgets.ui as ui
    from widgets.remuneration.view import RemunerationView

    sizes = []
    ui.show_figure = lambda figure: sizes.append(len(figure.to_json()))
    samples = []
    # Outside a kernel, ipywidgets' Output writes terminal escapes when cleared: keep them off the report.
    with contextlib.redirect_stdout(io.StringIO()):
        view = RemunerationView()
        for hours in [rng.randint(0, 200) for _ in range(20 if args.quick else 60)]:
            t = time.perf_counter()
            view.offers[0].hours.value = float(hours)
            samples.append(time.perf_counter() - t)
    print(
        f"VUE : curseur, page redessinée :         {percentiles(samples)}  (graphique : {sizes[-1] // 1024} ko de JSON)"
    )
    cache.wait_for_background(120)

    if not args.quick:
        with tempfile.TemporaryDirectory() as directory:
            print(
                f"\nDémarrage à froid (nouveau processus, cache vide, TaxBenefitSystem compris) : {cold_start(directory):.2f} s"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Mémoire maximale de ce processus : {peak:.0f} Mo")


if __name__ == "__main__":
    main()
