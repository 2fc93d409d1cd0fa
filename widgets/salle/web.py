"""What every handler of the participants' server shares: the room, French refusals, limits, the store off the loop.

Why each piece:

- :class:`Rooms` runs every store call in a small thread pool, never on tornado's event loop: a
  SQLite file locked by the trainer's view, or a PostgreSQL server slow to answer, then delays one
  request, not the whole room. A call waits at most ``STORE_SECONDS``; when too many are already
  waiting, the next is refused at once. Both answer a French 503 (« réessayez dans un instant »).
- :meth:`BaseHandler.throttle` applies :mod:`widgets.salle.limits` and answers a French 429 with
  ``Retry-After``.
- :meth:`BaseHandler.find` makes each lookup by session code cost one « guess »,
  per client and for the whole server, given back when the code is right: walking the code space
  runs out of guesses long before it finds an open session (arithmetic in docs/mode-groupe.md).
- every refusal is a French page, or French JSON for ``/api/``, with a 4xx or 503 status; nothing
  about the client (address) or the session (code) is logged (:mod:`widgets.salle.logs`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlparse

import tornado.web

from widgets.salle.limits import Limiter
from widgets.salle.logs import log
from widgets.salle.model import Activity, Problem, Round, SalleError
from widgets.salle.pages import Item, Static, error_page
from widgets.salle.store import Store

STORE_SECONDS = 4.0  # longer than the store's own lock wait (2 s), so that its French message wins
STORE_THREADS = 4
MAX_WAITING = 200  # store calls running or queued (a room of 100 reloading at once fits); more: refuse at once
STATUS = {
    Problem.INVALID: 400,
    Problem.FORBIDDEN: 403,
    Problem.NOT_FOUND: 404,
    Problem.CLOSED: 409,
    Problem.TOO_MANY: 429,
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
    429: "Trop de demandes en peu de temps : attendez un peu, puis rechargez la page.",
    503: "Le serveur de la salle est très occupé : réessayez dans un instant.",
}
UNEXPECTED = "Un problème inattendu est survenu. Rechargez la page ; si cela se répète, prévenez la personne qui anime."
BUSY_ROOM = "Le serveur de la salle reçoit trop de demandes à la fois : réessayez dans un instant."
TOO_MANY_CODES = (
    "Trop de codes faux ont été essayés depuis cet appareil : attendez une minute, puis tapez le code "
    "affiché par la personne qui anime."
)
TOO_MANY_CODES_SERVER = (
    "Trop de codes faux ont été essayés sur ce serveur : attendez une minute, puis tapez de nouveau le code."
)
EVERYONE = "tous"

T = TypeVar("T")


class Rooms:
    """What the handlers share: the store (called from a thread pool), the limits, the static addresses."""

    def __init__(self, store: Store, static: Static | None = None, limiter: Limiter | None = None):
        self.store = store
        self.static = static or Static()
        self.limiter = limiter or Limiter()
        self.pool = concurrent.futures.ThreadPoolExecutor(STORE_THREADS, thread_name_prefix="salle-stockage")
        self.waiting = 0

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        """Run a store call in the pool; a French 503 if the pool is flooded or the call is too slow."""
        if self.waiting >= MAX_WAITING:
            raise SalleError(BUSY_ROOM, Problem.UNAVAILABLE)
        self.waiting += 1
        future = asyncio.get_running_loop().run_in_executor(self.pool, functools.partial(function, *args))
        future.add_done_callback(self._done)  # counted until the thread really ends, even after a timeout
        try:
            return await asyncio.wait_for(asyncio.shield(future), STORE_SECONDS)
        except TimeoutError:
            raise SalleError(BUSY_ROOM, Problem.UNAVAILABLE) from None

    def _done(self, future: asyncio.Future[Any]) -> None:
        self.waiting -= 1
        if not future.cancelled():
            future.exception()  # retrieved: a late failure after a timeout is not reported twice

    def items(self, round_: Round) -> list[Item]:
        """What phones answer in a round: the statement, or each continuum situation with its reference."""
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

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class BaseHandler(tornado.web.RequestHandler):
    """French errors, no addresses in logs, cautious headers, limits."""

    api = False
    retry_after = 0

    @property
    def rooms(self) -> Rooms:
        return self.application.settings["rooms"]

    @property
    def store(self) -> Store:
        return self.rooms.store

    @property
    def client(self) -> str:
        """This client's key for the limits: a keyed hash of its address, never the address."""
        return self.rooms.limiter.client(self.request.remote_ip)

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

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, tornado.web.HTTPError):
            return  # an expected refusal: nothing to log (and nothing about who asked)
        log.error("Erreur inattendue sur %s", self._request_summary(), exc_info=(typ, value, tb))

    def check_origin(self, allow_null: bool = True) -> None:
        """A POST from a page of another site is refused, whatever it carries.

        ``Origin: null`` is what browsers send for a form posted from a page with ``no-referrer``
        (the phones' pages): allowed there, where tornado's anti-CSRF field protects the form. The
        trainer's API, which no page of ours calls, refuses it (a sandboxed frame sends it too).
        """
        origin = self.request.headers.get("Origin")
        if origin is None or (origin == "null" and allow_null):
            return
        if origin == "null" or urlparse(origin).netloc != self.request.host:
            raise SalleError("Cette demande ne vient pas d'une page de ce serveur.", Problem.FORBIDDEN)

    def throttle(self, kind: str, key: str, text: str = HTTP_MESSAGES[429]) -> None:
        """Use one request of the bucket ``kind`` for ``key``, or refuse with a French 429."""
        limiter = self.rooms.limiter
        if not limiter.take(kind, key):
            self.retry_after = limiter.wait(kind, key)
            raise SalleError(text, Problem.TOO_MANY)

    async def find(self, lookup: Callable[[], Awaitable[T]]) -> T:
        """Run a lookup by session code; a wrong code costs a guess, a right one costs nothing."""
        limiter = self.rooms.limiter
        self.throttle("code-client", self.client, TOO_MANY_CODES)
        if not limiter.take("code-serveur", EVERYONE):
            limiter.give_back("code-client", self.client)
            self.retry_after = limiter.wait("code-serveur", EVERYONE)
            raise SalleError(TOO_MANY_CODES_SERVER, Problem.TOO_MANY)
        try:
            found = await lookup()
        except SalleError as error:
            if error.problem not in (Problem.NOT_FOUND, Problem.FORBIDDEN):
                self._give_back_guess()
            raise
        self._give_back_guess()
        return found

    def _give_back_guess(self) -> None:
        self.rooms.limiter.give_back("code-client", self.client)
        self.rooms.limiter.give_back("code-serveur", EVERYONE)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        text = str(error) if isinstance(error, SalleError) else HTTP_MESSAGES.get(status_code, UNEXPECTED)
        self.refuse(status_code, text)

    def refuse(self, status: int, text: str) -> None:
        self.clear()
        self.set_status(status)
        if status == 429 and self.retry_after:
            self.set_header("Retry-After", str(self.retry_after))
        if self.api:
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps({"erreur": text}, ensure_ascii=False))
        else:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(error_page("Oups", text, static=self.rooms.static))

    def fail(self, error: SalleError) -> None:
        self.refuse(STATUS[error.problem], str(error))

    def xsrf_field(self) -> str:
        return self.xsrf_form_html()
