"""The look shared by every chart of the course, and the layout of the row charts (continuum
placements, « Prêt·e ? » themes).

Why a template of our own (:data:`TEMPLATE`): plotly's ``simple_white`` carries defaults for some
thirty kinds of trace; set on a figure, it was validated and sent with every redraw (8 kB, about
50 ms of processor per figure on the project's machine, most of a « Prêt·e ? » gesture). Ours keeps
only what our bar and line charts use from it (white background, dark axis lines, ticks outside,
no grid unless asked), so the charts look the same for a fifth of the cost and a tenth of the size.

Why one helper: both charts put one row per item, row 0 at the top, and write each row's title above
it rather than as an axis label — on a phone, labels on the left would leave the plot about 100 px
wide. Keeping that layout (title boxes, hidden y axis, light vertical grid, fonts) in one place means
a fix for a phone or for contrast reaches both charts.

Why 16 px for every text of these charts (:data:`FONT`): it is the exercises' body text, so a chart
reads like the page around it on a phone; and « Mode projecteur » enlarges the whole page 1.5 times
(``zoom`` in faire-avec.css, charts included), which makes it 24 px on a room's screen — at 14 px the
labels were 18 to 21 px there, smaller than the text beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

TEXT_COLOUR = "#222832"
FONT = {"size": 16, "color": TEXT_COLOUR}
TEMPLATE = "faire_avec"
_AXIS = {
    "showline": True,
    "linecolor": "rgb(36,36,36)",
    "ticks": "outside",
    "showgrid": False,
    "gridcolor": "rgb(232,232,232)",
    "zeroline": False,
    "zerolinecolor": "rgb(36,36,36)",
    "automargin": True,
    "title": {"standoff": 15},
}
pio.templates[TEMPLATE] = go.layout.Template(
    layout={
        "font": {"color": "rgb(36,36,36)"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
    }
)


def row_titled_layout(
    fig: go.Figure,
    titles: Sequence[str],
    *,
    title_shift: int,
    span: tuple[float, float],
    height: int,
    top: int,
    bottom: int,
    xaxis: dict[str, Any],
    **layout: Any,
) -> go.Figure:
    """Write ``titles[row]`` above each row (HTML allowed) and lay the figure out around the rows.

    ``title_shift`` lifts each title above its row's markers (px); ``span`` is how much room is left
    below the last row and above the first one (in rows); ``top`` and ``bottom`` are the figure's
    margins (px); ``xaxis`` and ``layout`` are what differs from one chart to the other.
    """
    for row, text in enumerate(titles):
        fig.add_annotation(
            x=0,
            xref="paper",
            xanchor="left",
            y=row,
            yshift=title_shift,
            yanchor="bottom",
            text=text,
            showarrow=False,
            align="left",
            bgcolor="rgba(255, 255, 255, 0.85)",
            font=FONT,
        )
    below, above = span
    fig.update_layout(
        xaxis=xaxis,
        yaxis={
            "range": [len(titles) - below, -above],
            "showticklabels": False,
            "ticks": "",
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        height=height,
        margin={"l": 8, "r": 8, "t": top, "b": bottom},
        font=FONT,
        plot_bgcolor="white",
        template=TEMPLATE,
        **layout,
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e0e0e0")
    return fig
