"""Plotly chart of the team's score per theme.

Horizontal bars, one per theme, with the value written on each bar (« 75 % », or « à discuter »
when a theme only has « Je ne sais pas »): the number is read, so colour is never the only signal.
The axis is fixed from 0 to 100 % so that bars can be compared from one change to the next.
"""

from __future__ import annotations

import plotly.graph_objects as go

from widgets.pret.model import NBSP, ThemeScore

BAR_COLOUR = "#005a9c"
TICKS = (0, 25, 50, 75, 100)


def themes_figure(scores: tuple[ThemeScore, ...]) -> go.Figure:
    # « Je ne sais pas » and blanks are not in the percentage: the label says how many answers are.
    labels = []
    for score in scores:
        plural = "s" if score.scored > 1 else ""
        labels.append(f"{score.theme.label}<br>{score.scored} affirmation{plural} comptée{plural} sur {score.total}")
    hover = [
        f"{s.theme.label} : {s.text}<br>Oui : {s.yes} · En partie : {s.partly} · Pas encore : {s.not_yet}"
        f"<br>Je ne sais pas : {s.unsure} · Sans réponse : {s.unanswered}"
        for s in scores
    ]
    fig = go.Figure(
        go.Bar(
            x=[s.percent or 0 for s in scores],
            y=labels,
            orientation="h",
            text=[s.text for s in scores],
            textposition="outside",
            cliponaxis=False,
            textfont={"size": 16, "color": "#111111"},
            marker={"color": BAR_COLOUR, "line": {"color": "#002d4f", "width": 1}},
            hovertext=hover,
            hoverinfo="text",
            name="Score",
        )
    )
    fig.update_layout(
        title={"text": "Score par thème (Oui = 1, En partie = 0,5)"},
        xaxis={"range": [0, 118], "tickvals": TICKS, "ticktext": [f"{t}{NBSP}%" for t in TICKS], "fixedrange": True},
        yaxis={"autorange": "reversed", "fixedrange": True},
        height=140 + 70 * len(scores),
        margin={"l": 10, "r": 30, "t": 60, "b": 30},
        showlegend=False,
        font={"size": 14},
        plot_bgcolor="white",
        template="simple_white",
        separators=", ",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e0e0e0")
    return fig
