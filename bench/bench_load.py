"""A room at once: N learners (default 30) open an exercise, use it and close it, through Voilà's real
path (the page over HTTP, then the kernel websocket with the binary protocol Voilà's page speaks).

Prints figures, asserts nothing (it is not a test). Every learner, concurrently:

1. opens an exercise page (``GET /voila/render/<exercise>.ipynb``: Voilà starts a kernel and runs
   the notebook), exercises taken in turn from ``--exercises``;
2. connects to the kernel websocket as the page does, asks the widgets' state (what ipywidgets'
   front end asks first), then makes ``--interactions`` changes a person would make (move a slider,
   pick an option, tick a box, press a button), ``--think`` seconds apart. One interaction's latency
   is the time from sending the change to the kernel's « idle » for it: the callback, the model
   and the view's redraw messages all done;
3. closes the tab: the shutdown request Voilà's page sends on ``beforeunload`` (with the ``_xsrf``
   token of its cookie), then the websocket closes.

Meanwhile memory is sampled every 0.5 s (resident memory of Voilà and of each kernel, as psutil
reads it). At the end: kernels left once everyone has closed (target 0), page-open and interaction
times (p50/p95/max), errors, refusals by the kernel cap, peak memory, resident memory per kernel
by exercise. Everything listens on 127.0.0.1; every loop is bounded (``--timeout``).

    .venv/bin/python bench/bench_load.py [--learners 30] [--ramp 10] [--interactions 5]
        [--exercises continuum,pret,autoeval-savoirs,remuneration] [--preheat]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402
from jupyter_server.services.kernels.connection.base import (  # noqa: E402
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest  # noqa: E402
from tornado.websocket import WebSocketClientConnection, websocket_connect  # noqa: E402

from widgets import serve  # noqa: E402
from widgets.remuneration.cache import copy_prepared  # noqa: E402

V1 = "v1.kernel.websocket.jupyter.org"
DEFAULT_EXERCISES = "continuum,pret,autoeval-savoirs,remuneration"
KERNEL_ID = re.compile(r"kernel-([0-9a-f-]{36})\.json")
SLIDERS = {"IntSliderModel", "FloatSliderModel", "IntRangeSliderModel", "FloatRangeSliderModel"}
STATUS_CLASS = "fa-statut"  # the simulator's status line (widgets/remuneration/view.py)
COMPUTING = "Calcul en cours"  # what it says while a new case is computed
CHOICES = {"DropdownModel", "RadioButtonsModel", "ToggleButtonsModel", "SelectModel"}


@dataclass
class Learner:
    number: int
    exercise: str
    opened_s: float | None = None
    kernel_id: str | None = None
    latencies_s: list[float] = field(default_factory=list)
    #: simulator: from a gesture that asked for a new case to its figures on the page
    figures_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refused: bool = False
    closed: bool = False


class Channel:
    """The page's side of a kernel websocket (binary v1 protocol), enough to drive widgets."""

    def __init__(self, connection: WebSocketClientConnection, session: str) -> None:
        self.connection = connection
        self.session = session
        self.waiting: dict[str, asyncio.Future] = {}  # msg_id → future of the kernel's idle
        self.states: asyncio.Future = asyncio.get_running_loop().create_future()
        self.status_id: str | None = None  # the simulator's status line (``fa-statut``), if any
        self.status_changed = asyncio.Event()
        self.status_value = ""
        self.reader = asyncio.ensure_future(self.read())

    def send(self, msg_type: str, content: dict, channel: str = "shell", metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": msg_type,
            "username": "apprenant",
            "session": self.session,
            "date": datetime.now(UTC).isoformat(),
            "version": "5.3",
        }
        parts = [json.dumps(part).encode() for part in (header, {}, metadata or {}, content)]
        self.connection.write_message(serialize_msg_to_ws_v1(parts, channel), binary=True)
        return msg_id

    async def request(self, msg_type: str, content: dict, timeout: float) -> None:
        """Send, then wait until the kernel is idle again for this message."""
        msg_id = self.send(msg_type, content)
        done = asyncio.get_running_loop().create_future()
        self.waiting[msg_id] = done
        try:
            await asyncio.wait_for(done, timeout)
        finally:
            self.waiting.pop(msg_id, None)

    async def read(self) -> None:
        while True:
            frame = await self.connection.read_message()
            if frame is None:
                return
            if not isinstance(frame, bytes):
                continue
            _, parts = deserialize_msg_from_ws_v1(frame)
            header, parent, content = json.loads(parts[0]), json.loads(parts[1]), json.loads(parts[3])
            kind = header.get("msg_type")
            if kind == "status" and content.get("execution_state") == "idle":
                future = self.waiting.get(parent.get("msg_id"))
                if future is not None and not future.done():
                    future.set_result(None)
            elif kind == "comm_msg" and content.get("data", {}).get("method") == "update_states":
                if not self.states.done():
                    states = content["data"]["states"]
                    for model_id, model in states.items():
                        if STATUS_CLASS in model.get("state", {}).get("_dom_classes", ()):
                            self.status_id = model_id
                            self.status_value = model["state"].get("value", "")
                    self.states.set_result(states)
            elif kind == "comm_msg" and content.get("comm_id") == self.status_id:
                state = content.get("data", {}).get("state", {})
                if "value" in state:
                    self.status_value = state["value"]
                    self.status_changed.set()

    async def figures_shown(self, timeout: float) -> None:
        """Wait until the simulator's status line no longer says it is computing (figures drawn)."""
        deadline = time.monotonic() + timeout
        while COMPUTING in self.status_value:
            self.status_changed.clear()
            await asyncio.wait_for(self.status_changed.wait(), max(0.1, deadline - time.monotonic()))

    def close(self) -> None:
        self.reader.cancel()
        self.connection.close()


def interaction(model_id: str, model: dict, rng: random.Random) -> dict | None:
    """The comm message a person's gesture on this widget sends, or None if it takes no gesture."""
    name, state = model.get("model_name"), model.get("state", {})
    if state.get("disabled"):
        return None
    if name in SLIDERS and isinstance(state.get("value"), int | float):
        low, high = state.get("min", 0), state.get("max", 100)
        value = rng.randint(int(low), int(high)) if name.startswith("Int") else rng.uniform(low, high)
        return {"comm_id": model_id, "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}}
    if name in CHOICES and state.get("_options_labels"):
        index = rng.randrange(len(state["_options_labels"]))
        return {"comm_id": model_id, "data": {"method": "update", "state": {"index": index}, "buffer_paths": []}}
    if name == "CheckboxModel":
        value = not state.get("value", False)
        return {"comm_id": model_id, "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}}
    if name == "ButtonModel":
        return {"comm_id": model_id, "data": {"method": "custom", "content": {"event": "click"}}}
    return None


async def learner_session(learner: Learner, base: str, args: argparse.Namespace, rng: random.Random) -> None:
    http = AsyncHTTPClient()
    await asyncio.sleep(rng.uniform(0, args.ramp) if args.ramp else 0)
    started = time.monotonic()
    try:
        response = await http.fetch(
            f"{base}/voila/render/{learner.exercise}.ipynb", request_timeout=args.timeout, connect_timeout=30
        )
    except HTTPClientError as error:
        if error.code == 503:
            learner.refused = True
        else:
            learner.errors.append(f"page HTTP {error.code} ({error.message})")
        return
    except Exception as error:  # noqa: BLE001 (a timeout, a reset: all are the learner's error)
        learner.errors.append(f"page {type(error).__name__}")
        return
    learner.opened_s = time.monotonic() - started
    page = response.body.decode("utf-8", "replace")
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page)
    if not found:
        learner.errors.append("page sans noyau")
        return
    learner.kernel_id = found.group(1)
    cookies = SimpleCookie()
    for header in response.headers.get_list("Set-Cookie"):
        cookies.load(header)
    cookie_header = "; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items())
    xsrf = cookies["_xsrf"].value if "_xsrf" in cookies else ""
    channel = None
    try:
        url = f"{base.replace('http', 'ws', 1)}/api/kernels/{learner.kernel_id}/channels?session_id={uuid.uuid4()}"
        connection = await asyncio.wait_for(
            websocket_connect(HTTPRequest(url, headers={"Cookie": cookie_header}), subprotocols=[V1]), args.timeout
        )
        channel = Channel(connection, uuid.uuid4().hex)
        control = uuid.uuid4().hex
        opening = {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}}
        channel.send("comm_open", opening, metadata={"version": "1.0.0"})  # ipywidgets' control protocol
        channel.send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
        states = await asyncio.wait_for(channel.states, args.timeout)
        for step in range(args.interactions):
            gestures = [g for mid, model in sorted(states.items()) if (g := interaction(mid, model, rng))]
            if not gestures:
                learner.errors.append("aucun widget à manipuler")
                break
            if step:
                await asyncio.sleep(args.think)
            sent = time.monotonic()
            try:
                await channel.request("comm_msg", rng.choice(gestures), timeout=args.timeout)
            except TimeoutError:
                learner.errors.append("interaction sans réponse")
                continue
            learner.latencies_s.append(time.monotonic() - sent)
            if COMPUTING in channel.status_value:  # a new case: a person waits for its figures
                try:
                    await channel.figures_shown(args.timeout)
                except TimeoutError:
                    learner.errors.append("chiffres jamais affichés")
                    continue
                learner.figures_s.append(time.monotonic() - sent)
    except Exception as error:  # noqa: BLE001 - counted and printed: a benchmark reports a failure, it does not stop
        learner.errors.append(f"websocket {type(error).__name__}")
    finally:
        # What the page sends on beforeunload (Voilà's navigator.sendBeacon), then the tab is gone.
        with contextlib.suppress(Exception):
            await http.fetch(
                f"{base}/voila/api/shutdown/{learner.kernel_id}",
                method="POST",
                body=urlencode({"_xsrf": xsrf}),
                headers={"Cookie": cookie_header, "Content-Type": "application/x-www-form-urlencoded"},
                request_timeout=args.timeout,
            )
            learner.closed = True
        if channel is not None:
            channel.close()


class MemorySampler:
    """Resident memory of Voilà and its kernels, every ``interval`` seconds, in the background."""

    def __init__(self, process: subprocess.Popen[bytes], interval: float = 0.5) -> None:
        self.root = psutil.Process(process.pid)
        self.interval = interval
        self.peak_total_mb = 0.0
        self.peak_kernels = 0
        self.kernel_peak_mb: dict[str, float] = defaultdict(float)
        self.service_peak_mb = 0.0  # the shared computation service (one per Voilà), when there is one
        self.service_port: int | None = None
        self.system_used_start_mb = psutil.virtual_memory().used / 2**20
        self.system_used_peak_mb = self.system_used_start_mb
        self.task: asyncio.Task | None = None

    def sample(self) -> None:
        total = self.root.memory_info().rss
        kernels = 0
        for child in self.root.children(recursive=True):
            try:
                rss = child.memory_info().rss
                cmdline = " ".join(child.cmdline())
            except psutil.Error:
                continue
            total += rss
            if "widgets.remuneration.service" in cmdline:
                self.service_peak_mb = max(self.service_peak_mb, rss / 2**20)
                if self.service_port is None:
                    with contextlib.suppress(psutil.Error):
                        connections = getattr(child, "net_connections", child.connections)(kind="inet")
                        listening = [c.laddr.port for c in connections if c.status == psutil.CONN_LISTEN]
                        self.service_port = listening[0] if listening else None
            found = KERNEL_ID.search(cmdline)
            if found:
                kernels += 1
                kernel = found.group(1)
                self.kernel_peak_mb[kernel] = max(self.kernel_peak_mb[kernel], rss / 2**20)
        self.peak_total_mb = max(self.peak_total_mb, total / 2**20)
        self.peak_kernels = max(self.peak_kernels, kernels)
        self.system_used_peak_mb = max(self.system_used_peak_mb, psutil.virtual_memory().used / 2**20)

    async def run(self) -> None:
        while True:
            with contextlib.suppress(psutil.Error):
                self.sample()
            await asyncio.sleep(self.interval)


def thousands(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")  # French: a narrow space between thousands


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def describe(values: list[float], unit: float = 1.0, digits: int = 2) -> str:
    if not values:
        return "—"
    scaled = [v * unit for v in values]
    return (
        f"p50 {percentile(scaled, 0.5):.{digits}f}  p95 {percentile(scaled, 0.95):.{digits}f}  "
        f"max {max(scaled):.{digits}f}  (n = {len(scaled)})"
    )


async def drive(base: str, process: subprocess.Popen[bytes], args: argparse.Namespace) -> dict:
    # Tornado's client runs 10 requests at a time by default and queues the others: here every
    # learner (page, then closing request) must be in flight at once, as browsers are.
    AsyncHTTPClient.configure(None, max_clients=2 * args.learners)
    exercises = [name.strip().removesuffix(".ipynb") for name in args.exercises.split(",") if name.strip()]
    rng = random.Random(args.seed)
    learners = [Learner(i + 1, exercises[i % len(exercises)]) for i in range(args.learners)]
    baseline = len(serve.kernel_processes(process))  # the preheated pool, idle by design (0 without)
    sampler = MemorySampler(process)
    sampler.task = asyncio.ensure_future(sampler.run())
    started = time.monotonic()
    await asyncio.gather(*(learner_session(lr, base, args, random.Random(rng.random())) for lr in learners))
    all_closed_s = time.monotonic() - started
    drained_s = None
    deadline = time.monotonic() + args.drain
    while time.monotonic() < deadline:
        if len(serve.kernel_processes(process)) <= baseline:
            drained_s = args.drain - (deadline - time.monotonic())
            break
        await asyncio.sleep(0.5)
    sampler.task.cancel()
    service_state = None
    if sampler.service_port is not None:
        # Cases asked before the tabs closed are still being computed: wait for them (bounded), so
        # that the service's figures cover every request.
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                answer = await AsyncHTTPClient().fetch(
                    f"http://{serve.HOST}:{sampler.service_port}/etat", request_timeout=30
                )
                service_state = json.loads(answer.body)
                if service_state["in_flight"] == 0:
                    break
            await asyncio.sleep(1)
        service_state = service_state and {**service_state, "waited_s": args.timeout - (deadline - time.monotonic())}
    return {
        "service": service_state,
        "learners": learners,
        "sampler": sampler,
        "all_closed_s": all_closed_s,
        "drained_s": drained_s,
        "left": len(serve.kernel_processes(process)) - baseline,
        "pool": baseline,
    }


def report(result: dict, args: argparse.Namespace, voila_mb: float) -> None:
    learners: list[Learner] = result["learners"]
    sampler: MemorySampler = result["sampler"]
    latencies = [s for lr in learners for s in lr.latencies_s]
    errors = Counter(error for lr in learners for error in lr.errors)
    opened = [lr.opened_s for lr in learners if lr.opened_s is not None]
    print()
    print(
        f"{args.learners} personnes en même temps (arrivées étalées sur {args.ramp:.0f} s), "
        f"{args.interactions} gestes chacune à {args.think:.1f} s d'intervalle, "
        f"noyaux préchauffés : {'oui' if args.preheat else 'non'}, calcul : {args.calcul}"
    )
    print(f"exercices tour à tour : {args.exercises}")
    print()
    print(f"ouverture de la page (s)           {describe(opened)}")
    p95_ms = percentile(latencies, 0.95) * 1000 if latencies else float("nan")
    print(f"latence d'un geste (ms)            {describe(latencies, 1000, 0)}")
    print(f"  p95 / objectif 300 ms            {p95_ms / 300:.2f}")
    by_exercise = defaultdict(list)
    for lr in learners:
        by_exercise[lr.exercise].extend(lr.latencies_s)
    for exercise, values in sorted(by_exercise.items()):
        print(f"  {exercise:<32} {describe(values, 1000, 0)}")
    figures = [s for lr in learners for s in lr.figures_s]
    print(f"simulateur : geste → chiffres d'un cas nouveau (s) {describe(figures)}")
    refused = sum(lr.refused for lr in learners)
    print(f"erreurs                            {sum(errors.values())}" + (f"  {dict(errors)}" if errors else ""))
    print(f"refus (plafond de noyaux, 503)     {refused}")
    print(f"durée totale jusqu'au dernier départ {result['all_closed_s']:.1f} s")
    drained = f"{result['drained_s']:.1f} s après le dernier départ" if result["drained_s"] is not None else "jamais"
    pool = f", sans compter les {result['pool']} du pool préchauffé" if result["pool"] else ""
    print(f"noyaux restants après fermeture    {result['left']} (objectif 0{pool} ; plus aucun : {drained})")
    print()
    print(f"noyaux en même temps (pic)         {sampler.peak_kernels}")
    print(f"mémoire Voilà + noyaux (pic, RSS)  {thousands(sampler.peak_total_mb)} Mo")
    used = sampler.system_used_peak_mb - sampler.system_used_start_mb
    print(f"mémoire de la machine (pic − départ) {thousands(used)} Mo")
    print(f"Voilà seul au départ (RSS)         {voila_mb:.0f} Mo")
    print(
        f"service de calcul partagé (pic)    {sampler.service_peak_mb:.0f} Mo"
        if sampler.service_peak_mb
        else "service de calcul partagé          aucun (chaque noyau du simulateur calcule lui-même)"
    )
    state = result.get("service")
    if state:
        waits = state["foreground_seconds"]
        print(
            f"  demandes {state['requests']} (premiers chiffres {state['foreground']}, grilles complètes "
            f"{state['background']}), calculs OpenFisca {state['runs']}, grilles calculées {state['grids_computed']}"
        )
        print(f"  premiers chiffres d'un cas, attente au service (s) {describe(waits)}")
        print(f"  (dernier calcul fini {state['waited_s']:.0f} s après le départ de la dernière personne)")
    per_exercise = defaultdict(list)
    for lr in learners:
        if lr.kernel_id in sampler.kernel_peak_mb:
            per_exercise[lr.exercise].append(sampler.kernel_peak_mb[lr.kernel_id])
    print("mémoire par noyau (RSS au pic de chaque noyau, Mo ; objectif ≤ 250)")
    for exercise, values in sorted(per_exercise.items()):
        median = statistics.median(values)
        print(f"  {exercise:<32} médiane {median:4.0f}  max {max(values):4.0f}  (÷ 250 : {median / 250:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30, help="personnes simulées (défaut : 30)")
    parser.add_argument("--exercises", default=DEFAULT_EXERCISES, help=f"exercices tour à tour ({DEFAULT_EXERCISES})")
    parser.add_argument("--interactions", type=int, default=5, help="gestes par personne (défaut : 5)")
    parser.add_argument("--think", type=float, default=1.0, help="secondes entre deux gestes (défaut : 1)")
    parser.add_argument("--ramp", type=float, default=10.0, help="arrivées étalées sur N secondes (défaut : 10)")
    parser.add_argument("--timeout", type=float, default=240, help="délai maximal d'une étape, en s (défaut : 240)")
    parser.add_argument("--drain", type=float, default=30, help="attente des fermetures de noyaux (défaut : 30 s)")
    parser.add_argument("--preheat", action="store_true", help="avec les noyaux préchauffés de Voilà")
    parser.add_argument(
        "--calcul",
        choices=("partage", "local"),
        default="partage",
        help="partage : un service OpenFisca pour tous les noyaux (défaut, comme make serve) ; "
        "local : chaque noyau du simulateur calcule lui-même (pour comparer)",
    )
    parser.add_argument("--max-kernels", type=int, help="plafond de noyaux (défaut : celui de make serve)")
    parser.add_argument("--seed", type=int, default=1, help="graine des gestes (défaut : 1)")
    args = parser.parse_args()
    if args.learners < 1 or args.interactions < 1:
        parser.error("--learners et --interactions doivent valoir au moins 1.")

    log = tempfile.NamedTemporaryFile("w", prefix="faire-avec-bench-load-", suffix=".log", delete=False)
    # the presets `make warm` prepared, and nothing a previous run computed (it would flatter the next one)
    env = {"FAIRE_AVEC_CACHE": str(copy_prepared(Path(tempfile.mkdtemp(prefix="faire-avec-bench-cache-"))))}
    if args.calcul == "local":
        env["FAIRE_AVEC_CALCUL"] = "local"
    if args.max_kernels:
        env["FAIRE_AVEC_MAX_KERNELS"] = str(args.max_kernels)
    port = serve.free_port()
    options = serve.PREHEAT_ARGS if args.preheat else ()
    print(f"Démarrage de Voilà (journal : {log.name})…", file=sys.stderr, flush=True)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    process = None
    try:
        process = serve.start_voila(port, log=Path(log.name), extra_env=env, extra_args=options)
        if args.preheat:
            wait_for_pool(process, timeout=args.timeout)
        voila_mb = psutil.Process(process.pid).memory_info().rss / 2**20
        result = asyncio.run(drive(f"http://{serve.HOST}:{port}", process, args))
    except KeyboardInterrupt:
        print("\nInterrompu.", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if process is not None:
            serve.stop(process)
        log.close()
    report(result, args, voila_mb)
    load = os.getloadavg()[0]
    print()
    print(
        f"Machine : nproc {len(os.sched_getaffinity(0))}, mémoire {psutil.virtual_memory().total / 2**30:.0f} Go, "
        f"Python {platform.python_version()}, charge moyenne à la fin {load:.2f}"
    )
    return 0


def wait_for_pool(process: subprocess.Popen[bytes], timeout: float) -> None:
    """With preheated kernels, wait until every notebook's pool kernel exists and has gone quiet."""
    notebooks = len(list(serve.EXERCISES_DIR.glob("*.ipynb")))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(serve.kernel_processes(process)) < notebooks:
        time.sleep(1)
    time.sleep(min(30.0, max(0.0, deadline - time.monotonic())))  # let them execute their notebook


if __name__ == "__main__":
    raise SystemExit(main())
