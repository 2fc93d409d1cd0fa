"""The situation on screen (heading and text), which takes the keyboard focus when the learner moves
to another one: see ``situation.js`` beside this file for why."""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets as t

from widgets.fr import typography


class SituationHeading(anywidget.AnyWidget):
    """``show(heading, text, focus=True)`` replaces the situation and, with ``focus``, moves the focus
    and the screen to its heading; without it (page opening, answers restored) nothing moves."""

    _esm = (Path(__file__).resolve().parent / "situation.js").read_text(encoding="utf-8")
    heading = t.Unicode("").tag(sync=True)
    text = t.Unicode("").tag(sync=True)
    focus_request = t.Int(0).tag(sync=True)

    def show(self, heading: str, text: str, focus: bool = False) -> None:
        with self.hold_sync():
            self.heading = typography(heading)
            self.text = typography(text)
            if focus:
                self.focus_request += 1
