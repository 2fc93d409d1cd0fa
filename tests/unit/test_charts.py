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


def _font_sizes(fig: go.Figure) -> list[float]:
    """Every font size a figure sets, with the layout's size wherever a text inherits it."""
    base = fig.layout.font.size
    sizes = [base]
    sizes += [a.font.size or base for a in fig.layout.annotations]
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        sizes += [axis.tickfont.size or base, axis.title.font.size or base]
    sizes.append(fig.layout.legend.font.size or base)
    sizes += [(getattr(t, "textfont", None) and t.textfont.size) or base for t in fig.data]
    return sizes


def test_chart_texts_are_as_large_as_the_exercises_text():
    """16 px: the body text of the exercises; « Mode projecteur » zooms the page 1.5 times (24 px)."""
    from widgets.continuum.chart import placements_figure
    from widgets.continuum.content import load_situations, load_steps
    from widgets.continuum.model import ContinuumExercise
    from widgets.pret.chart import themes_figure
    from widgets.pret.content import load_items, load_themes
    from widgets.pret.model import Level, PretAssessment

    exercise = ContinuumExercise(load_steps(), load_situations())
    for situation in exercise.situations:
        exercise.answer(situation.id, situation.reference)
    assessment = PretAssessment(load_items(), load_themes())
    assessment.answer(load_items()[0].id, Level.YES)
    for fig in (placements_figure(exercise.placements(), exercise.steps), themes_figure(assessment.review().themes)):
        assert min(_font_sizes(fig)) >= 16


def test_the_continuum_legend_names_each_mark_once_and_explains_the_dotted_boxes():
    from widgets.continuum.chart import BOX_LEGEND, placements_figure
    from widgets.continuum.content import load_situations, load_steps
    from widgets.continuum.model import ContinuumExercise

    exercise = ContinuumExercise(load_steps(), load_situations())
    single = next(s for s in exercise.situations if len(s.accepted) == 1)
    several = next(s for s in exercise.situations if len(s.accepted) > 1)
    exercise.answer(single.id, single.reference)
    names = [t.name for t in placements_figure(exercise.placements(), exercise.steps).data if t.showlegend is not False]
    assert names == ["Repère du cours", "Votre réponse"]  # the legend draws the mark: no « ◆ » in the name
    exercise.answer(several.id, several.reference)
    fig = placements_figure(exercise.placements(), exercise.steps)
    names = [t.name for t in fig.data if t.showlegend is not False]
    assert names == ["Repère du cours", "Votre réponse", BOX_LEGEND]
    assert {shape.line.dash for shape in fig.layout.shapes} == {"dot"}
