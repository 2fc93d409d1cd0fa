"""Whether the trainer's page is projected (the template's « Mode projecteur » switch), for the kernel.

Why the kernel needs to know: projected, the page lays the session code and the chart side by side
so that neither scrolls away, and hides the answers until the trainer shows them (the room should not
watch colours arrive one by one). The switch lives in the browser (a class on ``<html>``, remembered
in ``localStorage``); this invisible widget reports it, and every change of it.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets as t


class ProjectorWatch(anywidget.AnyWidget):
    """``projected`` follows the page's « Mode projecteur » (false until the page is drawn)."""

    _esm = (Path(__file__).parent / "projector.js").read_text(encoding="utf-8")
    projected = t.Bool(False).tag(sync=True)

    def __init__(self) -> None:
        super().__init__()
        self.layout.display = "none"
