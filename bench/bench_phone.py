"""A phone on good 4G: what each exercise costs before it can be touched, on both faces. Prints figures,
asserts nothing (it is not a test).

The phone profile, set through the Chrome DevTools Protocol in Debian's Chromium (Playwright):
360×740 px, touch, processor slowed 4× (``Emulation.setCPUThrottlingRate``), 9 Mbit/s down,
1.5 Mbit/s up, 60 ms latency (``Network.emulateNetworkConditions``: DevTools' « Fast 4G »).

    .venv/bin/python bench/bench_phone.py                       # everything below (≈ 20 min on 2 cores)
    .venv/bin/python bench/bench_phone.py --only continuum,pret # some exercises (both faces) and the references
    .venv/bin/python bench/bench_phone.py --no-steps --phones 0 # the main table only

What is measured, in one run:

1. **Every page** — each Voilà exercise (``chapters/exercices/*.ipynb``), the bare one-slider notebook
   (``bench/notebooks/slider.ipynb``, the reference of every ratio), each exercise's light face
   (``/leger/<exercice>`` on the book's server) and the group mode's phone page (a vote in progress):
   bytes over the network (HTTP bodies and headers, plus what the kernel's websocket brings) and
   requests, on a first visit (new browser context: empty cache) and a second visit (same context,
   new tab: the browser's cache, and for the exercises the answers it kept); time from the start of
   the navigation to the first usable control (visible, enabled: a choice, a field, a button inside
   the exercise); time from the learner's validating gesture to the exercise's answer on screen.
   Ratios: each figure divided by the bare slider's, measured in the same run.
2. **Each step of « send less »** (``--no-steps`` skips it): the slider, the continuum and a self-check
   on Voilà as it was (no gzip, Voilà's cache headers, every extension), then with gzip, then with
   the long cache, then without plotly's front-end where no chart is drawn (the course's settings:
   ``widgets/voila_static.py``).
3. **A room** (``--phones 30``; 0 skips it): 30 phones arriving over 10 s (``--ramp``), each with its
   share of one 30 Mbit/s hotspot (``--hotspot``; each context is throttled to 1/30 of it, the
   pessimistic equivalent of sharing), each opening a light exercise (taken in turn) and answering
   once: time until each is usable (p50, p95, max), until all are, and their gestures. Their
   processors are not slowed unless ``--room-cpu 4``: thirty slowed phones would be simulated by
   the bench machine's two cores, which would then measure themselves.

Servers, on free ports of 127.0.0.1, stopped at the end (also on error or Ctrl-C): Voilà as ``make serve``
starts it (``widgets.serve.start_voila``, the simulator preheated, a private copy of the simulator's
cache and a private data folder), a second Voilà for the slider, the book's server (``widgets.serve.book_server``,
which serves the light face), the group mode's server (``python -m widgets.salle.server``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.async_api import Browser, BrowserContext, CDPSession, Page, async_playwright  # noqa: E402
from playwright.async_api import Error as PlaywrightError  # noqa: E402
from time_to_widgets import BROWSER, output_to  # noqa: E402  (bench/ is this script's folder)

from widgets import serve  # noqa: E402
from widgets.leger import exercises as light_exercises  # noqa: E402
from widgets.serve.launcher import start_salle  # noqa: E402

SLIDER_DIR = REPO / "bench" / "notebooks"
MBIT = 1_000_000 / 8  # bytes per second


@dataclass(frozen=True)
class Profile:
    down_mbit: float = 9.0
    up_mbit: float = 1.5
    latency_ms: float = 60.0
    cpu: float = 4.0

    def network(self) -> dict:
        return {
            "offline": False,
            "latency": self.latency_ms,
            "downloadThroughput": self.down_mbit * MBIT,
            "uploadThroughput": self.up_mbit * MBIT,
            "connectionType": "cellular4g",
        }


PHONE = Profile()

# Runs before any script of every document: the first usable control, the answer to a gesture, and
# the learner's last click or change (kept in sessionStorage: a form sent with GET opens a new page).
RECORDER = """
(() => {
  if (window.top !== window) return;
  const CONTROL = __CONTROL__, ANSWER = __ANSWER__;
  const now = () => performance.timeOrigin + performance.now();
  const usable = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && !el.disabled && getComputedStyle(el).visibility !== 'hidden'
      && getComputedStyle(document.documentElement).visibility !== 'hidden';
  };
  const found = (selector) => [...document.querySelectorAll(selector)].some(usable);
  window.__fa = {};
  const mark = () => { try { sessionStorage.setItem('__faGesture', String(now())); } catch (e) {} };
  addEventListener('click', mark, true);
  addEventListener('change', mark, true);
  addEventListener('keydown', mark, true);
  const check = () => {
    if (document.body) {
      if (window.__fa.control === undefined && found(CONTROL)) window.__fa.control = now();
      if (ANSWER && window.__fa.answer === undefined && found(ANSWER)) window.__fa.answer = now();
    }
    if (window.__fa.control === undefined || (ANSWER && window.__fa.answer === undefined)) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
"""
# For a gesture whose answer has no selector: the first change the kernel makes to the exercise,
# outside the element the learner touched.
WATCH = """
(target) => {
  const root = document.getElementById('rendered_cells') || document.body;
  const touched = target ? document.querySelector(target) : null;
  new MutationObserver((mutations, observer) => {
    for (const m of mutations) {
      if (touched && touched.contains(m.target)) continue;
      window.__fa.answer = performance.timeOrigin + performance.now();
      observer.disconnect();
      return;
    }
  }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
}
"""
VOILA_CONTROL = (
    "#rendered_cells .jp-OutputArea-output :is(input:not([type=hidden]), select, textarea, button, [role=slider])"
)
LIGHT_CONTROL = "main .fa-choice-input"
SALLE_CONTROL = "button[name=valeur]"


@dataclass
class Visit:
    bytes: int = 0
    requests: int = 0
    cached: int = 0
    control_s: float | None = None
    gesture_s: float | None = None
    error: str = ""


@dataclass
class Target:
    name: str
    face: str  # « Voilà », « légère », « mode groupe »
    url: str
    control: str
    gesture: Callable[..., Awaitable[None]] | None = None
    answer: str | None = None  # None with a gesture: the gesture watches the exercise's first change (WATCH)
    self_contained: bool = False
    visits: dict[str, Visit] = field(default_factory=dict)


class Network:
    """What one tab asks and receives, read from the DevTools Protocol's network events."""

    def __init__(self) -> None:
        self.inflight: set[str] = set()
        self.last_change = time.monotonic()
        self.bytes = 0
        self.requests = 0
        self.cached = 0

    def attach(self, cdp: CDPSession) -> None:
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", lambda _e: self._count_cached())
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _sent(self, event: dict) -> None:
        self.inflight.add(event["requestId"])
        self.last_change = time.monotonic()

    def _finished(self, event: dict) -> None:
        self.inflight.discard(event["requestId"])
        self.bytes += int(event.get("encodedDataLength") or 0)
        self.last_change = time.monotonic()

    def _failed(self, event: dict) -> None:
        self.inflight.discard(event["requestId"])
        self.last_change = time.monotonic()

    def _response(self, event: dict) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache") or response.get("fromServiceWorker"):
            self._count_cached()
        elif not response.get("url", "").startswith(("data:", "blob:")):
            self.requests += 1

    def _count_cached(self) -> None:
        self.cached += 1

    def _frame(self, event: dict) -> None:
        data = event["response"].get("payloadData", "")
        self.bytes += len(data) * 3 // 4 if event["response"].get("opcode") == 2 else len(data.encode())

    async def quiet(self, seconds: float = 1.0, limit: float = 20.0) -> None:
        """Until no request has been running for ``seconds`` (bounded by ``limit``)."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            if not self.inflight and time.monotonic() - self.last_change >= seconds:
                return
            await asyncio.sleep(0.1)


async def throttled_page(context: BrowserContext, profile: Profile) -> tuple[Page, Network]:
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    network = Network()
    network.attach(cdp)
    await cdp.send("Network.enable")
    await cdp.send("Network.emulateNetworkConditions", profile.network())
    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile.cpu})
    return page, network


async def read_value(page: Page, expression: str, timeout: float) -> float:
    """Poll ``expression`` in the page until it is a number (survives the page being replaced)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(PlaywrightError):
            value = await page.evaluate(expression)
            if isinstance(value, int | float):
                return float(value)
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{expression} : rien après {timeout:.0f} s")


async def visit(context: BrowserContext, target: Target, profile: Profile, timeout: float, gesture: bool) -> Visit:
    page, network = await throttled_page(context, profile)
    result = Visit()
    try:
        started = time.time() * 1000
        await page.goto(target.url, wait_until="commit", timeout=timeout * 1000)
        control = await read_value(page, "window.__fa && window.__fa.control", timeout)
        result.control_s = (control - started) / 1000
        await network.quiet()
        result.bytes, result.requests, result.cached = network.bytes, network.requests, network.cached
        if gesture and target.gesture is not None:
            await page.evaluate("sessionStorage.removeItem('__faGesture')")
            await target.gesture(page)
            answer = await read_value(page, "window.__fa && window.__fa.answer", min(timeout, 60))
            touched = await read_value(page, "Number(sessionStorage.getItem('__faGesture'))", timeout)
            result.gesture_s = (answer - touched) / 1000
    except (PlaywrightError, TimeoutError) as error:
        result.error = str(error).strip().splitlines()[0][:120]
    finally:
        with contextlib.suppress(PlaywrightError):
            await page.close(run_before_unload=True)  # as a learner closes the tab: Voilà frees the kernel
    return result


def recorder(control: str, answer: str | None) -> str:
    return RECORDER.replace("__CONTROL__", json.dumps(control)).replace("__ANSWER__", json.dumps(answer))


async def phone_context(browser: Browser, target: Target, timeout: float) -> BrowserContext:
    """A new phone (360 × 740, touch, French) whose pages record ``target``'s control and answer."""
    context = await browser.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, locale="fr-FR"
    )
    context.set_default_timeout(timeout * 1000)
    await context.add_init_script(recorder(target.control, target.answer))
    return context


async def measure(browser: Browser, target: Target, profile: Profile, timeout: float) -> None:
    """First visit (a new context) with a gesture, then a second visit in the same context."""
    context = await phone_context(browser, target, timeout)
    try:
        target.visits["first"] = await visit(context, target, profile, timeout, gesture=True)
        target.visits["second"] = await visit(context, target, profile, timeout, gesture=False)
    finally:
        await context.close()


# ------------------------------------------------------------------------------------------ gestures
async def light_gesture(page: Page) -> None:
    """Choose the first answer, then the first « Valider » (or « Voir le bilan »): a form sent, a new page."""
    await page.locator(".fa-choice").first.tap()
    async with page.expect_navigation():
        await page.locator("main button[type=submit]:not([hidden])").first.tap()


def voila_choice_gesture(button: str | None) -> Callable[..., Awaitable[None]]:
    async def gesture(page: Page) -> None:
        await page.locator(".fa-choice").first.tap()
        if button:
            await page.get_by_role("button", name=button, exact=True).first.tap()

    return gesture


async def slider_gesture(page: Page) -> None:
    """The slider moves one step; its readout changes in the browser (no kernel round trip needed)."""
    await page.evaluate(WATCH, ".noUi-target")
    await page.locator(".noUi-handle").first.focus()
    await page.keyboard.press("ArrowRight")


async def generic_gesture(page: Page) -> None:
    """An exercise this script does not know: its first list gets another choice, or its first button a tap."""
    select = (
        page.locator("#rendered_cells select:enabled").filter(visible=True, has=page.locator("option >> nth=1")).first
    )
    if await select.count():
        other = await select.evaluate(
            "(el) => { el.setAttribute('data-fa-touched', ''); return (el.selectedIndex + 1) % el.options.length; }"
        )
        await page.evaluate(WATCH, "[data-fa-touched]")
        await select.select_option(index=other)  # another choice than the one shown
        return
    button = page.locator("#rendered_cells .jupyter-button:enabled").filter(visible=True).first
    await button.evaluate("(el) => el.setAttribute('data-fa-touched', '')")
    await page.evaluate(WATCH, "[data-fa-touched]")
    await button.tap()


async def planner_gesture(page: Page) -> None:
    """Another ready-made session in « Séance de départ », then « Repartir de cette séance »."""
    select = page.locator("#rendered_cells select").first
    other = await select.evaluate("(el) => (el.selectedIndex + 1) % el.options.length")
    await select.select_option(index=other)
    await page.wait_for_timeout(500)  # the choice reaches the kernel before the button does
    button = page.locator("#rendered_cells button", has_text="Repartir de cette séance").first
    await button.evaluate("(el) => el.setAttribute('data-fa-touched', '')")
    await page.evaluate(WATCH, "[data-fa-touched]")
    await button.tap()


async def salle_gesture(page: Page) -> None:
    async with page.expect_navigation():
        await page.locator(SALLE_CONTROL).first.tap()


def voila_target(name: str, base: str) -> Target:
    url = f"{base}/voila/render/{name}.ipynb"
    if name.startswith("autoeval-"):
        return Target(
            name, "Voilà", url, VOILA_CONTROL, voila_choice_gesture("Valider"), ".fa-card .faire-message", True
        )
    if name == "continuum":
        gesture = voila_choice_gesture("Valider ma réponse")
        return Target(name, "Voilà", url, VOILA_CONTROL, gesture, ".fa-card .faire-message", True)
    if name == "pret":
        return Target(
            name, "Voilà", url, VOILA_CONTROL, voila_choice_gesture(None), ".fa-pret-item .faire-message", True
        )
    if name == "planificateur":  # its first list only changes what « Repartir de cette séance » will load
        return Target(name, "Voilà", url, VOILA_CONTROL, planner_gesture, None)
    return Target(name, "Voilà", url, VOILA_CONTROL, generic_gesture, None)


# ------------------------------------------------------------------------------------------ servers
class Servers:
    """Every server of a run, stopped together (``close``), Ctrl-C included."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.processes: list[subprocess.Popen] = []
        from widgets.remuneration.cache import copy_prepared

        self.env = {
            "FAIRE_AVEC_CACHE": str(copy_prepared(work / "remuneration")),
            "FAIRE_AVEC_DATA_DIR": str(work / "salle"),
        }
        (work / "salle").mkdir(exist_ok=True)
        # Every server this run starts inherits them (the group mode's server takes no other environment).
        os.environ.update(self.env)
        os.environ.pop("FAIRE_AVEC_DATABASE_URL", None)

    def voila(self, root: Path, options: tuple[str, ...] = ()) -> str:
        port = serve.free_port()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # never lose a process being started
        try:
            with (self.work / "voila.log").open("a") as log, output_to(log):
                self.processes.append(serve.start_voila(port, root, extra_args=options, extra_env=self.env))
        finally:
            signal.signal(signal.SIGINT, previous)
        return f"http://{serve.HOST}:{port}"

    def book_server(self, voila_port: int) -> str:
        """The book's server, which serves the light face: in its own process, as make serve runs it
        (in this one, it would share the processor and the interpreter with thirty tabs' events)."""
        port = serve.free_port()
        code = f"from widgets import serve; serve.book_server({port}, {voila_port}).serve_forever()"
        with (self.work / "livre.log").open("a") as log:
            process = subprocess.Popen(
                [sys.executable, "-c", code], cwd=REPO, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        serve.wait_for_port(port, timeout=60, process=process)
        return f"http://{serve.HOST}:{port}"

    def salle(self) -> tuple[str, str]:
        """The group mode's server with a session and a vote in progress: (its address, the phone page)."""
        from widgets.salle import content
        from widgets.salle.model import Activity
        from widgets.salle.store import Store
        from widgets.salle.trainer import Trainer

        port = serve.free_port()
        process = start_salle(port, room=False, log=self.work / "salle.log")  # as make serve starts it
        if process is None:
            raise RuntimeError(f"le mode groupe n'a pas démarré (voir {self.work / 'salle.log'})")
        self.processes.append(process)
        base = f"http://{serve.HOST}:{port}"
        store = Store(None, self.work / "salle")
        code, secret = store.open_session()
        Trainer(store, code, secret).ask(Activity.ABAQUE, content.load_statements()[0].text)
        return base, f"{base}/s/{code}"

    def close(self) -> None:
        for process in self.processes:
            serve.stop(process)
        self.processes.clear()


# ------------------------------------------------------------------------------------------ report
def mb(count: float) -> str:
    return f"{count / 1e6:.2f}".replace(".", ",")


def sec(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def ratio(value: float | None, reference: float | None) -> str:
    if value is None or not reference:
        return "—"
    return f"{value / reference:.2f}".replace(".", ",")


def print_main(targets: list[Target], reference: Target) -> None:
    first, second = reference.visits.get("first", Visit()), reference.visits.get("second", Visit())
    print(
        "| page | face | 1re visite : Mo (requêtes) | ÷ | 1er contrôle utilisable, s | ÷ | "
        "2e visite : Mo (requêtes, en cache) | 2e visite : 1er contrôle, s | ÷ | geste → réponse, s |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for target in targets:
        one, two = target.visits.get("first", Visit()), target.visits.get("second", Visit())
        problem = f" ({one.error or two.error})" if one.error or two.error else ""
        print(
            f"| {target.name}{problem} | {target.face} | {mb(one.bytes)} ({one.requests}) | {ratio(one.bytes, first.bytes)} "
            f"| {sec(one.control_s)} | {ratio(one.control_s, first.control_s)} "
            f"| {mb(two.bytes)} ({two.requests}, {two.cached}) | {sec(two.control_s)} "
            f"| {ratio(two.control_s, second.control_s)} | {sec(one.gesture_s)} |"
        )
    print(
        "(÷ : divisé par le curseur nu, mesuré dans le même passage ; 2e visite divisée par la 2e visite du "
        "curseur ; « en cache » : réponses lues dans le cache du navigateur)"
    )


def verdict(targets: list[Target], reference: Target) -> list[str]:
    """The issue's targets for the self-contained exercises, on the light face (ratios to the slider)."""
    lines = []
    first, second = reference.visits.get("first", Visit()), reference.visits.get("second", Visit())
    for target in targets:
        if target.face != "légère":
            continue
        one, two = target.visits.get("first", Visit()), target.visits.get("second", Visit())
        checks = [
            ("octets 1re visite ≤ 0,15×", one.bytes, first.bytes, 0.15),
            ("1er contrôle ≤ 0,3×", one.control_s, first.control_s, 0.3),
            ("2e visite ≤ 0,3×", two.control_s, second.control_s, 0.3),
        ]
        failed = [f"{label} ({ratio(v, r)})" for label, v, r, limit in checks if v is None or not r or v / r > limit]
        lines.append(f"{target.name} : {'tenu' if not failed else 'NON TENU : ' + ', '.join(failed)}")
    return lines


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# ------------------------------------------------------------------------------------------ runs
async def run_pages(browser: Browser, targets: list[Target], timeout: float) -> None:
    for target in targets:
        print(f"  {target.face} · {target.name}…", file=sys.stderr, flush=True)
        await measure(browser, target, PHONE, timeout)
        one, two = target.visits["first"], target.visits["second"]
        print(
            f"    {mb(one.bytes)} Mo, contrôle {sec(one.control_s)} s, geste {sec(one.gesture_s)} s ; "
            f"2e visite {mb(two.bytes)} Mo, {sec(two.control_s)} s {one.error or two.error}",
            file=sys.stderr,
            flush=True,
        )


STEPS = (
    (
        "Voilà d'origine",
        ("--CourseVoila.compress=False", "--CourseVoila.long_cache=False", "--CourseVoila.trim_extensions=False"),
    ),
    ("+ gzip", ("--CourseVoila.long_cache=False", "--CourseVoila.trim_extensions=False")),
    ("+ cache d'un an", ("--CourseVoila.trim_extensions=False",)),
    ("+ sans plotly sans graphique (réglage du cours)", ()),
)


async def run_steps(browser: Browser, servers: Servers, timeout: float) -> list[tuple[str, list[Target]]]:
    results = []
    for label, options in STEPS:
        print(f"[étape] {label}…", file=sys.stderr, flush=True)
        exercises_base = servers.voila(serve.EXERCISES_DIR, options)
        slider_base = servers.voila(SLIDER_DIR, options)
        targets = [
            Target("slider.ipynb", "Voilà", f"{slider_base}/voila/render/slider.ipynb", VOILA_CONTROL),
            voila_target("continuum", exercises_base),
            voila_target("autoeval-pairite", exercises_base),
        ]
        await run_pages(browser, targets, timeout)
        servers.close()
        results.append((label, targets))
    return results


def print_steps(results: list[tuple[str, list[Target]]]) -> None:
    print(
        "| étape | page | 1re visite : Mo (requêtes) | 1er contrôle, s | 2e visite : Mo (requêtes, en cache) | 2e visite, s |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for label, targets in results:
        for target in targets:
            one, two = target.visits.get("first", Visit()), target.visits.get("second", Visit())
            print(
                f"| {label} | {target.name} | {mb(one.bytes)} ({one.requests}) | {sec(one.control_s)} "
                f"| {mb(two.bytes)} ({two.requests}, {two.cached}) | {sec(two.control_s)} |"
            )


async def run_room(
    browser: Browser, base: str, phones: int, ramp: float, hotspot_mbit: float, cpu: float, timeout: float
) -> dict:
    """``phones`` contexts, arriving over ``ramp`` seconds, each with 1/``phones`` of the hotspot.

    Why the phones' processors are not slowed by default (``--room-cpu``): thirty phones slowed 4×
    would need thirty times four the processor of one, all from the bench machine's two shared cores:
    that measures the bench machine, not the server nor the network. Each real phone has its own
    processor; what one costs it is the single-phone table above."""
    share = Profile(down_mbit=hotspot_mbit / phones, up_mbit=min(PHONE.up_mbit, hotspot_mbit / phones), cpu=cpu)
    names = [e.name for e in light_exercises()]
    arrivals = [ramp * index / max(1, phones - 1) for index in range(phones)]

    async def one(index: int) -> Visit:
        await asyncio.sleep(arrivals[index])
        name = names[index % len(names)]
        target = Target(name, "légère", f"{base}/leger/{name}", LIGHT_CONTROL, light_gesture, ".leger-retour")
        context = await phone_context(browser, target, timeout)
        try:
            return await visit(context, target, share, timeout, gesture=True)
        finally:
            await context.close()

    results = await asyncio.gather(*(one(i) for i in range(phones)))
    controls = [r.control_s for r in results if r.control_s is not None]
    usable_at = [arrival + r.control_s for arrival, r in zip(arrivals, results, strict=True) if r.control_s is not None]
    return {
        "share": share,
        "usable": len(controls),
        "errors": [r.error for r in results if r.error],
        "control": controls,
        "gesture": [r.gesture_s for r in results if r.gesture_s is not None],
        "all_usable_s": max(usable_at) if len(usable_at) == phones else None,
        "bytes": sum(r.bytes for r in results),
    }


def print_room(room: dict, phones: int, ramp: float, hotspot: float) -> None:
    control, gesture = room["control"], room["gesture"]
    print(
        f"{phones} téléphones arrivés en {ramp:.0f} s, chacun {room['share'].down_mbit:.2f} Mbit/s "
        f"(1/{phones} de {hotspot:.0f} Mbit/s), latence {PHONE.latency_ms:.0f} ms, processeur "
        + (f"ralenti {room['share'].cpu:.0f}× :" if room["share"].cpu > 1 else "non ralenti (voir --room-cpu) :")
    )
    if control:
        print(
            f"- premier contrôle utilisable : p50 {sec(statistics.median(control))} s, p95 "
            f"{sec(percentile(control, 0.95))} s, max {sec(max(control))} s ({room['usable']}/{phones} utilisables)"
        )
    if gesture:
        print(
            f"- geste → réponse : p50 {sec(statistics.median(gesture))} s, p95 {sec(percentile(gesture, 0.95))} s, "
            f"max {sec(max(gesture))} s"
        )
    print(
        f"- tous utilisables {sec(room['all_usable_s'])} s après l'arrivée du premier ; {mb(room['bytes'])} Mo en tout"
    )
    if room["errors"]:
        print(f"- erreurs : {room['errors'][:5]}")


async def main_async(args: argparse.Namespace, servers: Servers) -> int:
    load_before = os.getloadavg()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=BROWSER.CHROMIUM, args=BROWSER.CHROMIUM_ARGS)
        version = browser.version
        print("Démarrage des serveurs…", file=sys.stderr, flush=True)
        exercises_base = servers.voila(serve.EXERCISES_DIR, serve.preheat_args())
        slider_base = servers.voila(SLIDER_DIR)
        book_base = servers.book_server(int(exercises_base.rsplit(":", 1)[1]))
        _salle_base, salle_page = servers.salle()
        names = sorted(p.stem for p in serve.EXERCISES_DIR.glob("*.ipynb"))
        light = [e.name for e in light_exercises()]
        if args.only:
            wanted = {name.strip().removesuffix(".ipynb") for name in args.only.split(",")}
            names = [n for n in names if n in wanted]
            light = [n for n in light if n in wanted]
        reference = Target("slider.ipynb (référence)", "Voilà", f"{slider_base}/voila/render/slider.ipynb",
                           VOILA_CONTROL, slider_gesture, None)  # fmt: skip
        targets = [reference]
        targets += [voila_target(name, exercises_base) for name in names]
        targets += [
            Target(name, "légère", f"{book_base}/leger/{name}", LIGHT_CONTROL, light_gesture, ".leger-retour", True)
            for name in light
        ]
        targets.append(
            Target("page du téléphone", "mode groupe", salle_page, SALLE_CONTROL, salle_gesture, ".message--ok")
        )
        print("[pages]", file=sys.stderr, flush=True)
        await run_pages(browser, targets, args.timeout)
        room = None
        if args.phones > 0:
            print(f"[salle] {args.phones} téléphones…", file=sys.stderr, flush=True)
            room = await run_room(browser, book_base, args.phones, args.ramp, args.hotspot, args.room_cpu, args.timeout)
        servers.close()  # the steps start their own Voilà servers
        steps = [] if args.no_steps else await run_steps(browser, servers, args.timeout)
        await browser.close()
    load_after = os.getloadavg()

    print()
    print(
        f"Profil téléphone : 360×740, tactile, processeur ralenti {PHONE.cpu:.0f}×, {PHONE.down_mbit:.0f} Mbit/s "
        f"descendant, {PHONE.up_mbit} Mbit/s montant, latence {PHONE.latency_ms:.0f} ms (Chrome DevTools Protocol)."
    )
    print()
    print_main(targets, reference)
    print()
    print("Objectifs de l'issue 18 pour les exercices autonomes, face légère (÷ curseur nu) :")
    for line in verdict(targets, reference):
        print(f"- {line}")
    if room is not None:
        print()
        print_room(room, args.phones, args.ramp, args.hotspot)
    if steps:
        print()
        print("Ce que gagne chaque étape de « envoyer moins » (Voilà, même profil) :")
        print_steps(steps)
    print()
    print(
        f"Machine : nproc {len(os.sched_getaffinity(0))}, Python {platform.python_version()}, Chromium {version} ; "
        f"charge moyenne {load_before[0]:.2f} au départ, {load_after[0]:.2f} à la fin (1 min)."
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        metavar="NOMS",
        help="quelques exercices (séparés par des virgules : leurs deux faces), plus les références",
    )
    parser.add_argument("--phones", type=int, default=30, help="téléphones de la salle simulée (0 : sans salle)")
    parser.add_argument("--ramp", type=float, default=10.0, help="secondes sur lesquelles ils arrivent")
    parser.add_argument("--hotspot", type=float, default=30.0, help="débit du partage de connexion, Mbit/s")
    parser.add_argument(
        "--room-cpu", type=float, default=1.0, help="ralentissement du processeur de chaque téléphone de la salle"
    )
    parser.add_argument("--no-steps", action="store_true", help="sans la mesure étape par étape")
    parser.add_argument("--timeout", type=float, default=180.0, help="délai maximal d'une attente, en s")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="faire-avec-bench-phone-"))
    servers = Servers(work)

    def interrupted(_signum: int, _frame: object) -> None:
        """Ctrl-C or kill: stop every server now (a Playwright call may never return once the browser,
        in the same process group, got the signal too), then leave."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("\nInterrompu : arrêt des serveurs…", file=sys.stderr, flush=True)
        servers.close()
        shutil.rmtree(work, ignore_errors=True)
        os._exit(130)

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        return asyncio.run(main_async(args, servers))
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        servers.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
