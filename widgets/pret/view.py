"""Thin ipywidgets view of « Suis-je prêt·e à accueillir un travailleur pair ou une travailleuse paire ? »: wiring only.

Every statement is a row of radio buttons (mouse or keyboard: Tab, arrows, Space; no drag), grouped
by theme. Each change updates at once the message under the statement, the chart per theme and the
lists of the review; the model decides everything, :mod:`widgets.pret.report` writes the lists and
the printable page, so the screen and the paper say the same thing.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as w

from widgets.controls import BrowserMemory, RadioGroup, ResetControl, restored_part
from widgets.errors import InputError
from widgets.pret import report
from widgets.pret.chart import themes_figure
from widgets.pret.content import load_items, load_themes
from widgets.pret.model import Item, Level, PretAssessment, Review
from widgets.ui import ChartArea, display_exercise, fold_intro_marker, message_html, status_html

BILAN_ANCHOR = "fa-pret-bilan"
PRIVACY = (
    "Vos réponses restent dans ce navigateur, sur cet ordinateur : elles ne sont envoyées nulle part. "
    "Vous les retrouvez si vous rechargez la page. Le bouton « Tout recommencer » les efface."
)
# Message under a statement once answered: a symbol and a word, never colour alone.
LEVEL_MESSAGE = {
    Level.YES: ("right", "✔ Force :"),
    Level.PARTLY: ("close", "≈ Point de vigilance :"),
    Level.NOT_YET: ("close", "○ Point de vigilance :"),
    Level.UNSURE: ("info", "? À discuter en équipe :"),
}


class ItemRow:
    """One statement, its four answers (one choice group: one Tab stop, arrow keys) and the message
    that follows the team's answer. The statement is the group's visible name."""

    def __init__(self, number: int, item: Item, on_change: Callable[[ItemRow, Level | None], None]):
        self.item = item
        self.choice = RadioGroup(
            [(level.value, level) for level in Level],
            f"{number}. {item.statement}",
            orientation="horizontal",
        )
        self.feedback = w.HTML()
        self.choice.on_value(lambda level: on_change(self, level))
        self.root = w.VBox([self.choice, self.feedback])
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
    """The self-check's page: the questions by theme, then the review that follows each answer."""

    def __init__(self, assessment: PretAssessment):
        self.assessment = assessment
        self._syncing = False  # True while reset or restore set the radios: no message per row
        self._report_shown = False
        self.memory = BrowserMemory("pret")
        self.rows: list[ItemRow] = []
        questions = self._questions()
        results = self._results()
        self.memory.on_restore(self.restore)
        self.root = w.VBox([*questions, *results])
        self.root.add_class("fa-exercise")
        self._refresh()

    def _questions(self) -> list[w.Widget]:
        """A link to the review, then each theme's title, intro and statements (numbered across themes)."""
        questions: list[w.Widget] = [
            w.HTML(
                f"<p><a href='#{BILAN_ANCHOR}'>Aller directement au bilan</a> (il se met à jour à chaque réponse).</p>"
            )
        ]
        for theme in self.assessment.themes:
            questions.append(w.HTML(f"<h2>{html.escape(theme.label)}</h2><p><em>{html.escape(theme.intro)}</em></p>"))
            for item in self.assessment.items_of(theme.id):
                row = ItemRow(len(self.rows) + 1, item, self._on_change)
                self.rows.append(row)
                questions.append(row.root)
        return questions

    def _results(self) -> list[w.Widget]:
        """« Notre bilan »: summary, chart, scores, the four lists, and how to keep the review."""
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
            description="Imprimer ou enregistrer le bilan", button_style="primary", layout=w.Layout(width="auto")
        )
        self.report_link = w.HTML()
        self.report_link.add_class("fa-pret-report")
        self.reset = ResetControl(self._on_reset)
        self.make_report.on_click(self._on_report)
        return [
            w.HTML(f"<h2 id='{BILAN_ANCHOR}'>Notre bilan</h2>"),
            self.summary,
            w.HTML("<h3>Score par thème (Oui = 1, En partie = 0,5)</h3>"),
            self.chart.root,
            self.scores,
            w.HTML("<h3>Forces</h3>"),
            self.strengths,
            w.HTML("<h3>Points de vigilance</h3>"),
            self.vigilance,
            w.HTML(
                "<h3>Prochaines étapes</h3><p>Les plus urgentes d'abord : « Pas encore », "
                "puis « En partie », puis « Je ne sais pas ».</p>"
            ),
            self.next_steps,
            w.HTML("<h3>À discuter en équipe</h3>"),
            self.discuss,
            w.HTML(f"<h3>Garder le bilan</h3><p>{html.escape(PRIVACY)}</p>"),
            self.make_report,
            self.report_link,
            self.reset,
            self.memory,
        ]

    def _on_change(self, row: ItemRow, level: Level | None) -> None:
        if self._syncing:
            return
        self._apply(row, level)
        self._refresh()

    def _apply(self, row: ItemRow, level: Level | None) -> None:
        try:
            if level is None:
                self.assessment.clear(row.item.id)
            else:
                self.assessment.answer(row.item.id, level)
        except InputError as error:
            row.feedback.value = message_html(str(error), "error", "Attention :")
            return
        row.show_level(self.assessment.answer_of(row.item.id))

    def state(self) -> dict[str, Any]:
        """What the browser keeps: the answer to each statement, by its identifier."""
        answers = {r.item.id: level.value for r in self.rows if (level := self.assessment.answer_of(r.item.id))}
        return {"reponses": answers} if answers else {}

    def restore(self, state: dict[str, Any]) -> None:
        """Put back the answers kept by the browser; unknown statements or answers are ignored."""
        answers = restored_part(state, "reponses", dict)
        levels = {level.value: level for level in Level}
        self._syncing = True
        try:
            for row in self.rows:
                level = levels.get(str(answers.get(row.item.id)))
                if level is not None:
                    row.choice.value = level
                    self._apply(row, level)
        finally:
            self._syncing = False
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
        self.memory.clear()

    def _on_report(self, _button: object) -> None:
        self._report_shown = True
        self._show_report(self.assessment.review())

    def _show_report(self, review: Review) -> None:
        """The download link; rebuilt after every change once shown, so it never lags behind."""
        try:
            uri = report.data_uri(report.build_report(review, date.today()))
        except ValueError as error:  # InputError included: shown in French, never a traceback
            self.report_link.value = message_html(str(error), "error", "Le bilan ne peut pas être fabriqué :")
            return
        link = f"<p><a download='{report.FILENAME}' href='{uri}'>Télécharger le bilan ({report.FILENAME})</a></p>"
        self.report_link.value = message_html(
            "Ouvrez le fichier puis Ctrl+P pour imprimer (ou pour l'enregistrer en PDF). "
            "Le fichier est fabriqué dans cette page : il n'est ni enregistré ni envoyé ailleurs. "
            "Si vous changez une réponse, le fichier se met à jour.",
            "info",
            "Votre bilan est prêt.",
            extra=link,
        )

    def _refresh(self) -> None:
        review = self.assessment.review()
        self.summary.value = status_html(review.summary, report.answered_sentence(review))
        self.scores.value = report.scores_table(review) + f"<p>{html.escape(report.SCORE_RULE)}</p>"
        self.strengths.value = report.strengths_list(review)
        self.vigilance.value = report.vigilance_list(review)
        self.next_steps.value = report.next_steps_list(review)
        self.discuss.value = report.discuss_list(review, fold_unanswered=True)
        if self._report_shown:
            self._show_report(review)
        self.chart.draw(themes_figure(review.themes) if review.answered else None)
        if not self._syncing:
            self.memory.save(self.state())


def show() -> None:
    """Display the self-assessment; a data problem is shown as a French message, not a traceback."""
    fold_intro_marker()
    display_exercise(lambda: PretView(PretAssessment(load_items(), load_themes())).root)
