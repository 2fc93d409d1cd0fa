"""Where a trainer page's panels stand, and what keeps the page live: one column or projected, and the poll.

Every trainer page of the group mode (the votes' :class:`~widgets.salle.view.SalleView`, the
evaluations' :class:`~widgets.salle.eval_view.EvaluationView`) has the session's card at the top and
its own panels below; each gives :class:`Places` and gets the same behaviour:

- one column (a laptop, a phone): the session, then the page's panels in reading order;
- projected (« Mode projecteur »): the controls on the left under the session code, what the room
  reads (the round, its chart or its counts) on the right, both kept on screen while the trainer
  scrolls the controls, the long parts below (the style sheet's ``.salle-projecteur``). Widgets are
  moved, not copied: the reading and Tab order is the visual order in both;
- projected, the answers are hidden until shown, unless the trainer ticked or unticked the box;
- the session is read again every half second (only its version number; the whole session only when
  it changed), and whether phones can connect every ten seconds.

Why a part of its own rather than a base class: a page is an assembly of panels; what it shares with
the others is where they stand and the poll, not what they draw.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from widgets.salle.model import POLL_SECONDS
from widgets.salle.screen.base import RoundPanel, Screen
from widgets.salle.screen.projector import ProjectorWatch
from widgets.salle.screen.questions import QuestionPanel
from widgets.salle.screen.session import SessionPanel

log = logging.getLogger("faire_avec.salle")
NARROW_WIDTH = "75rem"


@dataclass(frozen=True)
class Places:
    """A page's panels below the session: in one column, and projected (left, right, below)."""

    column: Sequence[w.Widget]
    controls: Sequence[w.Widget]
    scene: Sequence[w.Widget]
    below: Sequence[w.Widget]


class Stage:
    """Places the session and a page's panels (see the module's docstring) and polls the store."""

    def __init__(
        self,
        screen: Screen,
        session: SessionPanel,
        questions: QuestionPanel,
        results: RoundPanel,
        places: Places,
        then: Callable[[], None] | None = None,
    ) -> None:
        """``then``: what the page redraws after the session, the questions and the results (its
        paper votes or paper sheet), each time the snapshot changes."""
        self.screen = screen
        self.then = then
        self.session = session
        self.questions = questions
        self.results = results
        self.places = places
        self.task: asyncio.Task[None] | None = None
        self.projector = ProjectorWatch()
        self.hide_chosen = False  # the trainer ticked or unticked « Cacher les réponses » themself
        results.hide.observe(self.hide_touched, names="value")
        self.projector.observe(self.projected, names="projected")
        self.controls = w.VBox()
        self.controls.add_class("salle-commandes")
        self.scene = w.VBox()
        self.scene.add_class("salle-scene")
        self.top = w.Box([self.controls, self.scene])  # the sticky parts stay within it, above what is below
        self.top.add_class("salle-haut")
        self.root = w.VBox(layout=w.Layout(max_width=NARROW_WIDTH))
        self.root.add_class("salle-vue")
        self.arrange(projected=False)
        screen.on_change(self.show)
        self.show()

    def arrange(self, projected: bool) -> None:
        """Place the panels in one column, or side by side for a projector."""
        session, places = self.session, self.places
        head = (session.badge, session.root, self.screen.message)
        if projected:
            self.controls.children = (*head, *places.controls)
            self.scene.children = tuple(places.scene)
            self.root.children = (self.top, *places.below, self.projector)
            self.root.add_class("salle-projecteur")
        else:
            self.controls.children = self.scene.children = ()
            self.root.children = (*head, *places.column, self.projector)
            self.root.remove_class("salle-projecteur")
        self.root.layout.max_width = "none" if projected else NARROW_WIDTH

    def projected(self, change: dict[str, Any]) -> None:
        """The page was projected (or no longer is): rearrange, and hide answers unless the trainer chose."""
        on, results = bool(change["new"]), self.results
        self.arrange(on)
        results.compact = on
        if not self.hide_chosen and results.hide.value != on:
            results.hide.unobserve(self.hide_touched, names="value")
            try:
                results.hide.value = on  # which redraws the results
            finally:
                results.hide.observe(self.hide_touched, names="value")
        else:
            results.redraw()

    def hide_touched(self, _change: dict[str, Any]) -> None:
        self.hide_chosen = True

    def show(self) -> None:
        """Redraw the session, the questions and the results from the last snapshot; the page's panels
        are shown once a session is open (before, only the session's buttons)."""
        screen = self.screen
        self.session.show()
        shown = "" if screen.trainer is not None else "none"
        for part in self.places.column:
            part.layout.display = shown
        self.questions.show(bool(screen.snapshot and screen.snapshot.session.closed))
        self.results.redraw()
        if self.then is not None:
            self.then()

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
