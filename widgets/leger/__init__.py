"""The light face of the self-contained exercises: plain pages for a phone, no kernel, no widget manager.

Why: a Voilà exercise costs a phone 1.6 to 3 MB (10 MB before ``widgets/voila_static.py``) and 5 to
17 s before it can be touched (phone profile, ``bench/bench_phone.py``), and a room of 30 phones costs 30 kernels on a 2-core
laptop (``bench/README.md``). The seven self-checks, the continuum and « Suis-je prêt·e ? » need
none of that: their models are pure (``widgets/quiz``, ``widgets/continuum``, ``widgets/pret``), so
the server can compute the feedback and send a page of a few kilobytes, as the group mode's pages do.

One model, two faces: these pages call the same models with the same content (``content.py``) as the
Voilà views; only the presentation differs (:mod:`widgets.leger.cards` writes the same words). The
Voilà face stays for the projector, the desktop and the simulator; the book offers both
(``widgets/sphinx_live.py``), the light one first on a narrow screen.

How a page works, without JavaScript: every answer is a plain HTML form sent with GET, so the
answers travel in the page's address. Nothing is kept on the server (no session, no cookie, no
log): a reload, « retour » or a bookmark finds the page as it was. A little script (``static/``)
adds what a browser can do better: the address is kept in this browser's ``localStorage``, so the
exercise opened again from the book comes back where it was left, and the keyboard focus goes to
the feedback after an answer.

Modules: :mod:`~widgets.leger.cards` (the words of each feedback), :mod:`~widgets.leger.pages` (the
pages, Jinja2 templates in ``templates/``), :mod:`~widgets.leger.web` (addresses, headers, gzip; a
tornado application factory and the adapter the book's current server uses). This module only
lists the exercises, cheaply: the book's build imports it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from widgets.data import REPO_ROOT
from widgets.quiz.content import quiz_chapters

EXERCISES_DIR = REPO_ROOT / "chapters" / "exercices"
SITE_SUFFIX = " — Faire avec"


@dataclass(frozen=True)
class Exercise:
    """One exercise with a light face: ``name`` is its notebook's name (``continuum`` for
    ``chapters/exercices/continuum.ipynb``) and the last part of its light address."""

    name: str
    kind: str  # "quiz", "continuum" or "pret"
    chapter: str = ""  # a self-check's chapter key (``data/quiz/<chapter>.yml``)

    @property
    def title(self) -> str:
        """The exercise's title, as its Voilà page shows it (the notebook's ``title``)."""
        return notebook_title(self.name)


def exercises() -> tuple[Exercise, ...]:
    """Every exercise that has a light face, in the order of the book."""
    quizzes = tuple(Exercise(f"autoeval-{chapter}", "quiz", chapter) for chapter in quiz_chapters())
    return (*quizzes, Exercise("continuum", "continuum"), Exercise("pret", "pret"))


def find(name: str) -> Exercise | None:
    return next((exercise for exercise in exercises() if exercise.name == name), None)


@cache
def notebook_title(name: str) -> str:
    """The title of ``chapters/exercices/<name>.ipynb`` without « — Faire avec » (its name if it has none)."""
    try:
        notebook = json.loads((EXERCISES_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return name
    title = str(notebook.get("metadata", {}).get("title") or name)
    return title.removesuffix(SITE_SUFFIX)
