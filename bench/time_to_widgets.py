"""Time to visible widgets: how long a learner waits, in Chromium, before an exercise shows anything.

Prints figures, asserts nothing (it is not a test). For every exercise notebook found in
``chapters/exercices/*.ipynb``, and for a bare one-slider notebook (``bench/notebooks/slider.ipynb``,
the floor that Voilà + ipywidgets cost on this machine), it prints the median, min and max of N page
loads, measured in the same run, interleaved round by round so that a slower moment of the machine
hits every notebook alike.

    .venv/bin/python bench/time_to_widgets.py [--runs 5] [--only continuum] [--warmup 1]

What one figure is
    ``performance.now()`` read in the page at the first animation frame where an element matching
    ``.jupyter-widgets, .widget-slider`` is visible (non-empty box, not ``visibility: hidden``: the
    rule Playwright uses). Its origin is the start of the navigation, so the figure includes the
    HTTP request, Voilà executing the notebook in a new kernel, the JavaScript bundle and the first
    widget render; it excludes the Playwright round trips.

What is cached
    Browser side, nothing: every load runs in a new Chromium browser context (empty HTTP cache, no
    cookie, no storage), i.e. a learner's first visit. Server side, what a long-running ``make serve``
    has: the two Voilà servers stay up for the whole run, and ``--warmup`` rounds (default 1) are
    loaded and thrown away first. Every load starts a new kernel (Voilà has no kernel pool here);
    the script shuts it down after each load so idle kernels do not pile up during the run.

Servers: one Voilà on ``chapters/exercices`` and one on ``bench/notebooks``, both started by
``widgets.serve.start_voila`` on free ports (exactly as ``make serve`` starts it) and stopped at the
end, also on error or Ctrl-C. Chromium is Debian's, with the flags of the browser tests.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import platform
import re
import signal
import statistics
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from widgets import serve  # noqa: E402


def _browser_test_settings():
    """The browser tests' conftest: same Chromium, same flags, same free-port helper."""
    path = REPO / "tests" / "browser" / "conftest.py"
    spec = importlib.util.spec_from_file_location("faire_avec_browser_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BROWSER = _browser_test_settings()
SLIDER_DIR = REPO / "bench" / "notebooks"
SLIDER = "slider.ipynb"
SELECTOR = ".jupyter-widgets, .widget-slider"
XSRF = "faireavecbench"  # any value: Tornado accepts a plain token sent both as cookie and as field

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
    url: str
    seconds: list[float] = field(default_factory=list)


@contextlib.contextmanager
def output_to(log):
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
def ctrl_c_deferred():
    """A Ctrl-C during ``start_voila`` would lose the process it has just spawned: hold it until
    the call returns (and the process is recorded for ``serve.stop``), then raise it."""
    caught = []
    previous = signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def start(root: Path, log, processes: list) -> int:
    port = BROWSER.free_port()
    with ctrl_c_deferred(), output_to(log):
        processes.append(serve.start_voila(port, root))
    return port


def shut_down_kernel(base: str, kernel_id: str) -> bool:
    """What Voilà's page sends on ``beforeunload``, with the ``_xsrf`` it lacks (voila#1458)."""
    request = urllib.request.Request(
        f"{base}/voila/api/shutdown/{kernel_id}",
        data=f"_xsrf={XSRF}".encode(),
        method="POST",
        headers={"Cookie": f"_xsrf={XSRF}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status < 300
    except OSError:
        return False


def measure(browser, target: Target, timeout_s: float) -> float:
    """One page load in a new browser context; returns seconds from navigation start to widgets."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="fr-FR")
    kernels: list[str] = []
    try:
        context.add_init_script(RECORDER)
        page = context.new_page()
        page.set_default_timeout(timeout_s * 1000)
        page.on("websocket", lambda ws: kernels.extend(re.findall(r"/api/kernels/([0-9a-f-]{36})/", ws.url)))
        page.goto(target.url, wait_until="commit")
        page.wait_for_selector(SELECTOR, state="visible")
        page.wait_for_function("window.__faireAvecTtw !== undefined")
        return page.evaluate("window.__faireAvecTtw") / 1000
    finally:
        context.close()
        base = target.url.split("/voila/render/")[0]
        for kernel_id in dict.fromkeys(kernels):
            shut_down_kernel(base, kernel_id)


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


def print_table(targets: list[Target], runs: int) -> None:
    reference = statistics.median(targets[0].seconds) if targets[0].seconds else None
    width = max(len(t.name) for t in targets)
    print(
        f"{'notebook':<{width}}  {'médiane s':>9}  {'min s':>6}  {'max s':>6}  {'mesures':>7}  {'écart / curseur':>15}"
    )
    for target in targets:
        done = f"{len(target.seconds)}/{runs}"
        if not target.seconds:
            print(f"{target.name:<{width}}  {'—':>9}  {'—':>6}  {'—':>6}  {done:>7}")
            continue
        median = statistics.median(target.seconds)
        gap = "" if target is targets[0] or reference is None else f"{round(median - reference, 2) + 0:+.2f} s"
        print(
            f"{target.name:<{width}}  {median:9.2f}  {min(target.seconds):6.2f}  {max(target.seconds):6.2f}  "
            f"{done:>7}  {gap:>15}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="mesures par notebook (défaut : 5)")
    parser.add_argument(
        "--only", metavar="NAME", help="un seul exercice, ex. continuum (le curseur est toujours mesuré)"
    )
    parser.add_argument("--warmup", type=int, default=1, help="tours d'échauffement non comptés (défaut : 1)")
    parser.add_argument("--timeout", type=float, default=120, help="délai maximal d'un chargement, en s (défaut : 120)")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs doit valoir au moins 1 et --warmup au moins 0.")
    exercises = discover(args.only)
    load_average = os.getloadavg()[0]

    log = tempfile.NamedTemporaryFile("w", prefix="faire-avec-bench-voila-", suffix=".log", delete=False)
    processes: list = []
    failed = False
    keep_log = True  # unless the run ends normally with no failed load
    try:
        print("Démarrage des deux serveurs Voilà…", file=sys.stderr, flush=True)
        exercise_port = start(serve.EXERCISES_DIR, log, processes)
        slider_port = start(SLIDER_DIR, log, processes)
        targets = [Target(f"{SLIDER} (référence)", f"http://{serve.HOST}:{slider_port}/voila/render/{SLIDER}")]
        targets += [Target(nb.name, f"http://{serve.HOST}:{exercise_port}/voila/render/{nb.name}") for nb in exercises]

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=BROWSER.CHROMIUM, args=BROWSER.CHROMIUM_ARGS)
            chromium_version = browser.version
            try:
                for round_index in range(args.warmup + args.runs):
                    warming = round_index < args.warmup
                    label = "échauffement" if warming else f"mesure {round_index - args.warmup + 1}/{args.runs}"
                    for target in targets:
                        try:
                            seconds = measure(browser, target, args.timeout)
                        except PlaywrightError as error:
                            failed = True
                            first_line = str(error).strip().splitlines()[0]
                            print(f"  [{label}] {target.name} : ÉCHEC ({first_line})", file=sys.stderr, flush=True)
                            continue
                        print(f"  [{label}] {target.name} : {seconds:.2f} s", file=sys.stderr, flush=True)
                        if not warming:
                            target.seconds.append(seconds)
            finally:
                with contextlib.suppress(PlaywrightError):  # after Ctrl-C the driver may already be gone
                    browser.close()
        keep_log = failed
    except KeyboardInterrupt:
        keep_log = False
        print("\nInterrompu.", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave Voilà running
        for process in processes:
            serve.stop(process)
        log.close()
        if keep_log:
            print(f"Journal de Voilà et des noyaux : {log.name}", file=sys.stderr)
        else:
            os.unlink(log.name)

    print()
    print("Temps jusqu'aux widgets visibles (performance.now() dans la page, origine = début de la navigation)")
    print(
        f"nouveau contexte Chromium par mesure (première visite : ni cache HTTP ni cookie) ; "
        f"serveurs déjà chauds ({args.warmup} tour(s) d'échauffement non compté(s))"
    )
    print()
    print_table(targets, args.runs)
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
