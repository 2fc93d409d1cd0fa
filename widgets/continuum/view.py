"""Thin ipywidgets view of « Où se situe cette situation ? »: wiring only, the model decides.

One situation at a time, large enough for a projector; one accessible choice group (one Tab stop,
arrow keys), buttons, all usable with the keyboard, no drag-and-drop. The placements are kept in this
browser (:class:`widgets.controls.BrowserMemory`): a reload or « retour » finds them again.

On a phone the situation and its choices come first: the page's intro folds under « Consigne de
l'exercice » (:func:`widgets.ui.fold_intro_marker`), the description of the steps waits at the end of the card,
and moving to another situation brings its heading to the top of the screen with the focus
(:class:`widgets.continuum.situation.SituationHeading`). In « Mode projecteur » the card is laid out
in two columns (faire-avec.css) so that the situation, its choices, « Valider » and the feedback fit
on one screen.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from widgets.continuum.chart import placements_figure
from widgets.continuum.content import load_situations, load_steps
from widgets.continuum.model import ContinuumExercise, Situation, Verdict
from widgets.continuum.situation import SituationHeading
from widgets.controls import BrowserMemory, RadioGroup, ResetControl, restored_part
from widgets.errors import InputError
from widgets.fr import typography
from widgets.ui import ChartArea, display_exercise, fold_intro_marker, message_html, status_html

VERDICT_KIND = {Verdict.RIGHT: "right", Verdict.DEFENSIBLE: "right", Verdict.CLOSE: "close", Verdict.FAR: "far"}
QUESTION = "Où placez-vous cette situation sur le continuum ?"


class ContinuumView:
    def __init__(self, exercise: ContinuumExercise) -> None:
        self.exercise = exercise
        self.index = 0
        self._restoring = False
        self.heading = SituationHeading()
        self.choice = RadioGroup([(f"{s.position}. {s.label}", s.position) for s in exercise.steps], QUESTION)
        self.validate = w.Button(
            description="Valider ma réponse", button_style="primary", layout=w.Layout(width="auto")
        )
        self.feedback = w.HTML()
        self.previous = w.Button(description="Situation précédente", layout=w.Layout(width="auto"))
        self.next = w.Button(description="Situation suivante", layout=w.Layout(width="auto"))
        self.score = w.HTML()
        self.chart = ChartArea("Le graphique de vos réponses apparaîtra après votre première réponse.")
        self.chart_title = w.HTML("<h2>Vos réponses et les repères du cours</h2>")
        self.reset = ResetControl(self._on_reset)
        self.memory = BrowserMemory("continuum")
        self.validate.on_click(self._on_validate)
        self.previous.on_click(lambda _: self._go(self.index - 1, focus=True))
        self.next.on_click(lambda _: self._go(self.index + 1, focus=True))
        self.memory.on_restore(self.restore)
        steps_help = w.HTML(self._grid_help())
        navigation = w.HBox([self.previous, self.next])
        parts = (
            (self.heading, "situation"),
            (self.choice, "choice"),
            (self.validate, "validate"),
            (self.feedback, "feedback"),
            (navigation, "nav"),
            (steps_help, "steps"),
        )
        for part, name in parts:  # named for the projector's two-column layout (faire-avec.css)
            part.add_class(f"fa-continuum-{name}")
        card = w.VBox([part for part, _name in parts])
        card.add_class("fa-card")
        card.add_class("fa-continuum-card")
        self.root = w.VBox([card, self.score, self.chart_title, self.chart.root, self.reset, self.memory])
        self.root.add_class("fa-exercise")
        self._go(0)

    def _grid_help(self) -> str:
        items = "".join(
            f"<li><strong>{s.position}. {html.escape(s.label)}</strong>\u202f: {html.escape(typography(s.description))}</li>"
            for s in self.exercise.steps
        )
        return f"<details><summary>Revoir les étapes du continuum</summary><ul>{items}</ul></details>"

    @property
    def situation(self) -> Situation:
        return self.exercise.situations[self.index]

    def _go(self, index: int, focus: bool = False) -> None:
        """Show situation ``index``; ``focus`` when the learner asked for it (the focus and the screen
        follow), not when the page opens or restores the answers."""
        total = len(self.exercise.situations)
        self.index = max(0, min(index, total - 1))
        situation = self.situation
        self.heading.show(f"Situation {self.index + 1} sur {total} : {situation.title}", situation.text, focus=focus)
        self.choice.value = self.exercise.answer_of(situation.id)
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == total - 1
        self._show_feedback(quiet=True)
        self._refresh_totals()

    def _show_feedback(self, quiet: bool = False) -> None:
        """The feedback on the situation on screen. ``quiet``: shown again on coming back to a situation,
        not read aloud again (the template reads a card only when it answers the learner's action)."""
        feedback = self.exercise.feedback(self.situation.id)
        if feedback is None:
            self.feedback.value = ""
            return
        accepted, detail = feedback.accepted_note, feedback.detail
        debate = (
            f"<p><strong>À discuter\u202f:</strong> {html.escape(typography(feedback.debate))}</p>"
            if feedback.debate
            else ""
        )
        headline = f"{feedback.symbol} {feedback.headline}"
        card = message_html(
            detail,
            VERDICT_KIND[feedback.verdict],
            headline,
            extra=debate,
            say=f"{headline} {feedback.message} Repère du cours : étape {feedback.reference}.{accepted}",
        )
        self.feedback.value = f"<div data-fa-quiet>{card}</div>" if quiet else card

    def _on_validate(self, _button: w.Button) -> None:
        try:
            self.exercise.answer(self.situation.id, self.choice.value)
        except InputError as error:
            self.feedback.value = message_html(str(error), "error", "Attention :")
            return
        self._show_feedback()
        self._refresh_totals()

    def state(self) -> dict[str, Any]:
        """What the browser keeps: each placement, and the situation on screen."""
        answers = {s.id: self.exercise.answer_of(s.id) for s in self.exercise.situations}
        placed = {sid: position for sid, position in answers.items() if position is not None}
        return {"reponses": placed, "situation": self.index} if placed or self.index else {}

    def restore(self, state: dict[str, Any]) -> None:
        """Put back the placements kept by the browser; unknown situations or steps are ignored."""
        answers = restored_part(state, "reponses", dict)
        self._restoring = True
        try:
            for situation in self.exercise.situations:
                position = answers.get(situation.id)
                if type(position) is int and position in self.exercise.positions:
                    self.exercise.answer(situation.id, position)
            index = state.get("situation")
            self._go(index if type(index) is int else 0)
        finally:
            self._restoring = False

    def _on_reset(self) -> None:
        self.exercise.reset()
        self._restoring = True
        try:
            self._go(0)
        finally:
            self._restoring = False
        self.memory.clear()

    def _refresh_totals(self) -> None:
        self.score.value = status_html(self.exercise.score().text)
        placements = self.exercise.placements()
        self.chart.draw(placements_figure(placements, self.exercise.steps) if placements else None)
        if not self._restoring:
            self.memory.save(self.state())


def show() -> None:
    """Display the exercise; a data problem is shown as a French message, not a traceback."""
    fold_intro_marker()
    display_exercise(lambda: ContinuumView(ContinuumExercise(load_steps(), load_situations())).root)
