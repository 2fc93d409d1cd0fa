"""Plotly chart of the learner's placements against the course's references.

Shapes and a legend carry the meaning (◆ repère, ● votre réponse), so colour is never the only
signal; a grey segment shows the distance between the two.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from widgets.continuum.model import Placement, Step


def placements_figure(placements: list[Placement], steps: tuple[Step, ...]) -> go.Figure:
    titles = ["<br>".join(textwrap.wrap(p.title, 28)) for p in placements]
    segment_x: list[float | None] = []
    segment_y: list[str | None] = []
    for placement, title in zip(placements, titles, strict=False):
        segment_x += [placement.chosen, placement.reference, None]
        segment_y += [title, title, None]
    fig = go.Figure(
        [
            go.Scatter(
                x=segment_x,
                y=segment_y,
                mode="lines",
                line={"color": "#9a9a9a", "width": 2},
                hoverinfo="skip",
                showlegend=False,
            ),
            go.Scatter(
                x=[p.reference for p in placements],
                y=titles,
                mode="markers",
                name="◆ Repère du cours",
                marker={"symbol": "diamond-open", "size": 18, "color": "#1b5e20", "line": {"width": 3}},
                hovertemplate="Repère : étape %{x}<extra></extra>",
            ),
            go.Scatter(
                x=[p.chosen for p in placements],
                y=titles,
                mode="markers",
                name="● Votre réponse",
                marker={"symbol": "circle", "size": 12, "color": "#0d47a1"},
                hovertemplate="Votre réponse : étape %{x}<extra></extra>",
            ),
        ]
    )
    fig.update_layout(
        title={"text": "Vos réponses et les repères du cours"},
        xaxis={
            "tickmode": "array",
            "tickvals": [s.position for s in steps],
            "ticktext": ["<br>".join(textwrap.wrap(f"{s.position}. {s.label}", 14)) for s in steps],
            "range": [steps[0].position - 0.5, steps[-1].position + 0.5],
            "fixedrange": True,
        },
        yaxis={"autorange": "reversed", "fixedrange": True},
        height=180 + 48 * len(placements),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "y": -0.15 - 2 / max(len(placements), 1) * 0.05},
        font={"size": 14},
        plot_bgcolor="white",
        template="simple_white",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e0e0e0")
    return fig
