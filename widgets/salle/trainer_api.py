"""The trainer's HTTP endpoints (``/api/formateur/{code}/…``): the key in a header, JSON in and out.

The Voilà view does not need them (it reads the store on the trainer's computer); they serve
scripts and the tests. Each goes through :func:`trainer_endpoint`: the origin (``Origin: null``
refused), the limits, then the key — a wrong code and a wrong key get the same 403, so that the
API tells nobody which codes exist (nor by its timing: the key is hashed either way) — and every
store call runs off the event loop.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import tornado.web

from widgets.salle.model import Problem, SalleError, Snapshot, parse_number
from widgets.salle.trainer import METEO_QUESTIONS, ask
from widgets.salle.web import BaseHandler

KEY_HEADER = "X-Cle-Formateur"
WRONG_CODE_OR_KEY = (
    "Cette action est réservée à la personne qui anime la séance : le code ou la clé formateur ne correspond pas."
)


def snapshot_json(snapshot: Snapshot) -> dict[str, Any]:
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
            {
                "tour": v.round_id,
                "element": v.item,
                "personne": v.participant,
                "valeur": v.value,
                "papier": snapshot.on_paper(v.participant),
            }
            for v in snapshot.votes
        ],
    }


class TrainerHandler(BaseHandler):
    """The trainer's endpoints: see :func:`trainer_endpoint`."""

    api = True

    def check_xsrf_cookie(self) -> None:
        """Replaced by the trainer's key (checked in :meth:`key`): no cookie, hence nothing to forge."""

    async def key(self, code: str) -> str:
        self.throttle("formateur-client", self.client)
        self.check_origin(allow_null=False)
        secret = self.request.headers.get(KEY_HEADER, "")
        try:  # no « guess » is charged: a wrong code and a wrong key read the same, so nothing is learnt
            await self.rooms.call(self.store.check_key, code, secret)
        except SalleError as error:
            if error.problem in (Problem.NOT_FOUND, Problem.FORBIDDEN):
                raise SalleError(WRONG_CODE_OR_KEY, Problem.FORBIDDEN) from None
            raise
        return secret

    def body(self) -> dict[str, Any]:
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip()
        if kind != "application/json":
            raise tornado.web.HTTPError(415)
        try:
            data = json.loads(self.request.body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):  # ValueError covers a number of more than 4 300 digits too
            raise SalleError("La demande n'est pas du JSON valide.") from None
        if not isinstance(data, dict):
            raise SalleError("La demande doit être un objet JSON.")
        return data

    def reply(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data, ensure_ascii=False))


Handler = TypeVar("Handler", bound=TrainerHandler)


def trainer_endpoint(
    action: Callable[[Handler, str, str], Awaitable[None]],
) -> Callable[[Handler, str], Awaitable[None]]:
    """Wrap a trainer's ``get``/``post``: check the origin, the limits and the key first, answer any
    refusal in French.

    Why one wrapper: an endpoint that forgot the check would run without the key, or answer a
    refusal with a traceback. ``action`` receives the checked key (``secret``) after ``code``.
    """

    @functools.wraps(action)
    async def checked(self: Handler, code: str) -> None:
        try:
            await action(self, code, await self.key(code))
        except SalleError as error:
            self.fail(error)

    return checked


class TrainerResultsHandler(TrainerHandler):
    @trainer_endpoint
    async def get(self, code: str, secret: str) -> None:
        self.reply(snapshot_json(await self.rooms.call(self.store.snapshot, code)))


class TrainerRoundHandler(TrainerHandler):
    @trainer_endpoint
    async def post(self, code: str, secret: str) -> None:
        data = self.body()
        items = data.get("elements") or []
        parent = data.get("reformule")
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise SalleError("« elements » doit être une liste de textes.")
        parent_id = None if parent is None else parse_number(parent, "reformule")
        tag = data.get("etiquette") or ""
        if not isinstance(tag, str) or tag not in ("", *METEO_QUESTIONS):
            raise SalleError("« etiquette » doit être « arrivee » ou « depart ».")
        created = await self.rooms.call(
            ask, self.store, code, secret, data.get("activite"), data.get("question"), items, parent_id, tag
        )
        self.reply({"tour": created.id, "numero": created.number}, 201)


class TrainerRevealHandler(TrainerHandler):
    @trainer_endpoint
    async def post(self, code: str, secret: str) -> None:
        round_id = parse_number(self.body().get("tour"), "tour")
        await self.rooms.call(self.store.reveal, code, secret, round_id)
        self.reply({"ok": True})


class TrainerCloseHandler(TrainerHandler):
    @trainer_endpoint
    async def post(self, code: str, secret: str) -> None:
        self.body()
        await self.rooms.call(self.store.close_session, code, secret)
        self.reply({"ok": True})


class TrainerExportHandler(TrainerHandler):
    @trainer_endpoint
    async def get(self, code: str, secret: str) -> None:
        from widgets.salle.report import results_csv

        snapshot = await self.rooms.call(self.store.snapshot, code)
        text = await self.rooms.call(results_csv, snapshot)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="seance-{code}.csv"')
        self.finish(text.encode("utf-8-sig"))
