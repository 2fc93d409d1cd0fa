"""The group mode's tables, the version of their layout, and how an older database is brought up to date.

Why versioned migrations: a trainer's laptop keeps ``.cache/salle/salle.sqlite3`` from one release
to the next, and an organisation keeps its PostgreSQL database. ``CREATE TABLE IF NOT EXISTS``
alone would let new code run silently on old tables (a missing column found in the middle of a
session). So the store reads the stored version when it opens:

- no tables yet: the first layout is created, then every migration runs (a new database and an
  upgraded one are made by the very same statements, so they cannot drift apart);
- an older version: each missing migration runs, in order, in the store's one opening transaction
  (SQLite and PostgreSQL both roll back DDL), and the new version is written in it; a failure
  leaves the database exactly as it was;
- a newer version (made by a more recent release of the course): refused with a French sentence,
  before anything is written.

To change the layout: add a function to ``MIGRATIONS`` under the version it upgrades *from*, and
raise ``SCHEMA_VERSION``. Never edit ``FIRST_LAYOUT`` or an existing migration: databases in the
field were made by them (``tests/unit/test_salle_store.py`` opens one made by the first layout).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from widgets.salle.model import SalleError

SCHEMA_VERSION = 4
VERSION_KEY = "schema"
PARTICIPANT_KEY_BYTES = 32

# Version 1, as the course created it until December 2026. ``{identity}`` is the one difference
# between the two dialects: SQLite's INTEGER PRIMARY KEY, PostgreSQL's identity column.
FIRST_LAYOUT = """
CREATE TABLE IF NOT EXISTS salle_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS salle_sessions (
    code TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL,
    closed_at DOUBLE PRECISION,
    version BIGINT NOT NULL DEFAULT 0,
    current_round BIGINT,
    next_participant INTEGER NOT NULL DEFAULT 1,
    next_round INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS salle_participants (
    session_code TEXT NOT NULL REFERENCES salle_sessions (code) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (session_code, token_hash),
    UNIQUE (session_code, number)
);
CREATE TABLE IF NOT EXISTS salle_rounds (
    id {identity},
    session_code TEXT NOT NULL REFERENCES salle_sessions (code) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    activity TEXT NOT NULL,
    scale TEXT NOT NULL,
    question TEXT NOT NULL,
    choices TEXT NOT NULL,
    items TEXT NOT NULL,
    tag TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    parent_id BIGINT,
    created_at DOUBLE PRECISION NOT NULL,
    UNIQUE (session_code, number)
);
CREATE TABLE IF NOT EXISTS salle_votes (
    round_id BIGINT NOT NULL REFERENCES salle_rounds (id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    participant INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (round_id, item, participant)
);
CREATE INDEX IF NOT EXISTS salle_rounds_session ON salle_rounds (session_code);
CREATE INDEX IF NOT EXISTS salle_sessions_expiry ON salle_sessions (expires_at)
"""


class Runner(Protocol):
    """What a migration needs of the store's transaction (``store.Tx``): SQL with ``?`` placeholders."""

    postgres: bool

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None: ...


def new_participant_key() -> str:
    """The secret a session signs its participants' tokens with (kept in the store, never sent)."""
    return secrets.token_urlsafe(PARTICIPANT_KEY_BYTES)


def _add_participant_keys(tx: Runner) -> None:
    """1 → 2: each session gets the secret that signs its phones' tokens (:mod:`widgets.salle.tokens`).

    Sessions open during the upgrade get a key too; their phones' old, unsigned tokens are no longer
    accepted, so each phone is counted as a new person at its next vote (said in docs/mode-groupe.md).
    """
    tx.rows("ALTER TABLE salle_sessions ADD COLUMN participant_key TEXT NOT NULL DEFAULT ''")
    for (code,) in tx.rows("SELECT code FROM salle_sessions"):
        tx.rows("UPDATE salle_sessions SET participant_key = ? WHERE code = ?", (new_participant_key(), code))


def _add_paper_participants(tx: Runner) -> None:
    """2 → 3: a participant can be a person who votes on paper, whose answers the trainer types in.

    Why a mark on the participant rather than on each vote: a paper person is one column of the
    abaque's grid from one statement to the next, like a phone; every answer typed for them is a
    paper answer, and the exports say so. Existing participants are phones (``0``).
    """
    tx.rows("ALTER TABLE salle_participants ADD COLUMN paper INTEGER NOT NULL DEFAULT 0")


def _add_evaluation_answers(tx: Runner) -> None:
    """3 → 4: the answers to the evaluations (quiz du groupe, avant / après, questionnaire), kept apart
    from the votes of the grid (:mod:`widgets.salle.evaluation`).

    Why a table of its own: a vote of the grid carries the phone's number in the session, which is
    what the abaque needs. An evaluation answer must not: ``voter`` is a pseudonym drawn for *one*
    question (a hash of the phone's token, which the store never keeps, with the round's id and the
    session's secret), so the answers a phone gives before and after cannot be linked, even by
    someone who reads the database. A sheet typed in by the trainer gets a random ``voter`` and
    ``paper = 1``. ``value`` holds an answer's id, or the free text of a questionnaire (600
    characters at most, checked before it is written).
    """
    tx.rows(
        """CREATE TABLE IF NOT EXISTS salle_eval_answers (
            round_id BIGINT NOT NULL REFERENCES salle_rounds (id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            voter TEXT NOT NULL,
            value TEXT NOT NULL,
            paper INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (round_id, item, voter)
        )"""
    )


# One function per version, under the version it upgrades *from*; the next one is 4 → 5.
MIGRATIONS: dict[int, Callable[[Runner], None]] = {
    1: _add_participant_keys,
    2: _add_paper_participants,
    3: _add_evaluation_answers,
}


def newer_database(found: int) -> str:
    return (
        f"La base du mode groupe a été faite par une version plus récente du cours (schéma {found}, cette "
        f"version connaît le schéma {SCHEMA_VERSION}). Mettez le cours à jour, ou donnez un autre dossier "
        "de données (FAIRE_AVEC_DATA_DIR) ou une autre base (FAIRE_AVEC_DATABASE_URL)."
    )


def _has_tables(tx: Runner) -> bool:
    if tx.postgres:
        found = tx.one(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?",
            ("salle_meta",),
        )
    else:
        found = tx.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", ("salle_meta",))
    return found is not None


def stored_version(tx: Runner) -> int:
    """The version written in ``salle_meta`` (0 for an empty database)."""
    if not _has_tables(tx):
        return 0
    row = tx.one("SELECT value FROM salle_meta WHERE key = ?", (VERSION_KEY,))
    text = "" if row is None else str(row[0]).strip()
    if not text.isascii() or not text.isdigit():
        raise SalleError(
            f"La base du mode groupe porte une version de schéma illisible (« {text[:20]} ») : "
            "donnez un autre dossier de données ou une autre base."
        )
    return int(text)


def prepare(tx: Runner) -> int:
    """Create or upgrade the tables inside ``tx``; return the version found before (0: new database)."""
    found = stored_version(tx)
    if found > SCHEMA_VERSION:
        raise SalleError(newer_database(found))
    if found == SCHEMA_VERSION:
        return found
    if found == 0:
        identity = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" if tx.postgres else "INTEGER PRIMARY KEY"
        for statement in FIRST_LAYOUT.format(identity=identity).split(";"):
            tx.rows(statement)
    for version in range(max(found, 1), SCHEMA_VERSION):
        MIGRATIONS[version](tx)
    tx.rows(
        "INSERT INTO salle_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (VERSION_KEY, str(SCHEMA_VERSION)),
    )
    return found
