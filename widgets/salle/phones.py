"""The phones' side of the participants' server: join with a code, see the session, vote, poll its state.

A phone gets a token signed for the session when it first opens the session's page (a cookie;
:mod:`widgets.salle.tokens`), and becomes a participant at its first accepted vote. Every request
passes the limits of :mod:`widgets.salle.limits` first (cheapest check first), and every number it
sends is read strictly (:func:`widgets.salle.model.parse_number`).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from widgets.salle import content, tokens
from widgets.salle.eval_pages import evaluation_page
from widgets.salle.evaluation import is_evaluation
from widgets.salle.model import (
    Problem,
    Round,
    RoundState,
    SalleError,
    Snapshot,
    normalize_code,
    parse_number,
    participant_view,
    public_state,
)
from widgets.salle.pages import join_page, round_page
from widgets.salle.store import FORGED_TOKEN
from widgets.salle.web import STATUS, BaseHandler

TOKEN_COOKIE = "salle_jeton"  # noqa: S105 - the cookie's name, not a secret
NO_COOKIE = (
    "Votre navigateur n'a pas gardé le jeton de la séance. Autorisez les cookies pour ce site, puis rechargez la page."
)
TOO_MANY_NEWCOMERS = (
    "Trop de nouvelles connexions depuis cet appareil en peu de temps : attendez une minute, puis rechargez la page."
)
TOO_MANY_IN_SESSION = "Beaucoup de téléphones arrivent en même temps : attendez quelques secondes, puis rechargez."
# A refusal answered with the whole session page (the person can tap again at once); the others get a
# short page without reading the store, so that a flood of bad requests costs nothing.
SHOWN_WITH_THE_PAGE = (Problem.INVALID, Problem.CLOSED)


class JoinHandler(BaseHandler):
    async def get(self) -> None:
        typed = self.get_query_argument("code", "")
        if typed:
            await self.join(typed, from_form=False)
            return
        try:
            self.throttle("page-client", self.client)
        except SalleError as error:
            self.fail(error)
            return
        self.finish(join_page(xsrf=self.xsrf_field(), static=self.rooms.static))

    async def post(self) -> None:
        await self.join(self.get_body_argument("code", ""), from_form=True)

    async def join(self, typed: str, from_form: bool) -> None:
        """Go to the session whose code was typed (in the address or the form), or show the join page
        again with the French reason and what the person typed, so that nothing typed is lost."""
        try:
            self.throttle("page-client", self.client)
            if from_form:
                self.check_origin()
            code = normalize_code(typed)
            await self.find(lambda: self.rooms.call(self.store.session, code))
        except SalleError as error:
            self.set_status(STATUS[error.problem] if error.problem is not Problem.INVALID else 422)
            if error.problem is Problem.TOO_MANY and self.retry_after:
                self.set_header("Retry-After", str(self.retry_after))
            self.finish(join_page(str(error), typed[:40], self.xsrf_field(), self.rooms.static))
            return
        self.redirect(f"/s/{code}", status=303)


class SessionPageHandler(BaseHandler):
    """One session, as one phone sees it."""

    def cookie_token(self) -> str | None:
        """The token cookie as the phone sent it (checked by :func:`tokens.valid`, never trusted)."""
        return self.get_cookie(TOKEN_COOKIE) or None

    async def answer_allowed(self, code: str, token: str | None) -> tuple[int, str]:
        """The checks every answer from a phone passes (a vote, an evaluation), cheapest first: the
        limits, the origin, the round's number read strictly, the session, and a token this session
        signed. Returns the round's number and the token; a refusal is a :class:`SalleError`."""
        self.throttle("vote-client", self.client)
        self.check_origin()
        round_id = parse_number(self.get_body_argument("tour", "", strip=False), "tour")
        session = await self.find(lambda: self.rooms.call(self.store.session, code))
        self.throttle("vote-seance", code)
        if token is None:
            raise SalleError(NO_COOKIE, Problem.FORBIDDEN)
        if not tokens.valid(session.participant_key, code, token):
            self.rooms.limiter.take("code-client", self.client)  # a forged token costs a guess too
            raise SalleError(FORGED_TOKEN, Problem.FORBIDDEN)
        return round_id, token

    def asked_position(self) -> int | None:
        """The situation asked for in the address (``?n=``), read strictly whatever the round."""
        asked = self.get_query_argument("n", None, strip=False)
        return None if asked is None else parse_number(asked, "n")

    def render_session(
        self,
        code: str,
        snapshot: Snapshot,
        participant: int | None,
        notice: str = "",
        kind: str = "ok",
        status: int = 200,
    ) -> None:
        asked = self.asked_position()
        view = participant_view(snapshot, participant)
        current: Round | None = view["round"]
        items = self.rooms.items(current) if current is not None else []
        scale = content.scale_for(current.scale) if current is not None else None
        own = view.get("own", {})
        position = 0
        if current is not None and current.state is RoundState.VOTE and len(items) > 1:
            if asked is not None:
                position = min(asked, len(items) - 1)
            else:  # the first situation not placed yet
                position = next((i for i, item in enumerate(items) if item.id not in own), len(items) - 1)
            placed = self.get_query_argument("ok", "")
            if not notice and placed in own and placed != items[position].id:
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
                self.rooms.static,
            )
        )

    async def get(self, code: str) -> None:
        try:
            self.throttle("page-client", self.client)
            token = self.cookie_token()
            snapshot, participant = await self.find(lambda: self.rooms.call(self.store.phone_page, code, token))
            self.throttle("page-seance", code)
            if not tokens.valid(snapshot.session.participant_key, code, token):
                # A newcomer (or a token from elsewhere): a new token, within the limits. Nothing is
                # written: the phone becomes a participant at its first vote.
                self.throttle("jeton-client", self.client, TOO_MANY_NEWCOMERS)
                self.throttle("jeton-seance", code, TOO_MANY_IN_SESSION)
                fresh = tokens.issue(snapshot.session.participant_key, code)
                self.set_cookie(TOKEN_COOKIE, fresh, expires_days=1, httponly=True, samesite="Lax", path="/")
                participant = None
                token = fresh
            await self.show(code, snapshot, participant, token)
        except SalleError as error:
            self.fail(error)

    async def show(
        self,
        code: str,
        snapshot: Snapshot,
        participant: int | None,
        token: str | None,
        notice: str = "",
        kind: str = "ok",
        status: int = 200,
    ) -> None:
        """The session's page; a quiz or the questionnaire has a page of its own (:mod:`widgets.salle.eval_pages`)."""
        current = snapshot.current
        if current is not None and is_evaluation(current) and current.state is not RoundState.CLOSED:
            await evaluation_page(self, code, snapshot, token, notice, kind, status)
            return
        self.render_session(code, snapshot, participant, notice, kind, status)


class VoteHandler(SessionPageHandler):
    async def post(self, code: str) -> None:
        token = self.cookie_token()
        item = self.get_body_argument("element", "")
        try:
            round_id, signed = await self.answer_allowed(code, token)
            value = self.get_body_argument("valeur", "")
            await self.rooms.call(self.store.vote, code, signed, round_id, item, value)
        except SalleError as error:
            await self.refuse_vote(code, token, error)
            return
        self.redirect(f"/s/{code}?{urlencode({'ok': item})}" if item else f"/s/{code}", status=303)

    async def refuse_vote(self, code: str, token: str | None, error: SalleError) -> None:
        """A late tap or an unknown answer: the page again, with the reason, ready for another tap."""
        if error.problem not in SHOWN_WITH_THE_PAGE:
            self.fail(error)
            return
        try:
            snapshot, participant = await self.rooms.call(self.store.phone_page, code, token)
            await self.show(code, snapshot, participant, token, str(error), "erreur", STATUS[error.problem])
        except SalleError:
            self.fail(error)


class StateHandler(BaseHandler):
    """What phones poll: a short fingerprint that changes only when the trainer acts."""

    api = True

    async def get(self, code: str) -> None:
        try:
            self.throttle("etat-client", self.client)
            state = await self.find(lambda: self.rooms.call(self.store.public_state, code))
            self.throttle("etat-seance", code)
        except SalleError as error:
            self.fail(error)
            return
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"etat": state}))
