"""The group mode's database: SQLite by default, PostgreSQL when a URL is given; one short
transaction per call, French errors when the database is busy or away; the server's address.

See :mod:`widgets.salle.store` for why one interface and two configurations.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Self

from widgets.data import REPO_ROOT
from widgets.salle import schema
from widgets.salle.model import Problem, SalleError

DEFAULT_DIR = REPO_ROOT / ".cache" / "salle"
SQLITE_FILE = "salle.sqlite3"
# Written by the participants' server when it starts, read by the trainer's view.
META_PUBLIC_URL = "adresse_participants"
META_LOCAL_URL = "adresse_locale"
META_NETWORK = "reseau"
BUSY = "Le serveur de la salle est très occupé ou arrêté : réessayez dans un instant."
# Short waits: a phone is better told « réessayez » at once than left hanging while 30 others wait
# behind it. SQLite waits this long for another writer's lock, PostgreSQL for a lock or a connection.
BUSY_MS = 2000
CONNECT_SECONDS = 3


def data_dir() -> Path:
    """Where the SQLite file and the trainer's keys live: ``FAIRE_AVEC_DATA_DIR`` or ``.cache/salle``."""
    return Path(os.environ.get("FAIRE_AVEC_DATA_DIR") or DEFAULT_DIR)


def redact(url: str) -> str:
    """A database URL without its password, fit for a message on screen."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class Tx:
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


class Database:
    """Connections (one per thread: SQLite and psycopg connections are not meant to be shared),
    transactions, the schema, and the little the servers tell each other (``salle_meta``)."""

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
    def from_env(cls) -> Self:
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
    def _transaction(self, write: bool) -> Iterator[Tx]:
        """One transaction; a lost PostgreSQL connection is reopened at the next call, and a busy or
        unreachable database becomes a French :class:`SalleError` (HTTP 503), never a traceback."""
        try:
            connection = self._connection()
            tx = Tx(connection, self.postgres)
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
