"""The trainer's screen in Voilà: open a session, put questions to the room, watch and show answers.

Thin assembly of the panels of :mod:`widgets.salle.screen` (session, questions, results, paper
votes, export) over :mod:`widgets.salle.trainer` (actions) and :mod:`widgets.salle.store` (read).
It reads the store directly — this page runs on the trainer's computer, next to the database.

Where the panels stand and how the page stays live is :mod:`widgets.salle.screen.stage`: one column
(a laptop, a phone), or — projected — the controls on the left under the session code, the round and
its chart on the right, the grid below; answers hidden until shown when projected; a poll every half
second.
"""

from __future__ import annotations

from widgets.salle.model import SalleError
from widgets.salle.screen.base import Screen
from widgets.salle.screen.export import ExportPanel
from widgets.salle.screen.paper import PaperPanel
from widgets.salle.screen.questions import PANELS
from widgets.salle.screen.results import ResultsPanel
from widgets.salle.screen.session import SessionPanel
from widgets.salle.screen.stage import Places, Stage
from widgets.salle.store import KeyRing, Store
from widgets.ui import display_exercise


class SalleView:
    """One trainer page; ``page`` is ``abaque`` (with the traffic lights), ``continuum`` or ``meteo``."""

    def __init__(self, page: str, store: Store | None = None, keys: KeyRing | None = None) -> None:
        self.screen = Screen(page, store or Store.from_env(), keys or KeyRing())
        self.session = SessionPanel(self.screen, lambda: self.stage.start_polling())
        self.questions = PANELS[page](self.screen)
        self.results = results = ResultsPanel(self.screen)
        self.paper = PaperPanel(self.screen)
        self.export = ExportPanel(self.screen)
        asked, paper, export = self.questions.root, self.paper.root, self.export.root
        places = Places(
            column=[
                asked,
                results.info,
                results.reveal_box,
                results.hide,
                paper,
                results.chart.root,
                results.details,
                export,
            ],
            controls=[asked, results.reveal_box, results.hide, paper, export],
            scene=[results.info, results.chart.root],
            below=[results.details],
        )
        self.stage = Stage(self.screen, self.session, self.questions, results, places, then=self.show_paper)
        self.root = self.stage.root

    def show_paper(self) -> None:
        """The paper voters' lists of the round shown (after the results, which choose that round)."""
        snapshot = self.screen.snapshot
        if snapshot is not None:
            self.paper.redraw(snapshot, self.results.shown_round(snapshot))


def show(page: str) -> None:
    """Display the trainer's view; a data or database problem is a French message, not a traceback."""
    display_exercise(lambda: SalleView(page).root, (SalleError,))
