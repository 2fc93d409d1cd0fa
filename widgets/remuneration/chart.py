"""Plotly chart of the simulator: month by month, what the person receives, with and without the offer.

Stacked bars carry the parts (pay, RSA, prime d'activité…), each with its own pattern as well as its
colour; lines give the totals, so colour is never the only signal. The title is written above the
chart by the view (as text, it wraps on a 360 px phone instead of being cut), and the legend sits
below the plot, never over the axis.
"""

from __future__ import annotations

import plotly.graph_objects as go

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


def resources_figure(result: Result) -> go.Figure:
    months = list(AXIS_MONTHS)
    full = [MONTH_LABELS_FR[m] for m in MONTHS]
    first = result.offers[0]
    fig = go.Figure()
    for column, colour, pattern in PARTS:
        values = first.with_offer[column]
        if not values.abs().sum():
            continue
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
        line={"color": "black", "dash": "dash", "width": 3},
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
            line={"color": "#7f7f7f", "width": 3},
            marker={"symbol": "diamond"},
            customdata=full,
            hovertemplate="%{customdata} : %{y:,.2f} €<extra>Total avec l'offre 2</extra>",
        )
    fig.update_layout(
        barmode="stack",
        template="simple_white",
        height=520,
        font={"size": 14},
        yaxis={"title": {"text": "euros par mois"}, "tickformat": ",.0f", "fixedrange": True, "automargin": True},
        xaxis={"fixedrange": True, "automargin": True},
        separators=", ",
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.15, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
    )
    return fig
