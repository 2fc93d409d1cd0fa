"""Where things are and where they listen: the paths and addresses every server of the course shares.

Why a module of its own: the launcher, the book server, the Voilà starter and the build runner all
need the same few paths and the Voilà address; reading them in one place keeps those modules free
of each other (no import cycle).
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from widgets.data import REPO_ROOT

BOOK_DIR = REPO_ROOT / "_build" / "html"
EXERCISES_DIR = REPO_ROOT / "chapters" / "exercices"
TEMPLATES_DIR = REPO_ROOT / "widgets" / "voila_templates"  # the French « faire-avec » Voilà template
# The tools' own (English) messages, kept out of the trainer's terminal; FAIRE_AVEC_LOGS moves them.
LOG_DIR = Path(os.environ.get("FAIRE_AVEC_LOGS") or REPO_ROOT / ".cache")
VOILA_LOG = LOG_DIR / "voila.log"
SALLE_LOG = LOG_DIR / "salle.log"  # the group mode's participants' server (no addresses in it)
HOST = "127.0.0.1"


def voila_url() -> str:
    """The live exercises' address written in the book (``faire_avec_voila_url`` in ``_config.yml``)."""
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    return str(config["sphinx"]["config"]["faire_avec_voila_url"])
