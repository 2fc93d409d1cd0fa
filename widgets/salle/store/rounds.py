"""Rounds: the trainer puts a question, reveals its results; and what phones and the trainer read."""

from __future__ import annotations

import time
from collections.abc import Sequence

from widgets.salle.model import (
    EXPIRED,
    WRONG_CODE,
    Activity,
    Problem,
    Round,
    RoundState,
    SalleError,
    Snapshot,
    Vote,
    check_round_request,
    clean_question,
    public_state,
)
from widgets.salle.store.database import BUSY, Tx
from widgets.salle.store.rows import ROUND_COLUMNS, digest, round_from_row
from widgets.salle.store.sessions import SessionStore


class RoundStore(SessionStore):
    """Questions put to the group, and the session read whole (one transaction) for a page."""

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
                f"parent_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {ROUND_COLUMNS}",
                values,
            )
            if inserted is None:  # RETURNING always gives the row; said rather than assumed
                raise SalleError(BUSY, Problem.UNAVAILABLE)
            new_round = round_from_row(inserted)
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
                row = tx.one(f"SELECT {ROUND_COLUMNS} FROM salle_rounds WHERE id = ?", (session.current_round,))  # noqa: S608 - only constant fragments are formatted in; values are bound
        if session.expired(now):
            raise SalleError(EXPIRED, Problem.NOT_FOUND)
        return public_state(session, None if row is None else round_from_row(row))

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
                    (code, digest(code, token)),
                )
        if snapshot.session.expired(now):
            raise SalleError(EXPIRED, Problem.NOT_FOUND)
        return snapshot, None if row is None else int(row[0])

    def snapshot(self, code: str) -> Snapshot:
        """The whole session (rounds in order, every vote) read in one transaction."""
        with self._transaction(write=False) as tx:
            return self._snapshot(tx, code)

    def _snapshot(self, tx: Tx, code: str) -> Snapshot:
        session = self._session_row(tx, code)
        rounds = tx.rows(f"SELECT {ROUND_COLUMNS} FROM salle_rounds WHERE session_code = ? ORDER BY number", (code,))  # noqa: S608 - only constant fragments are formatted in; values are bound
        votes = tx.rows(
            "SELECT v.round_id, v.item, v.participant, v.value FROM salle_votes v "
            "JOIN salle_rounds r ON r.id = v.round_id WHERE r.session_code = ? "
            "ORDER BY v.round_id, v.item, v.participant",
            (code,),
        )
        paper = tx.rows("SELECT number FROM salle_participants WHERE session_code = ? AND paper = 1", (code,))
        return Snapshot(
            session=session,
            rounds=tuple(round_from_row(r) for r in rounds),
            votes=tuple(Vote(int(r[0]), r[1], int(r[2]), r[3]) for r in votes),
            paper=frozenset(int(r[0]) for r in paper),
        )
