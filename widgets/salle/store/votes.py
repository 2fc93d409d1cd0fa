"""Participants and votes: a phone's answer, and the paper cards the trainer types in."""

from __future__ import annotations

import time

from widgets.salle.model import EXPIRED, Problem, SalleError, SessionInfo, check_paper_vote, check_vote
from widgets.salle.store.database import Tx
from widgets.salle.store.rows import digest
from widgets.salle.store.sessions import SessionStore


class VoteStore(SessionStore):
    """Who voted (an anonymous number per phone or paper voter) and what; never a second row."""

    def _join(self, tx: Tx, session: SessionInfo, token: str) -> int:
        """The phone's number in the session, given at its first vote (the caller locked the session row)."""
        token_hash = digest(session.code, token)
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
                (code, digest(code, token)),
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
