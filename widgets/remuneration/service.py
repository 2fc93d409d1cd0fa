"""The shared computation service: ONE OpenFisca-France for every simulator kernel of a server.

Why (issue « Tenir une salle ») : each simulator kernel used to build its own tax-benefit system
(about 160 MB) and run OpenFisca itself. When a room opened the simulator, 20 kernels computed the
same new case at the same time on 2 cores, and a learner waited up to 45 s. Here the tax-benefit
system, the grids in memory and the OpenFisca runs live once per server:

* a case asked by several learners at once is computed once; the others read it from memory;
* runs are serialised (one at a time: on 2 cores, parallel runs only slow each other down), and a
  learner's first figures go before the slider grids being filled in the background
  (:func:`widgets.remuneration.cache.ensure_levels` gives way; this service retries the background
  request afterwards);
* grids are written to the same disk cache as ``make warm``.

The kernels reach it through :mod:`widgets.remuneration.remote` (``FAIRE_AVEC_CALCUL_URL``). The
course's Voilà starts it (:func:`widgets.remuneration.remote.start_service`) and stops it with itself; behind JupyterHub the hub runs one
for all participants (``deploy/jupyterhub``; on Kubernetes, a container of the hub's pod that only
the participants' pods may reach). It listens on 127.0.0.1 unless ``--host`` says otherwise: the
kernels are local, learners' browsers never talk to it.

``python -m widgets.remuneration.service [--port N] [--queue N]`` prints ``PORT <n>`` on its first
line (port 0 = any free port), then answers:

* ``POST /grilles``: JSON ``{"demandes": [{"menage", "offre", "heures"}…], "fond": bool}`` → an
  ``.npz`` archive (numbers only) with one grid per request; 400 with a French ``message`` if the
  input is not a case the simulator accepts;
* ``GET /constantes``: the OpenFisca parameters the model needs (JSON);
* ``GET /etat``: counters (requests, OpenFisca runs, grids in memory, refusals) read by the
  benchmarks; nothing computed, nothing secret.

What it refuses, before any work, each with a French ``message`` (issue 16, « Sûr quand on partage »):

* **403** without the shared key: ``Authorization: Bearer <FAIRE_AVEC_CALCUL_CLE>``. The key is drawn
  at each start (:func:`widgets.remuneration.remote.start_service`) and reaches the kernels through
  the environment, like the address; under JupyterHub the hub draws it; on Kubernetes it is a Secret.
  Only the kernels of this server can then make it compute, even on an address others can reach.
* **413** for a body over :data:`MAX_BODY_BYTES` (64 KiB; a real request is under 2 KiB), refused on
  its announced length before it is parsed, or as soon as a chunked one passes the limit; nothing
  past the limit is kept, and tornado's own limit (``max_body_size``) closes the connection of a
  body over :data:`DRAINED_BYTES`.
* **400** for what the simulator would refuse: the body is parsed and checked on the event loop,
  which its size keeps cheap (a worst-case 64 KiB body takes about a millisecond), before it
  waits for a thread.
* **503** when :data:`QUEUE` requests are already waiting or computing: the kernel then computes
  by itself (:func:`widgets.remuneration.cache.ensure_levels` falls back on any refusal), so a
  flood makes the service refuse quickly instead of holding every learner in a queue that grows
  without end.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import hmac
import logging
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psutil
import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.web

from widgets.errors import InputError

from . import cache, remote
from . import openfisca_adapter as adapter

LOGGER = logging.getLogger(__name__)
#: Requests wait in threads (most of them only for the compute lock or a memory read).
WORKERS = 32
#: Requests waiting or computing at once; past it, 503 (the kernel computes by itself).
QUEUE = WORKERS
#: The largest body accepted (a real request of 8 cases is under 2 KiB).
MAX_BODY_BYTES = 64 * 1024
#: An oversized body is still read (and dropped) up to this size, so that its caller reads the 413;
#: past it tornado closes the connection.
DRAINED_BYTES = 2**20
#: The shared key is at least this long (``secrets.token_urlsafe(32)`` gives 43 characters).
MIN_KEY_LENGTH = 32
FORBIDDEN = "Le service de calcul ne répond qu'aux exercices de ce serveur (clé absente ou fausse)."
TOO_LARGE = "Demande au service de calcul trop grande : 64 Kio au plus."
BUSY = "Le service de calcul est très occupé : la page calcule elle-même."
#: A background request interrupted by learners is tried again until this long has passed.
BACKGROUND_PATIENCE_S = 600.0
#: After computing, the disk cache is trimmed to its cap at most this often.
TRIM_EVERY_S = 30.0


@dataclasses.dataclass
class Counters:
    """What the benchmarks read at ``/etat``: proof that a case asked N times is computed once."""

    requests: int = 0
    in_flight: int = 0  # requests received and not answered yet
    foreground: int = 0
    background: int = 0
    grids_computed: int = 0
    refused: int = 0  # 400: not a case the simulator accepts
    forbidden: int = 0  # 403: no key, or a wrong one
    too_large: int = 0  # 413
    busy: int = 0  # 503: the queue was full
    interrupted: int = 0
    seconds_computing: float = 0.0
    #: How long each learner's (foreground) request took here, waiting for the lock included (the
    #: latest 5 000: a server that runs for weeks keeps a bounded memory).
    foreground_seconds: deque[float] = dataclasses.field(default_factory=lambda: deque(maxlen=5000), repr=False)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock, repr=False)

    def add(self, **amounts: float) -> None:
        with self.lock:
            for name, amount in amounts.items():
                setattr(self, name, getattr(self, name) + amount)

    def admit(self, limit: int) -> bool:
        """Count one more request in flight unless ``limit`` are already there."""
        with self.lock:
            if self.in_flight >= limit:
                return False
            self.in_flight += 1
            return True

    def took(self, seconds: float) -> None:
        with self.lock:
            self.foreground_seconds.append(seconds)

    def as_dict(self) -> dict[str, Any]:
        with self.lock:
            values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "lock"}
            values["foreground_seconds"] = list(self.foreground_seconds)
        values["runs"] = cache.run_count()
        values["memory_mb"] = round(psutil.Process().memory_info().rss / 2**20, 1)
        return values


def answer(requests: list[tuple[Any, Any, list[float]]], background: bool, counters: Counters) -> bytes:
    """Compute (or read) the grids of ``requests`` here; a background request gives way to learners."""
    started = time.monotonic()
    while True:
        try:
            grids, computed = cache.ensure_levels(requests, background=background, local=True)
            break
        except adapter.Interrupted:
            counters.add(interrupted=1)
            if time.monotonic() - started > BACKGROUND_PATIENCE_S:
                raise
            cache.wait_until_not_interrupted(60.0)
    counters.add(grids_computed=computed, seconds_computing=time.monotonic() - started)
    if computed:
        _DISK.trim()
    if not background:
        counters.took(time.monotonic() - started)
    ordered = [grids[cache.GridKey.of(household, offer)] for household, offer, _levels in requests]
    return remote.encode_grids([(grid.levels, grid.data) for grid in ordered])


class DiskCap:
    """Keeps the disk cache under its cap (:func:`widgets.remuneration.cache.trim_disk`), at most
    every :data:`TRIM_EVERY_S`; the grids ``make warm`` prepared are never deleted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = -TRIM_EVERY_S
        self._prepared: list[Any] | None = None

    def trim(self, force: bool = False) -> int:
        with self._lock:
            if not force and time.monotonic() - self._last < TRIM_EVERY_S:
                return 0
            self._last = time.monotonic()
            if self._prepared is None:
                from .content import preset_pairs

                self._prepared = cache.cache_files(preset_pairs())
            return cache.trim_disk(cache.disk_cap_bytes(), keep=self._prepared)


_DISK = DiskCap()


class ServiceHandler(tornado.web.RequestHandler):
    """Every computing route: the shared key is checked first, errors are French JSON."""

    def initialize(self, executor: ThreadPoolExecutor, counters: Counters, key: str, queue: int) -> None:
        self.executor = executor
        self.counters = counters
        self.key = key
        self.queue = queue

    def set_default_headers(self) -> None:
        self.clear_header("Server")

    def check_xsrf_cookie(self) -> None:  # a JSON API for local processes: no browser form posts here
        return None

    def prepare(self) -> None:
        given = self.request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {self.key}".encode()):
            self.counters.add(forbidden=1)
            raise tornado.web.HTTPError(403)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        message = {403: FORBIDDEN, 413: TOO_LARGE, 503: BUSY}.get(
            status_code, "Le service de calcul a rencontré une erreur : la page calcule elle-même."
        )
        if status_code == 503:
            self.set_header("Retry-After", "5")
        self.finish({"message": message})

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        # A refusal (4xx, 503) is counted, not logged: tornado's line would carry the caller's address.
        if not isinstance(value, tornado.web.HTTPError):
            LOGGER.error("computation service: %s", typ.__name__ if typ else "error", exc_info=(typ, value, tb))


@tornado.web.stream_request_body
class GridsHandler(ServiceHandler):
    def prepare(self) -> None:
        super().prepare()
        self.body = bytearray()
        self.refused = False
        declared = self.request.headers.get("Content-Length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            self.refuse_as_too_large()

    def refuse_as_too_large(self) -> None:
        self.counters.add(too_large=1)
        self.refused = True
        self.body = bytearray()
        self.send_error(413)

    def data_received(self, chunk: bytes) -> None:
        if self.refused:
            return  # drained and dropped (see DRAINED_BYTES), so that the caller reads its 413
        self.body += chunk
        if len(self.body) > MAX_BODY_BYTES:  # a chunked body announces no length
            self.refuse_as_too_large()

    async def post(self) -> None:
        if self.refused:
            return
        try:
            requests, background = remote.decode_request(bytes(self.body))
        except InputError as error:
            self.counters.add(refused=1)
            self.set_status(400)
            self.finish({"message": str(error), "champ": error.field})
            return
        if not self.counters.admit(self.queue):
            self.counters.add(busy=1)
            raise tornado.web.HTTPError(503)
        self.counters.add(requests=1, **{"background" if background else "foreground": 1})
        loop = asyncio.get_running_loop()
        try:
            body = await loop.run_in_executor(self.executor, answer, requests, background, self.counters)
        finally:
            self.counters.add(in_flight=-1)
        self.set_header("Content-Type", "application/octet-stream")
        self.finish(body)


class ConstantsHandler(ServiceHandler):
    async def get(self) -> None:
        loop = asyncio.get_running_loop()
        constants = await loop.run_in_executor(self.executor, cache.constants)
        self.finish(dataclasses.asdict(constants))


class StateHandler(ServiceHandler):
    def prepare(self) -> None:
        return None  # counters only: readable without the key (the benchmarks read them)

    def get(self) -> None:
        self.finish(self.counters.as_dict())


def make_app(key: str, counters: Counters | None = None, queue: int = QUEUE) -> tornado.web.Application:
    """The service's routes; ``key`` is the shared key every computing request must carry."""
    if len(key) < MIN_KEY_LENGTH:
        raise ValueError(f"the shared key must have at least {MIN_KEY_LENGTH} characters")
    settings = {
        "executor": ThreadPoolExecutor(WORKERS, thread_name_prefix="calcul"),
        "counters": counters or Counters(),
        "key": key,
        "queue": queue,
    }
    return tornado.web.Application(
        [
            (r"/grilles", GridsHandler, settings),
            (r"/constantes", ConstantsHandler, settings),
            (r"/etat", StateHandler, settings),
        ],
        default_handler_class=tornado.web.ErrorHandler,
        default_handler_args={"status_code": 404},
        log_function=lambda handler: None,  # no access log: it would carry addresses
    )


def _prepare() -> None:
    """Build the tax-benefit system before the first learner asks (about 2 s of processor, once)."""
    try:
        cache.constants()
        adapter.tax_benefit_system()
    except Exception:  # the first request will try again and report
        LOGGER.exception("preparing OpenFisca failed")


def _watch_parent(parent: int) -> None:
    """Stop when the server that started us is gone (killed with no chance to stop us)."""
    while psutil.pid_exists(parent):
        time.sleep(2.0)
    os.kill(os.getpid(), signal.SIGTERM)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Service de calcul partagé du simulateur (OpenFisca-France)")
    parser.add_argument("--port", type=int, default=0, help="port (0 : un port libre)")
    parser.add_argument(
        "--host",
        default=remote.HOST,
        help="adresse d'écoute (127.0.0.1 ; 0.0.0.0 seulement dans un conteneur que seuls les noyaux joignent)",
    )
    parser.add_argument("--parent", type=int, help="s'arrêter quand ce processus n'existe plus")
    parser.add_argument("--queue", type=int, default=QUEUE, help=f"demandes en cours au plus ({QUEUE}) ; au-delà : 503")
    args = parser.parse_args(argv)
    key = os.environ.get(remote.KEY_VARIABLE, "").strip()
    if len(key) < MIN_KEY_LENGTH:
        print(
            f"{remote.KEY_VARIABLE} manque ou est trop courte ({MIN_KEY_LENGTH} caractères au moins) : le service "
            "de calcul ne répond qu'aux noyaux qui la connaissent. Lancez-le par le cours (make serve, make hub).",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(level=logging.WARNING, format="[calcul] %(levelname)s %(message)s")
    # tornado's own limit backs up the handler's: past DRAINED_BYTES it closes the connection
    server = tornado.httpserver.HTTPServer(make_app(key, queue=args.queue), xheaders=False, max_body_size=DRAINED_BYTES)
    sockets = tornado.netutil.bind_sockets(args.port, address=args.host)
    server.add_sockets(sockets)
    print(f"PORT {sockets[0].getsockname()[1]}", flush=True)
    sys.stdout.close()  # nothing else goes there: the parent may have stopped reading
    threading.Thread(target=_prepare, name="prepare-openfisca", daemon=True).start()
    if args.parent:
        threading.Thread(target=_watch_parent, args=(args.parent,), name="watch-parent", daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: tornado.ioloop.IOLoop.current().add_callback_from_signal(_stop))
    tornado.ioloop.IOLoop.current().start()
    return 0


def _stop() -> None:
    tornado.ioloop.IOLoop.current().stop()


if __name__ == "__main__":
    raise SystemExit(main())
