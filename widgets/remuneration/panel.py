"""Where the simulator's figures go on the page: the status line, the summary, the months that change,
the chart, the table on demand and the explanations.

Why a component of its own (issue 17): the page's class held every widget and every way of drawing
them. This one only shows a :class:`~widgets.remuneration.model.Result` (built into HTML by
:mod:`.results`) or hides the figures with a reason, and says where a computation stands.
"""

from __future__ import annotations

import html
import threading

import ipywidgets as w

from widgets.controls import Disclosure, StatusLine
from widgets.ui import ChartArea, message_html, status_html

from .chart import resources_figure
from .model import Result
from .results import TABLE_SUMMARY, changes_html, chart_title, details_html, legend_html, summary_html, tables_html

COMPUTING = "Calcul en cours avec OpenFisca… Les chiffres de ce cas arrivent dans quelques secondes, plus bas."
COMPUTED = "Les chiffres sont à jour."
FAILED = "Le calcul n'a pas abouti. Changez une valeur ou cliquez « Tout recommencer »."
#: Said when no figure is shown: figures on the screen are always those of the inputs on the screen.
HIDDEN_WHILE_ERROR = (
    "Les chiffres sont cachés tant qu'une saisie est à corriger : ils ne correspondraient pas à ce qui est écrit."
)
HIDDEN_WHILE_COMPUTING = "Les chiffres de ce cas arrivent dans quelques secondes."


class ResultsPanel:
    """The figures of one result, or a reason why there are none; safe to call from a background thread."""

    def __init__(self) -> None:
        self.status = StatusLine()
        self.status.add_class("fa-statut")  # benchmarks follow « Calcul en cours » through it
        self.notice = w.HTML()  # what to correct when no field shows it
        self.summary = w.HTML()
        self.changes = w.HTML()
        self.chart_title = w.HTML()
        self.chart = ChartArea("Le graphique apparaîtra dès que le calcul sera fait.")
        self.chart_legend = w.HTML()
        self.table = Disclosure(TABLE_SUMMARY)
        self.details = w.HTML()
        self.last: Result | None = None
        self.lock = threading.RLock()  # one drawing at a time: the kernel's thread and the background one

    @property
    def children(self) -> list[w.DOMWidget]:
        return [
            self.status,
            self.notice,
            self.summary,
            self.changes,
            self.chart_title,
            self.chart.root,
            self.chart_legend,
            self.table,
            self.details,
        ]

    def computing(self) -> None:
        """A new case is being computed: say so where the learner is looking, hide the old figures."""
        self.notice.value = ""
        self.status.say(COMPUTING, visible=True)
        self.hide(HIDDEN_WHILE_COMPUTING)

    def failed(self) -> None:
        self.status.say("")
        self.notice.value = message_html(FAILED, "error")

    def input_error(self, message: str | None) -> None:
        """An entry to correct: its message is next to its field (``None``), or here."""
        self.status.say("")
        if message is None:  # the alert next to the field is read once; no second alert
            self.notice.value = status_html("Une saisie est à corriger (message sous le champ).")
        else:
            self.notice.value = message_html(message, "error", "À corriger :")
        self.hide(HIDDEN_WHILE_ERROR)

    def hide(self, reason: str) -> None:
        """No figure of another case stays on the screen: they are replaced by ``reason``."""
        with self.lock:
            self.last = None
            self.summary.value = f"<h2>Résultat</h2><p class='fa-chiffres-caches'>{html.escape(reason)}</p>"
            self.changes.value = ""
            self.chart_title.value = ""
            self.chart.draw(None)
            self.chart_legend.value = ""
            self.table.html = ""
            self.details.value = ""

    def show(self, result: Result) -> None:
        """Draw ``result``; after a « calcul en cours », the status line says the figures are there."""
        with self.lock:
            self.last = result
            self.notice.value = ""
            if self.status.visible:
                self.status.say(COMPUTED)  # read once, not shown: « calcul en cours » leaves the live region
            self.summary.value = summary_html(result)
            self.changes.value = changes_html(result)
            self.chart_title.value = f"<h2>{html.escape(chart_title(result))}</h2>"
            self.chart.draw(resources_figure(result))
            self.chart_legend.value = legend_html(result)
            self.table.html = tables_html(result)
            self.details.value = details_html(result)
