"""Paper votes: people without a phone raise coloured cards, and the trainer types their answers in.

Why one numbered person per paper voter (not just « 3 red cards »): the abaque's grid is a column
per person from one statement to the next, so a paper voter must stay the same column; the number is
all the course knows of them, as for a phone. Their answers count everywhere a phone's do (chart,
grid, exports), marked « papier » (see :meth:`widgets.salle.store.Store.paper_vote`).

The choice lists are kept between redraws and only their values follow the snapshot: a redraw at each
phone's vote must not rebuild a list the trainer is using with the keyboard.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from widgets.salle import content
from widgets.salle.model import Activity, Round, Snapshot
from widgets.salle.screen.base import Screen, button

NONE = "— pas de réponse"
INTRO = (
    "<h3>Votes sur papier</h3><p class='salle-texte'>Pour une personne sans téléphone (ou qui préfère les "
    "cartes de couleur) : ajoutez-la une fois, écrivez son numéro sur ses cartes, puis reportez ici ce "
    "qu'elle lève. Ses réponses comptent dans le graphique, la grille et les exports, marquées « papier ».</p>"
)


class PaperPanel:
    """One choice list per paper voter (and per situation on the continuum) for the round shown."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.add_button = button(
            "Ajouter une personne qui vote sur papier", "Donner un numéro à une personne sans téléphone", icon="plus"
        )
        self.add_button.on_click(lambda _: self.add())
        self.rows = w.VBox()
        self.lists: dict[tuple[int, int, str], w.Dropdown] = {}
        self.filling = False  # values set by a redraw, not by the trainer
        self.root = w.VBox([w.HTML(INTRO), self.add_button, self.rows])
        self.root.add_class("salle-papier")

    def add(self) -> None:
        trainer = self.screen.trainer
        if trainer is None:
            return
        added: list[int] = []
        if self.screen.run(lambda: added.append(trainer.add_paper_person())):
            self.screen.say(
                f"Personne P{added[0]} ajoutée : écrivez « P{added[0]} » sur ses cartes, puis reportez ses votes ci-dessous.",
                "right",
            )

    def typed(self, key: tuple[int, int, str], change: dict[str, Any]) -> None:
        if self.filling:
            return
        trainer = self.screen.trainer
        if trainer is None:
            return
        round_id, person, item = key
        value = change["new"] or None
        self.screen.run(lambda: trainer.paper_vote(round_id, person, item, value))

    def redraw(self, snapshot: Snapshot, shown: Round | None) -> None:
        """The lists of ``shown`` (the round this page shows), one per paper voter and item."""
        if shown is None or not snapshot.paper:
            self.lists = {}
            self.rows.children = ()
            return
        keys = [(shown.id, person, item) for person in sorted(snapshot.paper) for item in shown.items]
        if list(self.lists) != keys:
            self.lists = {key: self.choice_list(shown, key) for key in keys}
            self.rows.children = tuple(self.lists.values())
        answers = {(v.participant, v.item): v.value for v in snapshot.votes_of(shown.id)}
        self.filling = True
        try:
            for (_, person, item), choices in self.lists.items():
                value = answers.get((person, item), "")
                if choices.value != value:
                    choices.value = value
        finally:
            self.filling = False

    def choice_list(self, shown: Round, key: tuple[int, int, str]) -> w.Dropdown:
        _, person, item = key
        scale = content.scale_for(shown.scale)
        options = [(NONE, "")]
        for choice_id in shown.choices:
            found = scale.choice(choice_id) if scale else None
            options.append((f"{found.symbol} {found.label}" if found else choice_id, choice_id))
        label = f"P{person} (papier)"
        if shown.activity is Activity.CONTINUUM:
            from widgets.continuum.content import load_situations

            title = next((s.title for s in load_situations() if s.id == item), item)
            label = f"P{person} (papier), « {title} »"
        choices = w.Dropdown(
            options=options,
            value="",
            description=label,
            style={"description_width": "initial"},
            layout=w.Layout(width="auto", max_width="100%"),
        )
        choices.observe(lambda change: self.typed(key, change), names="value")
        return choices
