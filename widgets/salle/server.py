"""The participants' server: a small tornado app, so that 30 phones cost no Jupyter kernel.

Why tornado: it is already installed with Jupyter, it serves hundreds of small requests a second on
one core, and it needs no build step. Each phone loads a light HTML page (:mod:`widgets.salle.pages`)
and asks every two seconds whether the trainer moved on; each vote is one form post.

Safety and privacy:

- no access log, and any IP address that a tornado message would contain is blanked before it is
  written (:class:`NoAddresses`); the store keeps no personal data (see :mod:`widgets.salle.store`);
- participants' forms carry tornado's anti-CSRF token; a phone is known by a random cookie;
- the trainer's endpoints (``/api/formateur/…``) require the session's trainer key in the
  ``X-Cle-Formateur`` header: a browser sends no such header to another site without asking
  (CORS preflight, never granted here), and no cookie can stand in for it;
- every refusal is a French page or a French JSON message with a 4xx status, never a traceback.

``python -m widgets.salle.server`` listens on 127.0.0.1; ``--salle`` (what ``FAIRE_AVEC_SALLE=1
make serve`` passes) listens on the room's network and prints the address and a QR code.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import logging
import os
import re
import secrets
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode, urlparse

import tornado.httpserver
import tornado.ioloop
import tornado.web

from widgets.data import DataFileError
from widgets.salle import content, network
from widgets.salle.model import (
    Activity,
    Problem,
    Round,
    RoundState,
    SalleError,
    Snapshot,
    normalize_code,
    participant_view,
    public_state,
)
from widgets.salle.pages import Item, error_page, join_page, round_page
from widgets.salle.store import META_LOCAL_URL, META_NETWORK, META_PUBLIC_URL, Store
from widgets.salle.trainer import METEO_QUESTIONS, ask

STATIC_DIR = Path(__file__).parent / "static"
DEFAULT_PORT = 8765
TOKEN_COOKIE = "salle_jeton"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")
KEY_HEADER = "X-Cle-Formateur"
PURGE_EVERY_MS = 10 * 60 * 1000
MAX_BODY = 64 * 1024

STATUS = {
    Problem.INVALID: 400,
    Problem.FORBIDDEN: 403,
    Problem.NOT_FOUND: 404,
    Problem.CLOSED: 409,
    Problem.UNAVAILABLE: 503,
}
HTTP_MESSAGES = {
    400: "La demande est mal formée : rechargez la page puis recommencez.",
    403: "La page a expiré ou cette action n'est pas permise : rechargez la page puis recommencez.",
    404: "Cette page n'existe pas. Pour rejoindre une séance, tapez son code.",
    405: "Cette action n'est pas possible ici : rechargez la page.",
    409: "Ce n'est plus possible : la personne qui anime est passée à la suite.",
    413: "La demande est trop grande.",
    415: "Le format de la demande n'est pas accepté (JSON attendu).",
    503: "Le serveur de la salle est très occupé : réessayez dans un instant.",
}
UNEXPECTED = "Un problème inattendu est survenu. Rechargez la page ; si cela se répète, prévenez la personne qui anime."

log = logging.getLogger("faire_avec.salle")

_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|\[?[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\]?")


class NoAddresses(logging.Filter):
    """Blank out IP addresses in every log message (tornado puts the client's in some of them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        record.msg = _ADDRESS.sub("[adresse masquée]", text)
        record.args = None
        return True


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler.addFilter(NoAddresses())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("tornado.access").disabled = True


class Rooms:
    """What the handlers share: the store and the content of the activities."""

    def __init__(self, store: Store):
        self.store = store

    def items(self, round_: Round) -> list[Item]:
        if round_.activity is not Activity.CONTINUUM:
            return [Item("", round_.question, round_.question)]
        from widgets.continuum.content import load_situations, load_steps

        situations = {s.id: s for s in load_situations()}
        labels = {str(s.position): s.label for s in load_steps()}
        items = []
        for item in round_.items:
            situation = situations.get(item)
            if situation is None:  # removed from data/ during the session: still answerable by its id
                items.append(Item(item, item, item))
                continue
            items.append(
                Item(
                    item,
                    situation.title,
                    situation.text,
                    situation.reference,
                    labels.get(str(situation.reference), ""),
                    situation.explanation,
                    tuple(sorted(situation.also_accepted)),
                    situation.debate,
                )
            )
        return items


class BaseHandler(tornado.web.RequestHandler):
    """French errors, no addresses in logs, cautious headers."""

    api = False

    @property
    def rooms(self) -> Rooms:
        return self.application.settings["rooms"]

    @property
    def store(self) -> Store:
        return self.rooms.store

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("X-Frame-Options", "DENY")
        self.set_header(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; "
            "form-action 'self'; base-uri 'none'",
        )

    def _request_summary(self) -> str:  # tornado's version adds the client's IP address
        return f"{self.request.method} {self.request.path}"

    def log_exception(self, typ, value, tb) -> None:
        if isinstance(value, tornado.web.HTTPError):
            return  # an expected refusal: nothing to log (and nothing about who asked)
        log.error("Erreur inattendue sur %s", self._request_summary(), exc_info=(typ, value, tb))

    def check_origin(self) -> None:
        """A POST from a page of another site is refused, whatever it carries."""
        origin = self.request.headers.get("Origin")
        if origin and origin != "null" and urlparse(origin).netloc != self.request.host:
            raise SalleError("Cette demande ne vient pas d'une page de ce serveur.", Problem.FORBIDDEN)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        text = str(error) if isinstance(error, SalleError) else HTTP_MESSAGES.get(status_code, UNEXPECTED)
        self.refuse(status_code, text)

    def refuse(self, status: int, text: str) -> None:
        self.clear()
        self.set_status(status)
        if self.api:
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps({"erreur": text}, ensure_ascii=False))
        else:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(error_page("Oups", text))

    def fail(self, error: SalleError) -> None:
        self.refuse(STATUS[error.problem], str(error))

    def xsrf_field(self) -> str:
        return self.xsrf_form_html()


class JoinHandler(BaseHandler):
    def get(self) -> None:
        typed = self.get_query_argument("code", "")
        if typed:
            self.join(typed, from_form=False)
            return
        self.finish(join_page(xsrf=self.xsrf_field()))

    def post(self) -> None:
        self.join(self.get_body_argument("code", ""), from_form=True)

    def join(self, typed: str, from_form: bool) -> None:
        """Go to the session whose code was typed (in the address or the form), or show the join page
        again with the French reason and what the person typed, so that nothing typed is lost."""
        try:
            if from_form:
                self.check_origin()
            code = normalize_code(typed)
            self.store.session(code)
        except SalleError as error:
            self.set_status(STATUS[error.problem] if error.problem is not Problem.INVALID else 422)
            self.finish(join_page(str(error), typed, self.xsrf_field()))
            return
        self.redirect(f"/s/{code}", status=303)


class SessionPageHandler(BaseHandler):
    """One session, as one phone sees it."""

    def token(self, create: bool) -> str | None:
        token = self.get_cookie(TOKEN_COOKIE)
        if token and TOKEN_PATTERN.fullmatch(token):
            return token
        if not create:
            return None
        token = secrets.token_urlsafe(18)
        self.set_cookie(TOKEN_COOKIE, token, expires_days=1, httponly=True, samesite="Lax", path="/")
        return token

    def render_session(
        self,
        code: str,
        snapshot: Snapshot,
        participant: int | None,
        notice: str = "",
        kind: str = "ok",
        status: int = 200,
    ) -> None:
        view = participant_view(snapshot, participant)
        current: Round | None = view["round"]
        items = self.rooms.items(current) if current is not None else []
        scale = content.scale_for(current.scale) if current is not None else None
        own = view.get("own", {})
        position = 0
        if current is not None and current.state is RoundState.VOTE and len(items) > 1:
            asked = self.get_query_argument("n", "")
            if asked.isdigit():
                position = int(asked)
            else:  # the first situation not placed yet
                position = next((i for i, item in enumerate(items) if item.id not in own), len(items) - 1)
            placed = self.get_query_argument("ok", "")
            shown_item = items[max(0, min(position, len(items) - 1))]
            if not notice and placed in own and placed != shown_item.id:
                title = next((i.title for i in items if i.id == placed), placed)
                notice = f"Votre réponse pour « {title} » est enregistrée."
        self.set_status(status)
        self.finish(
            round_page(
                code,
                public_state(snapshot.session, snapshot.current),
                current,
                items,
                scale,
                own,
                view.get("results"),
                view.get("answered", 0),
                view["closed"],
                self.xsrf_field(),
                position,
                notice,
                kind,
            )
        )

    def get(self, code: str) -> None:
        try:
            self.store.session(code)
            participant = self.store.join(code, self.token(create=True) or "")
            snapshot = self.store.snapshot(code)
        except SalleError as error:
            self.fail(error)
            return
        self.render_session(code, snapshot, participant)


class VoteHandler(SessionPageHandler):
    def post(self, code: str) -> None:
        token = self.token(create=False)
        try:
            self.check_origin()
            self.store.session(code)
            if token is None:
                raise SalleError(
                    "Votre navigateur n'a pas gardé le jeton de la séance. Autorisez les cookies pour ce site, "
                    "puis rechargez la page.",
                    Problem.FORBIDDEN,
                )
            round_text = self.get_body_argument("tour", "")
            if not round_text.isdigit():
                raise SalleError("La demande est incomplète : rechargez la page puis votez à nouveau.")
            item = self.get_body_argument("element", "")
            value = self.get_body_argument("valeur", "")
            self.store.vote(code, token, int(round_text), item, value)
        except SalleError as error:
            try:
                snapshot = self.store.snapshot(code)
            except SalleError:
                self.fail(error)
                return
            self.render_session(
                code,
                snapshot,
                self.store.participant(code, token) if token else None,
                str(error),
                "erreur",
                STATUS[error.problem],
            )
            return
        self.redirect(f"/s/{code}?{urlencode({'ok': item})}" if item else f"/s/{code}", status=303)


class StateHandler(BaseHandler):
    """What phones poll: a short fingerprint that changes only when the trainer acts."""

    api = True

    def get(self, code: str) -> None:
        try:
            state = self.store.public_state(code)
        except SalleError as error:
            self.fail(error)
            return
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"etat": state}))


class HealthHandler(BaseHandler):
    api = True

    def get(self) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"ok": True, "stockage": self.store.backend}))


def snapshot_json(snapshot: Snapshot) -> dict:
    session = snapshot.session
    return {
        "seance": {
            "code": session.code,
            "version": session.version,
            "participants": session.participants,
            "fermee": session.closed,
            "tour_en_cours": session.current_round,
            "expire_a": session.expires_at,
        },
        "tours": [
            {
                "id": r.id,
                "numero": r.number,
                "activite": r.activity.value,
                "echelle": r.scale,
                "question": r.question,
                "choix": list(r.choices),
                "elements": list(r.items),
                "etat": r.state.value,
                "reformule": r.parent_id,
                "etiquette": r.tag,
            }
            for r in snapshot.rounds
        ],
        "votes": [
            {"tour": v.round_id, "element": v.item, "personne": v.participant, "valeur": v.value}
            for v in snapshot.votes
        ],
    }


class TrainerHandler(BaseHandler):
    """The trainer's endpoints: the key in a header, JSON in and out; each goes through :func:`trainer_endpoint`."""

    api = True

    def check_xsrf_cookie(self) -> None:
        """Replaced by the trainer's key (checked in :meth:`key`): no cookie, hence nothing to forge."""

    def key(self, code: str) -> str:
        self.check_origin()
        secret = self.request.headers.get(KEY_HEADER, "")
        self.store.check_key(code, secret)
        return secret

    def body(self) -> dict:
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip()
        if kind != "application/json":
            raise tornado.web.HTTPError(415)
        try:
            data = json.loads(self.request.body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            raise SalleError("La demande n'est pas du JSON valide.") from None
        if not isinstance(data, dict):
            raise SalleError("La demande doit être un objet JSON.")
        return data

    def reply(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data, ensure_ascii=False))


Handler = TypeVar("Handler", bound=TrainerHandler)


def trainer_endpoint(action: Callable[[Handler, str, str], None]) -> Callable[[Handler, str], None]:
    """Wrap a trainer's ``get``/``post``: check the origin and the key first, answer any refusal in French.

    Why one wrapper: each endpoint used to repeat the same ``try: self.key(code) … except SalleError``;
    an endpoint that forgot it would run without the key, or answer a refusal with a traceback.
    ``action`` receives the checked key (``secret``) after ``code``.
    """

    @functools.wraps(action)
    def checked(self: Handler, code: str) -> None:
        try:
            action(self, code, self.key(code))
        except SalleError as error:
            self.fail(error)

    return checked


class TrainerResultsHandler(TrainerHandler):
    @trainer_endpoint
    def get(self, code: str, secret: str) -> None:
        self.reply(snapshot_json(self.store.snapshot(code)))


class TrainerRoundHandler(TrainerHandler):
    @trainer_endpoint
    def post(self, code: str, secret: str) -> None:
        data = self.body()
        items = data.get("elements") or []
        parent = data.get("reformule")
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise SalleError("« elements » doit être une liste de textes.")
        if parent is not None and (not isinstance(parent, int) or isinstance(parent, bool)):
            raise SalleError("« reformule » doit être le numéro d'un tour.")
        tag = data.get("etiquette") or ""
        if not isinstance(tag, str) or tag not in ("", *METEO_QUESTIONS):
            raise SalleError("« etiquette » doit être « arrivee » ou « depart ».")
        created = ask(self.store, code, secret, data.get("activite"), data.get("question"), items, parent, tag)
        self.reply({"tour": created.id, "numero": created.number}, 201)


class TrainerRevealHandler(TrainerHandler):
    @trainer_endpoint
    def post(self, code: str, secret: str) -> None:
        round_id = self.body().get("tour")
        if not isinstance(round_id, int) or isinstance(round_id, bool):
            raise SalleError("« tour » doit être le numéro du tour à montrer.")
        self.store.reveal(code, secret, round_id)
        self.reply({"ok": True})


class TrainerCloseHandler(TrainerHandler):
    @trainer_endpoint
    def post(self, code: str, secret: str) -> None:
        self.body()
        self.store.close_session(code, secret)
        self.reply({"ok": True})


class TrainerExportHandler(TrainerHandler):
    @trainer_endpoint
    def get(self, code: str, secret: str) -> None:
        from widgets.salle.report import results_csv

        text = results_csv(self.store.snapshot(code))
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="seance-{code}.csv"')
        self.finish(text.encode("utf-8-sig"))


class NotFoundHandler(BaseHandler):
    def prepare(self) -> None:
        self.api = self.request.path.startswith("/api/")
        raise tornado.web.HTTPError(404)

    def check_xsrf_cookie(self) -> None:
        """A POST to an unknown address is a 404, not a CSRF refusal."""


class StaticHandler(tornado.web.StaticFileHandler):
    def _request_summary(self) -> str:
        return f"{self.request.method} {self.request.path}"

    def set_extra_headers(self, path: str) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")


CODE = r"([0-9]{6})"


def make_app(store: Store) -> tornado.web.Application:
    """The participants' app; ``store`` is shared with the trainer's view through the database."""
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
            (r"/static/(salle\.css|salle\.js)", StaticHandler, {"path": str(STATIC_DIR)}),
        ],
        default_handler_class=NotFoundHandler,
        rooms=Rooms(store),
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": True, "samesite": "Lax"},
        log_function=lambda handler: None,  # no access log: it would hold addresses and codes
        serve_traceback=False,
        compress_response=True,
    )


def announce(store: Store, host: str, port: int, room: bool) -> str:
    """Record the participants' address in the store (the trainer's view reads it) and return it."""
    local = network.participant_url(network.LOCAL_HOST, port)
    public = local
    if room:
        address = network.lan_address()
        public = network.participant_url(address, port) if address else local
    store.set_meta(META_PUBLIC_URL, public)
    store.set_meta(META_LOCAL_URL, local)
    store.set_meta(META_NETWORK, "salle" if room and public != local else "local")
    return public


def listen(store: Store, port: int, room: bool) -> tornado.httpserver.HTTPServer:
    server = tornado.httpserver.HTTPServer(
        make_app(store),
        max_body_size=MAX_BODY,
        max_buffer_size=MAX_BODY * 4,
        idle_connection_timeout=60,
        xheaders=False,
    )
    server.listen(port, address="0.0.0.0" if room else network.LOCAL_HOST)
    return server


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serveur des participant·es du mode groupe")
    parser.add_argument("--port", type=int, default=int(os.environ.get("FAIRE_AVEC_SALLE_PORT", DEFAULT_PORT)))
    parser.add_argument("--salle", action="store_true", help="écouter sur le réseau de la salle (sinon 127.0.0.1)")
    parser.add_argument("--qr", action="store_true", help="imprimer l'adresse et un QR code dans le terminal")
    return parser.parse_args(argv)


async def serve(store: Store, port: int, room: bool, show_qr: bool) -> int:
    """Listen until SIGINT, SIGTERM or SIGHUP; the store keeps everything for the next start."""
    try:
        server = listen(store, port, room)
    except OSError:
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
    purge = tornado.ioloop.PeriodicCallback(lambda: _purge(store), PURGE_EVERY_MS)
    purge.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stopping.set)
    await stopping.wait()
    purge.stop()
    server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    configure_logging()
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


def _purge(store: Store) -> None:
    try:
        store.purge_expired()
    except SalleError:
        log.warning("Effacement des séances expirées reporté : base indisponible")


if __name__ == "__main__":
    raise SystemExit(main())
