"""The participants' server: a small tornado app, so that 30 phones cost no Jupyter kernel.

Why tornado: it is already installed with Jupyter, it serves hundreds of small requests a second on
one core, and it needs no build step. Each phone loads a light HTML page (:mod:`widgets.salle.pages`)
and asks every two seconds whether the trainer moved on; each vote is one form post.

Who does what: :mod:`widgets.salle.phones` (join, session page, vote, state),
:mod:`widgets.salle.trainer_api` (the trainer's endpoints), :mod:`widgets.salle.web` (what they
share: French refusals, limits, the store off the event loop); this module builds the app, serves
the two static files and starts, announces and stops the server.

Safety and privacy (docs/mode-groupe.md says it for trainers):

- no access log; every message is redacted (no address, no session code: :mod:`widgets.salle.logs`);
  the store keeps no personal data (see :mod:`widgets.salle.store`);
- a phone is known by a token the server signed for the session (:mod:`widgets.salle.tokens`) and
  counts from its first vote; participants' forms carry tornado's anti-CSRF token;
- in-memory rate limits per client (a keyed hash of the address, never the address), per session
  and for the whole server (:mod:`widgets.salle.limits`); a wrong code costs a « guess »;
- the trainer's endpoints require the session's trainer key in the ``X-Cle-Formateur`` header;
- every refusal is a French page or a French JSON message with a 4xx (or 503) status, never a traceback.

``python -m widgets.salle.server`` listens on 127.0.0.1; ``--salle`` (what ``FAIRE_AVEC_SALLE=1
make serve`` passes) listens on the room's network and prints the address and a QR code.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

import tornado.httpserver
import tornado.ioloop
import tornado.web

from widgets.data import DataFileError
from widgets.leger import web as leger
from widgets.salle import content, logs, network
from widgets.salle.eval_phones import (
    EvaluationAnswerHandler,
    TrainerEvaluationExportHandler,
    TrainerEvaluationHandler,
    TrainerPaperHandler,
)
from widgets.salle.logs import log
from widgets.salle.model import SalleError
from widgets.salle.pages import Static, error_page
from widgets.salle.phones import JoinHandler, SessionPageHandler, StateHandler, VoteHandler
from widgets.salle.store import META_LOCAL_URL, META_NETWORK, META_PUBLIC_URL, Store
from widgets.salle.trainer_api import (
    TrainerCloseHandler,
    TrainerExportHandler,
    TrainerResultsHandler,
    TrainerRevealHandler,
    TrainerRoundHandler,
)
from widgets.salle.web import HTTP_MESSAGES, UNEXPECTED, BaseHandler, Rooms

STATIC_DIR = Path(__file__).parent / "static"
STATIC_FILES = ("salle.css", "salle.js")
YEAR = 365 * 24 * 3600
DEFAULT_PORT = 8765
PURGE_EVERY_MS = 10 * 60 * 1000
MAX_BODY = 64 * 1024


def static_addresses() -> Static:
    """The stylesheet and script addresses with a fingerprint of their content (``?v=``): phones keep
    them for a year, and a new release of a file gets a new address, never a stale copy."""
    versions = {name: hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12] for name in STATIC_FILES}
    return Static(css=f"/static/salle.css?v={versions['salle.css']}", js=f"/static/salle.js?v={versions['salle.js']}")


class HealthHandler(BaseHandler):
    api = True

    def get(self) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"ok": True, "stockage": self.store.backend}))


class NotFoundHandler(BaseHandler):
    def prepare(self) -> None:
        self.api = self.request.path.startswith("/api/")
        raise tornado.web.HTTPError(404)

    def check_xsrf_cookie(self) -> None:
        """A POST to an unknown address is a 404, not a CSRF refusal."""


class StaticHandler(tornado.web.StaticFileHandler):
    """The two static files: compressed by the app, cached for a year when asked by versioned address."""

    def _request_summary(self) -> str:  # tornado's version adds the client's IP address
        return f"{self.request.method} {self.request.path}"

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if not isinstance(value, tornado.web.HTTPError):  # an expected refusal is not logged
            log.error("Erreur inattendue sur %s", self._request_summary(), exc_info=(typ, value, tb))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Even a refused stylesheet gets a French page (a malformed request, a method not allowed)."""
        self.clear()
        self.set_status(status_code)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(error_page("Oups", HTTP_MESSAGES.get(status_code, UNEXPECTED), static=static_addresses()))

    def set_extra_headers(self, path: str) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        if self.get_query_argument("v", None):
            self.set_header("Cache-Control", f"public, max-age={YEAR}, immutable")
        else:
            self.set_header("Cache-Control", "no-cache")


CODE = r"([0-9]{6})"

# Evaluations (quiz du groupe, avant / après, questionnaire): widgets/salle/eval_phones.py.
EVALUATION_ROUTES = [
    (rf"/s/{CODE}/evaluation", EvaluationAnswerHandler),
    (rf"/api/formateur/{CODE}/evaluation", TrainerEvaluationHandler),
    (rf"/api/formateur/{CODE}/papier", TrainerPaperHandler),
    (rf"/api/formateur/{CODE}/evaluation-(?:avant-apres|questionnaire)[.]csv", TrainerEvaluationExportHandler),
]


def make_app(rooms: Rooms) -> tornado.web.Application:
    """The participants' app; the store in ``rooms`` is shared with the trainer's view through the database."""
    return tornado.web.Application(
        [
            (r"/", JoinHandler),
            (r"/rejoindre", JoinHandler),
            (rf"/s/{CODE}", SessionPageHandler),
            (rf"/s/{CODE}/vote", VoteHandler),
            (rf"/api/s/{CODE}/etat", StateHandler),
            (r"/sante", HealthHandler),
            (rf"/api/formateur/{CODE}", TrainerResultsHandler),
            (rf"/api/formateur/{CODE}/tour", TrainerRoundHandler),
            (rf"/api/formateur/{CODE}/reveler", TrainerRevealHandler),
            (rf"/api/formateur/{CODE}/fermer", TrainerCloseHandler),
            (rf"/api/formateur/{CODE}/export.csv", TrainerExportHandler),
            (r"/static/(salle[.]css|salle[.]js)", StaticHandler, {"path": str(STATIC_DIR)}),
            *EVALUATION_ROUTES,
            # The self-checks' light face (no kernel, a few kB a page): phones in the room reach this
            # server, not the book's, so they find the exercises here too. No link to the Voilà face:
            # Voilà listens on the trainer's computer only.
            *leger.routes(leger.PREFIX, home="Rejoindre une séance"),
        ],
        default_handler_class=NotFoundHandler,
        rooms=rooms,
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": True, "samesite": "Lax"},
        log_function=lambda handler: None,  # no access log: it would hold addresses and codes
        serve_traceback=False,
        compress_response=True,  # pages, CSS, JS and JSON over 1 kB travel gzipped
    )


def announce(store: Store, host: str, port: int, room: bool) -> str:
    """Record the participants' address in the store (the trainer's view reads it) and return it.

    ``reseau`` says what the trainer's page must tell: « salle » (phones can connect at the public
    address), « local » (this computer only, the default) or « sans-reseau » (asked for the room, but
    the computer had no network when the server started)."""
    local = network.participant_url(network.LOCAL_HOST, port)
    public, reach = local, "local"
    if room:
        address = network.lan_address()
        public = network.participant_url(address, port) if address else local
        reach = "salle" if public != local else "sans-reseau"
    store.set_meta(META_PUBLIC_URL, public)
    store.set_meta(META_LOCAL_URL, local)
    store.set_meta(META_NETWORK, reach)
    return public


def listen(rooms: Rooms, port: int, room: bool) -> tornado.httpserver.HTTPServer:
    server = tornado.httpserver.HTTPServer(
        make_app(rooms),
        max_body_size=MAX_BODY,
        max_buffer_size=MAX_BODY * 4,
        idle_connection_timeout=60,
        xheaders=False,
    )
    server.listen(port, address="0.0.0.0" if room else network.LOCAL_HOST)  # noqa: S104 - room mode exists to be reached from phones on the LAN
    return server


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serveur des participant·es du mode groupe")
    parser.add_argument("--port", type=int, default=int(os.environ.get("FAIRE_AVEC_SALLE_PORT", DEFAULT_PORT)))
    parser.add_argument("--salle", action="store_true", help="écouter sur le réseau de la salle (sinon 127.0.0.1)")
    parser.add_argument("--qr", action="store_true", help="imprimer l'adresse et un QR code dans le terminal")
    return parser.parse_args(argv)


async def serve(store: Store, port: int, room: bool, show_qr: bool) -> int:
    """Listen until SIGINT, SIGTERM or SIGHUP; the store keeps everything for the next start."""
    rooms = Rooms(store, static_addresses())
    try:
        server = listen(rooms, port, room)
    except OSError:
        rooms.close()
        print(
            f"Le mode groupe ne peut pas démarrer : le port {port} est déjà utilisé "
            "(choisissez-en un autre : FAIRE_AVEC_SALLE_PORT=8770).",
            file=sys.stderr,
        )
        return 1
    public = announce(store, network.LOCAL_HOST, port, room)
    if show_qr:
        print(f"Mode groupe : les téléphones rejoignent la séance à {public}", flush=True)
        if room and public.startswith(f"http://{network.LOCAL_HOST}"):
            print("  (aucun réseau trouvé : branchez l'ordinateur au Wi-Fi de la salle, puis relancez)", flush=True)
        elif room:
            print(network.qr_terminal(public), flush=True)
    purge = tornado.ioloop.PeriodicCallback(lambda: _purge(rooms), PURGE_EVERY_MS)
    purge.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stopping.set)
    await stopping.wait()
    purge.stop()
    server.stop()
    rooms.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logs.configure()
    try:
        content.load_scales()
        content.load_statements()
        store = Store.from_env()
        removed = store.purge_expired()
    except (SalleError, DataFileError) as error:
        print(f"Le mode groupe ne peut pas démarrer : {error}", file=sys.stderr)
        return 1
    if removed:
        log.warning("%d séance(s) expirée(s) effacée(s) au démarrage", removed)
    try:
        return asyncio.run(serve(store, args.port, args.salle, args.qr))
    finally:
        store.close()


async def _purge(rooms: Rooms) -> None:
    """Erase expired sessions and their exports, off the event loop (a slow store delays nobody)."""
    try:
        await rooms.call(rooms.store.purge_expired)
    except SalleError:
        log.warning("Effacement des séances expirées reporté : base indisponible")


if __name__ == "__main__":
    raise SystemExit(main())
