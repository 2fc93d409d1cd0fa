"""Time to visible widgets: how long a learner waits, in Chromium, before an exercise shows anything.

Prints figures, asserts nothing (it is not a test). For every exercise notebook found in
``chapters/exercices/*.ipynb``, and for a bare one-slider notebook (``bench/notebooks/slider.ipynb``,
the floor that Voilà + ipywidgets cost on this machine), it prints the median, min and max of N page
loads, measured in the same run, interleaved round by round so that a slower moment of the machine
hits every notebook alike; then the ratio of each median to the bare notebook's.

    .venv/bin/python bench/time_to_widgets.py [--runs 3] [--only continuum] [--warmup 1]
        [--modes cold,preheated]

Three modes, measured one after the other in the same run
    ``cold``: Voilà as ``make serve`` starts it; every load starts a new kernel that runs the notebook.
    ``preheated``: the same plus Voilà's preheated kernels (``--preheat_kernel=True --pool_size=1``):
    one kernel per notebook has already run it; a load takes it and Voilà starts its replacement.
    ``return``: preheated too, but every load happens in ONE browser context whose HTTP cache was
    filled by the warm-up round: a learner opening their second exercise of the session.
    For the preheated modes the script also prints what the pool costs (kernels and resident memory kept
    idle) and checks how it meets idle culling: with a short cull timeout, are pooled kernels culled?

What one figure is
    ``performance.now()`` read in the page at the first animation frame where an element matching
    ``.jupyter-widgets, .widget-slider`` is visible (non-empty box, not ``visibility: hidden``: the
    rule Playwright uses). Its origin is the start of the navigation, so the figure includes the
    HTTP request, Voilà executing the notebook in a new kernel, the JavaScript bundle and the first
    widget render; it excludes the Playwright round trips.

What is cached
    Browser side, nothing: every load runs in a new Chromium browser context (empty HTTP cache, no
    cookie, no storage), i.e. a learner's first visit. Server side, what a long-running ``make serve``
    has: the two Voilà servers stay up for the whole mode, and ``--warmup`` rounds (default 1) are
    loaded and thrown away first. After each load the tab is closed the way a learner closes it
    (``beforeunload`` runs, Voilà's page asks for its kernel's shutdown), so kernels do not pile up.

Servers: one Voilà on ``chapters/exercices`` and one on ``bench/notebooks``, both started by
``widgets.serve.start_voila`` on free ports (exactly as ``make serve`` starts it) and stopped at the
end, also on error or Ctrl-C. Chromium is Debian's, with the flags of the browser tests.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.client import HTTPResponse
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402

# The browser tests' settings: same Chromium, same flags, same free-port helper.
from tests.browser import conftest as BROWSER  # noqa: E402
from widgets import serve  # noqa: E402

SLIDER_DIR = REPO / "bench" / "notebooks"
SLIDER = "slider.ipynb"
SELECTOR = ".jupyter-widgets, .widget-slider"
PREHEAT = serve.PREHEAT_ARGS
MODES = {"cold": "froid", "preheated": "préchauffé", "return": "préchauffé, déjà venu"}

# Runs in the page before any of its scripts; records the time of the first frame showing a widget.
RECORDER = """
(() => {
  if (window.top !== window) return;
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const check = () => {
    for (const el of document.querySelectorAll(__SELECTOR__)) {
      if (visible(el)) { window.__faireAvecTtw = performance.now(); return; }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
""".replace("__SELECTOR__", repr(SELECTOR))


@dataclass
class Target:
    name: str  # as shown in the table
    path: str  # under /voila/render/
    reference: bool = False  # the bare notebook (on the second server)
    seconds: dict[str, list[float]] = field(default_factory=dict)  # per mode


@contextlib.contextmanager
def output_to(log: IO[str]) -> Iterator[None]:
    """Point file descriptors 1 and 2 at ``log`` (Voilà and its kernels inherit them and warn at every
    page load), so that the terminal shows the figures only."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])


@contextlib.contextmanager
def ctrl_c_deferred() -> Iterator[None]:
    """A Ctrl-C during ``start_voila`` would lose the process it has just spawned: hold it until
    the call returns (and the process is recorded for ``serve.stop``), then raise it."""
    caught: list[bool] = []
    previous = signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def start(root: Path, log: IO[str], processes: list[subprocess.Popen[bytes]], extra_args: tuple[str, ...] = ()) -> int:
    port = BROWSER.free_port()
    with ctrl_c_deferred(), output_to(log):
        processes.append(serve.start_voila(port, root, extra_args=extra_args))
    return port


def kernel_memory(process: subprocess.Popen[bytes]) -> tuple[int, float]:
    """(kernels, their total resident memory in MB) of a Voilà started by ``start``."""
    kernels = serve.kernel_processes(process)
    total = 0
    for kernel in kernels:
        try:
            total += kernel.memory_info().rss
        except psutil.Error:  # a kernel that ended while we looked
            continue
    return len(kernels), total / 2**20


def kernel_ids(process: subprocess.Popen[bytes]) -> set[str]:
    """Ids of the kernels a Voilà runs, read from their connection file's name."""
    ids = set()
    for kernel in serve.kernel_processes(process):
        with contextlib.suppress(Exception):
            found = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(kernel.cmdline()))
            if found:
                ids.add(found.group(1))
    return ids


def wait_for_pool(process: subprocess.Popen[bytes], expected: int, timeout: float) -> float:
    """Seconds until ``expected`` pooled kernels run and have gone quiet (they have executed their
    notebook: three calm seconds in a row, all kernels together under 10 % of a core)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout and len(serve.kernel_processes(process)) < expected:
        time.sleep(1)
    watched = {kernel.pid: kernel for kernel in serve.kernel_processes(process)}
    for kernel in watched.values():
        with contextlib.suppress(Exception):
            kernel.cpu_percent(interval=None)  # the first call only starts psutil's measure
    quiet = 0
    while time.monotonic() - started < timeout and quiet < 3:
        time.sleep(1)
        busy = 0.0
        for kernel in watched.values():
            with contextlib.suppress(Exception):
                busy += kernel.cpu_percent(interval=None)
        quiet = quiet + 1 if busy < 10 else 0
    return time.monotonic() - started


def culling_check(log: IO[str], timeout: float) -> str:
    """Preheated kernels and idle culling, measured on the bare notebook with a 5 s cull timeout
    (checked every 2 s): is the pooled kernel kept after 20 s idle? How long until the kernel of a
    page that was opened and then abandoned without closing (a browser killed) is culled?"""
    processes: list[subprocess.Popen[bytes]] = []
    try:
        port = start(
            SLIDER_DIR,
            log,
            processes,
            (*PREHEAT, "--MappingKernelManager.cull_idle_timeout=5", "--MappingKernelManager.cull_interval=2"),
        )
        voila = processes[0]
        wait_for_pool(voila, 1, timeout)
        pooled = kernel_ids(voila)
        time.sleep(20)
        pool_kept = pooled <= kernel_ids(voila)
        with urllib_open(f"http://{serve.HOST}:{port}/voila/render/{SLIDER}", timeout) as response:
            found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', response.read().decode())
        if found is None:
            raise RuntimeError("pas de noyau dans la page du curseur")
        taken = found.group(1)
        opened = time.monotonic()
        culled_after = None
        while time.monotonic() - opened < 60:
            if taken not in kernel_ids(voila):
                culled_after = time.monotonic() - opened
                break
            time.sleep(0.5)
        refilled = len(kernel_ids(voila) - {taken})
    finally:
        for process in processes:
            serve.stop(process)
    culled = f"nettoyé {culled_after:.0f} s après l'ouverture" if culled_after is not None else "pas nettoyé en 60 s"
    return (
        f"préchauffage × culling (délai 5 s, vérifié toutes les 2 s) : noyau du pool gardé après 20 s de repos : "
        f"{'oui' if pool_kept else 'non'} ; noyau d'une page ouverte puis abandonnée (et la page le prend au "
        f"pool) : {culled} ; pool de nouveau rempli : {refilled} noyau"
    )


def urllib_open(url: str, timeout: float) -> HTTPResponse:
    import urllib.request

    return urllib.request.urlopen(url, timeout=timeout)


def measure(browser: Browser, url: str, timeout_s: float, context: BrowserContext | None = None) -> float:
    """One page load; returns seconds from navigation start to widgets. Without ``context``, in a
    new browser context (a first visit: nothing cached); with one, in that context (its HTTP cache
    already holds Voilà's JavaScript: a learner opening their second exercise)."""
    own = context is None
    if context is None:
        context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="fr-FR")
        context.add_init_script(RECORDER)
    try:
        page = context.new_page()
        page.set_default_timeout(timeout_s * 1000)
        page.goto(url, wait_until="commit")
        page.wait_for_selector(SELECTOR, state="visible")
        page.wait_for_function("window.__faireAvecTtw !== undefined")
        seconds = page.evaluate("window.__faireAvecTtw") / 1000
        page.close(run_before_unload=True)  # as a learner closes the tab: Voilà frees the kernel
        return seconds
    finally:
        if own:
            context.close()


def discover(only: str | None) -> list[Path]:
    notebooks = sorted(serve.EXERCISES_DIR.glob("*.ipynb"))
    if only is None:
        return notebooks
    wanted = only.removesuffix(".ipynb")
    chosen = [nb for nb in notebooks if nb.stem == wanted]
    if not chosen:
        names = ", ".join(nb.stem for nb in notebooks)
        raise SystemExit(f"Pas d'exercice « {only} » dans chapters/exercices/ (disponibles : {names}).")
    return chosen


def nproc() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 0


def cell(values: list[float]) -> str:
    if not values:
        return f"{'—':>18}"
    return f"{statistics.median(values):5.2f} ({min(values):4.2f}–{max(values):4.2f})"


def print_table(targets: list[Target], modes: list[str], runs: int) -> None:
    """One line per notebook: per mode, median (min–max), and the ratio to the bare notebook cold."""
    reference_mode = "cold" if targets[0].seconds.get("cold") else modes[0]
    reference = targets[0].seconds.get(reference_mode)
    floor = statistics.median(reference) if reference else None
    width = max(len(t.name) for t in targets)
    header = f"{'notebook':<{width}}"
    for mode in modes:
        header += f"  {MODES[mode] + ' : médiane (min–max) s':>28}  {'÷ curseur':>9}"
    print(header)
    for target in targets:
        line = f"{target.name:<{width}}"
        for mode in modes:
            values = target.seconds.get(mode, [])
            ratio = f"{statistics.median(values) / floor:9.2f}" if values and floor else f"{'—':>9}"
            done = "" if len(values) == runs else f" {len(values)}/{runs}"
            line += f"  {cell(values) + done:>28}  {ratio}"
        print(line)
    print(f"(÷ curseur : médiane divisée par celle de {targets[0].name.split()[0]} en mode {MODES[reference_mode]})")


def run_mode(
    mode: str, targets: list[Target], args: argparse.Namespace, log: IO[str], browser: Browser
) -> tuple[bool, str]:
    """Start the two servers for ``mode``, load every target round after round, stop the servers.
    Returns (a load failed, a French line about the pool for the preheated mode)."""
    processes: list[subprocess.Popen[bytes]] = []
    failed = False
    pool_note = ""
    extra = PREHEAT if mode in ("preheated", "return") else ()
    context = None
    if mode == "return":  # one browser for the whole mode: its cache is filled by the warm-up round
        context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="fr-FR")
        context.add_init_script(RECORDER)
    try:
        print(f"[{MODES[mode]}] démarrage des deux serveurs Voilà…", file=sys.stderr, flush=True)
        exercise_port = start(serve.EXERCISES_DIR, log, processes, extra)
        slider_port = start(SLIDER_DIR, log, processes, extra)
        if mode in ("preheated", "return"):
            notebooks = len(list(serve.EXERCISES_DIR.glob("*.ipynb")))
            waited = wait_for_pool(processes[0], notebooks, args.timeout)
            wait_for_pool(processes[1], 1, args.timeout)
            count, megabytes = kernel_memory(processes[0])
            resident = f"{megabytes:,.0f}".replace(",", "\u202f")
            pool_note = (
                f"pool préchauffé des exercices : {count} noyau(x) pour {notebooks} notebook(s), "
                f"{resident} Mo de mémoire résidente gardés au repos, prêts en {waited:.0f} s"
            )
            print(f"  {pool_note}", file=sys.stderr, flush=True)
        for round_index in range(args.warmup + args.runs):
            warming = round_index < args.warmup
            label = "échauffement" if warming else f"mesure {round_index - args.warmup + 1}/{args.runs}"
            for target in targets:
                port = slider_port if target.reference else exercise_port
                url = f"http://{serve.HOST}:{port}/voila/render/{target.path}"
                try:
                    seconds = measure(browser, url, args.timeout, context)
                except PlaywrightError as error:
                    failed = True
                    first_line = str(error).strip().splitlines()[0]
                    print(f"  [{MODES[mode]}, {label}] {target.name} : ÉCHEC ({first_line})", file=sys.stderr)
                    continue
                print(f"  [{MODES[mode]}, {label}] {target.name} : {seconds:.2f} s", file=sys.stderr, flush=True)
                if not warming:
                    target.seconds.setdefault(mode, []).append(seconds)
    finally:
        if context is not None:
            context.close()
        for process in processes:
            serve.stop(process)
    return failed, pool_note


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="mesures par notebook et par mode (défaut : 3)")
    parser.add_argument(
        "--only", metavar="NAME", help="un seul exercice, ex. continuum (le curseur est toujours mesuré)"
    )
    parser.add_argument("--warmup", type=int, default=1, help="tours d'échauffement non comptés (défaut : 1)")
    parser.add_argument("--timeout", type=float, default=120, help="délai maximal d'un chargement, en s (défaut : 120)")
    parser.add_argument(
        "--modes",
        default="cold,preheated,return",
        help="parmi cold (froid), preheated (préchauffé, première visite), return (préchauffé, "
        "navigateur déjà venu : son cache a le JavaScript de Voilà) ; défaut : les trois",
    )
    parser.add_argument("--no-culling-check", action="store_true", help="sans l'essai préchauffage × culling")
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if args.runs < 1 or args.warmup < 0 or not modes or any(m not in MODES for m in modes):
        parser.error("--runs ≥ 1, --warmup ≥ 0, --modes parmi cold, preheated, return.")
    exercises = discover(args.only)
    load_average = os.getloadavg()[0]
    targets = [Target(f"{SLIDER} (référence)", SLIDER, reference=True)]
    targets += [Target(nb.name, nb.name) for nb in exercises]

    log = tempfile.NamedTemporaryFile("w", prefix="faire-avec-bench-voila-", suffix=".log", delete=False)
    failed = False
    keep_log = True  # unless the run ends normally with no failed load
    notes: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=BROWSER.CHROMIUM, args=BROWSER.CHROMIUM_ARGS)
            chromium_version = browser.version
            try:
                for mode in modes:
                    mode_failed, note = run_mode(mode, targets, args, log, browser)
                    failed |= mode_failed
                    if note:
                        notes.append(note)
            finally:
                with contextlib.suppress(PlaywrightError):  # after Ctrl-C the driver may already be gone
                    browser.close()
        if "preheated" in modes and not args.no_culling_check:
            print("Essai préchauffage × culling…", file=sys.stderr, flush=True)
            notes.append(culling_check(log, args.timeout))
        keep_log = failed
    except KeyboardInterrupt:
        keep_log = False
        print("\nInterrompu.", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave Voilà running
        log.close()
        if keep_log:
            print(f"Journal de Voilà et des noyaux : {log.name}", file=sys.stderr)
        else:
            os.unlink(log.name)

    print()
    print("Temps jusqu'aux widgets visibles (performance.now() dans la page, origine = début de la navigation)")
    print(
        f"nouveau contexte Chromium par mesure (première visite : ni cache HTTP ni cookie) ; "
        f"serveurs déjà chauds ({args.warmup} tour(s) d'échauffement non compté(s)) ; {args.runs} mesure(s)"
    )
    print()
    print_table(targets, modes, args.runs)
    for note in notes:
        print(note)
    print()
    versions = {name: _version(name) for name in ("voila", "ipywidgets")}
    print(
        f"Machine : nproc {nproc()}, Python {platform.python_version()}, Chromium {chromium_version}, "
        f"Voilà {versions['voila']}, ipywidgets {versions['ipywidgets']}, "
        f"charge moyenne au départ {load_average:.2f} ({platform.machine()}, {platform.system()})"
    )
    return 0


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    raise SystemExit(main())
