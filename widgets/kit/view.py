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
from widgets.fr import parse_number, plural, plural_word, typography
from widgets.kit import export, wording
from widgets.kit.chapters import Chapter, load_chapters
from widgets.kit.content import load_session_specs, load_tools
from widgets.kit.memory import plan_state, restored_plan
from widgets.kit.model import Item, Kind, Phase, Plan, Tool, add, check, move, parse_clock, remove, set_minutes
from widgets.kit.model import timeline as model_timeline
from widgets.kit.model import tool_item as model_tool_item
from widgets.kit.plans import build_plan, step_items
from widgets.ui import display_exercise, message_html

LENGTHS: tuple[tuple[str, int, int], ...] = (
    ("1 h 30", 90, 1),
    ("3 heures", 180, 1),
    ("Une demi-journée de 3 h 30", 210, 1),
    ("Une journée de 7 h", 420, 1),
    ("Deux journées de 7 h", 840, 2),
    ("Trois journées de 7 h", 1260, 3),
)
OTHER_LINES: tuple[tuple[str, Kind, int, str], ...] = (
    ("Pause de 15 min", Kind.BREAK, 15, "Pause"),
    ("Repas (1 h, hors durée de la séance)", Kind.MEAL, 60, "Repas"),
    ("Questionnaire de fin de séance (10 min)", Kind.EVALUATION, 10, "Questionnaire de fin de séance"),
    ("Activité libre (titre ci-contre, 15 min)", Kind.ACTIVITY, 15, ""),
    ("Passer au jour suivant", Kind.NEW_DAY, 0, "Jour suivant"),
)
EMPTY_CHOICE = "vide"
PRIVACY = (
    "Votre plan n'est ni enregistré sur le serveur ni envoyé ailleurs : les fichiers sont fabriqués dans "
    "cette page. Ce navigateur garde votre déroulé si vous rechargez la page ou revenez plus tard ; "
    "« Tout recommencer » l'efface."
)


def _button(label: str, tooltip: str, icon: str = "") -> w.Button:
    return w.Button(description=label, tooltip=tooltip, icon=icon, layout=w.Layout(width="auto", min_height="2.2em"))


class Row:
    """One line of the plan: when, what, EPIC stage, duration box, and its three buttons.

    Rows are reused: after a move or a removal only the lines whose content changed are updated,
    so a two-day plan (about fifty lines) stays quick to edit and the focus stays where it was.
    """

    def __init__(self, view: PlannerView, index: int, item: Item):
        self.view, self.index, self.item = view, index, item
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
        self.up = _button("Monter", "", "arrow-up")
        self.down = _button("Descendre", "", "arrow-down")
        self.drop = _button("Retirer", "", "trash")
        self.up.on_click(lambda _: view.on_move(self.index, -1))
        self.down.on_click(lambda _: view.on_move(self.index, 1))
        self.drop.on_click(lambda _: view.on_remove(self.index))
        self.error = w.HTML()
        top = w.HBox([self.when, self.what], layout=w.Layout(flex_flow="row wrap", align_items="baseline"))
        top.add_class("fa-kit-row")
        self.controls = w.HBox(
            [self.minutes, self.up, self.down, self.drop],
            layout=w.Layout(flex_flow="row wrap", align_items="center", gap="0.3em 0.5em"),
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
        label = wording.KIND_LABEL[item.kind]
        detail = (
            f"<br><small>{html.escape(typography(item.detail))}</small>"
            if item.detail and item.kind is not Kind.TOOL
            else ""
        )
        phases = (
            f"<br><small>Étape EPIC : {html.escape(wording.phases_text(item.phases))}</small>" if item.phases else ""
        )
        self.what.value = (
            f"<strong>{html.escape(label)}</strong> — {html.escape(typography(item.title))}{detail}{phases}"
        )
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

    def _on_minutes(self, change) -> None:
        if self._syncing:
            return
        try:
            value = parse_number(change["new"], "Durée")
            self.view.on_minutes(self.index, value)
        except (InputError, ValueError) as error:
            self.error.value = message_html(str(error), "error", f"Ligne {self.index + 1} :")
            return
        self.error.value = ""


class PlannerView:
    def __init__(self, tools: tuple[Tool, ...], chapters: tuple[Chapter, ...]):
        self.tools = tools
        self.by_tool = {t.id: t for t in tools}
        self.chapters = chapters
        self.by_chapter = {c.id: c for c in chapters}
        self.specs = {s.id: s for s in load_session_specs()}
        first = next(iter(self.specs.values()))
        self.first = first.id
        self.base = first.id  # the ready session (or EMPTY_CHOICE) the plan started from
        self.plan: Plan = build_plan(first, chapters, tools)
        self.rows: list[Row] = []
        # Kept in this browser only. Nothing is saved before the view is built (``_live``) nor while
        # the stored state is being put back (``_restoring``).
        self.memory = BrowserMemory("planificateur")
        self._live = False
        self._restoring = False

        # Starting point.
        self.choice = w.Dropdown(
            options=[(s.title, s.id) for s in self.specs.values()] + [("Une séance vide", EMPTY_CHOICE)],
            value=first.id,
            description="Séance de départ",
            style={"description_width": "initial"},
            layout=w.Layout(width="44em", max_width="100%"),
        )
        self.load = _button("Repartir de cette séance", "Remplacer le déroulé par la séance choisie", "folder-open")
        self.confirm_text = w.HTML("<strong>Remplacer votre déroulé ? Vos changements seront perdus.</strong>")
        self.confirm_yes = _button("Oui, remplacer", "Remplacer le déroulé")
        self.confirm_no = _button("Non, garder mon déroulé", "Garder le déroulé")
        self.confirm = w.HBox(
            [self.confirm_text, self.confirm_yes, self.confirm_no],
            layout=w.Layout(display="none", flex_flow="row wrap", gap="0.5em", align_items="center"),
        )
        self.load.on_click(lambda _: self._ask_load())
        self.choice.observe(lambda _: self._remember(), names="value")
        self.confirm_yes.on_click(lambda _: self._load())
        self.confirm_no.on_click(lambda _: self._show_confirm(False))
        self.changed = False
        self._syncing = False  # True while _load puts the new plan's values into the controls

        # Session settings.
        self.title = w.Text(
            value=self.plan.title,
            description="Titre de la séance",
            style={"description_width": "initial"},
            layout=w.Layout(width="48em", max_width="100%"),
        )
        self.title.observe(lambda _: None if self._syncing else self._refresh_status(), names="value")
        self.length = w.Dropdown(
            options=[(label, (minutes, days)) for label, minutes, days in LENGTHS],
            value=self._length_value(self.plan),
            description="Durée de la séance",
            style={"description_width": "initial"},
            layout=w.Layout(width="28em", max_width="100%"),
        )
        self.length.observe(self._on_length, names="value")
        self.start = w.Text(
            value=wording.clock(self.plan.start).replace("\u00a0", " "),
            description="Heure de début",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=w.Layout(width="15em", max_width="100%"),
        )
        self.start.observe(self._on_start, names="value")
        self.start_error = w.HTML()

        # The plan.
        self.lines = w.VBox()
        self.lines.add_class("fa-kit-lines")
        self.empty = w.HTML("<p class='fa-kit-note'><em>Le déroulé est vide : ajoutez une ligne plus bas.</em></p>")

        # Adding lines.
        tool_options = []
        for phase in Phase:
            for tool in tools:
                if tool.phase is phase:
                    tool_options.append(
                        (
                            f"{wording.PHASE_SYMBOL[phase]} {phase.value} — {tool.name} ({wording.duration(tool.minutes)})",
                            tool.id,
                        )
                    )
        self.tool_choice = w.Dropdown(
            options=tool_options,
            description="Outil",
            style={"description_width": "initial"},
            layout=w.Layout(width="44em", max_width="100%"),
        )
        self.tool_add = _button("Ajouter l'outil", "Ajouter l'outil choisi à la fin du déroulé", "plus")
        self.tool_add.on_click(lambda _: self._add_items([model_tool_item(self.by_tool[self.tool_choice.value])]))
        self.tool_help = w.HTML()
        self.tool_choice.observe(lambda _: self._show_tool(), names="value")

        self.chapter_choice = w.Dropdown(
            options=[(c.short_title, c.id) for c in chapters],
            description="Chapitre",
            style={"description_width": "initial"},
            layout=w.Layout(width="44em", max_width="100%"),
        )
        self.step_choice = w.Dropdown(
            description="Étape",
            style={"description_width": "initial"},
            layout=w.Layout(width="44em", max_width="100%"),
        )
        self.chapter_choice.observe(lambda _: self._fill_steps(), names="value")
        self.step_add = _button("Ajouter l'étape", "Ajouter l'étape choisie à la fin du déroulé", "plus")
        self.chapter_add = _button("Ajouter tout le chapitre", "Ajouter toutes les étapes du chapitre", "plus")
        self.step_add.on_click(lambda _: self._add_step())
        self.chapter_add.on_click(
            lambda _: self._add_items(step_items(self.by_chapter[self.chapter_choice.value], (), self.tools))
        )

        self.other_choice = w.Dropdown(
            options=[(label, index) for index, (label, *_rest) in enumerate(OTHER_LINES)],
            description="Autre ligne",
            style={"description_width": "initial"},
            layout=w.Layout(width="44em", max_width="100%"),
        )
        self.other_title = w.Text(
            description="Titre de l'activité libre",
            placeholder="par exemple : Tour de table",
            style={"description_width": "initial"},
            layout=w.Layout(width="44em", max_width="100%"),
        )
        self.other_add = _button("Ajouter la ligne", "Ajouter cette ligne à la fin du déroulé", "plus")
        self.other_add.on_click(lambda _: self._add_other())
        self.add_error = w.HTML()

        # Results and files.
        self.notice = w.HTML()
        self.status = w.HTML()
        self.status.add_class("fa-kit-status")
        self.links = w.HTML()
        self.links.add_class("fa-kit-links")
        self.reset = ResetControl(self._on_reset, "vos changements")

        wrap = w.Layout(flex_flow="row wrap", gap="0.5em", align_items="center")
        self.root = w.VBox(
            [
                w.HTML("<h2>1. Choisir la séance</h2>"),
                self.choice,
                self.load,
                self.confirm,
                self.title,
                self.length,
                self.start,
                self.start_error,
                w.HTML("<h2>2. Le déroulé</h2>"),
                self.notice,
                self.status,
                self.lines,
                w.HTML(
                    "<h2>3. Ajouter une ligne</h2><p class='fa-kit-note'>La ligne s'ajoute à la fin du déroulé ; "
                    "placez-la ensuite avec « Monter ».</p><h3>Un outil de la méthode EPIC</h3>"
                ),
                self.tool_choice,
                self.tool_help,
                self.tool_add,
                w.HTML("<h3>Une étape d'un chapitre</h3>"),
                self.chapter_choice,
                self.step_choice,
                w.HBox([self.step_add, self.chapter_add], layout=wrap),
                w.HTML("<h3>Une pause, un repas, une activité libre</h3>"),
                self.other_choice,
                self.other_title,
                self.other_add,
                self.add_error,
                w.HTML(f"<h2>4. Garder le plan</h2><p class='fa-kit-note'>{html.escape(PRIVACY)}</p>"),
                self.links,
                self.reset,
                self.memory,
            ],
            layout=w.Layout(max_width="64rem"),
        )
        self.root.add_class("fa-kit-planner")
        self._fill_steps()
        self._show_tool()
        self._render()
        self.memory.on_restore(self.restore)
        self._live = True

    # --- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _length_value(plan: Plan) -> tuple[int, int]:
        for _label, minutes, days in LENGTHS:
            if minutes == plan.length and days == plan.days:
                return (minutes, days)
        return (LENGTHS[1][1], LENGTHS[1][2])

    def _fill_steps(self) -> None:
        chapter = self.by_chapter[self.chapter_choice.value]
        self.step_choice.options = [
            (
                f"{s.number}. {s.text[:90]}{'…' if len(s.text) > 90 else ''} ({wording.item_minutes(_as_item(s))})",
                s.number,
            )
            for s in chapter.steps
        ]
        self.step_choice.value = chapter.steps[0].number

    def _show_tool(self) -> None:
        tool = self.by_tool[self.tool_choice.value]
        group = tool.group.rstrip(".") + (
            " (nos sources ne précisent pas la taille)" if tool.group_origin == "non précisé" else ""
        )
        self.tool_help.value = (
            f"<p class='fa-kit-note'><strong>{html.escape(tool.name)}</strong> : {html.escape(tool.purpose)} "
            f"Durée habituelle : {wording.duration(tool.min_minutes)} à {wording.duration(tool.max_minutes)}. "
            f"Groupe : {html.escape(group)}.</p>"
        )

    def _show_confirm(self, visible: bool) -> None:
        self.confirm.layout.display = "flex" if visible else "none"
        self.load.layout.display = "none" if visible else ""
        if not visible:
            self.load.focus()

    # --- events --------------------------------------------------------------------------------

    def _ask_load(self) -> None:
        if self.changed and self.plan.items:
            self._show_confirm(True)
            self.confirm_no.focus()
            return
        self._load()

    def _base_plan(self, choice: str) -> Plan:
        """The plan of a ready session, or an empty one of the current length and start."""
        if choice == EMPTY_CHOICE:
            return Plan("Ma séance", self.length.value[0], self.plan.start, self.length.value[1], ())
        return build_plan(self.specs[choice], self.chapters, self.tools)

    def _show_plan(self, plan: Plan, base: str, changed: bool) -> None:
        """Put ``plan`` in every control (no event of theirs counts as a change) and draw it."""
        self.plan, self.base, self.changed = plan, base, changed
        self._syncing = True
        try:
            self.length.value = self._length_value(self.plan)
            self.start.value = wording.clock(self.plan.start).replace("\u00a0", " ")
            self.title.value = self.plan.title
        finally:
            self._syncing = False
        self.start_error.value = ""
        self._render()

    def _load(self) -> None:
        self.confirm.layout.display = "none"
        self.load.layout.display = ""
        self.notice.value = ""
        self._show_plan(self._base_plan(self.choice.value), self.choice.value, False)
        self.load.focus()

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
                set(self.by_tool),
                set(self.by_chapter),
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
        self.notice.value = self.add_error.value = ""
        self.confirm.layout.display = "none"  # not _show_confirm: the focus stays on « Tout recommencer »
        self.load.layout.display = ""
        self.memory.clear()

    def _on_length(self, change) -> None:
        if self._syncing:
            return
        minutes, days = change["new"]
        self.plan = replace(self.plan, length=minutes, days=days)
        self._refresh_status()

    def _on_start(self, change) -> None:
        if self._syncing:
            return
        try:
            start = parse_clock(change["new"])
        except InputError as error:
            self.start_error.value = message_html(str(error), "error", "Heure de début :")
            return
        self.start_error.value = ""
        self.plan = replace(self.plan, start=start)
        self._refresh_times()
        self._refresh_status()

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
            self.tool_add.focus()

    def _add_items(self, items: list[Item]) -> None:
        for item in items:
            self.plan = add(self.plan, item)
        self.changed = True
        self.add_error.value = message_html(
            f"✔ {plural(len(items), 'ligne ajoutée', 'lignes ajoutées')} à la fin du déroulé "
            f"(ligne {len(self.plan.items)}).",
            "right",
        )
        self._render()

    def _add_step(self) -> None:
        chapter = self.by_chapter[self.chapter_choice.value]
        if self.step_choice.value is None:
            self.add_error.value = message_html("Choisissez d'abord une étape du chapitre.", "error", "Étape :")
            return
        self._add_items(step_items(chapter, (self.step_choice.value,), self.tools))

    def _add_other(self) -> None:
        label, kind, minutes, title = OTHER_LINES[self.other_choice.value]
        if kind is Kind.ACTIVITY:
            title = self.other_title.value.strip()
            if not title:
                self.add_error.value = message_html(
                    "Écrivez d'abord le titre de l'activité libre dans la case « Titre de l'activité libre ».",
                    "error",
                    "Activité libre :",
                )
                return
        self._add_items([Item(kind=kind, title=title, minutes=minutes)])

    # --- display -------------------------------------------------------------------------------

    def _render(self) -> None:
        items = self.plan.items
        for index, item in enumerate(items):
            if index < len(self.rows):
                self.rows[index].show(index, item)
            else:
                self.rows.append(Row(self, index, item))
        del self.rows[len(items) :]
        children = [row.root for row in self.rows] or [self.empty]
        if tuple(self.lines.children) != tuple(children):
            self.lines.children = children
        self._refresh_times()
        self._refresh_status()

    def _refresh_times(self) -> None:
        multi = self.plan.days > 1 or any(i.kind is Kind.NEW_DAY for i in self.plan.items)
        for slot, row in zip(model_timeline(self.plan), self.rows, strict=True):
            if slot.item.kind is Kind.NEW_DAY:
                row.when.value = f"<strong>Jour {slot.day}</strong>"
                continue
            day = f"Jour {slot.day}<br>" if multi else ""
            minutes = wording.item_minutes(slot.item)
            row.when.value = f"{day}{wording.clock(slot.start)} – {wording.clock(slot.end)}<br><small>{minutes}</small>"

    def _refresh_status(self) -> None:
        plan = replace(self.plan, title=self.title.value.strip() or "Ma séance")
        self.plan = plan
        result = check(plan, self.by_tool)
        kind, text = wording.fit_message(result)
        warnings = "".join(f"<li>{html.escape(x)}</li>" for x in wording.warnings(result))
        # The files first, then the message: once a learner (or a test) reads the new message, the
        # download links already hold the same plan.
        today = date.today()
        page = export.data_uri(export.to_html(plan, self.by_chapter, self.by_tool, today))
        text_md = export.data_uri(export.to_markdown(plan, self.by_chapter, self.by_tool, today), "text/markdown")
        self.links.value = (
            f"<ul><li><a href='{page}' download='plan-seance.html' target='_blank' rel='noopener'>"
            "Télécharger la page à imprimer (HTML)</a></li>"
            f"<li><a href='{text_md}' download='plan-seance.md'>Télécharger le plan en Markdown</a></li></ul>"
        )
        self.status.value = (
            message_html(text, kind)
            + (f"<ul class='fa-kit-note fa-kit-warnings'>{warnings}</ul>" if warnings else "")
            + f"<p class='fa-kit-note'>{html.escape(wording.phases_summary(result))}</p>"
        )
        self._remember()


def _as_item(step) -> Item:
    return Item(Kind.STEP, step.text, step.minutes or 0, estimated=step.estimated)


def build() -> w.Widget:
    return PlannerView(load_tools(), load_chapters()).root


def show() -> None:
    """Display the planner, or a French message if a data file or a chapter box is malformed."""
    display_exercise(build, errors=(InputError,), title="Le planificateur ne peut pas s'ouvrir :")
