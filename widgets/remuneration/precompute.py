"""Precomputed « grids » of OpenFisca results, so that a slider redraws instantly.

Why: one OpenFisca simulation costs about 2 s warm (5 s for the first of a process) but costs the
same for 1 or 600 listed households. So, the first time a household and an offer *shape* (form,
hourly rate, start month, duration) are asked for, every hour level 0, 1, …, 200 is simulated at
once (one row per level, row 0 = no pay = the baseline). Afterwards, moving the « heures par mois »
slider, or switching back to a preset, only reads numpy arrays: well under a millisecond.

Grids live in memory (bounded LRU) and on disk under ``.cache/remuneration/`` (compressed ``.npz``,
no pickle), keyed by the household, the offer shape and :func:`fingerprint` (OpenFisca versions +
source of the adapter and of this module), so a cache written by other code or another OpenFisca
is never reused; stale files are deleted. The cache directory holds a ``.gitignore`` ignoring
everything (and the repository ignores ``.cache/``): generated files are never committed. Set
``FAIRE_AVEC_CACHE`` to move it, or to an empty string to disable the disk cache.

Thread safety: :func:`warm_up` is meant to run in a background thread of a Voilà kernel while the
learner reads; dictionary access is guarded by a lock and OpenFisca runs are serialised by the
adapter's own lock.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from widgets.data import REPO_ROOT

from . import simulation
from .model import SALARY_FORMS, Household, Offer

LOGGER = logging.getLogger(__name__)

#: Hour levels simulated for every grid: every whole number of hours a slider can give.
GRID_HOURS: tuple[float, ...] = tuple(float(h) for h in range(0, 201))
MEMORY_GRIDS = 128  # about 201 × 12 × 8 arrays of float64 = 150 kB per grid

_MEMORY: OrderedDict[GridKey, Grid] = OrderedDict()
_MEMORY_LOCK = threading.Lock()
_COMPUTE_LOCK = threading.Lock()


@dataclass(frozen=True)
class GridKey:
    """Everything except the hours that changes the figures of an offer."""

    household: Household
    form: str
    hourly_rate: float | None
    start_month: int
    duration_months: int

    @classmethod
    def of(cls, household: Household, offer: Offer) -> GridKey:
        """Normalised key: 450 and 450.0 € of rent are the same grid, in memory and on disk."""
        rate = None if offer.hourly_rate is None else float(offer.hourly_rate)
        household = dataclasses.replace(
            household,
            couple=bool(household.couple),
            children=int(household.children),
            rent=float(household.rent),
            asylum_seeker=bool(household.asylum_seeker),
            asylum_months_at_start=int(household.asylum_months_at_start),
            prefilled_declaration=bool(household.prefilled_declaration),
        )
        return cls(household, offer.form, rate, int(offer.start_month), int(offer.duration_months))

    def digest(self) -> str:
        payload = json.dumps(
            {"key": dataclasses.asdict(self), "cache": fingerprint()},
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:24]


@dataclass
class Grid:
    """OpenFisca outputs for several hour levels: ``data[key][level_index, month_index]``."""

    levels: np.ndarray
    data: dict[str, np.ndarray]

    def index_of(self, hours: float) -> int | None:
        hits = np.flatnonzero(np.isclose(self.levels, hours, rtol=0.0, atol=1e-9))
        return int(hits[0]) if hits.size else None

    def row(self, hours: float) -> dict[str, np.ndarray]:
        index = self.index_of(hours)
        if index is None:
            raise KeyError(hours)
        return {key: values[index].copy() for key, values in self.data.items()}

    def merged(self, other: Grid) -> Grid:
        new = [i for i, level in enumerate(other.levels) if self.index_of(level) is None]
        levels = np.concatenate([self.levels, other.levels[new]])
        data = {key: np.concatenate([self.data[key], other.data[key][new]]) for key in self.data}
        order = np.argsort(levels, kind="stable")
        return Grid(levels[order], {key: values[order] for key, values in data.items()})


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """Cache version: OpenFisca versions + the adapter's and this module's source (both shape the grids)."""
    text = simulation.adapter_fingerprint().encode() + Path(__file__).read_bytes()
    return hashlib.sha256(text).hexdigest()[:16]


# --------------------------------------------------------------------------- offer description
def active_months(offer: Offer) -> np.ndarray:
    """Months of 2026 covered by the offer (months after December 2026 are outside the simulation)."""
    months = np.arange(1, 13)
    return (months >= offer.start_month) & (months < offer.start_month + offer.duration_months)


def work_allowed(household: Household, offer: Offer) -> np.ndarray:
    """Months in which the offer may be paid, for an asylum seeker (facts.md §4).

    No work authorisation is possible in the first 6 months of the asylum claim, and
    self-employment (micro-entreprise) is forbidden. Other households: always allowed.
    Volunteering and défraiements are not treated as work here (the requalification risk is a
    warning of the model).
    """
    allowed = np.ones(12, dtype=bool)
    if not household.asylum_seeker:
        return allowed
    if offer.form == "micro_bnc":
        return np.zeros(12, dtype=bool)
    if offer.form in SALARY_FORMS:
        months_since_claim = household.asylum_months_at_start + np.arange(12)
        allowed = months_since_claim >= 6
    return allowed


def hourly_rates(offer: Offer) -> np.ndarray:
    """Gross hourly rate for each month of 2026: the offer's rate, or the SMIC of each month."""
    if offer.hourly_rate is not None:
        return np.full(12, float(offer.hourly_rate))
    return np.array(constants().smic)


def income_row(household: Household, offer: Offer, hours: float) -> dict[str, np.ndarray]:
    """OpenFisca inputs of one offer at ``hours`` per month: amount = hours × rate, in paid months."""
    variable = simulation.FORM_VARIABLE[offer.form]
    if variable is None or hours == 0:
        return {}
    paid = active_months(offer) & work_allowed(household, offer)
    return {variable: np.where(paid, hours * hourly_rates(offer), 0.0)}


# --------------------------------------------------------------------------- disk cache
def cache_dir() -> Path | None:
    """Directory of the on-disk cache, created with a self-ignoring ``.gitignore``; None if disabled."""
    configured = os.environ.get("FAIRE_AVEC_CACHE")
    if configured == "":
        return None
    directory = Path(configured) if configured else REPO_ROOT / ".cache" / "remuneration"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        ignore = directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Generated by widgets.remuneration.precompute: never commit.\n*\n", encoding="utf-8")
    except OSError:
        LOGGER.warning("remuneration cache disabled: cannot write %s", directory)
        return None
    return directory


_PRUNED: set[Path] = set()


def _prune_stale(directory: Path) -> None:
    """Delete cache files written by another adapter version (once per process and directory)."""
    if directory in _PRUNED:
        return
    _PRUNED.add(directory)
    current = fingerprint()
    for path in [*directory.glob("grid-*.npz"), *directory.glob("constants-*.json")]:
        if not path.name.split("-")[1].startswith(current):
            path.unlink(missing_ok=True)


def _disk_path(key: GridKey) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    _prune_stale(directory)
    return directory / f"grid-{fingerprint()}-{key.digest()}.npz"


def cache_files(pairs: Iterable[tuple[Household, Offer]]) -> list[Path]:
    """On-disk files that hold ``pairs`` and the shared constants (those that exist), e.g. to give a
    test server exactly what `make warm` prepared and nothing a user computed since."""
    directory = cache_dir()
    if directory is None:
        return []
    paths = [_disk_path(GridKey.of(household, offer)) for household, offer in pairs]
    return [p for p in [*paths, *directory.glob("constants-*")] if p is not None and p.exists()]


def _load_disk(key: GridKey) -> Grid | None:
    path = _disk_path(key)
    if path is None or not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as archive:
            data = {name: archive[name] for name in simulation.OUTPUT_KEYS}
            return Grid(archive["levels"], data)
    except (OSError, KeyError, ValueError):
        LOGGER.warning("ignoring unreadable cache file %s", path)
        return None


def _save_disk(key: GridKey, grid: Grid) -> None:
    path = _disk_path(key)
    if path is None:
        return
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp.npz")
    try:
        np.savez_compressed(tmp, levels=grid.levels, **grid.data)
        os.replace(tmp, path)
    except OSError:
        LOGGER.warning("could not write cache file %s", path)
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Constants:
    """OpenFisca parameters the model needs besides the grids (cached so a warm start needs no TBS)."""

    smic: tuple[float, ...]  # gross hourly SMIC of each month of 2026
    minimum_payments: tuple[dict[str, float], ...]  # per month: {"rsa": 6.0, "ppa": 15.0}
    legislation_date: str
    openfisca_version: str


@functools.lru_cache(maxsize=1)
def constants() -> Constants:
    """Read the parameters from the disk cache, or from OpenFisca (builds the TBS, ~2 s) once."""
    directory = cache_dir()
    if directory is not None:
        _prune_stale(directory)
    path = None if directory is None else directory / f"constants-{fingerprint()}.json"
    if path is not None and path.exists():
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return Constants(
                tuple(raw["smic"]), tuple(raw["minimum_payments"]), raw["legislation_date"], raw["openfisca_version"]
            )
        except (OSError, ValueError, KeyError):
            LOGGER.warning("ignoring unreadable cache file %s", path)
    months = simulation.OUTPUT_MONTHS
    result = Constants(
        smic=tuple(simulation.smic_hourly(month) for month in months),
        minimum_payments=tuple(simulation.minimum_payments(month) for month in months),
        legislation_date=simulation.legislation_date(),
        openfisca_version=simulation.versions()["openfisca-france"],
    )
    if path is not None:
        try:
            path.write_text(json.dumps(dataclasses.asdict(result)), encoding="utf-8")
        except OSError:
            LOGGER.warning("could not write cache file %s", path)
    return result


# --------------------------------------------------------------------------- memory cache
def _remember(key: GridKey, grid: Grid) -> Grid:
    with _MEMORY_LOCK:
        old = _MEMORY.pop(key, None)
        if old is not None:
            grid = old.merged(grid)
        _MEMORY[key] = grid
        while len(_MEMORY) > MEMORY_GRIDS:
            _MEMORY.popitem(last=False)
    return grid


def _from_memory(key: GridKey) -> Grid | None:
    with _MEMORY_LOCK:
        grid = _MEMORY.get(key)
        if grid is not None:
            _MEMORY.move_to_end(key)
        return grid


def clear_memory() -> None:
    """Forget the in-memory grids (the disk cache stays): used by benchmarks and tests."""
    with _MEMORY_LOCK:
        _MEMORY.clear()


# --------------------------------------------------------------------------- computing
def compute_grids(requests: Iterable[tuple[Household, Offer, Iterable[float]]]) -> dict[GridKey, Grid]:
    """Simulate many (household, offer shape, hour levels) at once: ONE OpenFisca run per household.

    Offers sharing a household share the simulation (and its row « 0 h », the baseline), so the
    three presets of one situation cost one ~2,5 s run instead of three.
    """
    by_household: dict[Household, list[tuple[GridKey, Offer, list[float]]]] = {}
    for household, offer, levels in requests:
        wanted = sorted({0.0, *(float(level) for level in levels)})
        by_household.setdefault(household, []).append((GridKey.of(household, offer), offer, wanted))
    grids: dict[GridKey, Grid] = {}
    for household, items in by_household.items():
        rows: list[dict[str, np.ndarray]] = [{}]  # row 0: no offer at all
        spans: list[tuple[GridKey, list[float], list[int]]] = []
        for key, offer, levels in items:
            indices = []
            for level in levels:
                if level == 0.0:
                    indices.append(0)
                else:
                    indices.append(len(rows))
                    rows.append(income_row(household, offer, level))
            spans.append((key, levels, indices))
        out = simulation.run(household, rows)
        for key, levels, indices in spans:
            grid = Grid(np.array(levels), {name: values[indices] for name, values in out.items()})
            grids[key] = grids[key].merged(grid) if key in grids else grid
    return grids


def _ensure(pairs: Iterable[tuple[Household, Offer]]) -> tuple[dict[GridKey, Grid], int]:
    """Grids holding every pair's hours: memory, then disk, then ONE OpenFisca run per household.

    A grid seen for the first time gets every level of :data:`GRID_HOURS` (same cost as one
    level); a known grid missing an unusual number of hours (e.g. 37,5) gets just that level.
    Returns the grids and how many were (re)computed.
    """
    grids: dict[GridKey, Grid] = {}
    requests: dict[GridKey, tuple[Household, Offer, set[float]]] = {}
    for household, offer in pairs:
        key = GridKey.of(household, offer)
        hours = float(offer.hours_per_month)
        grid = _from_memory(key)
        if grid is None:
            disk = _load_disk(key)
            if disk is not None:
                grid = _remember(key, disk)
        if grid is not None and grid.index_of(hours) is not None and key not in requests:
            grids[key] = grid
            continue
        levels = set() if grid is not None else set(GRID_HOURS)
        requests.setdefault(key, (household, offer, levels))[2].add(hours)
    by_household: dict[Household, list[tuple[GridKey, tuple[Household, Offer, set[float]]]]] = {}
    for key, request in requests.items():
        by_household.setdefault(request[0], []).append((key, request))
    computed_count = 0
    for items in by_household.values():
        # One household at a time under the lock: a learner's click waits for at most one run of a
        # background warm-up, and a grid computed meanwhile by another thread is not recomputed.
        with _COMPUTE_LOCK:
            still_missing = []
            for key, (household, offer, levels) in items:
                grid = _from_memory(key)
                if grid is not None and all(grid.index_of(level) is not None for level in levels):
                    grids[key] = grid
                else:
                    still_missing.append((household, offer, levels))
            if not still_missing:
                continue
            for key, computed in compute_grids(still_missing).items():
                grid = _remember(key, computed)
                _save_disk(key, grid)
                grids[key] = grid
                computed_count += 1
    return grids, computed_count


def grid_for(household: Household, offer: Offer) -> Grid:
    """Return a grid holding ``offer.hours_per_month`` (instant if cached, ~2 s otherwise)."""
    grids, _ = _ensure([(household, offer)])
    return grids[GridKey.of(household, offer)]


def is_ready(household: Household, offer: Offer) -> bool:
    """True if :func:`grid_for` will answer from memory, without OpenFisca (lets a view skip a spinner)."""
    grid = _from_memory(GridKey.of(household, offer))
    return grid is not None and grid.index_of(float(offer.hours_per_month)) is not None


def warm_up(pairs: Iterable[tuple[Household, Offer]]) -> int:
    """Fill the caches for (household, offer) pairs, reading the disk first; returns grids computed.

    Background-friendly: call it from a thread at kernel start with the presets, so the first
    preset click is instant. Pairs already cached cost nothing; pairs sharing a household share
    one OpenFisca run.
    """
    return _ensure(pairs)[1]


def main() -> int:
    """``make warm``: fill the on-disk cache for every preset × situation, so no learner waits."""
    import time

    from widgets.remuneration.model import preset_pairs

    started = time.perf_counter()
    simulated = warm_up(preset_pairs())
    print(
        f"Simulateur : {simulated} grille(s) calculée(s) avec OpenFisca en {time.perf_counter() - started:.1f} s "
        f"(cache : {cache_dir()})."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
