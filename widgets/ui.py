"""Shared view helpers: accessible HTML tables, French messages and live-exercise boxes.

Why here: every exercise shows errors and tables the same way, so a learner meets one visual
language (symbol + word, never colour alone) and a maintainer fixes a style in one place.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pandas as pd
from IPython.display import HTML

STYLE = """
<style>
.faire-table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 1rem; }
.faire-table caption { text-align: left; font-weight: bold; padding-bottom: 0.4em; }
.faire-table th, .faire-table td { border: 1px solid #767676; padding: 0.4em 0.6em; text-align: left; vertical-align: top; }
.faire-table thead th { background: #f0f0f0; }
.faire-message { padding: 0.6em 0.8em; border-left: 6px solid; margin: 0.4em 0; font-size: 1.05rem; }
.faire-message--error { border-color: #b00020; background: #fdecee; }
.faire-message--info { border-color: #005a9c; background: #eef5fb; }
.faire-message--right { border-color: #1b7a33; background: #edf7ef; }
.faire-message--close { border-color: #8a5a00; background: #fff6e5; }
.faire-message--far { border-color: #b00020; background: #fdecee; }
</style>
"""


def html_table(frame: pd.DataFrame, caption: str) -> HTML:
    """An accessible table (caption, header cells with scope) that reads the same in the static book."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return HTML(
        f'{STYLE}<table class="faire-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def message_html(text: str, kind: str = "info", title: str | None = None) -> str:
    """A message box; ``kind`` is error, info, right, close or far. Errors are announced (role=alert)."""
    role = ' role="alert"' if kind == "error" else ' role="status"'
    heading = f"<strong>{html.escape(title)}</strong> " if title else ""
    return f'{STYLE}<div class="faire-message faire-message--{kind}"{role}>{heading}{html.escape(text)}</div>'


PLOTLY_CONFIG = {"displayModeBar": False}


def show_figure(figure) -> None:
    """Display a plotly figure through Jupyter's plotly mime type (rendered offline by Voilà).

    Why not ``figure.show()``: importing plotly's renderer machinery costs about a second at the
    first chart, which every learner would wait for; the mime bundle is all the front end needs.
    """
    import json

    from IPython.display import display

    spec = json.loads(figure.to_json())
    spec["config"] = PLOTLY_CONFIG
    display({"application/vnd.plotly.v1+json": spec}, raw=True)


def display_exercise(
    build: Callable[[], Any], errors: tuple[type[Exception], ...] = (), title: str = "L'exercice ne peut pas s'ouvrir :"
) -> None:
    """Build an exercise's root widget and display it, or display a French message instead.

    Why one helper: every exercise must open on a French sentence, never a traceback, when its data
    file is malformed (:class:`widgets.data.DataFileError`) or its model refuses the content.
    """
    from IPython.display import display

    from widgets.data import DataFileError

    caught: tuple[type[Exception], ...] = (DataFileError, *errors)
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
    """

    def __init__(self, placeholder: str):
        import ipywidgets as w

        self.placeholder = placeholder
        self.note = w.HTML(f"<p><em>{html.escape(placeholder)}</em></p>")
        self.output = w.Output()
        self.root = w.VBox([self.note, self.output])

    def draw(self, figure) -> None:
        """Show ``figure``, or the placeholder when ``figure`` is None."""
        if figure is None:
            self.note.value = f"<p><em>{html.escape(self.placeholder)}</em></p>"
            if self.output.outputs:
                self.output.clear_output()
            return
        self.note.value = ""
        self.output.clear_output(wait=True)
        with self.output:
            show_figure(figure)


def reset_control(on_reset, what: str = "toutes vos réponses"):
    """« Tout recommencer » that asks once before erasing: a slip of the finger must not wipe a
    learner's work. Returns the widget to place in the view."""
    import ipywidgets as w

    ask = w.Button(
        description="Tout recommencer", icon="refresh", layout=w.Layout(width="auto"), tooltip=f"Effacer {what}"
    )
    question = w.HTML(f"<strong>Effacer {html.escape(what)} ?</strong>")
    yes = w.Button(description="Oui, tout effacer", icon="trash", layout=w.Layout(width="auto"))
    no = w.Button(description="Non, garder mes réponses", layout=w.Layout(width="auto"))
    confirm = w.HBox([question, yes, no], layout=w.Layout(display="none", align_items="center", gap="0.6em"))

    def show_confirm(visible: bool) -> None:
        confirm.layout.display = "flex" if visible else "none"
        ask.layout.display = "none" if visible else ""

    ask.on_click(lambda _: show_confirm(True))
    no.on_click(lambda _: show_confirm(False))

    def do_reset(_button) -> None:
        show_confirm(False)
        on_reset()

    yes.on_click(do_reset)
    return w.VBox([ask, confirm])
