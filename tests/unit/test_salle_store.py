"""The group mode's store, on SQLite AND on a real PostgreSQL server: same code, same results.

PostgreSQL: ``FAIRE_AVEC_TEST_DATABASE_URL`` (set by ``.ci/run``) or, if absent, a throwaway cluster
started here when Debian's ``postgresql`` binaries exist. On CI (``CI`` set) a missing PostgreSQL
FAILS these tests instead of skipping them: the second configuration must really be exercised.
Each test gets a fresh database (PostgreSQL) or directory (SQLite).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.support import throwaway_pg
from widgets.continuum.content import load_situations
from widgets.salle import content, exports, schema, tokens
from widgets.salle.model import (
    EXPIRED,
    NOT_PAPER,
    ROUND_CLOSED,
    SESSION_CLOSED,
    WRONG_CODE,
    WRONG_KEY,
    Activity,
    Problem,
    RoundState,
    SalleError,
    paper_people,
    paper_votes,
    tally,
    total_votes,
)
from widgets.salle.store import KeyRing, Store
from widgets.salle.trainer import Trainer, ask, resumable

ON_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def postgres_server():
    """A PostgreSQL server URL for this module, or a skip (a failure on CI) when there is none."""
    url = os.environ.get("FAIRE_AVEC_TEST_DATABASE_URL")
    if url:
        yield url
        return
    if throwaway_pg.binaries() is None:
        if ON_CI:
            pytest.fail("PostgreSQL est introuvable alors que la CI doit tester le stockage PostgreSQL (.ci/run).")
        pytest.skip("PostgreSQL n'est pas installé (paquet « postgresql ») : tests PostgreSQL non lancés.")
    cluster = throwaway_pg.start()
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    """(url, directory) of an empty store: a new SQLite directory, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield None, tmp_path
        return
    import psycopg

    server = request.getfixturevalue("postgres_server")
    name = f"salle_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.fail(f"Le serveur PostgreSQL de test ne répond pas ({error}).")
    base, _, _ = server.rpartition("/")
    yield f"{base}/{name}", tmp_path
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def store(backend):
    url, directory = backend
    opened = Store(url, directory)
    yield opened
    opened.close()


def abaque(store: Store, code: str, secret: str, text: str = "Le travail pair doit être payé.", parent=None):
    return ask(store, code, secret, Activity.ABAQUE, text, parent_id=parent)


def token(store: Store, code: str) -> str:
    """A phone's token, as the server gives it with the session's page."""
    return tokens.issue(store.session(code).participant_key, code)


def test_backend_is_the_one_asked_for(store, backend):
    url, _ = backend
    assert store.backend == ("postgresql" if url else "sqlite")
    if not url:
        journal = sqlite3.connect(store.where).execute("PRAGMA journal_mode").fetchone()[0]
        assert journal == "wal"


def test_session_code_and_trainer_key(store):
    code, secret = store.open_session()
    assert len(code) == 6 and code.isdigit()
    store.check_key(code, secret)
    for wrong in ("", "faux", secret + "x", None):
        with pytest.raises(SalleError) as caught:
            store.check_key(code, wrong)
        assert str(caught.value) == WRONG_KEY and caught.value.problem is Problem.FORBIDDEN
    with pytest.raises(SalleError) as caught:
        store.session("000000" if code != "000000" else "111111")
    assert str(caught.value) == WRONG_CODE and caught.value.problem is Problem.NOT_FOUND
    with pytest.raises(SalleError) as caught:
        abaque(store, code, "pas la clé")
    assert caught.value.problem is Problem.FORBIDDEN


def test_votes_count_once_per_phone_and_a_change_of_mind_replaces(store):
    code, secret = store.open_session()
    current = abaque(store, code, secret)
    alice, bob = token(store, code), token(store, code)
    assert store.participant(code, alice) is None and store.session(code).participants == 0  # not before a vote
    assert store.vote(code, alice, current.id, "", "abaque-vert-fonce") == 1
    assert store.vote(code, bob, current.id, "", "abaque-rouge") == 2  # voting joins the session
    version = store.version(code)
    store.vote(code, alice, current.id, "", "abaque-vert-fonce")
    store.vote(code, alice, current.id, "", "abaque-vert-fonce")  # the same tap twice
    store.vote(code, alice, current.id, "", "abaque-jaune")  # a change of mind
    snap = store.snapshot(code)
    assert sorted((v.participant, v.value) for v in snap.votes) == [(1, "abaque-jaune"), (2, "abaque-rouge")]
    assert store.version(code) == version + 1  # the repeated identical taps changed nothing
    assert snap.session.participants == 2
    with pytest.raises(SalleError) as caught:
        store.vote(code, alice, current.id, "", "feux-vert")
    assert caught.value.problem is Problem.INVALID


def test_reveal_closes_votes_and_a_new_question_closes_the_previous(store):
    code, secret = store.open_session()
    first = abaque(store, code, secret)
    phone = token(store, code)
    store.vote(code, phone, first.id, "", "abaque-rose")
    store.reveal(code, secret, first.id)
    with pytest.raises(SalleError) as caught:
        store.vote(code, phone, first.id, "", "abaque-vert-clair")
    assert str(caught.value) == ROUND_CLOSED and caught.value.problem is Problem.CLOSED
    second = abaque(store, code, secret, "Une autre affirmation.")
    third = abaque(store, code, secret, "Encore une autre.")
    snap = store.snapshot(code)
    assert [r.state for r in snap.rounds] == [RoundState.REVEALED, RoundState.CLOSED, RoundState.VOTE]
    assert snap.session.current_round == third.id
    with pytest.raises(SalleError) as caught:
        store.vote(code, phone, second.id, "", "abaque-rose")
    assert caught.value.problem is Problem.CLOSED
    assert [v.value for v in snap.votes] == ["abaque-rose"]


def test_a_statement_reworded_and_voted_again_keeps_its_history(store):
    code, secret = store.open_session()
    first = abaque(store, code, secret, "Il faut un diplôme pour être pair.")
    phones = [token(store, code) for _ in range(3)]
    for phone, value in zip(phones, ["abaque-rouge", "abaque-rose", "abaque-vert-fonce"], strict=True):
        store.vote(code, phone, first.id, "", value)
    store.reveal(code, secret, first.id)
    again = abaque(store, code, secret, "Il faut une formation pour être pair.", parent=first.id)
    for phone in phones:
        store.vote(code, phone, again.id, "", "abaque-vert-clair")
    snap = store.snapshot(code)
    assert again.parent_id == first.id and again.number == 2
    assert [r.question for r in snap.rounds] == [
        "Il faut un diplôme pour être pair.",
        "Il faut une formation pour être pair.",
    ]
    assert [c.votes for c in tally(snap, snap.rounds[0])] == [1, 0, 0, 1, 1, 0]
    assert [c.votes for c in tally(snap, snap.rounds[1])] == [0, 3, 0, 0, 0, 0]
    with pytest.raises(SalleError):
        abaque(store, code, secret, "Reformulation de rien.", parent=999_999)


def test_closed_and_expired_sessions_refuse_votes_in_french_and_are_purged(store):
    other, other_secret = store.open_session()  # opened now: 12 hours to live
    code, secret = store.open_session(now=1_000.0, hours=1)  # opened long ago: 1 hour to live
    current = ask(store, code, secret, Activity.METEO, "Météo d'arrivée ?", now=1_001.0)
    phone = tokens.issue(store.session(code, now=1_001.0).participant_key, code)  # opened long ago
    store.vote(code, phone, current.id, "", "meteo-soleil", now=1_002.0)
    with pytest.raises(SalleError) as caught:
        store.vote(code, phone, current.id, "", "meteo-pluie", now=1_000.0 + 3_601)
    assert str(caught.value) == EXPIRED
    with pytest.raises(SalleError) as caught:
        store.session(code, now=1_000.0 + 3_601)
    assert str(caught.value) == EXPIRED and caught.value.problem is Problem.NOT_FOUND

    opened = abaque(store, other, other_secret)
    phone = token(store, other)
    store.vote(other, phone, opened.id, "", "abaque-blanc")
    store.close_session(other, other_secret)
    with pytest.raises(SalleError) as caught:
        store.vote(other, phone, opened.id, "", "abaque-rouge")
    assert str(caught.value) == SESSION_CLOSED
    with pytest.raises(SalleError):
        abaque(store, other, other_secret, "Après la fermeture.")
    assert store.snapshot(other).rounds[0].state is RoundState.CLOSED

    assert store.purge_expired(now=1_000.0 + 3_601) == 1
    with pytest.raises(SalleError) as caught:
        store.snapshot(code)
    assert str(caught.value) == WRONG_CODE
    assert store.snapshot(other).votes  # the other session is untouched
    with store._transaction(write=False) as tx:  # the purge took the votes and the phones with it
        assert (
            tx.one(
                "SELECT COUNT(*) FROM salle_votes v JOIN salle_rounds r ON r.id = v.round_id WHERE r.session_code = ?",
                (code,),
            )[0]
            == 0
        )
        assert tx.one("SELECT COUNT(*) FROM salle_votes")[0] == 1
        assert tx.one("SELECT COUNT(*) FROM salle_participants WHERE session_code = ?", (code,))[0] == 0
    store.delete_session(other, other_secret)
    assert store.open_sessions(include_closed=True) == []


def test_nothing_personal_is_stored(store):
    code, secret = store.open_session()
    current = abaque(store, code, secret)
    phone = token(store, code)
    store.vote(code, phone, current.id, "", "abaque-vert-fonce")
    with store._transaction(write=False) as tx:
        if store.postgres:
            columns = {
                r[0]
                for r in tx.rows(
                    "SELECT column_name FROM information_schema.columns WHERE table_name IN ('salle_meta', 'salle_sessions', 'salle_participants', 'salle_rounds', 'salle_votes')"
                )
            }
            dump = " ".join(
                str(cell)
                for table in ("salle_sessions", "salle_participants", "salle_votes")
                for row in tx.rows(f"SELECT * FROM {table}")  # noqa: S608 - the tables named just above
                for cell in row
            )
        else:
            columns = set()
            dump = ""
            for table in ("salle_meta", "salle_sessions", "salle_participants", "salle_rounds", "salle_votes"):
                columns |= {r[1] for r in tx.rows(f"PRAGMA table_info({table})")}
                rows = tx.rows(f"SELECT * FROM {table}")  # noqa: S608 - the tables named just above
                dump += " ".join(str(cell) for row in rows for cell in row)
    assert not columns & {"ip", "address", "adresse", "user_agent", "name", "nom", "email", "voted_at"}
    assert phone not in dump and secret not in dump  # only salted hashes


def test_restart_keeps_everything(backend):
    url, directory = backend
    first = Store(url, directory)
    code, secret = first.open_session()
    current = abaque(first, code, secret)
    phone = token(first, code)
    first.vote(code, phone, current.id, "", "abaque-rose")
    before = first.snapshot(code)
    first.close()
    second = Store(url, directory)  # the server restarted: schema already there, nothing lost
    try:
        assert second.snapshot(code) == before
        second.vote(code, phone, current.id, "", "abaque-rose")  # the same phone, after the restart
        assert [v.value for v in second.snapshot(code).votes] == ["abaque-rose"]
        second.check_key(code, secret)
    finally:
        second.close()


def test_concurrent_votes_are_neither_lost_nor_doubled(backend):
    """Several threads, two store objects (like the server and the trainer's view in two processes),
    every phone voting on every situation, some taps repeated: the count is exact."""
    url, directory = backend
    stores = [Store(url, directory), Store(url, directory)]
    try:
        code, secret = stores[0].open_session()
        situations = [s.id for s in load_situations()][:5]
        current = ask(stores[0], code, secret, Activity.CONTINUUM, "Où ?", situations)
        phones = [token(stores[0], code) for _ in range(24)]
        errors: list[BaseException] = []

        def vote(index: int) -> None:
            store = stores[index % 2]
            try:
                for phone in phones[index::6]:
                    for item in situations:
                        store.vote(code, phone, current.id, item, "3")
                        if index % 3 == 0:
                            store.vote(code, phone, current.id, item, "3")  # a double tap
            except BaseException as error:  # noqa: BLE001 - a thread's error, reported by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=vote, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            stores[1].snapshot(code)  # the trainer's view reads meanwhile
            for thread in threads:
                thread.join(timeout=0.05)
        assert errors == []
        snap = stores[1].snapshot(code)
        assert len(snap.votes) == len(phones) * len(situations)
        assert len({(v.item, v.participant) for v in snap.votes}) == len(snap.votes)
        assert sorted({v.participant for v in snap.votes}) == list(range(1, len(phones) + 1))
        assert snap.session.participants == len(phones)
    finally:
        for store in stores:
            store.close()


def test_trainer_resumes_a_session_opened_on_this_computer(store, tmp_path):
    keys = KeyRing(tmp_path / "cles")
    trainer = Trainer.open(store, keys)
    assert oct((keys.path).stat().st_mode & 0o777) == "0o600"
    resumed = Trainer.resume(store, keys, trainer.code)
    assert resumed.secret == trainer.secret
    assert [s.code for s in resumable(store, keys)] == [trainer.code]
    with pytest.raises(SalleError):
        Trainer.resume(store, KeyRing(tmp_path / "ailleurs"), trainer.code)
    trainer.delete()
    assert resumable(store, keys) == [] and keys.key(trainer.code) is None


def test_continuum_and_meteo_rounds_use_the_course_content(store):
    code, secret = store.open_session()
    steps = [c.id for c in content.continuum_scale().choices]
    current = ask(store, code, secret, Activity.CONTINUUM, "Où ?", ["cvs-cada"])
    assert current.choices == tuple(steps) and current.items == ("cvs-cada",)
    for bad in ([], ["inconnue"]):
        with pytest.raises(SalleError):
            ask(store, code, secret, Activity.CONTINUUM, "Où ?", bad)
    meteo = ask(store, code, secret, Activity.METEO, "Départ ?", tag="depart")
    assert meteo.tag == "depart" and "meteo-secret" in meteo.choices
    with pytest.raises(SalleError):
        ask(store, code, secret, Activity.ABAQUE, "Deux choses ?", ["cvs-cada"])


# ---------------------------------------------------------------- tokens, migrations, exports


def test_only_tokens_signed_for_the_session_are_counted(store):
    code, secret = store.open_session()
    other, _ = store.open_session()
    current = abaque(store, code, secret)
    signed = token(store, code)
    nonce, mac = signed.split(".")
    altered = f"{nonce}.{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}"
    for forged in (secrets.token_urlsafe(18), altered, f"{nonce[::-1]}.{mac}", token(store, other), "", None):
        with pytest.raises(SalleError) as caught:
            store.vote(code, forged, current.id, "", "abaque-rouge")
        assert caught.value.problem is Problem.FORBIDDEN and "rechargez la page" in str(caught.value)
    assert store.snapshot(code).votes == () and store.session(code).participants == 0
    assert store.vote(code, signed, current.id, "", "abaque-rouge") == 1
    assert store.vote(code, signed, current.id, "", "abaque-rouge") == 1  # the same request again: one vote


SCHEMA_1 = Path(__file__).resolve().parents[1] / "support" / "salle_schema_1.sql"


def _raw(url: str | None, directory: Path):
    """A plain connection to the store's database, outside the Store (as another program would)."""
    if url:
        import psycopg

        return psycopg.connect(url, autocommit=True)
    return sqlite3.connect(directory / "salle.sqlite3", isolation_level=None)


def _make_schema_1(url: str | None, directory: Path, secret: str) -> None:
    """Fill an empty database as the course made it until schema 1 (tests/support/salle_schema_1.sql)."""
    now = time.time()
    identity = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" if url else "INTEGER PRIMARY KEY"
    sql = SCHEMA_1.read_text(encoding="utf-8").format(
        identity=identity, now=now, expires=now + 3600, secret_hash=hashlib.sha256(secret.encode()).hexdigest()
    )
    with contextlib.closing(_raw(url, directory)) as connection:
        for statement in sql.split(";"):
            if statement.strip():
                connection.execute(statement)


def _stored_version(url: str | None, directory: Path) -> str:
    with contextlib.closing(_raw(url, directory)) as connection:
        return connection.execute("SELECT value FROM salle_meta WHERE key = 'schema'").fetchone()[0]


def test_a_database_of_schema_1_is_migrated_and_keeps_its_session(backend):
    url, directory = backend
    _make_schema_1(url, directory, "cle-de-la-formatrice")
    store = Store(url, directory)
    try:
        assert store.upgraded_from == 1 and _stored_version(url, directory) == str(schema.SCHEMA_VERSION)
        snap = store.snapshot("482913")
        assert [r.question for r in snap.rounds] == [
            "Il faut un diplôme pour être pair.",
            "Il faut une formation pour être pair.",
        ]
        assert snap.rounds[1].parent_id == snap.rounds[0].id and snap.current == snap.rounds[1]
        assert sorted((v.participant, v.value) for v in snap.votes) == [
            (1, "abaque-rouge"),
            (1, "abaque-vert-clair"),
            (2, "abaque-rose"),
        ]
        store.check_key("482913", "cle-de-la-formatrice")  # the trainer keeps her session
        session = store.session("482913")
        assert len(session.participant_key) >= 40 and session.participants == 2
        newcomer = token(store, "482913")  # a phone after the upgrade: signed, and a third person
        assert store.vote("482913", newcomer, snap.rounds[1].id, "", "abaque-jaune") == 3
        assert store.meta("adresse_participants") == "http://192.168.1.12:8765/"
        fresh, _ = store.open_session()  # new sessions work as on a new database
        assert store.session(fresh).participant_key != session.participant_key
    finally:
        store.close()
    again = Store(url, directory)  # the next start finds the current version: nothing to do
    try:
        assert again.upgraded_from == schema.SCHEMA_VERSION and len(again.snapshot("482913").votes) == 4
    finally:
        again.close()
    Store(None, directory / "neuve").close()  # a new database: the very same tables and columns
    assert _columns(url, directory) == _columns(None, directory / "neuve")


def _columns(url: str | None, directory: Path) -> set[tuple[str, str]]:
    with contextlib.closing(_raw(url, directory)) as connection:
        if url:
            query = (
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            )
            return {(str(table), str(column)) for table, column in connection.execute(query).fetchall()}
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {(table, row[1]) for table in tables for row in connection.execute(f"PRAGMA table_info({table})")}


def test_a_migration_that_fails_leaves_the_database_as_it_was(backend, monkeypatch):
    url, directory = backend
    _make_schema_1(url, directory, "cle")

    def half_done(tx) -> None:
        schema._add_participant_keys(tx)  # the column is added…
        raise RuntimeError("une migration boguée")

    monkeypatch.setitem(schema.MIGRATIONS, 1, half_done)
    with pytest.raises(RuntimeError):
        Store(url, directory)
    assert _stored_version(url, directory) == "1"
    with contextlib.closing(_raw(url, directory)) as connection:  # …and rolled back with the rest
        columns = connection.execute("SELECT * FROM salle_sessions").description
    assert "participant_key" not in [column[0] for column in columns]


def test_a_database_of_a_newer_version_is_refused_in_french_before_anything_is_written(backend):
    url, directory = backend
    Store(url, directory).close()
    with contextlib.closing(_raw(url, directory)) as connection:
        connection.execute("UPDATE salle_meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(SalleError) as caught:
        Store(url, directory)
    assert "version plus récente du cours (schéma 99" in str(caught.value)
    assert _stored_version(url, directory) == "99"


def test_exports_are_erased_with_their_session_and_after_12_hours(store, tmp_path):
    kept, _ = store.open_session()
    deleted, deleted_secret = store.open_session()
    gone, _ = store.open_session(now=time.time() - 13 * 3600)  # expired an hour ago (opened last: not purged yet)
    written = {code: exports.write_csv(store.snapshot(code), store.directory) for code in (kept, gone, deleted)}
    stranger = exports.folder(store.directory) / "notes-de-la-formatrice.txt"  # not an export: left alone
    stranger.write_text("à garder", encoding="utf-8")
    assert all(path.exists() for files in written.values() for path in files)
    assert oct(next(iter(written[kept])).stat().st_mode & 0o777) == "0o600"

    assert store.purge_expired() == 1
    assert all(path.exists() for path in written[kept]) and not any(path.exists() for path in written[gone])
    store.delete_session(deleted, deleted_secret)  # « effacer tout de suite »: the files go too
    assert not any(path.exists() for path in written[deleted]) and stranger.exists()

    old = next(iter(written[kept]))  # a file older than 12 hours cannot belong to a live session
    os.utime(old, (time.time() - 12 * 3600 - 60,) * 2)
    store.purge_expired()
    assert not old.exists() and all(path.exists() for path in list(written[kept])[1:])


def test_paper_votes_count_like_a_phone_and_are_marked_as_paper(store):
    """A person without a phone: the trainer numbers them once, then types in each card they raise."""
    code, secret = store.open_session()
    current = abaque(store, code, secret)
    phone = token(store, code)
    assert store.vote(code, phone, current.id, "", "abaque-vert-clair") == 1
    person = store.add_paper_participant(code, secret)
    assert person == 2 and store.snapshot(code).paper == {2}
    store.paper_vote(code, secret, current.id, person, "", "abaque-rouge")
    version = store.version(code)
    store.paper_vote(code, secret, current.id, person, "", "abaque-rouge")  # typed twice: one vote, no change
    assert store.version(code) == version
    snap = store.snapshot(code)
    assert sorted((v.participant, v.value) for v in snap.votes) == [(1, "abaque-vert-clair"), (2, "abaque-rouge")]
    assert {c.choice: c.votes for c in tally(snap, current)}["abaque-rouge"] == 1
    assert paper_people(snap, current) == 1 and paper_votes(snap, current, "", "abaque-rouge") == 1
    assert snap.voters() == {1, 2} and not snap.on_paper(1) and snap.on_paper(2)

    store.paper_vote(code, secret, current.id, person, "", "abaque-jaune")  # a different card replaces
    store.paper_vote(code, secret, current.id, person, "", None)  # and a wrong entry can be erased
    assert [(v.participant, v.value) for v in store.snapshot(code).votes] == [(1, "abaque-vert-clair")]

    refusals = [
        (lambda: store.paper_vote(code, "pas la clé", current.id, person, "", "abaque-rouge"), WRONG_KEY),
        (lambda: store.paper_vote(code, secret, current.id, 1, "", "abaque-rouge"), NOT_PAPER),  # a phone's number
        (lambda: store.paper_vote(code, secret, current.id, 9, "", "abaque-rouge"), NOT_PAPER),
        (lambda: store.paper_vote(code, secret, current.id, person, "", "feux-vert"), "Cette réponse n'existe pas"),
        (lambda: store.paper_vote(code, secret, current.id, person, "autre", "abaque-rouge"), "ne fait pas partie"),
        (lambda: store.paper_vote(code, secret, current.id + 99, person, "", "abaque-rouge"), "n'existe pas"),
    ]
    for attempt, words in refusals:
        with pytest.raises(SalleError) as caught:
            attempt()
        assert words in str(caught.value), str(caught.value)
    with pytest.raises(SalleError) as caught:  # nobody can vote in the paper person's name from a phone
        store.vote(code, f"papier:{person}", current.id, "", "abaque-rouge")
    assert caught.value.problem is Problem.FORBIDDEN

    # Cards raised during the vote may be typed in after it closed, and after the session closed.
    store.reveal(code, secret, current.id)
    store.close_session(code, secret)
    store.paper_vote(code, secret, current.id, person, "", "abaque-rose")
    assert store.snapshot(code).votes_of(current.id)[-1].value == "abaque-rose"
    with pytest.raises(SalleError) as caught:  # a phone cannot
        store.vote(code, phone, current.id, "", "abaque-rose")
    assert str(caught.value) == SESSION_CLOSED


def test_paper_votes_on_the_continuum_are_per_situation(store):
    code, secret = store.open_session()
    situations = [s.id for s in load_situations()[:2]]
    current = ask(store, code, secret, Activity.CONTINUUM, "Où ?", situations)
    person = store.add_paper_participant(code, secret)
    store.paper_vote(code, secret, current.id, person, situations[0], "3")
    store.paper_vote(code, secret, current.id, person, situations[1], "5")
    snap = store.snapshot(code)
    assert {(v.item, v.value) for v in snap.votes} == {(situations[0], "3"), (situations[1], "5")}
    assert paper_people(snap, current) == 1 and total_votes(snap, current) == 1


def test_a_database_of_schema_2_gets_paper_votes_and_keeps_its_phones(backend, monkeypatch):
    """Made by the code of schema 2 (no paper column), then opened by this version."""
    url, directory = backend
    with monkeypatch.context() as patch:
        patch.setattr(schema, "SCHEMA_VERSION", 2)
        old = Store(url, directory)
        code, secret = old.open_session()
        current = abaque(old, code, secret)
        assert old.vote(code, token(old, code), current.id, "", "abaque-rose") == 1
        old.close()
    assert _stored_version(url, directory) == "2"
    store = Store(url, directory)
    try:
        assert store.upgraded_from == 2 and _stored_version(url, directory) == str(schema.SCHEMA_VERSION)
        assert store.snapshot(code).paper == frozenset()  # the phone stays a phone
        person = store.add_paper_participant(code, secret)
        store.paper_vote(code, secret, current.id, person, "", "abaque-blanc")
        snap = store.snapshot(code)
        assert person == 2 and snap.paper == {2} and len(snap.votes) == 2
    finally:
        store.close()
    fresh = Store(None, directory / "neuve")
    fresh.close()
    assert _columns(url, directory) == _columns(None, directory / "neuve")
