"""Thin ipywidgets view of the session planner: wiring only, every number comes from the model.

A trainer starts from a ready session (or an empty one), changes durations, moves, removes and adds
lines (tools, chapter steps, breaks, meals, free activities, a next day), and reads at once whether the
plan fits the session. The printable page and the Markdown file are offered as ``data:`` links built in
the page: the plan is never saved on the server nor sent anywhere. The chosen session and the plan being
edited are kept in this browser (:class:`widgets.controls.BrowserMemory`, :mod:`widgets.kit.memory`), so
a reload or « retour » finds them again; « Tout recommencer » erases them.

Keyboard: every control is a native button, text box or list (Tab, Enter, arrows). After « Monter »,
« Descendre » or « Retirer » the focus stays on the line that moved (or on the next one), so a keyboard
user does not fall back to the top of the page.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date
from typing import Any

import ipywidgets as w

from widgets.controls import BrowserMemory, ResetControl
from widgets.errors import InputError
from widgets.fr import plural, plural_word
from widgets.kit import export, wording
from widgets.kit.chapters import Chapter, load_chapters
from widgets.kit.content import load_session_specs, load_tools
from widgets.kit.memory import plan_state, restored_plan
from widgets.kit.model import Check, Item, Kind, Plan, Slot, Tool, add, check, move, parse_clock, remove, set_minutes
from widgets.kit.model import timeline as model_timeline
from widgets.kit.model import tool_item as model_tool_item
from widgets.kit.planner.controls import EMPTY_CHOICE, LENGTHS, AddControls, StartControls
from widgets.kit.planner.row import Row
from widgets.kit.plans import build_plan, step_items
from widgets.ui import display_exercise, message_html

PRIVACY = (
    "Votre plan n'est ni enregistré sur le serveur ni envoyé ailleurs : les fichiers sont fabriqués dans "
    "cette page. Ce navigateur garde votre déroulé si vous rechargez la page ou revenez plus tard ; "
    "« Tout recommencer » l'efface."
)

__all__ = ["EMPTY_CHOICE", "PlannerView", "build", "show"]


EMPTY_PLAN = "<p class='fa-kit-note'><em>Le déroulé est vide : ajoutez une ligne plus bas.</em></p>"


class PlannerView:
    """The plan being edited, its four sections, and what each control does to the plan."""

    def __init__(self, tools: tuple[Tool, ...], chapters: tuple[Chapter, ...]) -> None:
        self.tools, self.chapters = tools, chapters
        self.specs = {s.id: s for s in load_session_specs()}
        self.first = next(iter(self.specs))
        self.base = self.first  # the ready session (or EMPTY_CHOICE) the plan started from
        self.plan: Plan = build_plan(self.specs[self.first], chapters, tools)
        self.changed = False
        self.rows: list[Row] = []
        # Kept in this browser only. Nothing is saved before the view is built (``_live``) nor while
        # the stored state is being put back (``_restoring``); ``_syncing`` is True while a new plan's
        # values are put into the controls, so that their events are not taken for the trainer's.
        self.memory = BrowserMemory("planificateur")
        self._live = self._restoring = self._syncing = False

        self.start_controls = StartControls(self.specs, self.first, self.plan)
        self.add_controls = AddControls(tools, chapters)
        self.lines, self.empty, self.notice = w.VBox(), w.HTML(EMPTY_PLAN), w.HTML()
        self.status, self.links = w.HTML(), w.HTML()
        for box, name in ((self.lines, "lines"), (self.status, "status"), (self.links, "links")):
            box.add_class(f"fa-kit-{name}")
        self.reset = ResetControl(self._on_reset, "vos changements")
        self._wire()
        self.root = w.VBox(
            [
                *self.start_controls.children(),
                w.HTML("<h2>2. Le déroulé</h2>"),
                self.notice,
                self.status,
                self.lines,
                *self.add_controls.children(),
                w.HTML(f"<h2>4. Garder le plan</h2><p class='fa-kit-note'>{html.escape(PRIVACY)}</p>"),
                self.links,
                self.reset,
                self.memory,
            ],
            layout=w.Layout(max_width="64rem"),
        )
        self.root.add_class("fa-kit-planner")
        self._render()
        self.memory.on_restore(self.restore)
        self._live = True

    # The controls the tests and the browser memory reach by name.
    @property
    def choice(self) -> w.Dropdown:
        return self.start_controls.choice

    @property
    def title(self) -> w.Text:
        return self.start_controls.title

    def _wire(self) -> None:
        start, adding = self.start_controls, self.add_controls
        start.load.on_click(lambda _: self._ask_load())
        start.choice.observe(lambda _: self._remember(), names="value")
        start.confirm_yes.on_click(lambda _: self._load())
        start.confirm_no.on_click(lambda _: start.show_confirm(False))
        start.title.observe(lambda _: None if self._syncing else self._refresh_status(), names="value")
        start.length.observe(self._on_length, names="value")
        start.start.observe(self._on_start, names="value")
        adding.tool_add.on_click(lambda _: self._add_items([model_tool_item(adding.tool())]))
        adding.step_add.on_click(lambda _: self._add_step())
        adding.chapter_add.on_click(lambda _: self._add_items(step_items(adding.chapter(), (), self.tools)))
        adding.other_add.on_click(lambda _: self._add_other())

    # --- choosing the session ------------------------------------------------------------------

    def _ask_load(self) -> None:
        if self.changed and self.plan.items:
            self.start_controls.show_confirm(True)
            return
        self._load()

    def _base_plan(self, choice: str) -> Plan:
        """The plan of a ready session, or an empty one of the current length and start."""
        if choice == EMPTY_CHOICE:
            minutes, days = self.start_controls.length.value
            return Plan("Ma séance", minutes, self.plan.start, days, ())
        return build_plan(self.specs[choice], self.chapters, self.tools)

    def _show_plan(self, plan: Plan, base: str, changed: bool) -> None:
        """Put ``plan`` in every control (no event of theirs counts as a change) and draw it."""
        self.plan, self.base, self.changed = plan, base, changed
        self._syncing = True
        try:
            self.start_controls.show_plan(plan)
        finally:
            self._syncing = False
        self._render()

    def _load(self) -> None:
        self.start_controls.show_confirm(False)
        self.notice.value = ""
        self._show_plan(self._base_plan(self.choice.value), self.choice.value, False)

    def _on_length(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        minutes, days = change["new"]
        self.plan = replace(self.plan, length=minutes, days=days)
        self._refresh_status()

    def _on_start(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        try:
            start = parse_clock(change["new"])
        except InputError as error:
            self.start_controls.start_error.value = message_html(str(error), "error", "Heure de début :")
            return
        self.start_controls.start_error.value = ""
        self.plan = replace(self.plan, start=start)
        self._refresh_times()
        self._refresh_status()

    # --- kept in this browser ------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """What the browser keeps: the session in the list, the one the plan started from, whether
        the trainer changed it (« Repartir » then asks first) and the plan itself."""
        return {"choix": self.choice.value, "depart": self.base, "modifie": self.changed, "plan": plan_state(self.plan)}

    def _remember(self) -> None:
        if self._live and not self._restoring:
            self.memory.save(self.state())

    def restore(self, state: dict[str, Any]) -> None:
        """Put back what the browser kept; a session or a line the course no longer has is left out."""
        known = {value for _label, value in self.choice.options}
        self._restoring = True
        try:
            base = state.get("depart")
            base = base if isinstance(base, str) and base in known else self.first
            plan, dropped = restored_plan(
                state.get("plan"),
                self._base_plan(base),
                set(self.add_controls.by_tool),
                set(self.add_controls.by_chapter),
                {(minutes, days) for _label, minutes, days in LENGTHS},
            )
            self._show_plan(plan, base, state.get("modifie") is True or dropped > 0)
            choice = state.get("choix")
            if isinstance(choice, str) and choice in known:
                self.choice.value = choice
        finally:
            self._restoring = False
        if dropped:
            self.notice.value = message_html(
                f"Le cours a changé depuis votre dernière visite : {plural(dropped, 'ligne')} de votre déroulé "
                f"{plural_word(dropped, 'a été retirée', 'ont été retirées')}.",
                "info",
            )
        self._remember()

    def _on_reset(self) -> None:
        """« Tout recommencer »: the first ready session, as when the page first opened."""
        self._restoring = True
        try:
            self.choice.value = self.first
            self._show_plan(self._base_plan(self.first), self.first, False)
        finally:
            self._restoring = False
        self.notice.value = self.add_controls.error.value = ""
        # The focus stays on « Tout recommencer »: the question goes without taking it back.
        self.start_controls.show_confirm(False, focus=False)
        self.memory.clear()

    # --- editing lines -------------------------------------------------------------------------

    def on_minutes(self, index: int, value: float) -> None:
        self.plan = set_minutes(self.plan, index, value)
        self.changed = True
        self._refresh_times()
        self._refresh_status()

    def on_move(self, index: int, delta: int) -> None:
        self.plan = move(self.plan, index, delta)
        self.changed = True
        target = max(0, min(len(self.plan.items) - 1, index + delta))
        self._render()
        (self.rows[target].up if delta < 0 else self.rows[target].down).focus()

    def on_remove(self, index: int) -> None:
        self.plan = remove(self.plan, index)
        self.changed = True
        self._render()
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].drop.focus()
        else:
            self.add_controls.tool_add.focus()

    def _add_items(self, items: list[Item]) -> None:
        for item in items:
            self.plan = add(self.plan, item)
        self.changed = True
        self.add_controls.error.value = message_html(
            f"✔ {plural(len(items), 'ligne ajoutée', 'lignes ajoutées')} à la fin du déroulé "
            f"(ligne {len(self.plan.items)}).",
            "right",
        )
        self._render()

    def _add_step(self) -> None:
        step = self.add_controls.chosen_step()
        if step is not None:
            self._add_items(step_items(self.add_controls.chapter(), (step,), self.tools))

    def _add_other(self) -> None:
        item = self.add_controls.other_item()
        if item is not None:
            self._add_items([item])

    # --- display -------------------------------------------------------------------------------

    def _render(self) -> None:
        items = self.plan.items
        for index, item in enumerate(items):
            if index < len(self.rows):
                self.rows[index].show(index, item)
            else:
                self.rows.append(Row(index, item, self.on_minutes, self.on_move, self.on_remove))
        del self.rows[len(items) :]
        children = [row.root for row in self.rows] or [self.empty]
        if tuple(self.lines.children) != tuple(children):
            self.lines.children = children
        self._refresh_times()
        self._refresh_status()

    def _refresh_times(self) -> None:
        multi = self.plan.days > 1 or any(i.kind is Kind.NEW_DAY for i in self.plan.items)
        for slot, row in zip(model_timeline(self.plan), self.rows, strict=True):
            row.when.value = when_html(slot, multi)

    def _refresh_status(self) -> None:
        self.plan = replace(self.plan, title=self.title.value.strip() or "Ma séance")
        by_tool, by_chapter = self.add_controls.by_tool, self.add_controls.by_chapter
        # The files first, then the message: once a learner (or a test) reads the new message, the
        # download links already hold the same plan.
        self.links.value = links_html(self.plan, by_chapter, by_tool)
        self.status.value = status_html(check(self.plan, by_tool))
        self._remember()


def when_html(slot: Slot, multi_day: bool) -> str:
    """The « when » column of a line: its day (if the plan has several), start, end and duration."""
    if slot.item.kind is Kind.NEW_DAY:
        return f"<strong>Jour {slot.day}</strong>"
    day = f"Jour {slot.day}<br>" if multi_day else ""
    minutes = wording.item_minutes(slot.item)
    return f"{day}{wording.clock(slot.start)} – {wording.clock(slot.end)}<br><small>{minutes}</small>"


def links_html(plan: Plan, by_chapter: dict[str, Chapter], by_tool: dict[str, Tool]) -> str:
    """The two downloads, built in the page as ``data:`` links (nothing is stored on the server)."""
    today = date.today()
    page = export.data_uri(export.to_html(plan, by_chapter, by_tool, today))
    text_md = export.data_uri(export.to_markdown(plan, by_chapter, by_tool, today), "text/markdown")
    return (
        f"<ul><li><a href='{page}' download='plan-seance.html' target='_blank' rel='noopener'>"
        "Télécharger la page à imprimer (HTML)</a></li>"
        f"<li><a href='{text_md}' download='plan-seance.md'>Télécharger le plan en Markdown</a></li></ul>"
    )


def status_html(result: Check) -> str:
    """Whether the plan fits its session, its warnings, and how the EPIC stages are covered."""
    kind, text = wording.fit_message(result)
    warnings = "".join(f"<li>{html.escape(x)}</li>" for x in wording.warnings(result))
    return (
        message_html(text, kind)
        + (f"<ul class='fa-kit-note fa-kit-warnings'>{warnings}</ul>" if warnings else "")
        + f"<p class='fa-kit-note'>{html.escape(wording.phases_summary(result))}</p>"
    )


def build() -> w.Widget:
    return PlannerView(load_tools(), load_chapters()).root


def show() -> None:
    """Display the planner, or a French message if a data file or a chapter box is malformed."""
    display_exercise(build, errors=(InputError,), title="Le planificateur ne peut pas s'ouvrir :")
