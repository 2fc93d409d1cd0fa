"""One line of the plan on screen: when, what, EPIC stage, duration box, and its three buttons."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from widgets.errors import InputError
from widgets.fr import parse_number, typography
from widgets.kit import wording
from widgets.kit.model import Item, Kind
from widgets.ui import message_html


def button(label: str, tooltip: str, icon: str = "") -> w.Button:
    """A native button that wraps on a phone and keeps a comfortable target height."""
    return w.Button(description=label, tooltip=tooltip, icon=icon, layout=w.Layout(width="auto", min_height="2.2em"))


class Row:
    """One line of the plan. Rows are reused: after a move or a removal only the lines whose content
    changed are updated, so a two-day plan (about fifty lines) stays quick to edit and the focus stays
    where it was.

    The row knows nothing of the plan: it reports a new duration, a move or a removal to the callbacks
    it was given, with its current line number.
    """

    def __init__(
        self,
        index: int,
        item: Item,
        on_minutes: Callable[[int, float], None],
        on_move: Callable[[int, int], None],
        on_remove: Callable[[int], None],
    ) -> None:
        self.index, self.item = index, item
        self._on_minutes_changed = on_minutes
        self._syncing = False
        self.when = w.HTML()
        self.when.add_class("fa-kit-when")
        self.what = w.HTML()
        self.what.add_class("fa-kit-what")
        self.minutes = w.Text(
            description="Durée (min)",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=w.Layout(width="16em", max_width="100%"),
        )
        self.minutes.add_class("fa-kit-minutes")
        self.minutes.observe(self._on_minutes, names="value")
        self.up = button("Monter", "", "arrow-up")
        self.down = button("Descendre", "", "arrow-down")
        self.drop = button("Retirer", "", "trash")
        self.up.on_click(lambda _: on_move(self.index, -1))
        self.down.on_click(lambda _: on_move(self.index, 1))
        self.drop.on_click(lambda _: on_remove(self.index))
        self.error = w.HTML()
        top = w.HBox([self.when, self.what], layout=w.Layout(flex_flow="row wrap", align_items="baseline"))
        top.add_class("fa-kit-row")
        self.controls = w.HBox(
            [self.minutes, self.up, self.down, self.drop],
            layout=w.Layout(flex_flow="row wrap", align_items="center", grid_gap="0.3em 0.5em"),
        )
        self.controls.add_class("fa-kit-controls")
        self.root = w.VBox([top, self.controls, self.error])
        self.root.add_class("fa-kit-line")
        self.show(index, item, force=True)

    def show(self, index: int, item: Item, force: bool = False) -> None:
        """Put ``item`` on this row (line number ``index``); nothing is sent when nothing changed."""
        if index != self.index or force:
            self.index = index
            self.up.tooltip = f"Monter la ligne {index + 1} d'un cran"
            self.down.tooltip = f"Descendre la ligne {index + 1} d'un cran"
            self.drop.tooltip = f"Retirer la ligne {index + 1} du déroulé"
        if item == self.item and not force:
            return
        old = self.item
        self.item = item
        self.what.value = _what_html(item)
        self._syncing = True
        try:
            self.minutes.value = str(item.minutes)
        finally:
            self._syncing = False
        self.error.value = ""
        self.controls.children = (
            [self.up, self.down, self.drop]
            if item.kind is Kind.NEW_DAY
            else [self.minutes, self.up, self.down, self.drop]
        )
        if force or old.kind != item.kind:
            for name in ("fa-kit-line--day", "fa-kit-line--break"):
                self.root.remove_class(name)
            if item.is_break:
                self.root.add_class("fa-kit-line--day" if item.kind is Kind.NEW_DAY else "fa-kit-line--break")

    def _on_minutes(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        try:
            value = parse_number(change["new"], "Durée")
            self._on_minutes_changed(self.index, value)
        except (InputError, ValueError) as error:
            self.error.value = message_html(str(error), "error", f"Ligne {self.index + 1} :")
            return
        self.error.value = ""


def _what_html(item: Item) -> str:
    """The line's kind and title, its detail (not for a tool: its help is elsewhere) and EPIC stages."""
    label = wording.KIND_LABEL[item.kind]
    detail = (
        f"<br><small>{html.escape(typography(item.detail))}</small>"
        if item.detail and item.kind is not Kind.TOOL
        else ""
    )
    phases = f"<br><small>Étape EPIC : {html.escape(wording.phases_text(item.phases))}</small>" if item.phases else ""
    return f"<strong>{html.escape(label)}</strong> — {html.escape(typography(item.title))}{detail}{phases}"
