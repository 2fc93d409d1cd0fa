"""Plotly chart of the learner's placements against the course's references.

Shapes and a legend carry the meaning (◆ repère, ● votre réponse), so colour is never the only
signal; a grey segment shows the distance between the two, and dotted boxes the steps a situation
accepts when there are several. Why the situation titles are written above their row, not as axis labels: on a phone,
labels on the left would leave the plot about 110 px wide. The steps are numbered on the axis, and
named in the list above the exercise; the chart's title is an HTML heading in the view.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from widgets.charts import row_titled_layout
from widgets.continuum.model import Placement, Step

ROW_HEIGHT = 84  # px per situation: two lines of title above the markers


def placements_figure(placements: list[Placement], steps: tuple[Step, ...]) -> go.Figure:
    rows = list(range(len(placements)))
    segment_x: list[float | None] = []
    segment_y: list[float | None] = []
    for row, placement in zip(rows, placements, strict=True):
        segment_x += [placement.chosen, placement.reference, None]
        segment_y += [row, row, None]
    first, last = steps[0].position, steps[-1].position
    fig = go.Figure(
        [
            go.Scatter(
                x=segment_x,
                y=segment_y,
                mode="lines",
                line={"color": "#6b7280", "width": 2},
                hoverinfo="skip",
                showlegend=False,
            ),
            go.Scatter(
                x=[p.reference for p in placements],
                y=rows,
                mode="markers",
                name="◆ Repère du cours",
                marker={"symbol": "diamond-open", "size": 18, "color": "#1b5e20", "line": {"width": 3}},
                hovertemplate="Repère : étape %{x}<extra></extra>",
            ),
            go.Scatter(
                x=[p.chosen for p in placements],
                y=rows,
                mode="markers",
                name="● Votre réponse",
                marker={"symbol": "circle", "size": 12, "color": "#0d47a1"},
                hovertemplate="Votre réponse : étape %{x}<extra></extra>",
            ),
        ]
    )
    for row, placement in zip(rows, placements, strict=True):
        if len(placement.accepted) > 1:  # every step the situation accepts: a light box behind the markers
            for step in placement.accepted:
                fig.add_shape(
                    type="rect",
                    x0=step - 0.32,
                    x1=step + 0.32,
                    y0=row - 0.2,
                    y1=row + 0.2,
                    line={"width": 1, "color": "#5f8f68", "dash": "dot"},
                    fillcolor="rgba(27, 94, 32, 0.08)",
                    layer="below",
                )
    return row_titled_layout(
        fig,
        ["<br>".join(textwrap.wrap(p.title, 38)) for p in placements],
        title_shift=14,
        span=(0.45, 0.75),
        height=110 + ROW_HEIGHT * len(placements),
        top=36,
        bottom=56,
        xaxis={
            "tickmode": "array",
            "tickvals": [s.position for s in steps],
            "ticktext": [str(s.position) for s in steps],
            "range": [first - 0.5, last + 0.5],
            "fixedrange": True,
            "title": {"text": f"Étape du continuum ({first} à {last})", "font": {"size": 14}},
        },
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
    )
