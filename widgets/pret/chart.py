"""Plotly chart of the team's score per theme.

Horizontal bars, one per theme, with the value written on each bar (« 75 % », or « à discuter »
when a theme only has « Je ne sais pas »): the number is read, so colour is never the only signal.
The axis is fixed from 0 to 100 % so that bars can be compared from one change to the next.
Why each theme's name is written above its bar rather than as an axis label: on a phone, labels on
the left would leave the bars about 100 px wide. The chart's title is an HTML heading in the view.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from widgets.charts import row_titled_layout
from widgets.fr import plural
from widgets.pret.model import NBSP, ThemeScore

BAR_COLOUR = "#005a9c"
TICKS = (0, 25, 50, 75, 100)
ROW_HEIGHT = 140  # px per theme: its name and count (up to three lines), then the bar
COUNT_WIDTH = 30  # characters per line of a theme's count: it fits a phone's plot at 16 px


def answers_label(score: ThemeScore) -> str:
    """« 7 réponses sur 7, dont 1 « Je ne sais pas » »: the count says what was answered, and why the
    percentage may rest on fewer answers (« Je ne sais pas » is not scored)."""
    answered = score.scored + score.unsure
    text = f"{plural(answered, 'réponse')} sur {score.total}"
    if score.unsure:
        # No-break spaces: on a phone the line wraps before the quoted answer, never inside it.
        text += f", dont {score.unsure} «{NBSP}Je\u00a0ne\u00a0sais\u00a0pas{NBSP}»"
    return text


def themes_figure(scores: tuple[ThemeScore, ...]) -> go.Figure:
    rows = list(range(len(scores)))
    hover = [
        f"{s.theme.label} : {s.text}<br>Oui : {s.yes} · En partie : {s.partly} · Pas encore : {s.not_yet}"
        f"<br>Je ne sais pas : {s.unsure} · Sans réponse : {s.unanswered}"
        for s in scores
    ]
    fig = go.Figure(
        go.Bar(
            x=[s.percent or 0 for s in scores],
            y=rows,
            orientation="h",
            width=0.36,
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
    return row_titled_layout(
        fig,
        [
            f"<b>{score.theme.label}</b><br>{'<br>'.join(textwrap.wrap(answers_label(score), COUNT_WIDTH))}"
            for score in scores
        ],
        title_shift=30,
        span=(0.5, 1.0),
        height=70 + ROW_HEIGHT * len(scores),
        top=10,
        bottom=30,
        xaxis={"range": [0, 118], "tickvals": TICKS, "ticktext": [f"{t}{NBSP}%" for t in TICKS], "fixedrange": True},
        showlegend=False,
        separators=", ",
    )
