"""The trainer's keys on this computer (a file only its owner reads)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from widgets.salle.store.database import data_dir

KEYS_FILE = "cles-formateur.json"


class KeyRing:
    """The trainer's keys of the sessions opened on this computer, in a file only its owner reads.

    Why a file: a trainer who reloads the Voilà page (or whose laptop slept) resumes the session
    without typing anything, while the database itself keeps only a hash of each key.
    """

    def __init__(self, directory: Path | None = None):
        self.path = (Path(directory) if directory is not None else data_dir()) / KEYS_FILE

    def _read(self) -> dict[str, str]:
        try:
            content = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in content.items()} if isinstance(content, dict) else {}

    def _write(self, keys: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(keys, handle)
        os.replace(temporary, self.path)

    def remember(self, code: str, secret: str) -> None:
        keys = self._read()
        keys[code] = secret
        self._write(keys)

    def key(self, code: str) -> str | None:
        return self._read().get(code)

    def forget_except(self, codes: set[str]) -> None:
        """Drop the keys of sessions that no longer exist (expired and purged)."""
        keys = self._read()
        kept = {c: s for c, s in keys.items() if c in codes}
        if kept != keys:
            self._write(kept)
