"""How the group mode's rows become its model's objects, and how tokens and keys are hashed.

Why apart: every part of the store reads sessions and rounds the same way; one place names their
columns (in the order the converters expect) and the hash that keeps no token or key in clear.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from widgets.salle.model import Activity, Round, RoundState, SessionInfo

SESSION_COLUMNS = "code, created_at, expires_at, closed_at, version, current_round, next_participant, participant_key"
ROUND_COLUMNS = "id, number, activity, scale, question, choices, items, state, parent_id, tag, created_at"


def digest(*parts: str) -> str:
    """A token or a key as the store keeps it: SHA-256 of its parts (never the value itself)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def split_items(text: str) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else ("",)


def session_from_row(row: Sequence[Any]) -> SessionInfo:
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


def round_from_row(row: Sequence[Any]) -> Round:
    rid, number, activity, scale, question, choices, items, state, parent, tag, created = row
    return Round(
        id=int(rid),
        number=int(number),
        activity=Activity(activity),
        scale=scale,
        question=question,
        choices=tuple(choices.split(",")),
        items=split_items(items),
        state=RoundState(state),
        parent_id=None if parent is None else int(parent),
        tag=tag,
        created_at=float(created),
    )
