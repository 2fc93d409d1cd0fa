"""Plotly chart of the learner's placements against the course's references.

Shapes and a legend carry the meaning (an open diamond for the course's reference, a dot for the
learner's answer), so colour is never the only signal; a grey segment shows the distance between the
two, and dotted boxes the steps a situation accepts when there are several — the legend names each
of them once (the legend draws the marker itself: a « ◆ » in its name showed each symbol twice). Why the situation titles are written above their row, not as axis labels: on a phone,
labels on the left would leave the plot about 110 px wide. The steps are numbered on the axis, and
named in the list above the exercise; the chart's title is an HTML heading in the view.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from widgets.charts import row_titled_layout
from widgets.continuum.model import Placement, Step

ROW_HEIGHT = 92  # px per situation: two lines of title above the markers
SPAN = (0.45, 0.75)  # rows of room below the last situation and above the first one (for its title)
# px above the plot for the legend: three lines on a phone. Room of its own, so that plotly does not
# take it from the plot (the rows then shrank and the first title ran into the legend).
LEGEND_ROOM = 88
BOTTOM = 64  # px below the plot: the steps' numbers and the axis title
TITLE_WIDTH = 32  # characters per line of a situation's title: it fits a phone's plot at 16 px
BOX_LEGEND = "Étapes acceptées (pointillés)"


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
                name="Repère du cours",
                marker={"symbol": "diamond-open", "size": 18, "color": "#1b5e20", "line": {"width": 3}},
                hovertemplate="Repère : étape %{x}<extra></extra>",
            ),
            go.Scatter(
                x=[p.chosen for p in placements],
                y=rows,
                mode="markers",
                name="Votre réponse",
                marker={"symbol": "circle", "size": 12, "color": "#0d47a1"},
                hovertemplate="Votre réponse : étape %{x}<extra></extra>",
            ),
        ]
    )
    boxes = False
    for row, placement in zip(rows, placements, strict=True):
        if len(placement.accepted) > 1:  # every step the situation accepts: a light box behind the markers
            boxes = True
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
    if boxes:
        # The legend's line for the dotted boxes: a trace with no point, drawn in the legend only.
        # (A shape's own legend entry, plotly ≥ 5.15, left the chart's box 0 px high in Voilà.)
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=BOX_LEGEND,
                line={"width": 2, "color": "#5f8f68", "dash": "dot"},
                hoverinfo="skip",
                showlegend=True,
            )
        )
    return row_titled_layout(
        fig,
        ["<br>".join(textwrap.wrap(p.title, TITLE_WIDTH)) for p in placements],
        title_shift=14,
        span=SPAN,
        height=LEGEND_ROOM + BOTTOM + round(ROW_HEIGHT * (len(placements) - 1 + sum(SPAN))),
        top=LEGEND_ROOM,
        bottom=BOTTOM,
        xaxis={
            "tickmode": "array",
            "tickvals": [s.position for s in steps],
            "ticktext": [str(s.position) for s in steps],
            "range": [first - 0.5, last + 0.5],
            "fixedrange": True,
            "title": {"text": f"Étape du continuum ({first} à {last})"},
        },
        # At the top of the figure, in the room kept for it (one line on a laptop, up to three on a phone).
        legend={"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 1.0, "yanchor": "top"},
    )
