"""The evaluations in the store, on SQLite AND on PostgreSQL (the fixtures of test_salle_store.py):
answers kept under a pseudonym of one round, nothing that pairs a phone's answers before and after,
paper sheets marked, every refusal in French, everything erased with the session."""

from __future__ import annotations

import contextlib

import pytest

from widgets.salle import eval_trainer, schema
from widgets.salle.evaluation import NO_EVALUATION
from widgets.salle.model import NOT_CURRENT, ROUND_CLOSED, SESSION_CLOSED, Activity, Problem, SalleError
from widgets.salle.store import FORGED_TOKEN, Store
from widgets.salle.trainer import Trainer, ask

from .test_salle_store import (  # noqa: F401 - fixtures shared by name
    _columns,
    _make_schema_1,
    _raw,
    _stored_version,
    abaque,
    backend,
    postgres_server,
    token,
)


@pytest.fixture
def opened(backend):  # noqa: F811 - the imported fixture, requested by name
    """An empty store on SQLite, then on PostgreSQL (``backend`` of test_salle_store.py)."""
    url, directory = backend
    store = Store(url, directory)
    yield store
    store.close()


def _rows(store: Store, sql: str) -> list[tuple]:
    with contextlib.closing(_raw(store.url, store.directory)) as connection:
        return [tuple(row) for row in connection.execute(sql).fetchall()]


def test_before_and_after_cannot_be_paired_in_the_store(opened):
    store = opened
    trainer = Trainer(store, *store.open_session())
    phones = [token(store, trainer.code) for _ in range(3)]
    before = eval_trainer.start(store, trainer.code, trainer.secret, "quiz", "pairite", "pairite-1", "avant")
    for phone, value in zip(phones, ("r1", "r2", "passe"), strict=True):
        store.evaluation_answer(trainer.code, phone, before.id, {"": value})
    store.evaluation_answer(trainer.code, phones[0], before.id, {"": "r2"})  # changes their mind: replaced
    assert store.evaluation_own(trainer.code, phones[0], before.id) == {"": "r2"}
    assert store.evaluation_own(trainer.code, token(store, trainer.code), before.id) == {}
    after = eval_trainer.start(store, trainer.code, trainer.secret, "quiz", "pairite", "pairite-1", "apres")
    for phone in phones:
        store.evaluation_answer(trainer.code, phone, after.id, {"": "r2"})
    stored = store.evaluation_answers(trainer.code)
    assert sorted((a.round_id, a.value) for a in stored) == sorted(
        [
            (before.id, "r2"),
            (before.id, "r2"),
            (before.id, "passe"),
            (after.id, "r2"),
            (after.id, "r2"),
            (after.id, "r2"),
        ]
    )
    voters = {round_id: {a.voter for a in stored if a.round_id == round_id} for round_id in (before.id, after.id)}
    assert len(voters[before.id]) == len(voters[after.id]) == 3 and not voters[before.id] & voters[after.id]
    # Nothing else holds a token or a number for these phones: not participants of the grid, no vote.
    assert store.session(trainer.code).participants == 0 and trainer.snapshot().votes == ()
    assert _rows(store, "SELECT COUNT(*) FROM salle_participants") == [(0,)]
    rows = _rows(store, "SELECT * FROM salle_eval_answers")
    assert all(len(row) == 5 for row in rows) and not any(phone in str(rows) for phone in phones)


def test_answers_are_refused_in_french_when_forged_late_or_not_an_evaluation(opened):
    store = opened
    trainer = Trainer(store, *store.open_session())
    phone = token(store, trainer.code)
    quiz = eval_trainer.start(store, trainer.code, trainer.secret, "pret", "", "equite", "avant")
    with pytest.raises(SalleError, match=FORGED_TOKEN[:40]) as refused:
        store.evaluation_answer(trainer.code, "jeton.invente", quiz.id, {"": "oui"})
    assert refused.value.problem is Problem.FORBIDDEN
    with pytest.raises(SalleError, match=NOT_CURRENT[:40]):  # a classic vote on an evaluation
        store.vote(trainer.code, phone, quiz.id, "", "oui")
    trainer.reveal(quiz.id)
    with pytest.raises(SalleError, match=ROUND_CLOSED[:40]):
        store.evaluation_answer(trainer.code, phone, quiz.id, {"": "oui"})
    vote = ask(store, trainer.code, trainer.secret, Activity.ABAQUE, "Une affirmation.")
    with pytest.raises(SalleError, match=NO_EVALUATION[:40]):
        store.evaluation_answer(trainer.code, phone, vote.id, {"": "abaque-rouge"})
    with pytest.raises(SalleError, match=NOT_CURRENT[:40]):  # the trainer moved on
        store.evaluation_answer(trainer.code, phone, quiz.id, {"": "oui"})
    with pytest.raises(SalleError, match=NO_EVALUATION[:40]):
        store.evaluation_answer(trainer.code, phone, 999_999, {"": "oui"})
    trainer.close()
    with pytest.raises(SalleError, match=SESSION_CLOSED[:40]):
        store.evaluation_answer(trainer.code, phone, quiz.id, {"": "oui"})
    assert store.evaluation_answers(trainer.code) == ()


def test_paper_sheets_need_the_key_count_as_paper_and_can_be_typed_after_closing(opened):
    store = opened
    trainer = Trainer(store, *store.open_session())
    questionnaire = eval_trainer.start(store, trainer.code, trainer.secret, "questionnaire", "chapitre:01-pairite")
    phone = token(store, trainer.code)
    store.evaluation_answer(trainer.code, phone, questionnaire.id, {"rythme": "un-peu", "appris": "Écouter."})
    store.evaluation_answer(trainer.code, phone, questionnaire.id, {"appris": None})  # the text emptied: erased
    trainer.close()
    sheet = {"rythme": ["tout-a-fait"], "objectif-1": ["plutot-oui"], "gene": ["Froid."]}
    eval_trainer.enter_paper(store, trainer.code, trainer.secret, questionnaire.id, sheet)
    eval_trainer.enter_paper(store, trainer.code, trainer.secret, questionnaire.id, {"rythme": ["un-peu"]})
    stored = store.evaluation_answers(trainer.code)
    assert sorted((a.item, a.value, a.paper) for a in stored) == [
        ("gene", "Froid.", True),
        ("objectif-1", "plutot-oui", True),
        ("rythme", "tout-a-fait", True),
        ("rythme", "un-peu", False),
        ("rythme", "un-peu", True),
    ]
    assert len({a.voter for a in stored if a.paper}) == 2  # two sheets, each its own random pseudonym
    with pytest.raises(SalleError, match="réservée à la personne qui anime"):
        eval_trainer.enter_paper(store, trainer.code, "pas-la-cle", questionnaire.id, sheet)
    with pytest.raises(SalleError, match="vide"):
        eval_trainer.enter_paper(store, trainer.code, trainer.secret, questionnaire.id, {"rythme": [""]})
    with pytest.raises(SalleError, match="n'existe pas"):
        eval_trainer.enter_paper(store, trainer.code, trainer.secret, questionnaire.id, {"rythme": ["beaucoup"]})


def test_starting_checks_its_content_and_erasing_the_session_erases_the_answers(opened):
    store = opened
    trainer = Trainer(store, *store.open_session())
    for kind, source, question, moment, said in (
        ("sondage", "", "", "", "« type »"),
        ("quiz", "pairite", "pairite-99", "", "n'existe pas"),
        ("quiz", "inconnu", "x", "", "n'a pas de questions"),
        ("quiz", "pairite", "pairite-1", "pendant", "« moment »"),
        ("quiz", "pairite|x", "pairite-1", "", "identifiant"),
        ("questionnaire", "plan:inconnue", "", "", "séance prête"),
    ):
        with pytest.raises(SalleError, match=said):
            eval_trainer.start(store, trainer.code, trainer.secret, kind, source, question, moment)
    assert trainer.snapshot().rounds == ()
    with pytest.raises(SalleError, match="réservée à la personne qui anime"):
        eval_trainer.start(store, trainer.code, "pas-la-cle", "quiz", "pairite", "pairite-1")
    asked = eval_trainer.start(store, trainer.code, trainer.secret, "quiz", "pairite", "pairite-1")
    store.evaluation_answer(trainer.code, token(store, trainer.code), asked.id, {"": "r1"})
    trainer.delete()
    assert _rows(store, "SELECT COUNT(*) FROM salle_eval_answers") == [(0,)]


@pytest.mark.parametrize("made_by", [1, 2, 3])
def test_a_database_of_schema_1_2_or_3_gets_the_evaluations_and_keeps_its_session(backend, monkeypatch, made_by):  # noqa: F811
    """Made as version 1 left it (tests/support/salle_schema_1.sql), or by this code run as version 2 or 3
    (no evaluation table), then opened by this version: evaluations work, the grid's votes stay."""
    url, directory = backend
    if made_by == 1:
        code, secret = "482913", "cle-de-la-formatrice"
        _make_schema_1(url, directory, secret)
    else:
        with monkeypatch.context() as patch:
            patch.setattr(schema, "SCHEMA_VERSION", made_by)
            old = Store(url, directory)
            code, secret = old.open_session()
            assert old.vote(code, token(old, code), abaque(old, code, secret).id, "", "abaque-rose") == 1
            old.close()
    assert _stored_version(url, directory) == str(made_by)
    assert "salle_eval_answers" not in {table for table, _column in _columns(url, directory)}
    store = Store(url, directory)
    try:
        assert store.upgraded_from == made_by and _stored_version(url, directory) == str(schema.SCHEMA_VERSION) == "4"
        votes = store.snapshot(code).votes
        assert votes
        quiz = eval_trainer.start(store, code, secret, "quiz", "pairite", "pairite-1", "avant")
        phone = token(store, code)
        store.evaluation_answer(code, phone, quiz.id, {"": "r1"})
        store.evaluation_answer(code, phone, quiz.id, {"": "r2"})  # a change of mind: replaced
        assert [(a.round_id, a.value) for a in store.evaluation_answers(code)] == [(quiz.id, "r2")]
        assert store.snapshot(code).votes == votes  # the grid is untouched
    finally:
        store.close()
    fresh = Store(None, directory / "neuve")  # a new database: the very same tables and columns
    fresh.close()
    assert _columns(url, directory) == _columns(None, directory / "neuve")
