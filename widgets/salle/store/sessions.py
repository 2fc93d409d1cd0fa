"""Sessions: open, read, resume, close, erase; and the reads every other part of the store starts with."""

from __future__ import annotations

import hmac
import secrets
import time

from widgets.salle import exports, schema, tokens
from widgets.salle.model import (
    EXPIRED,
    SESSION_HOURS,
    WRONG_CODE,
    WRONG_KEY,
    Problem,
    Round,
    RoundState,
    SalleError,
    SessionInfo,
    new_code,
)
from widgets.salle.store.database import Database, Tx
from widgets.salle.store.rows import ROUND_COLUMNS, SESSION_COLUMNS, digest, round_from_row, session_from_row

FORGED_TOKEN = (
    "Ce téléphone n'a pas de jeton valable pour cette séance : rechargez la page (et autorisez les cookies "  # noqa: S105 - a French message, not a secret
    "pour ce site), puis votez à nouveau."
)


class SessionStore(Database):
    """A session's life, and the checks that open every write (its row locked, the trainer's key,
    the phone's token)."""

    def open_session(self, now: float | None = None, hours: float = SESSION_HOURS) -> tuple[str, str]:
        """Open a session; return its code and the trainer's key (shown once, kept by the view)."""
        now = time.time() if now is None else now
        self.purge_expired(now)
        secret = secrets.token_urlsafe(24)
        for _ in range(50):
            code = new_code(secrets.randbelow)
            with self._transaction(write=True) as tx:
                if tx.one("SELECT 1 FROM salle_sessions WHERE code = ?", (code,)):
                    continue
                tx.rows(
                    "INSERT INTO salle_sessions (code, secret_hash, created_at, expires_at, participant_key) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (code, digest(secret), now, now + hours * 3600, schema.new_participant_key()),
                )
                return code, secret
        raise SalleError("Trop de séances sont ouvertes en même temps : fermez-en une avant d'en ouvrir une autre.")

    def _session_row(self, tx: Tx, code: str, lock: bool = False) -> SessionInfo:
        row = tx.one(f"SELECT {SESSION_COLUMNS} FROM salle_sessions WHERE code = ?{tx.lock if lock else ''}", (code,))  # noqa: S608 - only constant fragments are formatted in; values are bound
        if row is None:
            raise SalleError(WRONG_CODE, Problem.NOT_FOUND)
        return session_from_row(row)

    def _round_row(self, tx: Tx, code: str, round_id: int) -> Round | None:
        """A round of this session (``None`` for a number of another session or of none)."""
        row = tx.one(f"SELECT {ROUND_COLUMNS} FROM salle_rounds WHERE id = ? AND session_code = ?", (round_id, code))  # noqa: S608 - only constant fragments are formatted in; values are bound
        return None if row is None else round_from_row(row)

    def _phone_write(self, tx: Tx, code: str, token: str, round_id: int) -> tuple[SessionInfo, Round | None]:
        """How every answer from a phone starts (a vote, an evaluation): the session's row locked, so
        that answers racing for it are written one after the other; a token this session signed, or a
        refusal before anything is read; then the round answered."""
        session = self._session_row(tx, code, lock=True)
        if not tokens.valid(session.participant_key, code, token):
            raise SalleError(FORGED_TOKEN, Problem.FORBIDDEN)
        return session, self._round_row(tx, code, round_id)

    def session(self, code: str, now: float | None = None) -> SessionInfo:
        """The session, or a French error if the code is wrong or the session has expired."""
        now = time.time() if now is None else now
        with self._transaction(write=False) as tx:
            session = self._session_row(tx, code)
        if session.expired(now):
            raise SalleError(EXPIRED, Problem.NOT_FOUND)
        return session

    def open_sessions(self, now: float | None = None, include_closed: bool = False) -> list[SessionInfo]:
        """Sessions not expired (and not closed, unless asked), newest first: the trainer can resume
        one, or export a closed one until it expires."""
        now = time.time() if now is None else now
        closed = "" if include_closed else "closed_at IS NULL AND "
        with self._transaction(write=False) as tx:
            rows = tx.rows(
                f"SELECT {SESSION_COLUMNS} FROM salle_sessions WHERE {closed}expires_at > ? ORDER BY created_at DESC",  # noqa: S608 - only constant fragments are formatted in; values are bound
                (now,),
            )
        return [session_from_row(row) for row in rows]

    def check_key(self, code: str, secret: object) -> None:
        """Raise unless ``secret`` is the trainer's key of this session (constant-time comparison)."""
        with self._transaction(write=False) as tx:
            row = tx.one("SELECT secret_hash FROM salle_sessions WHERE code = ?", (code,))
        given = digest(secret) if isinstance(secret, str) else ""  # hashed either way: same time for a wrong code
        if row is None:
            raise SalleError(WRONG_CODE, Problem.NOT_FOUND)
        if not given or not hmac.compare_digest(row[0], given):
            raise SalleError(WRONG_KEY, Problem.FORBIDDEN)

    def close_session(self, code: str, secret: str, now: float | None = None) -> None:
        """End the session: no more answers; results stay until expiry, for the export."""
        self.check_key(code, secret)
        now = time.time() if now is None else now
        with self._transaction(write=True) as tx:
            self._session_row(tx, code, lock=True)
            tx.rows(
                "UPDATE salle_rounds SET state = ? WHERE session_code = ? AND state = ?",
                (RoundState.CLOSED.value, code, RoundState.VOTE.value),
            )
            tx.rows(
                "UPDATE salle_sessions SET closed_at = COALESCE(closed_at, ?), version = version + 1 WHERE code = ?",
                (now, code),
            )

    def delete_session(self, code: str, secret: str) -> None:
        """Erase the session now, with its exported files (the trainer has kept what they need)."""
        self.check_key(code, secret)
        with self._transaction(write=True) as tx:
            tx.rows("DELETE FROM salle_sessions WHERE code = ?", (code,))
            live = {row[0] for row in tx.rows("SELECT code FROM salle_sessions")}
        exports.purge(self.directory, live)

    def purge_expired(self, now: float | None = None) -> int:
        """Erase every expired session with its participants, rounds and votes, and the exported files
        of every session no longer here (:func:`widgets.salle.exports.purge`); return how many sessions."""
        now = time.time() if now is None else now
        with self._transaction(write=True) as tx:
            codes = [row[0] for row in tx.rows("SELECT code FROM salle_sessions WHERE expires_at <= ?", (now,))]
            if codes:
                tx.rows("DELETE FROM salle_sessions WHERE expires_at <= ?", (now,))
            live = {row[0] for row in tx.rows("SELECT code FROM salle_sessions")}
        exports.purge(self.directory, live, now)
        return len(codes)
