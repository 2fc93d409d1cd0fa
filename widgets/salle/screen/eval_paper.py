"""A paper questionnaire typed in by the trainer: the same questions as the phones, one sheet at a time.

Why here and not as paper votes (:mod:`.paper`): a questionnaire sheet is one form answered once, not
a column of the grid; it gets a random pseudonym and is marked « papier » in the exports
(:meth:`widgets.salle.store.Store.evaluation_paper`). A sheet can be typed after the questionnaire or
the session is closed (the group has often left by then), until the session is erased.

The fields are made again only when another questionnaire is shown, so a redraw at each phone's
answer never empties what the trainer is typing; a refused sheet keeps everything typed.
"""

from __future__ import annotations

import html

import ipywidgets as w

from widgets.salle import eval_content, eval_trainer
from widgets.salle.evaluation import MAX_TEXT, Kind
from widgets.salle.model import Round, SalleError
from widgets.salle.screen.base import Screen, button
from widgets.salle.screen.eval_questions import wide
from widgets.ui import message_html

INTRO = (
    "<h2>Recopier un questionnaire papier</h2><p class='salle-texte'>Pour les personnes sans téléphone : "
    "recopiez leur feuille ici, une feuille à la fois. Elle compte avec les autres, marquée « papier » dans "
    "l'export. Laissez vide ce qui n'a pas été rempli.</p>"
)
NOT_YET = "<p class='salle-texte'>Les cases apparaîtront quand le questionnaire sera lancé.</p>"


class PaperSheetPanel:
    """The fields of the questionnaire shown, « Enregistrer ce questionnaire papier », and what happened."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.round_id: int | None = None
        self.fields: dict[str, w.Widget] = {}
        self.rows = w.VBox()
        self.message = w.HTML()
        self.save_button = button(
            "Enregistrer ce questionnaire papier", "Ajouter ces réponses à celles des téléphones", "", "save"
        )
        self.save_button.on_click(lambda _: self.save())
        self.root = w.VBox([w.HTML(INTRO), self.rows, self.save_button, self.message])
        self.root.add_class("salle-papier")
        self.redraw(None)

    def redraw(self, shown: Round | None) -> None:
        """The fields of ``shown`` (the questionnaire this page shows), made only when it changes."""
        if shown is None:
            self.round_id, self.fields = None, {}
            self.rows.children = (w.HTML(NOT_YET),)
            self.save_button.layout.display = "none"
            return
        if self.round_id == shown.id:
            return
        try:
            items = eval_content.items_of(shown)
        except SalleError as error:
            self.rows.children = (w.HTML(message_html(str(error), "error")),)
            return
        self.round_id, self.fields = shown.id, {}
        rows: list[w.Widget] = []
        for number, item in enumerate(items, start=1):
            # The question in full above its field (a widget's label is one line, cut on a phone).
            rows.append(w.HTML(f"<p class='salle-texte'><strong>{number}.</strong> {html.escape(item.text)}</p>"))
            label = f"Réponse {number} :"
            if item.kind is Kind.TEXT:
                field: w.Widget = w.Textarea(description=label, rows=2, placeholder=f"{MAX_TEXT} caractères au plus")
            else:
                options = [("— pas de réponse —", ""), *[(o.label, o.id) for o in item.options]]
                field = w.Dropdown(options=options, description=label)
            self.fields[item.id] = wide(field)
            rows.append(field)
        self.rows.children = tuple(rows)
        self.save_button.layout.display = ""

    def save(self) -> None:
        trainer, round_id = self.screen.trainer, self.round_id
        if trainer is None or round_id is None:
            return
        form = {item: [str(field.value)] for item, field in self.fields.items() if field.value}
        try:
            eval_trainer.enter_paper(trainer.store, trainer.code, trainer.secret, round_id, form)
        except SalleError as error:  # the sheet stays filled in: nothing typed is lost
            self.message.value = message_html(str(error), "error", "Attention :")
            return
        for field in self.fields.values():
            field.value = ""
        self.message.value = message_html(
            "Questionnaire papier enregistré. Les cases sont vides pour la feuille suivante.", "right"
        )
        self.screen.update(force=True)
