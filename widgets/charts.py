"""The layout shared by the exercises' row charts (continuum placements, « Prêt·e ? » themes).

Why one helper: both charts put one row per item, row 0 at the top, and write each row's title above
it rather than as an axis label — on a phone, labels on the left would leave the plot about 100 px
wide. Keeping that layout (title boxes, hidden y axis, light vertical grid, fonts) in one place means
a fix for a phone or for contrast reaches both charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import plotly.graph_objects as go

TEXT_COLOUR = "#222832"
FONT = {"size": 14, "color": TEXT_COLOUR}


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
        template="simple_white",
        **layout,
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e0e0e0")
    return fig
