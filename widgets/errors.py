"""The one error type for anything a learner (or a caller) gives that an exercise cannot accept.

Why one type: every view catches it the same way and shows ``str(error)`` as a French sentence next to
the control named by ``field``; four near-identical classes meant four ``except`` clauses to keep in step.
Data files that do not load raise :class:`widgets.data.DataFileError` instead (a maintainer's error,
not a learner's).
"""

from __future__ import annotations


class InputError(ValueError):
    """Invalid input. ``message`` is French and shown as is; ``field`` is the English identifier of the
    input concerned (e.g. ``"hours_per_month"``), or None when the whole exercise is concerned, so a
    view can put the message next to the right control."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


def require_index(index: object, size: int, message: str, field: str | None = None) -> int:
    """``index`` when it designates one of ``size`` things (a whole number from 0 to ``size - 1``),
    else :class:`InputError` with ``message`` (French) and ``field``.

    Why here: a line of a session plan and an answer of a question are both picked by position, and
    a stale or forged position (a line removed meanwhile, ``True``, ``1.0``, ``-1``) must be refused
    the same way everywhere: with a French sentence, never an ``IndexError`` or Python's negative
    indexing silently picking the last one.
    """
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
        raise InputError(message, field)
    return index
