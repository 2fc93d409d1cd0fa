"""What every panel of the trainer's screen shares: the session, its last snapshot, one message line.

Why one shared object rather than panels that call each other: an action in one panel (open a
session, ask a question) must redraw the others from the same snapshot, and a refusal must read the
same everywhere — a French message at the top of the page, never a traceback.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable

import ipywidgets as w

from widgets.salle.model import Activity, Round, SalleError, Snapshot
from widgets.salle.store import KeyRing, Store
from widgets.salle.trainer import Trainer
from widgets.ui import message_html

# Which rounds each trainer page draws (the abaque page also runs the traffic lights; the quiz's page,
# « Suis-je prêt·e ? »).
PAGE_ACTIVITIES = {
    "abaque": (Activity.ABAQUE, Activity.FEUX),
    "continuum": (Activity.CONTINUUM,),
    "meteo": (Activity.METEO,),
    "quiz": (Activity.QUIZ, Activity.PRET),
    "questionnaire": (Activity.QUESTIONNAIRE,),
}


def clock(timestamp: float) -> str:
    """« 9 h 05 », the trainer's local time."""
    moment = time.localtime(timestamp)
    return f"{moment.tm_hour} h {moment.tm_min:02d}"


HIDE_LABEL = "Cacher les réponses jusqu'à ce que je les montre (si cet écran est projeté)"


def button(description: str, tooltip: str, style: str = "", icon: str = "") -> w.Button:
    return w.Button(
        description=description, tooltip=tooltip, button_style=style, icon=icon, layout=w.Layout(width="auto")
    )


class Screen:
    """The state one trainer page's panels share, and the two ways they act on it (:meth:`run`, :meth:`update`)."""

    def __init__(self, page: str, store: Store, keys: KeyRing) -> None:
        self.page = page
        self.store = store
        self.keys = keys
        self.trainer: Trainer | None = None
        self.snapshot: Snapshot | None = None
        self.version = -1
        self.message = w.HTML()
        self._listeners: list[Callable[[], None]] = []

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after each new snapshot (and after each successful action)."""
        self._listeners.append(listener)

    def say(self, text: str, kind: str = "info", title: str | None = None) -> None:
        self.message.value = message_html(text, kind, title) if text else ""

    def run(self, action: Callable[[], object], success: str = "") -> bool:
        """Run a trainer action; a refusal becomes a French message, never a traceback."""
        try:
            action()
        except SalleError as error:
            self.say(str(error), "error", "Attention :")
            return False
        self.say(success, "right") if success else self.say("")
        self.update(force=True)
        return True

    def update(self, force: bool = False) -> None:
        """Read the session again if it changed (or if ``force``), then redraw every panel."""
        if self.trainer is None:
            return
        try:
            version = self.trainer.version()
            if version != self.version or force:
                self.snapshot = self.trainer.snapshot()
                self.version = version
                self.show()
        except SalleError as error:
            self.say(str(error), "error", "Attention :")

    def show(self) -> None:
        for listener in self._listeners:
            listener()

    def mine(self, round_: Round | None) -> bool:
        """Whether this page draws ``round_`` (the météo page does not draw an abaque round)."""
        return round_ is not None and round_.activity in PAGE_ACTIVITIES[self.page]


class RoundPanel(ABC):
    """What every results panel has: the round its page shows, « Cacher les réponses », and the
    button that closes the round and shows its results on the phones (placed by :mod:`.stage`)."""

    def __init__(self, screen: Screen, label: str, tooltip: str) -> None:
        self.screen = screen
        self.compact = False  # projected: the room reads from afar, the trainer's hints go
        self.hide = w.Checkbox(value=False, description=HIDE_LABEL, indent=False, layout=w.Layout(width="auto"))
        self.hide.observe(lambda _: self.redraw(), names="value")
        self.reveal_button = button(label, tooltip, "success", "eye")
        self.reveal_button.on_click(lambda _: self.reveal())
        self.reveal_box = w.HBox([self.reveal_button], layout=w.Layout(flex_flow="row wrap"))

    def revealed(self, round_: Round) -> str:
        """What the message line says once ``round_`` is shown."""
        return "Les résultats sont affichés sur les téléphones."

    def reveal(self) -> None:
        screen = self.screen
        trainer = screen.trainer
        current = screen.snapshot.current if screen.snapshot else None
        if trainer is None or current is None:
            return
        screen.run(lambda: trainer.reveal(current.id), self.revealed(current))

    def shown_round(self, snapshot: Snapshot) -> Round | None:
        """The current round if it is this page's, else this page's last one."""
        current = snapshot.current
        if self.screen.mine(current):
            return current
        mine = [r for r in snapshot.rounds if self.screen.mine(r)]
        return mine[-1] if mine else None

    @abstractmethod
    def redraw(self) -> None:
        """Draw this page's round again from ``self.screen.snapshot`` (each panel its own way)."""
