"""What each trainer page puts to the group: a statement (abaque, traffic lights), continuum
situations, or a météo. One small panel per page, each with the buttons that are disabled once the
session is closed (:attr:`QuestionPanel.ask_buttons`).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from widgets.salle import content
from widgets.salle.model import Activity
from widgets.salle.screen.base import Screen, button
from widgets.salle.trainer import METEO_QUESTIONS
from widgets.ui import message_html

CONTINUUM_QUESTION = "Où placez-vous ces situations sur le continuum de la participation ?"


def scale_choice() -> w.RadioButtons:
    """How the room votes on a statement: the abaque's six colours or the traffic lights' four."""
    return w.RadioButtons(
        options=[
            ("Abaque de Régnier : 6 couleurs", Activity.ABAQUE.value),
            ("Feux tricolores : 4 couleurs", Activity.FEUX.value),
        ],
        value=Activity.ABAQUE.value,
        description="Façon de voter :",
        style={"description_width": "initial"},
        layout=w.Layout(width="auto"),
    )


def statement_choice() -> w.Dropdown:
    """The course's ready statements (``data/salle/affirmations.csv``), by theme."""
    return w.Dropdown(
        options=[("Choisir une affirmation toute prête…", "")]
        + [(f"{s.theme} — {s.text}", s.id) for s in content.load_statements()],
        value="",
        description="Affirmations du cours :",
        style={"description_width": "initial"},
        layout=w.Layout(width="100%"),
    )


class QuestionPanel:
    """The base of the three panels: the screen they act on, their widgets and their ask buttons."""

    root: w.Widget
    ask_buttons: list[w.Button]

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    def show(self, closed: bool) -> None:
        for ask in self.ask_buttons:
            ask.disabled = closed


class StatementQuestions(QuestionPanel):
    """The abaque's page: a statement (typed, or one of the course's), the scale, reword and vote again."""

    def __init__(self, screen: Screen) -> None:
        super().__init__(screen)
        self.parent_id: int | None = None
        self.scale_choice = scale_choice()
        self.statement_choice = statement_choice()
        self.statement_choice.observe(self.pick_statement, names="value")
        self.question = w.Textarea(
            placeholder="Écrivez ici l'affirmation, ou choisissez-en une ci-dessus.",
            description="Affirmation posée au groupe :",
            rows=3,
            style={"description_width": "initial"},
            layout=w.Layout(width="100%"),
        )
        self.reword_info = w.HTML()
        self.ask_button = button("Lancer le vote", "Envoyer l'affirmation aux téléphones", "primary", "paper-plane")
        self.reword_button = button(
            "Reformuler et revoter", "Modifier l'affirmation en cours et la soumettre de nouveau", icon="pencil"
        )
        self.ask_button.on_click(lambda _: self.ask())
        self.reword_button.on_click(lambda _: self.start_reword())
        self.ask_buttons = [self.ask_button, self.reword_button]
        self.root = w.VBox(
            [
                w.HTML("<h2>Poser une affirmation</h2>"),
                self.scale_choice,
                self.statement_choice,
                self.question,
                self.reword_info,
                w.HBox([self.ask_button, self.reword_button], layout=w.Layout(flex_flow="row wrap", grid_gap="0.5em")),
            ]
        )

    def pick_statement(self, change: dict[str, Any]) -> None:
        chosen = next((s for s in content.load_statements() if s.id == change["new"]), None)
        if chosen is not None:
            self.question.value = chosen.text

    def ask(self) -> None:
        trainer = self.screen.trainer
        if trainer is None:
            return
        parent = self.parent_id

        def action() -> None:
            trainer.ask(Activity(self.scale_choice.value), self.question.value, parent_id=parent)

        if self.screen.run(action, "Le vote est lancé : les téléphones affichent l'affirmation."):
            self.parent_id = None
            self.reword_info.value = ""

    def start_reword(self) -> None:
        snapshot = self.screen.snapshot
        current = snapshot.current if snapshot else None
        if current is None or current.activity not in (Activity.ABAQUE, Activity.FEUX):
            self.screen.say(
                "Il n'y a pas encore d'affirmation à reformuler : lancez d'abord un vote.", "error", "Attention :"
            )
            return
        self.parent_id = current.id
        self.question.value = current.question
        self.scale_choice.value = current.activity.value
        self.reword_info.value = message_html(
            f"Reformulation du tour {current.number} : modifiez le texte ci-dessous puis « Lancer le vote ». "
            "Le premier vote reste dans l'historique.",
            "info",
        )


class ContinuumQuestions(QuestionPanel):
    """The continuum's page: which situations the room places (five take about ten minutes)."""

    def __init__(self, screen: Screen) -> None:
        super().__init__(screen)
        from widgets.continuum.content import load_situations

        self.situations = load_situations()
        self.situation_boxes = [
            w.Checkbox(value=index < 5, description=s.title, indent=False, layout=w.Layout(width="auto"))
            for index, s in enumerate(self.situations)
        ]
        self.ask_button = button(
            "Lancer le placement", "Envoyer les situations cochées aux téléphones", "primary", "paper-plane"
        )
        self.ask_button.on_click(lambda _: self.ask())
        self.ask_buttons = [self.ask_button]
        self.root = w.VBox(
            [
                w.HTML(
                    "<h2>Choisir les situations à placer</h2><p class='salle-texte'>Chaque personne place les "
                    "situations cochées sur le continuum, sur son téléphone. Cinq situations prennent environ dix minutes.</p>"
                ),
                w.VBox(self.situation_boxes, layout=w.Layout(max_height="18em", overflow="auto")),
                self.ask_button,
            ]
        )

    def ask(self) -> None:
        trainer = self.screen.trainer
        if trainer is None:
            return
        chosen = [s.id for s, box in zip(self.situations, self.situation_boxes, strict=True) if box.value]
        self.screen.run(
            lambda: trainer.ask(Activity.CONTINUUM, CONTINUUM_QUESTION, chosen),
            "Le placement est lancé sur les téléphones.",
        )


class MeteoQuestions(QuestionPanel):
    """The météo's page: arrival and departure, each one button."""

    def __init__(self, screen: Screen) -> None:
        super().__init__(screen)
        self.arrival_button = button(
            "Lancer la météo d'arrivée", "Demander au groupe comment il arrive", "primary", "sun-o"
        )
        self.departure_button = button(
            "Lancer la météo de départ", "Demander au groupe comment il repart", "primary", "cloud"
        )
        self.arrival_button.on_click(lambda _: self.ask("arrivee"))
        self.departure_button.on_click(lambda _: self.ask("depart"))
        self.ask_buttons = [self.arrival_button, self.departure_button]
        self.root = w.VBox(
            [
                w.HTML(
                    "<h2>Lancer une météo</h2><p class='salle-texte'>Chaque personne choisit le temps qui lui ressemble. "
                    "« Je préfère ne pas le dire » est toujours possible.</p>"
                ),
                w.HBox(
                    [self.arrival_button, self.departure_button],
                    layout=w.Layout(flex_flow="row wrap", grid_gap="0.5em"),
                ),
            ]
        )

    def ask(self, moment: str) -> None:
        trainer = self.screen.trainer
        if trainer is None:
            return
        self.screen.run(
            lambda: trainer.ask(Activity.METEO, METEO_QUESTIONS[moment], tag=moment), "La météo est lancée."
        )


PANELS: dict[str, type[QuestionPanel]] = {
    "abaque": StatementQuestions,
    "continuum": ContinuumQuestions,
    "meteo": MeteoQuestions,
}
