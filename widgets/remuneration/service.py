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

``python -m widgets.remuneration.service [--port N]`` prints ``PORT <n>`` on its first line (port 0
= any free port), then answers:

* ``POST /grilles``: JSON ``{"demandes": [{"menage", "offre", "heures"}…], "fond": bool}`` → an
  ``.npz`` archive (numbers only) with one grid per request; 400 with a French ``message`` if the
  input is not a case the simulator accepts;
* ``GET /constantes``: the OpenFisca parameters the model needs (JSON);
* ``GET /etat``: counters (requests, OpenFisca runs, grids in memory) read by the benchmarks.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
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
#: A background request interrupted by learners is tried again until this long has passed.
BACKGROUND_PATIENCE_S = 600.0


@dataclasses.dataclass
class Counters:
    """What the benchmarks read at ``/etat``: proof that a case asked N times is computed once."""

    requests: int = 0
    in_flight: int = 0  # requests received and not answered yet
    foreground: int = 0
    background: int = 0
    grids_computed: int = 0
    refused: int = 0
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
    if not background:
        counters.took(time.monotonic() - started)
    ordered = [grids[cache.GridKey.of(household, offer)] for household, offer, _levels in requests]
    return remote.encode_grids([(grid.levels, grid.data) for grid in ordered])


class ServiceHandler(tornado.web.RequestHandler):
    def initialize(self, executor: ThreadPoolExecutor, counters: Counters) -> None:
        self.executor = executor
        self.counters = counters

    def check_xsrf_cookie(self) -> None:  # a JSON API for local processes: no browser form posts here
        return None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish({"message": "Le service de calcul a rencontré une erreur : la page calcule elle-même."})


class GridsHandler(ServiceHandler):
    async def post(self) -> None:
        try:
            requests, background = remote.decode_request(self.request.body)
        except InputError as error:
            self.counters.add(refused=1)
            self.set_status(400)
            self.finish({"message": str(error), "champ": error.field})
            return
        self.counters.add(requests=1, in_flight=1, **{"background" if background else "foreground": 1})
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
    def get(self) -> None:
        self.finish(self.counters.as_dict())


def make_app(counters: Counters | None = None) -> tornado.web.Application:
    settings = {
        "executor": ThreadPoolExecutor(WORKERS, thread_name_prefix="calcul"),
        "counters": counters or Counters(),
    }
    return tornado.web.Application(
        [
            (r"/grilles", GridsHandler, settings),
            (r"/constantes", ConstantsHandler, settings),
            (r"/etat", StateHandler, settings),
        ],
        default_handler_class=tornado.web.ErrorHandler,
        default_handler_args={"status_code": 404},
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
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="[calcul] %(levelname)s %(message)s")
    server = tornado.httpserver.HTTPServer(make_app(), xheaders=False)
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
