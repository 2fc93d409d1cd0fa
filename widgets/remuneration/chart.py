"""Plotly chart of the simulator: month by month, what the person receives, with and without the offer.

Stacked bars carry the parts (pay, RSA, prime d'activité…), each with its own pattern as well as its
colour; lines give the totals, so colour is never the only signal. Under the texts' rules, dotted
vertical lines mark where each quarter starts (a new declaration fixes the RSA and the prime
d'activité for three months): the steps of the bars are read against them. The title is written
above the chart and the legend below it by the view, as HTML (:func:`legend_items`): on a 360 px
phone they wrap instead of being cut, and the legend can never be drawn over the axis.
"""

from __future__ import annotations

import plotly.graph_objects as go

from widgets.charts import TEMPLATE

from .explain import COLUMN_LABELS_FR, MONTH_LABELS_FR
from .inputs import MONTHS
from .model import Result

#: Short month names on the axis (12 labels must fit a phone); the full name is in the hover text.
AXIS_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")

PARTS = (
    ("pay", "#1f4e79", ""),
    ("rsa", "#c55a11", "/"),
    ("ppa", "#548235", "x"),
    ("housing", "#7030a0", "."),
    ("aah", "#bf8f00", "-"),
    ("family", "#2e75b6", "+"),
)
#: The patterns in words, for the legend (colour is never the only signal).
PATTERN_WORDS = {
    "": "barre pleine",
    "/": "barre à hachures",
    "x": "barre à croisillons",
    ".": "barre à points",
    "-": "barre à traits",
    "+": "barre à petites croix",
}
BASELINE_LINE = ("black", "dash")
OFFER2_LINE = ("#7f7f7f", "solid")
QUARTER_LINE = "#595959"  # 7:1 on white: the quarter marks are seen without relying on colour


def _shown_parts(result: Result) -> list[tuple[str, str, str]]:
    first = result.offers[0]
    return [(c, colour, pattern) for c, colour, pattern in PARTS if first.with_offer[c].abs().sum()]


def legend_items(result: Result) -> list[tuple[str, str, str]]:
    """(label, colour, how it is drawn in words) for each series of :func:`resources_figure`."""
    items = [(COLUMN_LABELS_FR[c], colour, PATTERN_WORDS[pattern]) for c, colour, pattern in _shown_parts(result)]
    items.append(("Total sans l'offre", BASELINE_LINE[0], "ligne en tirets, avec des carrés"))
    if len(result.offers) > 1:
        items.append(("Total avec l'offre 2", OFFER2_LINE[0], "ligne pleine, avec des losanges"))
    if result.calendar.quarterly:
        items.append(("Début d'un trimestre : nouvelle déclaration", QUARTER_LINE, "trait vertical en points"))
    return items


def _quarter_marks(fig: go.Figure, result: Result) -> None:
    """A dotted vertical line before each month whose declaration fixes the next three months."""
    for review in result.calendar.reviews():
        if review == 0:
            continue  # the year's first month: the axis itself
        fig.add_shape(
            type="line",
            xref="x",
            yref="paper",
            x0=review - 0.5,
            x1=review - 0.5,
            y0=0,
            y1=1,
            line={"color": QUARTER_LINE, "width": 2, "dash": "dot"},
            layer="above",
        )


def resources_figure(result: Result) -> go.Figure:
    months = list(AXIS_MONTHS)
    full = [MONTH_LABELS_FR[m] for m in MONTHS]
    first = result.offers[0]
    fig = go.Figure()
    for column, colour, pattern in _shown_parts(result):
        values = first.with_offer[column]
        fig.add_bar(
            x=months,
            y=values,
            name=COLUMN_LABELS_FR[column],
            marker_color=colour,
            marker_pattern_shape=pattern,
            customdata=full,
            hovertemplate="%{customdata} : %{y:,.2f} €<extra>" + COLUMN_LABELS_FR[column] + "</extra>",
        )
    fig.add_scatter(
        x=months,
        y=result.baseline["total"],
        name="Total sans l'offre",
        mode="lines+markers",
        line={"color": BASELINE_LINE[0], "dash": BASELINE_LINE[1], "width": 3},
        marker={"symbol": "square"},
        customdata=full,
        hovertemplate="%{customdata} : %{y:,.2f} €<extra>Total sans l'offre</extra>",
    )
    if len(result.offers) > 1:
        fig.add_scatter(
            x=months,
            y=result.offers[1].with_offer["total"],
            name="Total avec l'offre 2",
            mode="lines+markers",
            line={"color": OFFER2_LINE[0], "width": 3},
            marker={"symbol": "diamond"},
            customdata=full,
            hovertemplate="%{customdata} : %{y:,.2f} €<extra>Total avec l'offre 2</extra>",
        )
    if result.calendar.quarterly:
        _quarter_marks(fig, result)
    fig.update_layout(
        barmode="stack",
        template=TEMPLATE,
        height=420,
        showlegend=False,
        font={"size": 14},
        # No axis title: the unit is in the title above the chart, and a phone keeps ≥ 280 px of plot.
        yaxis={"tickformat": ",.0f", "fixedrange": True, "automargin": True, "tickfont": {"size": 12}},
        xaxis={"fixedrange": True, "automargin": True},
        separators=", ",
        margin={"l": 4, "r": 4, "t": 16, "b": 8},
    )
    return fig
