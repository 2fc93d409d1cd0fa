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

Speed of a new case: the first figures need only two rows (the baseline and the asked hours), and
OpenFisca's cost barely depends on the number of rows; so :func:`grids_for` with ``full=False``
answers first, and :func:`complete_in_background` fills the slider's 201 levels afterwards in one
background thread, which gives way (within one simulated month) whenever a learner asks for
something else. Dictionary access is guarded by a lock and OpenFisca runs are serialised.

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
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import openfisca_adapter as adapter
from . import remote
from .inputs import MONTHS, Household, Offer

LOGGER = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parents[1]

#: Modules whose source shapes the cached figures: the input vocabulary (which months are paid,
#: which forms are salaries), the OpenFisca adapter (how a household is described), this module
#: (which levels are stored) and the service's wire format (how grids travel to a kernel). Editing
#: any of them invalidates every cached grid.
RULE_MODULES: tuple[str, ...] = ("inputs", "openfisca_adapter", "cache", "remote")

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
        incapacity = household.aah_incapacity_rate
        household = dataclasses.replace(
            household,
            couple=couple,
            age=int(household.age),
            partner_age=int(household.partner_age) if couple else 0,
            children=tuple(int(age) for age in household.children),
            rent=float(household.rent) if tenant else 0.0,
            commune="",  # a name never changes a figure
            aah_incapacity_rate=None if incapacity is None else float(incapacity),
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


def copy_prepared(target: Path) -> Path:
    """Copy what ``make warm`` prepared (the presets' grids and the constants) into ``target``, for a
    server whose ``FAIRE_AVEC_CACHE`` is ``target``: tests and benchmarks then start like a fresh
    ``make serve``, and what they compute never reaches the real cache."""
    import shutil

    from .content import preset_pairs

    target.mkdir(parents=True, exist_ok=True)
    for path in cache_files(preset_pairs()):
        shutil.copy2(path, target / path.name)
    return target


#: The disk cache's cap, in MiB (``FAIRE_AVEC_CACHE_MAX_MO`` changes it): about 2 000 full grids.
DISK_CAP_MIB = 256


def disk_cap_bytes() -> int:
    """The cap of the disk cache, in bytes (``FAIRE_AVEC_CACHE_MAX_MO``, else :data:`DISK_CAP_MIB`)."""
    raw = os.environ.get("FAIRE_AVEC_CACHE_MAX_MO", "").strip()
    mebibytes = float(raw) if raw.replace(".", "", 1).isdigit() else DISK_CAP_MIB
    return int(mebibytes * 2**20)


def trim_disk(max_bytes: int, keep: Iterable[Path] = ()) -> int:
    """Delete the oldest grid files until the disk cache holds at most ``max_bytes``; returns the
    bytes freed. ``keep`` (e.g. what ``make warm`` prepared) and the constants are never deleted.

    Why: every new case a learner tries is written to disk, and a server that runs for months
    would otherwise fill its disk; the oldest case is the least likely to be asked again."""
    directory = cache_dir()
    if directory is None:
        return 0
    kept = {Path(path).name for path in keep}
    files = []
    for path in directory.glob("*.npz"):
        if ".tmp." in path.name:
            continue  # being written by _save_disk
        try:
            stat = path.stat()
        except OSError:
            continue  # deleted meanwhile (another process trimmed, or a stale file was pruned)
        files.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in files) + sum(
        path.stat().st_size for path in directory.glob("constants-*.json") if path.exists()
    )
    freed = 0
    for _, size, path in sorted(files):
        if total - freed <= max_bytes:
            break
        if path.name in kept:
            continue
        path.unlink(missing_ok=True)
        freed += size
    return freed


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
    rsa_base: tuple[float, ...]  # RSA montant forfaitaire for one person, each month (CASF R.262-13's limit)

    @classmethod
    def from_dict(cls, raw: dict) -> Constants:
        """From the JSON of the disk cache or of the service (raises KeyError/TypeError if malformed)."""
        return cls(
            tuple(raw["smic"]),
            tuple(raw["minimum_payments"]),
            raw["legislation_date"],
            raw["openfisca_version"],
            dict(raw["age_rules"]),
            tuple(raw["rsa_base"]),
        )


@functools.lru_cache(maxsize=1)
def constants() -> Constants:
    """Read the parameters from the disk cache, or from OpenFisca (builds the TBS, ~2 s) once."""
    directory = cache_dir()
    if directory is not None:
        _prune_stale(directory)
    path = None if directory is None else directory / f"constants-{fingerprint()}.json"
    if path is not None and path.exists():
        try:
            return Constants.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            LOGGER.warning("ignoring unreadable cache file %s", path)
    result = _constants_from_service() or Constants(
        smic=tuple(adapter.smic_hourly(month) for month in MONTHS),
        minimum_payments=tuple(adapter.minimum_payments(month) for month in MONTHS),
        legislation_date=adapter.legislation_date(),
        openfisca_version=adapter.versions()["openfisca-france"],
        age_rules=adapter.age_rules(),
        rsa_base=tuple(adapter.rsa_base_amount(month) for month in MONTHS),
    )
    if path is not None:
        try:
            path.write_text(json.dumps(dataclasses.asdict(result)), encoding="utf-8")
        except OSError:
            LOGGER.warning("could not write cache file %s", path)
    return result


def _constants_from_service() -> Constants | None:
    """The constants from the shared service (which has the TBS), so this kernel never builds it."""
    if remote.service_url() is None:
        return None
    try:
        return Constants.from_dict(dict(remote.ask_constants()))
    except (remote.Unavailable, KeyError, TypeError) as error:
        LOGGER.warning("computation service unavailable (%s): reading OpenFisca's parameters here", error)
        return None


# --------------------------------------------------------------------------- memory cache
_MEMORY: OrderedDict[GridKey, Grid] = OrderedDict()
_MEMORY_LOCK = threading.Lock()
_COMPUTE_LOCK = threading.Lock()
#: Set by a learner's request while a background run holds the compute lock: the run gives way.
_INTERRUPT = threading.Event()
_RUNS = [0]  # OpenFisca runs started by this process (read by the service's /etat)


def run_count() -> int:
    """How many OpenFisca runs this process has started (benchmarks: « computed once »)."""
    with _MEMORY_LOCK:
        return _RUNS[0]


def wait_until_not_interrupted(timeout: float) -> None:
    """Let a learner's run take the compute lock first (it clears the flag once it has it)."""
    deadline = time.monotonic() + timeout
    while _INTERRUPT.is_set() and time.monotonic() < deadline:
        time.sleep(0.02)


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


def _lookup(key: GridKey) -> Grid | None:
    """The grid of ``key`` from memory, else from disk (then kept in memory), else None."""
    grid = _from_memory(key)
    if grid is None:
        disk = _load_disk(key)
        if disk is not None:
            grid = _remember(key, disk)
    return grid


def clear_memory() -> None:
    """Forget the in-memory grids and constants (the disk cache stays): used by benchmarks and tests."""
    with _MEMORY_LOCK:
        _MEMORY.clear()
    constants.cache_clear()
    fingerprint.cache_clear()


# --------------------------------------------------------------------------- computing
def compute_grids(
    requests: Iterable[tuple[Household, Offer, Iterable[float]]],
    should_stop: Callable[[], bool] | None = None,
) -> dict[GridKey, Grid]:
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
        with _MEMORY_LOCK:
            _RUNS[0] += 1
        out = adapter.run(household, rows, should_stop=should_stop)
        for key, levels, indices in spans:
            grid = Grid(np.array(levels), {name: values[indices] for name, values in out.items()})
            grids[key] = grids[key].merged(grid) if key in grids else grid
    return grids


def _missing(grid: Grid | None, levels: Iterable[float]) -> set[float]:
    return {level for level in levels if grid is None or grid.index_of(level) is None}


def _ensure(
    pairs: Iterable[tuple[Household, Offer]], full: bool, background: bool = False
) -> tuple[dict[GridKey, Grid], int]:
    """Grids holding every pair's hours (and, with ``full``, every level of :data:`GRID_HOURS`).

    Without ``full``, only the asked hours and the baseline are simulated: the first figures of a
    new case come in about half the time of a full grid. See :func:`ensure_levels`.
    """
    return ensure_levels(
        [
            (household, offer, {float(offer.hours_per_month), *(GRID_HOURS if full else ())})
            for household, offer in pairs
        ],
        background,
    )


def ensure_levels(
    requests: Iterable[tuple[Household, Offer, Iterable[float]]], background: bool = False, local: bool = False
) -> tuple[dict[GridKey, Grid], int]:
    """Grids holding the asked hour levels (and the baseline) of each (household, offer).

    Memory first, then disk; what is still missing is computed by the shared service when this
    process has one (:mod:`.remote`, unless ``local``), else here with ONE OpenFisca run per
    household. A ``background`` call gives way to any other call (locally it raises
    :class:`~.openfisca_adapter.Interrupted`); any other call waits for at most one month of a
    background run. Returns the grids and how many were (re)computed.
    """
    grids: dict[GridKey, Grid] = {}
    missing: dict[GridKey, tuple[Household, Offer, set[float]]] = {}
    for household, offer, levels in requests:
        key = GridKey.of(household, offer)
        wanted = {0.0, *(float(level) for level in levels)}
        grid = _lookup(key)
        lacking = _missing(grid, wanted)
        if grid is not None and not lacking and key not in missing:
            grids[key] = grid
            continue
        missing.setdefault(key, (household, offer, set()))[2].update(lacking or wanted)
    if not missing:
        return grids, 0
    if not local and remote.service_url() is not None:
        try:
            computed = _fill_remote(missing, background)
        except remote.Unavailable as error:
            LOGGER.warning("computation service unavailable (%s): computing in this process", error)
        else:
            grids.update(computed)
            return grids, len(computed)
    computed, count = _fill_local(missing.items(), background)
    grids.update(computed)
    return grids, count


def _fill_remote(missing: dict[GridKey, tuple[Household, Offer, set[float]]], background: bool) -> dict[GridKey, Grid]:
    """Ask the shared service; its grids are kept in this process's memory (the service wrote the disk)."""
    keys = list(missing)
    raw = remote.ask_grids([missing[key] for key in keys], background, adapter.OUTPUT_KEYS)
    return {key: _remember(key, Grid(levels, data)) for key, (levels, data) in zip(keys, raw, strict=True)}


def _fill_local(
    missing: Iterable[tuple[GridKey, tuple[Household, Offer, set[float]]]], background: bool
) -> tuple[dict[GridKey, Grid], int]:
    """Run OpenFisca here, one run per household, runs serialised (a background run gives way)."""
    grids: dict[GridKey, Grid] = {}
    by_household: dict[Household, list[tuple[GridKey, tuple[Household, Offer, set[float]]]]] = {}
    for key, request in missing:
        by_household.setdefault(request[0], []).append((key, request))
    computed_count = 0
    for items in by_household.values():
        if not background:
            _INTERRUPT.set()  # a background run holding the lock stops at its next month
        with _COMPUTE_LOCK:
            if not background:
                _INTERRUPT.clear()
            still_missing = []
            for key, (household, offer, levels) in items:
                grid = _from_memory(key)
                remaining = _missing(grid, levels)
                if grid is not None and not remaining:
                    grids[key] = grid
                else:
                    still_missing.append((household, offer, remaining))
            if not still_missing:
                continue
            stop = _INTERRUPT.is_set if background else None
            for key, computed in compute_grids(still_missing, should_stop=stop).items():
                grid = _remember(key, computed)
                _save_disk(key, grid)
                grids[key] = grid
                computed_count += 1
    return grids, computed_count


def grids_for(pairs: Iterable[tuple[Household, Offer]], full: bool = True) -> dict[GridKey, Grid]:
    """The grids of ``pairs``, each holding its hours (and every level of the slider with ``full``)."""
    return _ensure(pairs, full)[0]


def grid_for(household: Household, offer: Offer, full: bool = True) -> Grid:
    """Return a grid holding ``offer.hours_per_month`` (instant if cached)."""
    return grids_for([(household, offer)], full)[GridKey.of(household, offer)]


def is_ready(household: Household, offer: Offer) -> bool:
    """True if the figures of this offer are in memory or on disk: no OpenFisca run (lets a view
    draw at once instead of computing in the background)."""
    grid = _lookup(GridKey.of(household, offer))
    return grid is not None and not _missing(grid, (0.0, float(offer.hours_per_month)))


def is_complete(grid: Grid) -> bool:
    """True if ``grid`` holds every level of the slider (explanations of cliffs need them all)."""
    return not _missing(grid, GRID_HOURS)


def warm_up(pairs: Iterable[tuple[Household, Offer]]) -> int:
    """Fill the caches with full grids for (household, offer) pairs, reading the disk first; returns
    how many grids were computed. Pairs already cached cost nothing; pairs sharing a household
    share one OpenFisca run."""
    return _ensure(pairs, full=True)[1]


class _Completer:
    """One background thread that fills full grids after the first figures are shown.

    Only the latest request is kept: when the learner changes the case again, the older grid is no
    longer worth computing. A run that gives way to a learner's click is tried again afterwards.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._job: tuple[list[tuple[Household, Offer]], Callable[[], None] | None] | None = None
        self._thread: threading.Thread | None = None
        self.idle = threading.Event()
        self.idle.set()

    def submit(self, pairs: Iterable[tuple[Household, Offer]], on_done: Callable[[], None] | None) -> None:
        with self._lock:
            self._job = (list(pairs), on_done)
            self.idle.clear()
            self._wake.set()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="remuneration-grids", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            with self._lock:
                job, self._job = self._job, None
                self._wake.clear()
                if job is None:
                    self.idle.set()
                    continue
            pairs, on_done = job
            try:
                _ensure(pairs, full=True, background=True)
            except adapter.Interrupted:
                # Let the learner's run go first, then try again unless something newer was asked.
                wait_until_not_interrupted(60.0)
                with self._lock:
                    if self._job is None:
                        self._job = job
                    self._wake.set()
                continue
            except Exception:  # a background failure must never reach the learner's page
                LOGGER.exception("background grid failed")
            else:
                if on_done is not None:
                    try:
                        on_done()
                    except Exception:
                        LOGGER.exception("callback after a background grid failed")
            finally:
                with self._lock:
                    if self._job is None:
                        self.idle.set()


_COMPLETER = _Completer()


def complete_in_background(pairs: Iterable[tuple[Household, Offer]], on_done: Callable[[], None] | None = None) -> None:
    """Fill the full grids of ``pairs`` in a background thread, then call ``on_done`` (from that thread)."""
    _COMPLETER.submit(pairs, on_done)


def wait_for_background(timeout: float | None = None) -> bool:
    """Block until the background thread has nothing left to do (tests, benchmarks); False on timeout."""
    return _COMPLETER.idle.wait(timeout)


def main() -> int:
    """``make warm``: fill the on-disk cache for every preset × situation, so no learner waits."""

    from widgets.fr import format_number, plural

    from .content import preset_pairs

    started = time.perf_counter()
    by_household: dict[Household, list[tuple[Household, Offer]]] = {}
    for household, offer in preset_pairs():
        by_household.setdefault(household, []).append((household, offer))
    prepared = [_lookup(GridKey.of(household, offer)) for pairs in by_household.values() for household, offer in pairs]
    if not all(grid is not None and is_complete(grid) for grid in prepared):
        adapter.tax_benefit_system()  # a few seconds, once: say so before the situations
        print(f"Simulateur : OpenFisca chargé ({format_number(time.perf_counter() - started, 1)} s)", flush=True)
    simulated = 0
    for number, pairs in enumerate(by_household.values(), start=1):
        # one line per situation (a few seconds each): nobody waits a minute in front of silence
        simulated += warm_up(pairs)
        print(
            f"Simulateur : situation {number} sur {len(by_household)} prête "
            f"({format_number(time.perf_counter() - started, 1)} s)",
            flush=True,
        )
    print(
        f"Simulateur : {plural(simulated, 'grille calculée', 'grilles calculées')} avec OpenFisca en "
        f"{format_number(time.perf_counter() - started, 1)} s (cache : {cache_dir()})."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
