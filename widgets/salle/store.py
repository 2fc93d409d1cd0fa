"""The one store of the group mode: SQLite by default, PostgreSQL when a URL is given.

Why one interface and two configurations: a trainer on a laptop needs nothing to install (SQLite,
in WAL mode so that the participants' server writes votes while the trainer's Voilà view reads
them, from another process); an organisation that hosts the course for many rooms sets
``FAIRE_AVEC_DATABASE_URL=postgresql://…`` and gets the same behaviour from the same code and the
same SQL. Every method is one short transaction that waits at most a couple of seconds for a lock
(then a French « réessayez », HTTP 503); the tables are created or migrated when the store opens
(:mod:`widgets.salle.schema`); sessions past their expiry are erased (``purge_expired``), votes,
participants and exported files with them.

Privacy: the store keeps no name, no IP address, no user agent, no time of vote. A phone is known
by a token the server signed for the session (:mod:`widgets.salle.tokens`, a cookie), stored only as
a hash salted with the session code, so the same phone cannot be followed from one session to the
next. The trainer's key is stored as a hash.

People without a phone vote with paper cards; the trainer types their answers in
(:meth:`Store.add_paper_participant`, :meth:`Store.paper_vote`): they count like any other vote,
and the snapshot says which people voted on paper, so that the grid and the exports can say it.

Why not an ORM: five tables, a dozen statements, two dialects that differ in three places
(placeholders, identity column, row locks); plain SQL keeps them visible and testable.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from widgets.data import REPO_ROOT
from widgets.salle import evaluation, exports, schema, tokens
from widgets.salle.model import (
    EXPIRED,
    SESSION_HOURS,
    WRONG_CODE,
    WRONG_KEY,
    Activity,
    Problem,
    Round,
    RoundState,
    SalleError,
    SessionInfo,
    Snapshot,
    Vote,
    check_paper_vote,
    check_round_request,
    check_vote,
    clean_question,
    new_code,
    public_state,
)

DEFAULT_DIR = REPO_ROOT / ".cache" / "salle"
SQLITE_FILE = "salle.sqlite3"
KEYS_FILE = "cles-formateur.json"
# Written by the participants' server when it starts, read by the trainer's view.
META_PUBLIC_URL = "adresse_participants"
META_LOCAL_URL = "adresse_locale"
META_NETWORK = "reseau"
BUSY = "Le serveur de la salle est très occupé ou arrêté : réessayez dans un instant."
# Short waits: a phone is better told « réessayez » at once than left hanging while 30 others wait
# behind it. SQLite waits this long for another writer's lock, PostgreSQL for a lock or a connection.
BUSY_MS = 2000
EMPTY_SHEET = "Ce questionnaire papier est vide : remplissez au moins une réponse avant de l'enregistrer."
CONNECT_SECONDS = 3
FORGED_TOKEN = (
    "Ce téléphone n'a pas de jeton valable pour cette séance : rechargez la page (et autorisez les cookies "  # noqa: S105 - a French message, not a secret
    "pour ce site), puis votez à nouveau."
)

_SESSION_COLUMNS = "code, created_at, expires_at, closed_at, version, current_round, next_participant, participant_key"
_ROUND_COLUMNS = "id, number, activity, scale, question, choices, items, state, parent_id, tag, created_at"


def data_dir() -> Path:
    """Where the SQLite file and the trainer's keys live: ``FAIRE_AVEC_DATA_DIR`` or ``.cache/salle``."""
    return Path(os.environ.get("FAIRE_AVEC_DATA_DIR") or DEFAULT_DIR)


def redact(url: str) -> str:
    """A database URL without its password, fit for a message on screen."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else ("",)


def _session(row: Sequence[Any]) -> SessionInfo:
    code, created, expires, closed, version, current, next_participant, participant_key = row
    return SessionInfo(
        code=code,
        created_at=float(created),
        expires_at=float(expires),
        closed_at=None if closed is None else float(closed),
        version=int(version),
        current_round=None if current is None else int(current),
        participants=int(next_participant) - 1,
        participant_key=str(participant_key),
    )


def _round(row: Sequence[Any]) -> Round:
    rid, number, activity, scale, question, choices, items, state, parent, tag, created = row
    return Round(
        id=int(rid),
        number=int(number),
        activity=Activity(activity),
        scale=scale,
        question=question,
        choices=tuple(choices.split(",")),
        items=_split(items),
        state=RoundState(state),
        parent_id=None if parent is None else int(parent),
        tag=tag,
        created_at=float(created),
    )


class _Tx:
    """Runs SQL written with ``?`` placeholders on either backend."""

    def __init__(self, connection: Any, postgres: bool):
        self.connection = connection
        self.postgres = postgres

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        if self.postgres:
            sql = sql.replace("?", "%s")
        cursor = self.connection.execute(sql, tuple(params))
        return list(cursor.fetchall()) if cursor.description else []

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    @property
    def lock(self) -> str:
        """Row lock for the session row: PostgreSQL needs it; SQLite's BEGIN IMMEDIATE already
        serialises writers for the whole file."""
        return " FOR UPDATE" if self.postgres else ""


class Store:
    """Sessions, rounds and votes, shared by the participants' server and the trainer's view.

    Thread-safe: each thread gets its own connection (SQLite and psycopg connections are not
    meant to be shared between threads).
    """

    def __init__(self, url: str | None = None, directory: Path | None = None):
        self.url = url or None
        self.postgres = bool(self.url)
        self.directory = Path(directory) if directory is not None else data_dir()
        self._local = threading.local()
        self._connections: list[Any] = []
        self._lock = threading.Lock()
        if self.postgres:
            if not re.match(r"postgres(ql)?://", self.url or ""):
                raise SalleError(
                    f"FAIRE_AVEC_DATABASE_URL doit commencer par postgresql:// (reçu : « {redact(self.url or '')} »)."
                )
            self.where = redact(self.url or "")
        else:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.where = str(self.directory / SQLITE_FILE)
        self.upgraded_from = schema.SCHEMA_VERSION
        self._prepare_schema()

    @classmethod
    def from_env(cls) -> Store:
        """The store the course uses: PostgreSQL if ``FAIRE_AVEC_DATABASE_URL`` is set, else SQLite."""
        return cls(os.environ.get("FAIRE_AVEC_DATABASE_URL") or None)

    @property
    def backend(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    # ------------------------------------------------------------ connections and transactions

    def _connect(self) -> Any:
        connection: Any
        if self.postgres:
            import psycopg

            try:
                connection = psycopg.connect(
                    str(self.url),
                    autocommit=True,
                    connect_timeout=CONNECT_SECONDS,
                    options=f"-c lock_timeout={BUSY_MS} -c statement_timeout={2 * BUSY_MS}",
                )
            except psycopg.OperationalError as error:
                raise SalleError(
                    f"La base PostgreSQL ne répond pas ({self.where}). Vérifiez FAIRE_AVEC_DATABASE_URL et que le serveur tourne.",
                    Problem.UNAVAILABLE,
                ) from error
        else:
            connection = sqlite3.connect(
                self.where, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at each checkpoint, fast commits
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        with self._lock:
            self._connections.append(connection)
        return connection

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
        return connection

    def _forget_connection(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            with self._lock, contextlib.suppress(ValueError):
                self._connections.remove(connection)
            with contextlib.suppress(Exception):
                connection.close()

    def _driver_errors(self) -> tuple[type[Exception], ...]:
        if self.postgres:
            import psycopg

            return (psycopg.OperationalError,)
        return (sqlite3.OperationalError,)

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[_Tx]:
        """One transaction; a lost PostgreSQL connection is reopened at the next call, and a busy or
        unreachable database becomes a French :class:`SalleError` (HTTP 503), never a traceback."""
        try:
            connection = self._connection()
            tx = _Tx(connection, self.postgres)
            if self.postgres:
                with connection.transaction():
                    yield tx
            else:
                connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield tx
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                connection.execute("COMMIT")
        except self._driver_errors() as error:
            self._forget_connection()
            raise SalleError(BUSY, Problem.UNAVAILABLE) from error

    def _prepare_schema(self) -> None:
        """Create the tables, or migrate older ones, in one transaction (see :mod:`widgets.salle.schema`)."""
        with self._transaction(write=True) as tx:
            if self.postgres:
                tx.rows("SELECT pg_advisory_xact_lock(81460)")  # two processes starting at once
            self.upgraded_from = schema.prepare(tx)

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            with contextlib.suppress(Exception):
                connection.close()
        self._local = threading.local()

    # ------------------------------------------------------------ meta (the server's address)

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction(write=True) as tx:
            tx.rows(
                "INSERT INTO salle_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def meta(self, key: str) -> str | None:
        with self._transaction(write=False) as tx:
            row = tx.one("SELECT value FROM salle_meta WHERE key = ?", (key,))
        return None if row is None else row[0]

    # ------------------------------------------------------------ sessions

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
                    (code, _hash(secret), now, now + hours * 3600, schema.new_participant_key()),
                )
                return code, secret
        raise SalleError("Trop de séances sont ouvertes en même temps : fermez-en une avant d'en ouvrir une autre.")

    def _session_row(self, tx: _Tx, code: str, lock: bool = False) -> SessionInfo:
        row = tx.one(f"SELECT {_SESSION_COLUMNS} FROM salle_sessions WHERE code = ?{tx.lock if lock else ''}", (code,))  # noqa: S608 - only constant fragments are formatted in; values are bound
        if row is None:
            raise SalleError(WRONG_CODE, Problem.NOT_FOUND)
        return _session(row)

    def _round_row(self, tx: _Tx, code: str, round_id: int) -> Round | None:
        """A round of this session (``None`` for a number of another session or of none)."""
        row = tx.one(f"SELECT {_ROUND_COLUMNS} FROM salle_rounds WHERE id = ? AND session_code = ?", (round_id, code))  # noqa: S608 - only constant fragments are formatted in; values are bound
        return None if row is None else _round(row)

    def _phone_write(self, tx: _Tx, code: str, token: str, round_id: int) -> tuple[SessionInfo, Round | None]:
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
                f"SELECT {_SESSION_COLUMNS} FROM salle_sessions WHERE {closed}expires_at > ? ORDER BY created_at DESC",  # noqa: S608 - only constant fragments are formatted in; values are bound
                (now,),
            )
        return [_session(row) for row in rows]

    def check_key(self, code: str, secret: object) -> None:
        """Raise unless ``secret`` is the trainer's key of this session (constant-time comparison)."""
        with self._transaction(write=False) as tx:
            row = tx.one("SELECT secret_hash FROM salle_sessions WHERE code = ?", (code,))
        given = _hash(secret) if isinstance(secret, str) else ""  # hashed either way: same time for a wrong code
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

    # ------------------------------------------------------------ participants and votes

    def _join(self, tx: _Tx, session: SessionInfo, token: str) -> int:
        """The phone's number in the session, given at its first vote (the caller locked the session row)."""
        token_hash = _hash(session.code, token)
        row = tx.one(
            "SELECT number FROM salle_participants WHERE session_code = ? AND token_hash = ?",
            (session.code, token_hash),
        )
        if row is not None:
            return int(row[0])
        number = session.participants + 1  # read from the session row, locked by the caller
        tx.rows(
            "INSERT INTO salle_participants (session_code, token_hash, number) VALUES (?, ?, ?)",
            (session.code, token_hash, number),
        )
        tx.rows(
            "UPDATE salle_sessions SET next_participant = next_participant + 1, version = version + 1 WHERE code = ?",
            (session.code,),
        )
        return number

    def participant(self, code: str, token: str) -> int | None:
        """The anonymous number of this phone in the session, if it has voted."""
        with self._transaction(write=False) as tx:
            row = tx.one(
                "SELECT number FROM salle_participants WHERE session_code = ? AND token_hash = ?",
                (code, _hash(code, token)),
            )
        return None if row is None else int(row[0])

    def vote(self, code: str, token: str, round_id: int, item: object, value: object, now: float | None = None) -> int:
        """Record one phone's answer to one item of the current round; return the phone's number.

        Answering again before the results are shown replaces the earlier answer (people change
        their mind or mis-tap); the primary key (round, item, participant) makes a second row
        impossible, so a vote can be neither lost nor counted twice, however many requests race.
        A phone becomes a participant at its first accepted vote, and only with a token this
        session signed (:mod:`widgets.salle.tokens`): a made-up one is refused before anything is read.
        """
        now = time.time() if now is None else now
        with self._transaction(write=True) as tx:
            session, round_ = self._phone_write(tx, code, token, round_id)
            item, value = check_vote(session, round_, item, value, now)
            number = self._join(tx, session, token)
            before = tx.one(
                "SELECT value FROM salle_votes WHERE round_id = ? AND item = ? AND participant = ?",
                (round_id, item, number),
            )
            if before is None or before[0] != value:
                tx.rows(
                    "INSERT INTO salle_votes (round_id, item, participant, value) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (round_id, item, participant) DO UPDATE SET value = excluded.value",
                    (round_id, item, number, value),
                )
                tx.rows("UPDATE salle_sessions SET version = version + 1 WHERE code = ?", (code,))
        return number

    # ------------------------------------------------------------ paper votes (typed in by the trainer)

    def add_paper_participant(self, code: str, secret: str, now: float | None = None) -> int:
        """Number one more person who votes with paper cards; return that number.

        The person has no token (nothing can vote in their name from a phone): the row's
        ``token_hash`` is ``papier:<number>``, which no hash of a token can equal.
        """
        self.check_key(code, secret)
        now = time.time() if now is None else now
        with self._transaction(write=True) as tx:
            session = self._session_row(tx, code, lock=True)
            if session.expired(now):
                raise SalleError(EXPIRED, Problem.NOT_FOUND)
            number = session.participants + 1
            tx.rows(
                "INSERT INTO salle_participants (session_code, token_hash, number, paper) VALUES (?, ?, ?, 1)",
                (code, f"papier:{number}", number),
            )
            tx.rows(
                "UPDATE salle_sessions SET next_participant = next_participant + 1, version = version + 1 WHERE code = ?",
                (code,),
            )
        return number

    def paper_vote(
        self,
        code: str,
        secret: str,
        round_id: int,
        participant: int,
        item: object,
        value: object,
        now: float | None = None,
    ) -> None:
        """Type in (or, with ``value`` None or empty, erase) one paper answer of one person to one item.

        Same primary key as a phone's vote (round, item, person): typing the same answer twice
        changes nothing, a different one replaces it (see :func:`model.check_paper_vote` for when).
        """
        self.check_key(code, secret)
        now = time.time() if now is None else now
        with self._transaction(write=True) as tx:
            session = self._session_row(tx, code, lock=True)
            found = tx.one(
                "SELECT paper FROM salle_participants WHERE session_code = ? AND number = ?", (code, participant)
            )
            round_ = self._round_row(tx, code, round_id)
            paper = found is not None and int(found[0]) == 1
            item, value = check_paper_vote(session, round_, paper, item, value, now)
            before = tx.one(
                "SELECT value FROM salle_votes WHERE round_id = ? AND item = ? AND participant = ?",
                (round_id, item, participant),
            )
            if (None if before is None else before[0]) == value:
                return
            if value is None:
                tx.rows(
                    "DELETE FROM salle_votes WHERE round_id = ? AND item = ? AND participant = ?",
                    (round_id, item, participant),
                )
            else:
                tx.rows(
                    "INSERT INTO salle_votes (round_id, item, participant, value) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (round_id, item, participant) DO UPDATE SET value = excluded.value",
                    (round_id, item, participant, value),
                )
            tx.rows("UPDATE salle_sessions SET version = version + 1 WHERE code = ?", (code,))

    # ------------------------------------------------------------ the trainer's actions

    def start_round(
        self,
        code: str,
        secret: str,
        activity: Activity | str,
        question: object,
        scale: str,
        choices: Sequence[str],
        items: Sequence[str] = (),
        parent_id: int | None = None,
        tag: str = "",
        now: float | None = None,
    ) -> Round:
        """Put a new question to the group; the previous round, if still open, is closed unrevealed.

        ``parent_id`` links a reworded statement to its earlier wording: both stay in the history.
        """
        self.check_key(code, secret)
        now = time.time() if now is None else now
        text = clean_question(question)
        kind, choice_ids, item_ids = check_round_request(activity, choices, items)
        with self._transaction(write=True) as tx:
            session = self._session_row(tx, code, lock=True)
            if session.expired(now):
                raise SalleError(EXPIRED, Problem.NOT_FOUND)
            if session.closed:
                raise SalleError(
                    "La séance est fermée : ouvrez-en une nouvelle pour poser une autre question.", Problem.CLOSED
                )
            if parent_id is not None and not tx.one(
                "SELECT 1 FROM salle_rounds WHERE id = ? AND session_code = ?", (parent_id, code)
            ):
                raise SalleError("L'affirmation à reformuler n'existe pas dans cette séance.")
            tx.rows(
                "UPDATE salle_rounds SET state = ? WHERE session_code = ? AND state = ?",
                (RoundState.CLOSED.value, code, RoundState.VOTE.value),
            )
            number_row = tx.one("SELECT next_round FROM salle_sessions WHERE code = ?", (code,))
            if number_row is None:  # impossible: the row is locked above; said rather than assumed
                raise SalleError(WRONG_CODE, Problem.NOT_FOUND)
            values = (
                code,
                int(number_row[0]),
                kind.value,
                scale,
                text,
                ",".join(choice_ids),
                ",".join(i for i in item_ids if i) if item_ids != ("",) else "",
                tag,
                RoundState.VOTE.value,
                parent_id,
                now,
            )
            inserted = tx.one(
                "INSERT INTO salle_rounds (session_code, number, activity, scale, question, choices, items, tag, state, "  # noqa: S608 - only constant fragments are formatted in; values are bound
                f"parent_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_ROUND_COLUMNS}",
                values,
            )
            if inserted is None:  # RETURNING always gives the row; said rather than assumed
                raise SalleError(BUSY, Problem.UNAVAILABLE)
            new_round = _round(inserted)
            tx.rows(
                "UPDATE salle_sessions SET current_round = ?, next_round = next_round + 1, version = version + 1 "
                "WHERE code = ?",
                (new_round.id, code),
            )
        return new_round

    def reveal(self, code: str, secret: str, round_id: int) -> None:
        """Close the answers of a round and show its results on every phone."""
        self.check_key(code, secret)
        with self._transaction(write=True) as tx:
            self._session_row(tx, code, lock=True)
            row = tx.one("SELECT state FROM salle_rounds WHERE id = ? AND session_code = ?", (round_id, code))
            if row is None:
                raise SalleError("Cette question n'existe pas dans cette séance.", Problem.NOT_FOUND)
            tx.rows("UPDATE salle_rounds SET state = ? WHERE id = ?", (RoundState.REVEALED.value, round_id))
            tx.rows(
                "UPDATE salle_sessions SET current_round = ?, version = version + 1 WHERE code = ?", (round_id, code)
            )

    # ------------------------------------------------------------ reading

    def version(self, code: str) -> int:
        """A number that grows at every change of the session: the trainer's view redraws only then."""
        with self._transaction(write=False) as tx:
            row = tx.one("SELECT version FROM salle_sessions WHERE code = ?", (code,))
        if row is None:
            raise SalleError(WRONG_CODE, Problem.NOT_FOUND)
        return int(row[0])

    def public_state(self, code: str, now: float | None = None) -> str:
        """What the phones poll: changes only when the trainer acts (see :func:`model.public_state`)."""
        now = time.time() if now is None else now
        with self._transaction(write=False) as tx:
            session = self._session_row(tx, code)
            row = None
            if session.current_round is not None:
                row = tx.one(f"SELECT {_ROUND_COLUMNS} FROM salle_rounds WHERE id = ?", (session.current_round,))  # noqa: S608 - only constant fragments are formatted in; values are bound
        if session.expired(now):
            raise SalleError(EXPIRED, Problem.NOT_FOUND)
        return public_state(session, None if row is None else _round(row))

    def phone_page(self, code: str, token: str | None, now: float | None = None) -> tuple[Snapshot, int | None]:
        """What one phone's page is made of, in one transaction: the session as :meth:`snapshot` reads
        it, and the phone's number if its token has already voted (None for a newcomer)."""
        now = time.time() if now is None else now
        with self._transaction(write=False) as tx:
            snapshot = self._snapshot(tx, code)
            row = None
            if token:
                row = tx.one(
                    "SELECT number FROM salle_participants WHERE session_code = ? AND token_hash = ?",
                    (code, _hash(code, token)),
                )
        if snapshot.session.expired(now):
            raise SalleError(EXPIRED, Problem.NOT_FOUND)
        return snapshot, None if row is None else int(row[0])

    def snapshot(self, code: str) -> Snapshot:
        """The whole session (rounds in order, every vote) read in one transaction."""
        with self._transaction(write=False) as tx:
            return self._snapshot(tx, code)

    def _snapshot(self, tx: _Tx, code: str) -> Snapshot:
        session = self._session_row(tx, code)
        rounds = tx.rows(f"SELECT {_ROUND_COLUMNS} FROM salle_rounds WHERE session_code = ? ORDER BY number", (code,))  # noqa: S608 - only constant fragments are formatted in; values are bound
        votes = tx.rows(
            "SELECT v.round_id, v.item, v.participant, v.value FROM salle_votes v "
            "JOIN salle_rounds r ON r.id = v.round_id WHERE r.session_code = ? "
            "ORDER BY v.round_id, v.item, v.participant",
            (code,),
        )
        paper = tx.rows("SELECT number FROM salle_participants WHERE session_code = ? AND paper = 1", (code,))
        return Snapshot(
            session=session,
            rounds=tuple(_round(r) for r in rounds),
            votes=tuple(Vote(int(r[0]), r[1], int(r[2]), r[3]) for r in votes),
            paper=frozenset(int(r[0]) for r in paper),
        )

    # ------------------------------------------------------------ evaluations (widgets.salle.evaluation)

    def evaluation_answer(
        self, code: str, token: str, round_id: int, answers: Mapping[str, str | None], now: float | None = None
    ) -> None:
        """Record a phone's answers to the current evaluation (checked by :func:`evaluation.read_answers`).

        Kept under a pseudonym of this round only (:func:`evaluation.pseudonym`): answering again
        replaces the answer, ``None`` erases it (a text emptied), and nothing links it to the phone's
        answers in another round. The phone does not become a numbered participant of the grid.
        """
        now = time.time() if now is None else now
        with self._transaction(write=True) as tx:
            session, round_ = self._phone_write(tx, code, token, round_id)
            evaluation.check_open(session, round_, round_id, now)
            voter = evaluation.pseudonym(session.participant_key, round_id, token)
            self._write_answers(tx, code, round_id, voter, answers, paper=False)

    def evaluation_paper(
        self, code: str, secret: str, round_id: int, answers: Mapping[str, str | None], now: float | None = None
    ) -> None:
        """Record one paper questionnaire typed in by the trainer (marked as paper; closed rounds and
        closed sessions too: sheets are often typed after the group has left)."""
        self.check_key(code, secret)
        now = time.time() if now is None else now
        if not any(value is not None for value in answers.values()):
            raise SalleError(EMPTY_SHEET)
        with self._transaction(write=True) as tx:
            session = self._session_row(tx, code, lock=True)
            if session.expired(now):
                raise SalleError(EXPIRED, Problem.NOT_FOUND)
            round_ = self._round_row(tx, code, round_id)
            if round_ is None or round_.activity is not Activity.QUESTIONNAIRE:
                raise SalleError("Ce questionnaire n'existe pas dans cette séance.", Problem.NOT_FOUND)
            self._write_answers(tx, code, round_id, f"papier-{secrets.token_hex(12)}", answers, paper=True)

    def _write_answers(
        self, tx: _Tx, code: str, round_id: int, voter: str, answers: Mapping[str, str | None], paper: bool
    ) -> None:
        for item, value in answers.items():
            if value is None:
                tx.rows(
                    "DELETE FROM salle_eval_answers WHERE round_id = ? AND item = ? AND voter = ?",
                    (round_id, item, voter),
                )
                continue
            tx.rows(
                "INSERT INTO salle_eval_answers (round_id, item, voter, value, paper) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (round_id, item, voter) DO UPDATE SET value = excluded.value",
                (round_id, item, voter, value, int(paper)),
            )
        tx.rows("UPDATE salle_sessions SET version = version + 1 WHERE code = ?", (code,))

    def evaluation_answers(self, code: str, round_id: int | None = None) -> tuple[evaluation.Answer, ...]:
        """Every evaluation answer of the session (or of one round), sorted by value: the order tells
        nothing of who answered first."""
        where = "" if round_id is None else " AND a.round_id = ?"
        with self._transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT a.round_id, a.item, a.value, a.paper, a.voter FROM salle_eval_answers a "  # noqa: S608 - only constant fragments are formatted in; values are bound
                f"JOIN salle_rounds r ON r.id = a.round_id WHERE r.session_code = ?{where} "
                "ORDER BY a.round_id, a.item, a.value, a.voter",
                (code,) if round_id is None else (code, round_id),
            )
        return tuple(evaluation.Answer(int(r[0]), r[1], r[2], bool(r[3]), r[4]) for r in rows)

    def evaluation_own(self, code: str, token: str | None, round_id: int) -> dict[str, str]:
        """This phone's answers to one round (what its form shows again), read with its pseudonym."""
        if not token:
            return {}
        with self._transaction(write=False) as tx:
            session = self._session_row(tx, code)
            voter = evaluation.pseudonym(session.participant_key, round_id, token)
            rows = tx.rows(
                "SELECT item, value FROM salle_eval_answers WHERE round_id = ? AND voter = ?", (round_id, voter)
            )
        return {str(item): str(value) for item, value in rows}


class KeyRing:
    """The trainer's keys of the sessions opened on this computer, in a file only its owner reads.

    Why a file: a trainer who reloads the Voilà page (or whose laptop slept) resumes the session
    without typing anything, while the database itself keeps only a hash of each key.
    """

    def __init__(self, directory: Path | None = None):
        self.path = (Path(directory) if directory is not None else data_dir()) / KEYS_FILE

    def _read(self) -> dict[str, str]:
        try:
            content = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in content.items()} if isinstance(content, dict) else {}

    def _write(self, keys: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(keys, handle)
        os.replace(temporary, self.path)

    def remember(self, code: str, secret: str) -> None:
        keys = self._read()
        keys[code] = secret
        self._write(keys)

    def key(self, code: str) -> str | None:
        return self._read().get(code)

    def forget_except(self, codes: set[str]) -> None:
        """Drop the keys of sessions that no longer exist (expired and purged)."""
        keys = self._read()
        kept = {c: s for c, s in keys.items() if c in codes}
        if kept != keys:
            self._write(kept)
