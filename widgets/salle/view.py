"""The trainer's screen in Voilà: open a session, put questions to the room, watch and show answers.

Thin assembly of the panels of :mod:`widgets.salle.screen` (session, questions, results, export)
over :mod:`widgets.salle.trainer` (actions) and :mod:`widgets.salle.store` (read). It reads the
store directly — this page runs on the trainer's computer, next to the database — and looks for
news every half second (only the session's version number; the whole session is read only when it
changed).
"""

from __future__ import annotations

import asyncio
import logging

import ipywidgets as w

from widgets.salle.model import POLL_SECONDS, SalleError
from widgets.salle.screen.base import Screen
from widgets.salle.screen.export import ExportPanel
from widgets.salle.screen.paper import PaperPanel
from widgets.salle.screen.questions import PANELS
from widgets.salle.screen.results import ResultsPanel
from widgets.salle.screen.session import SessionPanel
from widgets.salle.store import KeyRing, Store
from widgets.ui import display_exercise

log = logging.getLogger("faire_avec.salle")


class SalleView:
    """One trainer page; ``page`` is ``abaque`` (with the traffic lights), ``continuum`` or ``meteo``."""

    def __init__(self, page: str, store: Store | None = None, keys: KeyRing | None = None) -> None:
        self.screen = Screen(page, store or Store.from_env(), keys or KeyRing())
        self.task: asyncio.Task[None] | None = None
        self.session = SessionPanel(self.screen, self.start_polling)
        self.questions = PANELS[page](self.screen)
        self.results = ResultsPanel(self.screen)
        self.export = ExportPanel(self.screen)
        self.paper = PaperPanel(self.screen)
        results = self.results
        self.work_box = w.VBox(
            [
                self.questions.root,
                results.info,
                results.reveal_box,
                results.hide,
                self.paper.root,
                results.chart.root,
                results.details,
                self.export.root,
            ]
        )
        self.root = w.VBox([self.session.root, self.screen.message, self.work_box], layout=w.Layout(max_width="75rem"))
        self.root.add_class("salle-vue")
        self.screen.on_change(self.show)
        self.show()

    def show(self) -> None:
        """Redraw everything from the last snapshot (called when its version changed)."""
        screen = self.screen
        closed = bool(screen.snapshot and screen.snapshot.session.closed)
        self.session.show()
        self.work_box.layout.display = "" if screen.trainer is not None else "none"
        self.questions.show(closed)
        self.results.redraw()
        if screen.snapshot is not None:
            self.paper.redraw(screen.snapshot, self.results.shown_round(screen.snapshot))

    def start_polling(self) -> None:
        if self.task is not None and not self.task.done():
            return

        async def poll() -> None:
            while True:
                await asyncio.sleep(POLL_SECONDS)
                try:
                    self.screen.update()
                    if self.session.recheck_due():
                        self.session.info.value = self.session.card()
                except Exception:  # the live view must outlive any one bad redraw; the log says why
                    log.exception("Mise à jour de l'écran de la salle impossible")

        self.task = asyncio.ensure_future(poll())


def show(page: str) -> None:
    """Display the trainer's view; a data or database problem is a French message, not a traceback."""
    display_exercise(lambda: SalleView(page).root, (SalleError,))
