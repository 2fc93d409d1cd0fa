"""Evaluations (quiz du groupe, avant / après, questionnaire): answers kept under a pseudonym of one round."""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping

from widgets.salle import evaluation
from widgets.salle.model import EXPIRED, Activity, Problem, SalleError
from widgets.salle.store.database import Tx
from widgets.salle.store.sessions import SessionStore

EMPTY_SHEET = "Ce questionnaire papier est vide : remplissez au moins une réponse avant de l'enregistrer."


class EvaluationStore(SessionStore):
    """Evaluation answers (:mod:`widgets.salle.evaluation`), from phones or typed in from paper."""

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
        self, tx: Tx, code: str, round_id: int, voter: str, answers: Mapping[str, str | None], paper: bool
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
