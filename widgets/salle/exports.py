"""The session's exported files (two CSV and a PNG in ``exports/`` of the data directory) and their erasure.

Why erased like the session: the course promises that a session and its answers are erased 12
hours after it opens, or at once on request. The exports hold the same answers, so they follow the
same rule: a file is removed when its session is no longer in the store (expired and purged, or
deleted by the trainer), and in any case 12 hours after it was written (a session never outlives
12 hours, so an older file can only belong to an erased one). :meth:`Store.purge_expired` calls
:func:`purge` each time it erases expired sessions (at start, then every 10 minutes).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from widgets.salle.model import SESSION_HOURS, Snapshot

FOLDER = "exports"
NAME = re.compile(r"seance-([0-9]{6})-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}h[0-9]{2}(?:-resume\.csv|-votes\.csv|\.png)")


def folder(data: Path) -> Path:
    return Path(data) / FOLDER


def stem(snapshot: Snapshot, now: float | None = None) -> str:
    """« seance-482913-2026-10-01-09h05 »: the session's code and the moment of the export."""
    moment = time.localtime(time.time() if now is None else now)
    return f"seance-{snapshot.session.code}-{time.strftime('%Y-%m-%d-%Hh%M', moment)}"


def save(path: Path, data: bytes) -> None:
    """Write one file readable by this computer's account only (anonymous answers, still private)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def write_csv(snapshot: Snapshot, data: Path, now: float | None = None) -> dict[Path, bytes]:
    """Write the two CSV files (« résumé » and « votes »); return them by path, in that order."""
    from widgets.salle import report  # only when exporting: the store, which purges, needs none of it

    base = folder(data) / stem(snapshot, now)
    files = {
        base.with_name(f"{base.name}-resume.csv"): report.results_csv(snapshot).encode("utf-8-sig"),
        base.with_name(f"{base.name}-votes.csv"): report.votes_csv(snapshot).encode("utf-8-sig"),
    }
    for path, content in files.items():
        save(path, content)
    return files


def purge(data: Path, live_codes: set[str], now: float | None = None, hours: float = SESSION_HOURS) -> int:
    """Remove the exports of sessions no longer in the store, and any export older than ``hours``."""
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(folder(data).iterdir())
    except OSError:  # no export yet (or the folder is unreadable: nothing this function can erase)
        return 0
    for path in entries:
        found = NAME.fullmatch(path.name)
        if found is None or not path.is_file():
            continue  # not one of ours: left alone
        try:
            old = now - path.stat().st_mtime >= hours * 3600
            if old or found.group(1) not in live_codes:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # erased meanwhile by another process
    return removed
