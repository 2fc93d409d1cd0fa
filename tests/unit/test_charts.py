"""The shared row layout of the exercises' charts: titles above their rows, row 0 at the top."""

from __future__ import annotations

import plotly.graph_objects as go

from widgets.charts import FONT, row_titled_layout


def test_each_title_sits_above_its_row_and_the_first_row_is_at_the_top():
    fig = go.Figure(go.Bar(x=[1, 2, 3], y=[0, 1, 2], orientation="h"))
    returned = row_titled_layout(
        fig,
        ["Premier", "Deuxième", "<b>Troisième</b>"],
        title_shift=20,
        span=(0.5, 0.8),
        height=370,
        top=10,
        bottom=30,
        xaxis={"range": [0, 100]},
        separators=", ",
    )

    assert returned is fig
    notes = fig.layout.annotations
    assert [(a.text, a.y, a.yshift, a.yanchor, a.xref, a.x) for a in notes] == [
        ("Premier", 0, 20, "bottom", "paper", 0),
        ("Deuxième", 1, 20, "bottom", "paper", 0),
        ("<b>Troisième</b>", 2, 20, "bottom", "paper", 0),
    ]
    assert tuple(fig.layout.yaxis.range) == (2.5, -0.8)  # reversed: row 0 on top, room above it for its title
    assert fig.layout.yaxis.showticklabels is False and fig.layout.yaxis.fixedrange is True
    assert tuple(fig.layout.xaxis.range) == (0, 100) and fig.layout.xaxis.showgrid is True
    assert (fig.layout.height, fig.layout.margin.t, fig.layout.margin.b) == (370, 10, 30)
    assert fig.layout.separators == ", " and fig.layout.font.size == FONT["size"]
