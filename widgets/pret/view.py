"""Thin ipywidgets view of « Suis-je prêt·e à accueillir un travailleur pair ? »: wiring only.

Every statement is a row of radio buttons (mouse or keyboard: Tab, arrows, Space; no drag), grouped
by theme. Each change updates at once the message under the statement, the chart per theme and the
lists of the review; the model decides everything, :mod:`widgets.pret.report` writes the lists and
the printable page, so the screen and the paper say the same thing.
"""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as w

from widgets.pret import report
from widgets.pret.chart import themes_figure
from widgets.pret.content import load_items, load_themes
from widgets.pret.model import Item, Level, PretAssessment, PretInputError, Review
from widgets.ui import STYLE, ChartArea, display_exercise, message_html, reset_control

# Local touches for this long page: readable answers and lists, visible links.
PRET_STYLE = """
<style>
.fa-pret-item .widget-radio-box { flex-wrap: wrap; row-gap: 0.3em; }
.fa-pret-item .widget-radio-box label { font-size: 1.05rem; margin-right: 1.2em; white-space: nowrap; }
.fa-pret-list li { font-size: 1.05rem; line-height: 1.5; margin-bottom: 0.3em; }
.fa-pret-link { color: #005a9c; text-decoration: underline; }
.fa-pret-note { font-size: 1rem; line-height: 1.5; }
</style>
"""
BILAN_ANCHOR = "fa-pret-bilan"
PRIVACY = (
    "Vos réponses ne sont ni enregistrées ni envoyées ailleurs : le bilan est fabriqué dans cette page, "
    "et tout s'efface quand vous la fermez."
)
# Message under a statement once answered: a symbol and a word, never colour alone.
LEVEL_MESSAGE = {
    Level.YES: ("right", "✔ Force :"),
    Level.PARTLY: ("close", "≈ Point de vigilance :"),
    Level.NOT_YET: ("close", "○ Point de vigilance :"),
    Level.UNSURE: ("info", "? À discuter en équipe :"),
}


class ItemRow:
    """One statement, its four radio buttons and the message that follows the team's answer."""

    def __init__(self, number: int, item: Item, on_change):
        self.item = item
        self.text = w.HTML(
            f"<p style='font-size:1.1rem;line-height:1.5;margin-bottom:0.2em'>"
            f"<strong>{number}.</strong> {html.escape(item.statement)}</p>"
        )
        self.choice = w.RadioButtons(
            options=[(level.value, level) for level in Level],
            value=None,
            orientation="horizontal",
            description="Notre réponse :",
            style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )
        self.feedback = w.HTML()
        self.choice.observe(lambda change: on_change(self, change["new"]), names="value")
        self.root = w.VBox([self.text, self.choice, self.feedback], layout=w.Layout(margin="0 0 0.8em 0"))
        self.root.add_class("fa-pret-item")
        self.root.add_class(f"fa-pret-item-{item.id}")

    def show_level(self, level: Level | None) -> None:
        if level is None:
            self.feedback.value = ""
            return
        kind, title = LEVEL_MESSAGE[level]
        if level is Level.YES:
            text = self.item.strength
        elif level is Level.UNSURE:
            text = f"Ce n'est pas un échec. Une piste pour en parler : {self.item.action}"
        else:
            text = self.item.vigilance
        self.feedback.value = message_html(text, kind, title)


class PretView:
    def __init__(self, assessment: PretAssessment):
        self.assessment = assessment
        self._syncing = False  # True while reset puts every radio back to « no answer »
        self._report_shown = False
        self.rows: list[ItemRow] = []
        questions: list[w.Widget] = [
            w.HTML(
                STYLE + PRET_STYLE + "<p class='fa-pret-note'>"
                f"<a class='fa-pret-link' href='#{BILAN_ANCHOR}'>Aller directement au bilan</a> "
                "(il se met à jour à chaque réponse).</p>"
            )
        ]
        number = 0
        for theme in assessment.themes:
            questions.append(
                w.HTML(
                    f"<h2>{html.escape(theme.label)}</h2><p class='fa-pret-note'><em>{html.escape(theme.intro)}</em></p>"
                )
            )
            for item in assessment.items_of(theme.id):
                number += 1
                row = ItemRow(number, item, self._on_change)
                self.rows.append(row)
                questions.append(row.root)

        self.summary = w.HTML()
        self.chart = ChartArea("Le graphique par thème apparaîtra après votre première réponse.")
        self.scores = w.HTML()
        self.strengths = w.HTML()
        self.vigilance = w.HTML()
        self.next_steps = w.HTML()
        self.discuss = w.HTML()
        for box, name in (
            (self.strengths, "forces"),
            (self.vigilance, "vigilance"),
            (self.next_steps, "etapes"),
            (self.discuss, "discuter"),
        ):
            box.add_class(f"fa-pret-{name}")
            box.add_class("fa-pret-list")
        self.make_report = w.Button(
            description="Imprimer ou enregistrer le bilan",
            icon="print",
            button_style="primary",
            tooltip="Fabriquer une page à imprimer ou à garder, avec toutes vos réponses",
        )
        self.report_link = w.HTML()
        self.report_link.add_class("fa-pret-report")
        self.reset = reset_control(self._on_reset)
        self.make_report.layout = w.Layout(width="auto", min_height="2.4em")
        self.make_report.on_click(self._on_report)

        results = [
            w.HTML(f"<h2 id='{BILAN_ANCHOR}'>Notre bilan</h2>"),
            self.summary,
            self.chart.root,
            self.scores,
            w.HTML("<h3>Forces</h3>"),
            self.strengths,
            w.HTML("<h3>Points de vigilance</h3>"),
            self.vigilance,
            w.HTML(
                "<h3>Prochaines étapes</h3><p class='fa-pret-note'>Les plus urgentes d'abord : « Pas encore », "
                "puis « En partie », puis « Je ne sais pas ».</p>"
            ),
            self.next_steps,
            w.HTML("<h3>À discuter en équipe</h3>"),
            self.discuss,
            w.HTML(f"<h3>Garder le bilan</h3><p class='fa-pret-note'>{html.escape(PRIVACY)}</p>"),
            self.make_report,
            self.report_link,
            self.reset,
        ]
        self.root = w.VBox([*questions, *results], layout=w.Layout(max_width="60rem"))
        self._refresh()

    def _on_change(self, row: ItemRow, level: Level | None) -> None:
        if self._syncing:
            return
        try:
            if level is None:
                self.assessment.clear(row.item.id)
            else:
                self.assessment.answer(row.item.id, level)
        except PretInputError as error:
            row.feedback.value = message_html(str(error), "error", "Attention :")
            return
        row.show_level(self.assessment.answer_of(row.item.id))
        self._refresh()

    def _on_reset(self) -> None:
        self._syncing = True
        try:
            self.assessment.reset()
            for row in self.rows:
                row.choice.value = None
                row.show_level(None)
        finally:
            self._syncing = False
        self._report_shown = False
        self.report_link.value = ""
        self._refresh()

    def _on_report(self, _button) -> None:
        self._report_shown = True
        self._show_report(self.assessment.review())

    def _show_report(self, review: Review) -> None:
        """The download link; rebuilt after every change once shown, so it never lags behind."""
        try:
            uri = report.data_uri(report.build_report(review, date.today()))
        except ValueError as error:  # PretInputError included: shown in French, never a traceback
            self.report_link.value = message_html(str(error), "error", "Le bilan ne peut pas être fabriqué :")
            return
        link = (
            "<p style='font-size:1.15rem;margin:0.5em 0'>"
            f"<a class='fa-pret-link' download='{report.FILENAME}' href='{uri}'>"
            f"⬇ Télécharger le bilan ({report.FILENAME})</a></p>"
        )
        box = message_html(
            "Ouvrez le fichier puis Ctrl+P pour imprimer (ou pour l'enregistrer en PDF). "
            "Le fichier est fabriqué dans cette page : il n'est ni enregistré ni envoyé ailleurs. "
            "Si vous changez une réponse, le fichier se met à jour.",
            "info",
            "Votre bilan est prêt.",
        )
        self.report_link.value = box.replace("</div>", f"{link}</div>")

    def _refresh(self) -> None:
        review = self.assessment.review()
        total = len(review.rows)
        self.summary.value = (
            f"<p role='status' style='font-size:1.1rem'><strong>{html.escape(review.summary)}</strong><br>"
            f"{review.answered} affirmation{'s' if review.answered > 1 else ''} sur {total} avec une réponse.</p>"
        )
        self.scores.value = (
            STYLE + report.scores_table(review) + f"<p class='fa-pret-note'>{html.escape(report.SCORE_RULE)}</p>"
        )
        self.strengths.value = report.strengths_list(review)
        self.vigilance.value = report.vigilance_list(review)
        self.next_steps.value = report.next_steps_list(review)
        self.discuss.value = report.discuss_list(review, fold_unanswered=True)
        if self._report_shown:
            self._show_report(review)
        self.chart.draw(themes_figure(review.themes) if review.answered else None)


def show() -> None:
    """Display the self-assessment; a data problem is shown as a French message, not a traceback."""
    display_exercise(lambda: PretView(PretAssessment(load_items(), load_themes())).root, (PretInputError,))
