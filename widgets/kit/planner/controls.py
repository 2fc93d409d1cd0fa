"""The planner's two groups of controls: where a plan starts (ready session, title, length, start time)
and how a line is added (a tool, a chapter step, a break, a meal, a free activity). They only build and
show; :class:`widgets.kit.planner.view.PlannerView` decides what a click does."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from widgets.kit import wording
from widgets.kit.chapters import Chapter, Step
from widgets.kit.content import SessionSpec
from widgets.kit.model import Item, Kind, Phase, Plan, Tool
from widgets.kit.planner.row import button
from widgets.ui import message_html

#: The lengths a trainer can choose: label, minutes of session, number of days.
LENGTHS: tuple[tuple[str, int, int], ...] = (
    ("1 h 30", 90, 1),
    ("3 heures", 180, 1),
    ("Une demi-journée de 3 h 30", 210, 1),
    ("Une journée de 7 h", 420, 1),
    ("Deux journées de 7 h", 840, 2),
    ("Trois journées de 7 h", 1260, 3),
)
#: Lines that are neither a tool nor a chapter step: label in the list, kind, minutes, title.
OTHER_LINES: tuple[tuple[str, Kind, int, str], ...] = (
    ("Pause de 15 min", Kind.BREAK, 15, "Pause"),
    ("Repas (1 h, hors durée de la séance)", Kind.MEAL, 60, "Repas"),
    ("Questionnaire de fin de séance (10 min)", Kind.EVALUATION, 10, "Questionnaire de fin de séance"),
    ("Activité libre (titre ci-contre, 15 min)", Kind.ACTIVITY, 15, ""),
    ("Passer au jour suivant", Kind.NEW_DAY, 0, "Jour suivant"),
)
EMPTY_CHOICE = "vide"
WIDE = w.Layout(width="44em", max_width="100%")


def length_value(plan: Plan) -> tuple[int, int]:
    """The list value matching the plan's length (the 3-hour one if the plan's is not offered)."""
    for _label, minutes, days in LENGTHS:
        if minutes == plan.length and days == plan.days:
            return (minutes, days)
    return (LENGTHS[1][1], LENGTHS[1][2])


def clock_text(plan: Plan) -> str:
    """The start time as typed in a text box (an ordinary space, not the narrow no-break one)."""
    return wording.clock(plan.start).replace("\u00a0", " ")


def step_as_item(step: Step) -> Item:
    return Item(Kind.STEP, step.text, step.minutes or 0, estimated=step.estimated)


class StartControls:
    """« 1. Choisir la séance »: the ready session, its confirmation, title, length and start time."""

    def __init__(self, specs: dict[str, SessionSpec], first: str, plan: Plan) -> None:
        self.choice = w.Dropdown(
            options=[(s.title, s.id) for s in specs.values()] + [("Une séance vide", EMPTY_CHOICE)],
            value=first,
            description="Séance de départ",
            style={"description_width": "initial"},
            layout=WIDE,
        )
        self.load = button("Repartir de cette séance", "Remplacer le déroulé par la séance choisie", "folder-open")
        self.confirm_yes = button("Oui, remplacer", "Remplacer le déroulé")
        self.confirm_no = button("Non, garder mon déroulé", "Garder le déroulé")
        self.confirm = w.HBox(
            [
                w.HTML("<strong>Remplacer votre déroulé ? Vos changements seront perdus.</strong>"),
                self.confirm_yes,
                self.confirm_no,
            ],
            layout=w.Layout(display="none", flex_flow="row wrap", grid_gap="0.5em", align_items="center"),
        )
        self.title = w.Text(
            value=plan.title,
            description="Titre de la séance",
            style={"description_width": "initial"},
            layout=w.Layout(width="48em", max_width="100%"),
        )
        self.length = w.Dropdown(
            options=[(label, (minutes, days)) for label, minutes, days in LENGTHS],
            value=length_value(plan),
            description="Durée de la séance",
            style={"description_width": "initial"},
            layout=w.Layout(width="28em", max_width="100%"),
        )
        self.start = w.Text(
            value=clock_text(plan),
            description="Heure de début",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=w.Layout(width="15em", max_width="100%"),
        )
        self.start_error = w.HTML()

    def children(self) -> list[w.Widget]:
        return [
            w.HTML("<h2>1. Choisir la séance</h2>"),
            self.choice,
            self.load,
            self.confirm,
            self.title,
            self.length,
            self.start,
            self.start_error,
        ]

    def show_confirm(self, visible: bool, focus: bool = True) -> None:
        """Ask before replacing a changed plan; put the focus back on « Repartir » when the question goes."""
        self.confirm.layout.display = "flex" if visible else "none"
        self.load.layout.display = "none" if visible else ""
        if visible:
            self.confirm_no.focus()
        elif focus:
            self.load.focus()

    def show_plan(self, plan: Plan) -> None:
        """Put a new plan's settings in the boxes (the caller ignores the events this sends)."""
        self.length.value = length_value(plan)
        self.start.value = clock_text(plan)
        self.title.value = plan.title
        self.start_error.value = ""


def labelled_dropdown(label: str, options: list[tuple[str, Any]]) -> w.Dropdown:
    """A full-width dropdown whose label keeps its natural width (never cut to ipywidgets' default)."""
    return w.Dropdown(options=options, description=label, style={"description_width": "initial"}, layout=WIDE)


class AddControls:
    """« 3. Ajouter une ligne »: a tool of the EPIC method, a chapter step, or another line."""

    def __init__(self, tools: tuple[Tool, ...], chapters: tuple[Chapter, ...]) -> None:
        self.by_tool = {t.id: t for t in tools}
        self.by_chapter = {c.id: c for c in chapters}
        self.tool_choice = labelled_dropdown(
            "Outil",
            [
                (
                    f"{wording.PHASE_SYMBOL[phase]} {phase.value} — {tool.name} ({wording.duration(tool.minutes)})",
                    tool.id,
                )
                for phase in Phase
                for tool in tools
                if tool.phase is phase
            ],
        )
        self.tool_add = button("Ajouter l'outil", "Ajouter l'outil choisi à la fin du déroulé", "plus")
        self.tool_help = w.HTML()
        self.chapter_choice = labelled_dropdown("Chapitre", [(c.short_title, c.id) for c in chapters])
        self.step_choice = labelled_dropdown("Étape", [])
        self.step_add = button("Ajouter l'étape", "Ajouter l'étape choisie à la fin du déroulé", "plus")
        self.chapter_add = button("Ajouter tout le chapitre", "Ajouter toutes les étapes du chapitre", "plus")
        self.other_choice = labelled_dropdown(
            "Autre ligne", [(label, index) for index, (label, *_rest) in enumerate(OTHER_LINES)]
        )
        self.other_title = w.Text(
            description="Titre de l'activité libre",
            placeholder="par exemple : Tour de table",
            style={"description_width": "initial"},
            layout=WIDE,
        )
        self.other_add = button("Ajouter la ligne", "Ajouter cette ligne à la fin du déroulé", "plus")
        self.error = w.HTML()
        self.chapter_choice.observe(lambda _: self.fill_steps(), names="value")
        self.tool_choice.observe(lambda _: self.show_tool(), names="value")
        self.fill_steps()
        self.show_tool()

    def children(self) -> list[w.Widget]:
        wrap = w.Layout(flex_flow="row wrap", grid_gap="0.5em", align_items="center")
        return [
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
            self.error,
        ]

    def chosen_step(self) -> int | None:
        """The chosen step's number, or None after saying in French that none is chosen."""
        step: int | None = self.step_choice.value
        if step is None:
            self.error.value = message_html("Choisissez d'abord une étape du chapitre.", "error", "Étape :")
        return step

    def other_item(self) -> Item | None:
        """The pause, meal or free activity chosen, or None after saying what is missing."""
        _label, kind, minutes, title = OTHER_LINES[self.other_choice.value]
        if kind is Kind.ACTIVITY:
            title = self.other_title.value.strip()
            if not title:
                self.error.value = message_html(
                    "Écrivez d'abord le titre de l'activité libre dans la case « Titre de l'activité libre ».",
                    "error",
                    "Activité libre :",
                )
                return None
        return Item(kind=kind, title=title, minutes=minutes)

    def chapter(self) -> Chapter:
        return self.by_chapter[self.chapter_choice.value]

    def tool(self) -> Tool:
        return self.by_tool[self.tool_choice.value]

    def fill_steps(self) -> None:
        chapter = self.chapter()
        self.step_choice.options = [
            (
                f"{s.number}. {s.text[:90]}{'…' if len(s.text) > 90 else ''} ({wording.item_minutes(step_as_item(s))})",
                s.number,
            )
            for s in chapter.steps
        ]
        self.step_choice.value = chapter.steps[0].number

    def show_tool(self) -> None:
        tool = self.tool()
        group = tool.group.rstrip(".") + (
            " (nos sources ne précisent pas la taille)" if tool.group_origin == "non précisé" else ""
        )
        self.tool_help.value = (
            f"<p class='fa-kit-note'><strong>{html.escape(tool.name)}</strong> : {html.escape(tool.purpose)} "
            f"Durée habituelle : {wording.duration(tool.min_minutes)} à {wording.duration(tool.max_minutes)}. "
            f"Groupe : {html.escape(group)}.</p>"
        )
