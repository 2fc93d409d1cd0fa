"""Thin ipywidgets view of « Où se situe cette situation ? »: wiring only, the model decides.

One situation at a time, large enough for a projector; radio buttons and buttons, all usable with
the keyboard (Tab, arrows, Enter), no drag-and-drop.
"""

from __future__ import annotations

import html

import ipywidgets as w

from widgets.continuum.chart import placements_figure
from widgets.continuum.content import load_situations, load_steps
from widgets.continuum.model import ContinuumExercise, ContinuumInputError, Verdict
from widgets.ui import STYLE, ChartArea, display_exercise, message_html, reset_control

VERDICT_KIND = {Verdict.RIGHT: "right", Verdict.CLOSE: "close", Verdict.FAR: "far"}


class ContinuumView:
    def __init__(self, exercise: ContinuumExercise):
        self.exercise = exercise
        self.index = 0
        self.heading = w.HTML()
        self.choice = w.RadioButtons(
            options=[(f"{s.position}. {s.label}", s.position) for s in exercise.steps],
            value=None,
            description="Votre réponse :",
            style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )
        self.validate = w.Button(
            description="Valider ma réponse",
            button_style="primary",
            icon="check",
            tooltip="Valider l'étape choisie pour cette situation",
        )
        self.feedback = w.HTML()
        self.previous = w.Button(
            description="Situation précédente", icon="arrow-left", tooltip="Revenir à la situation précédente"
        )
        self.next = w.Button(
            description="Situation suivante", icon="arrow-right", tooltip="Passer à la situation suivante"
        )
        self.score = w.HTML()
        self.chart = ChartArea("Le graphique de vos réponses apparaîtra après votre première réponse.")
        self.reset = reset_control(self._on_reset)
        for button in (self.validate, self.previous, self.next):
            button.layout = w.Layout(width="auto", min_height="2.4em")
        self.validate.on_click(self._on_validate)
        self.previous.on_click(lambda _: self._go(self.index - 1))
        self.next.on_click(lambda _: self._go(self.index + 1))
        self.root = w.VBox(
            [
                w.HTML(STYLE + self._grid_help()),
                self.heading,
                self.choice,
                self.validate,
                self.feedback,
                w.HBox([self.previous, self.next]),
                self.score,
                self.chart.root,
                self.reset,
            ],
            layout=w.Layout(max_width="60rem"),
        )
        self._go(0)

    def _grid_help(self) -> str:
        items = "".join(
            f"<li><strong>{s.position}. {html.escape(s.label)}</strong> : {html.escape(s.description)}</li>"
            for s in self.exercise.steps
        )
        return (
            "<details><summary>Revoir les étapes du continuum</summary>"
            f"<ol style='list-style:none;padding-left:0'>{items}</ol></details>"
        )

    @property
    def situation(self):
        return self.exercise.situations[self.index]

    def _go(self, index: int) -> None:
        total = len(self.exercise.situations)
        self.index = max(0, min(index, total - 1))
        situation = self.situation
        self.heading.value = (
            f"<h3>Situation {self.index + 1} sur {total} : {html.escape(situation.title)}</h3>"
            f"<p style='font-size:1.1rem;line-height:1.5'>{html.escape(situation.text)}</p>"
            "<p>Où placez-vous cette situation sur le continuum ?</p>"
        )
        self.choice.value = self.exercise.answer_of(situation.id)
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == total - 1
        self._show_feedback()
        self._refresh_totals()

    def _show_feedback(self) -> None:
        feedback = self.exercise.feedback(self.situation.id)
        if feedback is None:
            self.feedback.value = ""
            return
        detail = (
            f"{feedback.message} Repère du cours : étape {feedback.reference}, « {feedback.reference_label} ». "
            f"{feedback.explanation}"
        )
        self.feedback.value = message_html(
            detail, VERDICT_KIND[feedback.verdict], f"{feedback.symbol} {feedback.headline}"
        )

    def _on_validate(self, _button) -> None:
        try:
            self.exercise.answer(self.situation.id, self.choice.value)
        except ContinuumInputError as error:
            self.feedback.value = message_html(str(error), "error", "Attention :")
            return
        self._show_feedback()
        self._refresh_totals()

    def _on_reset(self) -> None:
        self.exercise.reset()
        self._go(0)

    def _refresh_totals(self) -> None:
        self.score.value = (
            f"<p role='status' style='font-size:1.1rem'><strong>{html.escape(self.exercise.score().text)}</strong></p>"
        )
        placements = self.exercise.placements()
        self.chart.draw(placements_figure(placements, self.exercise.steps) if placements else None)


def show() -> None:
    """Display the exercise; a data problem is shown as a French message, not a traceback."""
    display_exercise(
        lambda: ContinuumView(ContinuumExercise(load_steps(), load_situations())).root, (ContinuumInputError,)
    )
