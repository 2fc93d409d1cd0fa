"""The trainer's screen in Voilà: open a session, put questions to the room, watch and show answers.

Thin assembly of the panels of :mod:`widgets.salle.screen` (session, questions, results, paper
votes, export) over :mod:`widgets.salle.trainer` (actions) and :mod:`widgets.salle.store` (read).
It reads the store directly — this page runs on the trainer's computer, next to the database — and
looks for news every half second (only the session's version number; the whole session is read
only when it changed).

Two arrangements of the same panels: one column (a laptop, a phone), or — when the page is
projected (« Mode projecteur ») — the controls on the left under the session code, the round and
its chart on the right, both kept on screen while the trainer scrolls the controls, the grid below
(the style sheet's ``.salle-projecteur``). Widgets are moved, not copied: the reading and Tab order
is the visual order in both. Projected, the answers are hidden until shown, unless the trainer
unticks the box.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import ipywidgets as w

from widgets.salle.model import POLL_SECONDS, SalleError
from widgets.salle.screen.base import Screen
from widgets.salle.screen.export import ExportPanel
from widgets.salle.screen.paper import PaperPanel
from widgets.salle.screen.projector import ProjectorWatch
from widgets.salle.screen.questions import PANELS
from widgets.salle.screen.results import ResultsPanel
from widgets.salle.screen.session import SessionPanel
from widgets.salle.store import KeyRing, Store
from widgets.ui import display_exercise

log = logging.getLogger("faire_avec.salle")
NARROW_WIDTH = "75rem"


class SalleView:
    """One trainer page; ``page`` is ``abaque`` (with the traffic lights), ``continuum`` or ``meteo``."""

    def __init__(self, page: str, store: Store | None = None, keys: KeyRing | None = None) -> None:
        self.screen = Screen(page, store or Store.from_env(), keys or KeyRing())
        self.task: asyncio.Task[None] | None = None
        self.session = SessionPanel(self.screen, self.start_polling)
        self.questions = PANELS[page](self.screen)
        self.results = ResultsPanel(self.screen)
        self.paper = PaperPanel(self.screen)
        self.export = ExportPanel(self.screen)
        self.projector = ProjectorWatch()
        self.hide_chosen = False  # the trainer ticked or unticked « Cacher les réponses » themself
        self.results.hide.observe(self.hide_touched, names="value")
        self.projector.observe(self.projected, names="projected")
        self.controls = w.VBox()
        self.controls.add_class("salle-commandes")
        self.scene = w.VBox()
        self.scene.add_class("salle-scene")
        self.top = w.Box([self.controls, self.scene])  # the sticky parts stay within it, above the grid
        self.top.add_class("salle-haut")
        self.root = w.VBox(layout=w.Layout(max_width=NARROW_WIDTH))
        self.root.add_class("salle-vue")
        self.arrange(projected=False)
        self.screen.on_change(self.show)
        self.show()

    def work_parts(self) -> list[w.Widget]:
        """What only makes sense once a session is open (hidden before)."""
        results = self.results
        return [
            self.questions.root,
            results.info,
            results.reveal_box,
            results.hide,
            self.paper.root,
            results.chart.root,
            results.details,
            self.export.root,
        ]

    def arrange(self, projected: bool) -> None:
        """Place the panels in one column, or side by side for a projector (see the module's docstring)."""
        results, session = self.results, self.session
        if projected:
            self.controls.children = (
                session.badge,
                session.root,
                self.screen.message,
                self.questions.root,
                results.reveal_box,
                results.hide,
                self.paper.root,
                self.export.root,
            )
            self.scene.children = (results.info, results.chart.root)
            self.root.children = (self.top, results.details, self.projector)
            self.root.add_class("salle-projecteur")
        else:
            self.controls.children = self.scene.children = ()
            self.root.children = (
                session.badge,
                session.root,
                self.screen.message,
                *self.work_parts(),
                self.projector,
            )
            self.root.remove_class("salle-projecteur")
        self.root.layout.max_width = "none" if projected else NARROW_WIDTH

    def projected(self, change: dict[str, Any]) -> None:
        """The page was projected (or no longer is): rearrange, and hide answers unless the trainer chose."""
        on = bool(change["new"])
        self.arrange(on)
        self.results.compact = on
        if not self.hide_chosen and self.results.hide.value != on:
            self.results.hide.unobserve(self.hide_touched, names="value")
            try:
                self.results.hide.value = on  # which redraws the results
            finally:
                self.results.hide.observe(self.hide_touched, names="value")
        else:
            self.results.redraw()

    def hide_touched(self, _change: dict[str, Any]) -> None:
        self.hide_chosen = True

    def show(self) -> None:
        """Redraw everything from the last snapshot (called when its version changed)."""
        screen = self.screen
        closed = bool(screen.snapshot and screen.snapshot.session.closed)
        self.session.show()
        for part in self.work_parts():
            part.layout.display = "" if screen.trainer is not None else "none"
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
                        self.session.redraw_card()
                except Exception:  # the live view must outlive any one bad redraw; the log says why
                    log.exception("Mise à jour de l'écran de la salle impossible")

        self.task = asyncio.ensure_future(poll())


def show(page: str) -> None:
    """Display the trainer's view; a data or database problem is a French message, not a traceback."""
    display_exercise(lambda: SalleView(page).root, (SalleError,))
