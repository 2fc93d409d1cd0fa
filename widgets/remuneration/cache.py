"""Precomputed « grids » of OpenFisca results, so that a slider redraws instantly.

Why: one OpenFisca simulation costs about 2 s warm but costs the same for 1 or 600 listed
households. So, the first time a household and an offer *shape* (form, hourly rate, start month,
duration) are asked for, every hour level 0, 1, …, 200 is simulated at once (one row per level,
row 0 = no pay = the baseline). Afterwards, moving the « heures par mois » slider, or switching back
to a preset, only reads numpy arrays: well under a millisecond.

Grids live in memory (bounded LRU) and on disk under ``.cache/remuneration/`` (compressed ``.npz``,
no pickle), keyed by the household, the offer shape and :func:`fingerprint`: the OpenFisca versions
and the source of every module whose rules shape a figure (:data:`RULE_MODULES`), so a cache written
by other rules or another OpenFisca is never reused; stale files are deleted. The cache directory
holds a ``.gitignore`` ignoring everything (and the repository ignores ``.cache/``): generated files
are never committed. Set ``FAIRE_AVEC_CACHE`` to move it, or to an empty string to disable the disk
cache.

Thread safety: :func:`warm_up` is meant to run in a background thread of a Voilà kernel while the
learner reads; dictionary access is guarded by a lock and OpenFisca runs are serialised.

``python -m widgets.remuneration.cache`` (``make warm``) fills the disk cache for every preset.
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

from . import openfisca_adapter as adapter
from .inputs import MONTHS, Household, Offer

LOGGER = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parents[1]

#: Modules whose source shapes the cached figures: the input vocabulary (which months are paid,
#: which forms are salaries), the OpenFisca adapter (how a household is described) and this module
#: (which levels are stored). Editing any of them invalidates every cached grid.
RULE_MODULES: tuple[str, ...] = ("inputs", "openfisca_adapter", "cache")

#: Hour levels simulated for every grid: every whole number of hours a slider can give.
GRID_HOURS: tuple[float, ...] = tuple(float(h) for h in range(0, 201))
MEMORY_GRIDS = 128  # about 201 × 12 × 8 arrays of float64 = 150 kB per grid


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
        couple, tenant, asylum = bool(household.couple), household.housing == "locataire", bool(household.asylum_seeker)
        rate = household.aah_incapacity_rate
        household = dataclasses.replace(
            household,
            couple=couple,
            age=int(household.age),
            partner_age=int(household.partner_age) if couple else 0,
            children=tuple(int(age) for age in household.children),
            rent=float(household.rent) if tenant else 0.0,
            commune="",  # a name never changes a figure
            aah_incapacity_rate=None if rate is None else float(rate),
            asylum_seeker=asylum,
            asylum_months_at_start=int(household.asylum_months_at_start) if asylum else 0,
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


def rule_sources() -> dict[str, bytes]:
    """The source of each module of :data:`RULE_MODULES` (what :func:`fingerprint` hashes)."""
    return {name: (PACKAGE_DIR / f"{name}.py").read_bytes() for name in RULE_MODULES}


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """Cache version: OpenFisca versions + the source of every rule module (see :data:`RULE_MODULES`)."""
    digest = hashlib.sha256(repr(sorted(adapter.versions().items())).encode())
    for name, source in sorted(rule_sources().items()):
        digest.update(name.encode() + b"\0" + source + b"\0")
    return digest.hexdigest()[:16]


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
            ignore.write_text("# Generated by widgets.remuneration.cache: never commit.\n*\n", encoding="utf-8")
    except OSError:
        LOGGER.warning("remuneration cache disabled: cannot write %s", directory)
        return None
    return directory


_PRUNED: set[tuple[Path, str]] = set()


def _prune_stale(directory: Path) -> None:
    """Delete cache files written under another fingerprint (once per process, directory and fingerprint)."""
    current = fingerprint()
    if (directory, current) in _PRUNED:
        return
    _PRUNED.add((directory, current))
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
    return [p for p in [*paths, *directory.glob(f"constants-{fingerprint()}*")] if p is not None and p.exists()]


def _load_disk(key: GridKey) -> Grid | None:
    path = _disk_path(key)
    if path is None or not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as archive:
            data = {name: archive[name] for name in adapter.OUTPUT_KEYS}
            return Grid(archive["levels"], data)
    except (OSError, KeyError, ValueError):
        LOGGER.warning("ignoring unreadable cache file %s", path)
        return None


def _save_disk(key: GridKey, grid: Grid) -> None:
    path = _disk_path(key)
    if path is None:
        return
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp.npz")
    arrays = {"levels": grid.levels, **grid.data}
    try:
        np.savez_compressed(tmp, allow_pickle=False, **arrays)
        os.replace(tmp, path)
    except OSError:
        LOGGER.warning("could not write cache file %s", path)
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Constants:
    """OpenFisca parameters the model needs besides the grids (cached so a warm start needs no TBS)."""

    smic: tuple[float, ...]  # gross hourly SMIC of each month of the simulated year
    minimum_payments: tuple[dict[str, float], ...]  # per month: {"rsa": 6.0, "ppa": 15.0}
    legislation_date: str
    openfisca_version: str
    age_rules: dict[str, float]  # see openfisca_adapter.age_rules


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
                tuple(raw["smic"]),
                tuple(raw["minimum_payments"]),
                raw["legislation_date"],
                raw["openfisca_version"],
                dict(raw["age_rules"]),
            )
        except (OSError, ValueError, KeyError):
            LOGGER.warning("ignoring unreadable cache file %s", path)
    result = Constants(
        smic=tuple(adapter.smic_hourly(month) for month in MONTHS),
        minimum_payments=tuple(adapter.minimum_payments(month) for month in MONTHS),
        legislation_date=adapter.legislation_date(),
        openfisca_version=adapter.versions()["openfisca-france"],
        age_rules=adapter.age_rules(),
    )
    if path is not None:
        try:
            path.write_text(json.dumps(dataclasses.asdict(result)), encoding="utf-8")
        except OSError:
            LOGGER.warning("could not write cache file %s", path)
    return result


# --------------------------------------------------------------------------- memory cache
_MEMORY: OrderedDict[GridKey, Grid] = OrderedDict()
_MEMORY_LOCK = threading.Lock()
_COMPUTE_LOCK = threading.Lock()


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
    """Forget the in-memory grids and constants (the disk cache stays): used by benchmarks and tests."""
    with _MEMORY_LOCK:
        _MEMORY.clear()
    constants.cache_clear()
    fingerprint.cache_clear()


# --------------------------------------------------------------------------- computing
def compute_grids(requests: Iterable[tuple[Household, Offer, Iterable[float]]]) -> dict[GridKey, Grid]:
    """Simulate many (household, offer shape, hour levels) at once: ONE OpenFisca run per household.

    Offers sharing a household share the simulation (and its row « 0 h », the baseline), so the
    three presets of one situation cost one run instead of three.
    """
    smic = constants().smic
    by_household: dict[Household, list[tuple[GridKey, Offer, list[float]]]] = {}
    for household, offer, levels in requests:
        wanted = sorted({0.0, *(float(level) for level in levels)})
        by_household.setdefault(household, []).append((GridKey.of(household, offer), offer, wanted))
    grids: dict[GridKey, Grid] = {}
    for household, items in by_household.items():
        rows: list[adapter.IncomeRow] = [{}]  # row 0: no offer at all
        spans: list[tuple[GridKey, list[float], list[int]]] = []
        for key, offer, levels in items:
            indices = []
            for level in levels:
                if level == 0.0:
                    indices.append(0)
                else:
                    indices.append(len(rows))
                    rows.append(adapter.income_row(household, offer, level, smic))
            spans.append((key, levels, indices))
        out = adapter.run(household, rows)
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

    from widgets.fr import format_number, plural

    from .content import preset_pairs

    started = time.perf_counter()
    simulated = warm_up(preset_pairs())
    print(
        f"Simulateur : {plural(simulated, 'grille calculée', 'grilles calculées')} avec OpenFisca en "
        f"{format_number(time.perf_counter() - started, 1)} s (cache : {cache_dir()})."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
