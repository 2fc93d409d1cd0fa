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

Each part in its own module, :class:`Store` their union: :mod:`.database` (connections,
transactions, the schema, the servers' address), :mod:`.sessions`, :mod:`.votes` (phones and paper
cards), :mod:`.rounds` (the trainer's questions, what pages read), :mod:`.evaluations`, and
:mod:`.keyring` (the trainer's keys on this computer); :mod:`.rows` turns rows into the model's objects.

Why not an ORM: five tables, a dozen statements, two dialects that differ in three places
(placeholders, identity column, row locks); plain SQL keeps them visible and testable.
"""

from __future__ import annotations

from widgets.salle.store.database import (
    BUSY,
    BUSY_MS,
    META_LOCAL_URL,
    META_NETWORK,
    META_PUBLIC_URL,
    SQLITE_FILE,
    Tx,
    data_dir,
    redact,
)
from widgets.salle.store.evaluations import EMPTY_SHEET, EvaluationStore
from widgets.salle.store.keyring import KEYS_FILE, KeyRing
from widgets.salle.store.rounds import RoundStore
from widgets.salle.store.sessions import FORGED_TOKEN
from widgets.salle.store.votes import VoteStore

__all__ = [
    "BUSY",
    "BUSY_MS",
    "EMPTY_SHEET",
    "FORGED_TOKEN",
    "KEYS_FILE",
    "META_LOCAL_URL",
    "META_NETWORK",
    "META_PUBLIC_URL",
    "SQLITE_FILE",
    "KeyRing",
    "Store",
    "Tx",
    "data_dir",
    "redact",
]


class Store(VoteStore, RoundStore, EvaluationStore):
    """Sessions, rounds and votes, shared by the participants' server and the trainer's view.

    Thread-safe: each thread gets its own connection (SQLite and psycopg connections are not
    meant to be shared between threads).
    """
