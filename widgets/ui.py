"""Shared view helpers: accessible HTML tables, feedback cards, the status line, charts, reset.

Why here: every exercise shows errors, scores and tables the same way, so a learner meets one visual
language (symbol + word, never colour alone) and a maintainer fixes a style in one place — the
stylesheet of the Voilà template, which these helpers only name by class.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from IPython.display import HTML

from widgets.fr import typography

if TYPE_CHECKING:  # pandas costs ~0.4 s to import: a kernel that draws no table never pays it
    import pandas as pd
    import plotly.graph_objects as go

    from widgets.controls import ResetControl

# The look of every exercise comes from one stylesheet, loaded once by the Voilà template
# (widgets/voila_templates/voila/templates/faire-avec/static/faire-avec.css) and, in the book, by
# _config.yml (with faire-avec-book.css): views add class names, never a <style> block.


def table_markup(frame: pd.DataFrame, caption: str, row_headers: bool = False) -> str:
    """An accessible table: caption, header cells with scope, and each cell labelled with its column
    (``data-label``) so that the stylesheet can show a row as a card on a phone instead of cutting it."""
    columns = [str(c) for c in frame.columns]
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    rows = []
    for row in frame.itertuples(index=False):
        cells = []
        for index, (column, value) in enumerate(zip(columns, row, strict=True)):
            tag = "th" if row_headers and index == 0 else "td"
            scope = ' scope="row"' if tag == "th" else ""
            text = html.escape(typography(str(value)))
            cells.append(f'<{tag}{scope} data-label="{html.escape(column)}">{text}</{tag}>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="faire-table"><caption>{html.escape(typography(caption))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def html_table(frame: pd.DataFrame, caption: str) -> HTML:
    """:func:`table_markup` as a display object: it reads the same in the static book and in Voilà."""
    return HTML(table_markup(frame, caption))


def message_html(
    text: str, kind: str = "info", title: str | None = None, extra: str = "", say: str | None = None
) -> str:
    """A feedback card; ``kind`` is error, info, right, close or far (its colour, always with a word).

    How it is read aloud: an error is an alert (read once when it appears); any other card is read
    once through the page's single live region by the course's Voilà template, right after the
    learner's action — never both. ``say`` replaces the card's text for that reading when the card is
    long (e.g. a headline and « lisez les explications »). ``extra`` is trusted HTML placed after the text.
    """
    role = ' role="alert"' if kind == "error" else ""
    spoken = f' data-fa-say="{html.escape(say)}"' if say else ""
    heading = f"<strong>{html.escape(typography(title))}</strong> " if title else ""
    body = html.escape(typography(text))
    return f'<div class="faire-message faire-message--{kind}"{role}{spoken}>{heading}{body}{extra}</div>'


def status_html(text: str, detail: str | None = None) -> str:
    """The running score or summary of an exercise (« Bonnes réponses : 2 sur 5 »), the same in every view.

    Not a live region: the feedback card of each action is what gets read aloud, once."""
    more = f"<br>{html.escape(typography(detail))}" if detail else ""
    return f'<p class="fa-status"><strong>{html.escape(typography(text))}</strong>{more}</p>'


# responsive: the chart follows its column when the window changes (a phone turned, a window resized).
PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}


def plotly_bundle(figure: go.Figure) -> dict[str, Any]:
    """The mime bundle Jupyter's plotly renderer reads (offline, in Voilà and in the book), with the
    course's :data:`PLOTLY_CONFIG`: one place builds it, whether it is displayed or set as state."""
    import json

    spec = json.loads(figure.to_json())
    spec["config"] = PLOTLY_CONFIG
    return {"application/vnd.plotly.v1+json": spec}


def show_figure(figure: go.Figure) -> None:
    """Display a plotly figure through Jupyter's plotly mime type (rendered offline by Voilà).

    Why not ``figure.show()``: importing plotly's renderer machinery costs about a second at the
    first chart, which every learner would wait for; the mime bundle is all the front end needs.
    """
    from IPython.display import display

    display(plotly_bundle(figure), raw=True)


def fold_intro_marker() -> None:
    """Ask the page to fold the exercise's intro on a phone and in « Mode projecteur » (the Voilà
    template's faire-avec.js, block 6), so that the exercise itself starts on the first screen.

    Why a mark written by the kernel: it is part of the page Voilà draws with the cells, so the intro
    is folded before the learner starts reading it, not seconds later when the widgets arrive; the
    intro itself stays the notebook's text."""
    from IPython.display import display

    display(HTML('<div class="fa-fold-intro" hidden></div>'))


def display_exercise(
    build: Callable[[], Any], errors: tuple[type[Exception], ...] = (), title: str = "L'exercice ne peut pas s'ouvrir :"
) -> None:
    """Build an exercise's root widget and display it, or display a French message instead.

    Why one helper: every exercise must open on a French sentence, never a traceback, when its data
    file is malformed (:class:`widgets.data.DataFileError`) or its model refuses the content
    (:class:`widgets.errors.InputError`, or the exercise's own ``errors``).
    """
    from IPython.display import display

    from widgets.data import DataFileError
    from widgets.errors import InputError

    caught: tuple[type[Exception], ...] = (DataFileError, InputError, *errors)
    try:
        root = build()
    except caught as error:
        display(HTML(message_html(str(error), "error", title)))
        return
    display(root)


class ChartArea:
    """Where an exercise draws its plotly chart, with a French sentence until there is something to draw.

    Why nothing is drawn at construction: nbval cannot follow what a cell sends into an Output widget,
    so an exercise notebook stays comparable only if its first display has no chart yet.

    ``background=True`` is for a chart redrawn outside any cell's execution (a polling task or a
    thread, as the trainer's screen of the group mode does): ``with output: display(…)`` routes the
    message by the id of the request being executed, and there is none there, so the chart would
    silently stay stale. In that mode the Output widget's ``outputs`` are set directly: plain widget
    state, which the kernel sends whatever the context.
    """

    def __init__(self, placeholder: str, background: bool = False):
        import ipywidgets as w

        self.placeholder = placeholder
        self.background = background
        self.note = w.HTML(f"<p><em>{html.escape(placeholder)}</em></p>")
        self.output = w.Output()
        self.root = w.VBox([self.note, self.output])

    def draw(self, figure: go.Figure | None) -> None:
        """Show ``figure``, or the placeholder when ``figure`` is None."""
        if figure is None:
            self.note.value = f"<p><em>{html.escape(self.placeholder)}</em></p>"
            if self.background:
                self.output.outputs = ()
            elif self.output.outputs:
                self.output.clear_output()
            return
        self.note.value = ""
        if self.background:
            self.output.outputs = ({"output_type": "display_data", "data": plotly_bundle(figure), "metadata": {}},)
            return
        self.output.clear_output(wait=True)
        with self.output:
            show_figure(figure)


def reset_control(on_reset: Callable[[], None], what: str = "toutes vos réponses") -> ResetControl:
    """« Tout recommencer » that asks once before erasing (a slip of the finger must not wipe a
    learner's work) and keeps the keyboard focus: see :class:`widgets.controls.ResetControl`."""
    from widgets.controls import ResetControl  # anywidget is imported only by pages that reset

    return ResetControl(on_reset, what)
