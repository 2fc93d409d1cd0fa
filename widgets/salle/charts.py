"""Plotly charts of the group's answers, for the trainer's screen and the session report.

Colour is never the only signal: each bar is labelled with the answer's symbol and word, each
segment carries its symbol, the continuum's reference is a distinct shape (◆), the météo's
departure bars are hatched. Numbers are French (``separators``: decimal comma, thin space).
"""

from __future__ import annotations

import html
import math
import textwrap

import plotly.graph_objects as go

from widgets.charts import TEMPLATE
from widgets.continuum.model import Situation
from widgets.fr import plural
from widgets.salle.model import Round, Scale, Snapshot, paper_people, paper_votes, tally, total_votes

FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 16}
LINE_PX = 24  # height of one line of a 16 px label, with plotly's line spacing
SEPARATORS = ",\u202f"


def _wrap(text: str, width: int, escaped: bool = False) -> str:
    """``text`` in lines of ``width`` characters, each escaped for plotly (``escaped``: it already is).

    Why escaped: plotly reads titles, tick labels and hover labels as a small HTML (``<b>``, ``<br>``,
    ``<a href>``…) and silently drops the tags it does not know; a statement « <script>… » or
    « <b>… » must be shown as typed. Plotly turns ``&lt;`` back into « < » when it draws.
    """
    if escaped:
        text = html.unescape(text)
    lines = textwrap.wrap(text, width) or [text]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _people(snapshot: Snapshot, round_: Round) -> str:
    """« 12 personnes ont répondu, dont 2 sur papier »."""
    count, paper = total_votes(snapshot, round_), paper_people(snapshot, round_)
    return f"{plural(count, 'personne')} {'ont' if count > 1 else 'a'} répondu" + (
        f", dont {paper} sur papier" if paper else ""
    )


def _whole_people(fig: go.Figure, top: int, axis: str = "x") -> None:
    """An axis that counts people: whole numbers only (never « 0,5 personne »), from 0, about six ticks."""
    settings = {
        "tick0": 0,
        "dtick": max(1, math.ceil(top / 6)),
        "tickformat": "d",
        "rangemode": "tozero",
        "title_font": {"size": 14},  # « Nombre de personnes » fits under a narrow plot (a phone)
    }
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**settings)


def _lines(label: str) -> int:
    return label.count("<br>") + 1


def _layout(fig: go.Figure, title: str, height: int, legend_rows: int = 0) -> go.Figure:
    """Title at the top, and the legend (if any) at the very bottom of the figure, where it can
    neither hide the title nor the axis labels."""
    bottom = 40 + 26 * legend_rows
    if legend_rows:
        fig.update_layout(legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0})
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        height=height + bottom,
        margin={"l": 10, "r": 30, "t": 40 + 22 * title.count("<br>") + 30 if title else 16, "b": bottom + 30},
        font=FONT,
        separators=SEPARATORS,
        plot_bgcolor="white",
        paper_bgcolor="white",
        template=TEMPLATE,
    )
    return fig


def _label(scale: Scale | None, value: str) -> tuple[str, str, str, str]:
    """(symbol, word, colour, text colour) of an answer, even if it left data/ since the vote."""
    choice = scale.choice(value) if scale else None
    if choice is None:
        return "·", html.escape(value, quote=False), "#eeeeee", "#000000"
    return choice.symbol, html.escape(choice.label, quote=False), choice.colour, choice.text_colour


def distribution_figure(snapshot: Snapshot, round_: Round, scale: Scale | None, compact: bool = False) -> go.Figure:
    """How many people gave each answer to one question (zeros shown: a silent option is a result).

    No title: the trainer's screen writes the question in large type just above the chart, and how
    many answered in the line under it. Answers wrap on two lines, so that the bars keep room on a
    narrow screen. ``compact`` (projected): thinner bars, so that the question and the whole chart fit
    on the screen together."""
    counts = tally(snapshot, round_)
    fig = go.Figure(
        go.Bar(
            x=[c.votes for c in counts],
            y=[_wrap(f"{_label(scale, c.choice)[0]}  {_label(scale, c.choice)[1]}", 20, escaped=True) for c in counts],
            orientation="h",
            marker={"color": [_label(scale, c.choice)[2] for c in counts], "line": {"color": "#222", "width": 1.5}},
            text=[
                plural(c.votes, "vote")
                + (f" ({p} sur papier)" if (p := paper_votes(snapshot, round_, "", c.choice)) else "")
                for c in counts
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y} : %{x}<extra></extra>",
            name="Réponses",
        )
    )
    top = max([c.votes for c in counts] + [1])
    fig.update_xaxes(range=[0, top * 1.25 + 0.5], title_text="Nombre de personnes", fixedrange=True)
    _whole_people(fig, top)
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    return _layout(fig, "", (60 + 44 * len(counts)) if compact else (90 + 54 * len(counts)))


def history_figure(snapshot: Snapshot, rounds: list[Round], scale: Scale | None) -> go.Figure:
    """Every statement of the session, one stacked bar each: the abaque's summary for the report."""
    names = [f"Tour {r.number}{' (reformulé)' if r.parent_id else ''} : {_wrap(r.question, 45)}" for r in rounds]
    choices = list(dict.fromkeys(c for r in rounds for c in r.choices))
    fig = go.Figure()
    for value in choices:
        symbol, word, colour, text_colour = _label(scale, value)
        counts = [next((c.votes for c in tally(snapshot, r) if c.choice == value), 0) for r in rounds]
        fig.add_bar(
            x=counts,
            y=names,
            orientation="h",
            name=f"{symbol} {word}",
            marker={"color": colour, "line": {"color": "#222", "width": 1.5}},
            text=[f"{symbol} {n}" if n else "" for n in counts],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": text_colour},
            hovertemplate=f"{word} : %{{x}}<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(title_text="Nombre de personnes", fixedrange=True)
    _whole_people(fig, max([total_votes(snapshot, r) for r in rounds] + [1]))
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    # Every statement gets a band as tall as the longest label needs (a category axis gives every bar
    # the same band: sized from the sum of the labels, a long one spilled over its neighbours).
    band = 30 + LINE_PX * max([_lines(n) for n in names] + [1])
    return _layout(fig, "Toutes les affirmations de la séance", 120 + band * len(names), legend_rows=3)


def cloud_figure(
    snapshot: Snapshot, round_: Round, steps: list[tuple[int, str]], situations: dict[str, Situation]
) -> go.Figure:
    """The group's placements of each situation (bubbles with their count) against the course's
    reference (◆) and the other steps the course finds defensible (◇)."""
    titles = {i: _wrap(situations[i].title if i in situations else i, 30) for i in round_.items}
    xs, ys, sizes, texts = [], [], [], []
    for item in round_.items:
        for count in tally(snapshot, round_, item):
            if count.votes:
                xs.append(int(count.choice))
                ys.append(titles[item])
                sizes.append(16 + 10 * math.sqrt(count.votes))
                texts.append(str(count.votes))
    known = [i for i in round_.items if i in situations]
    also = [(step, i) for i in known for step in sorted(situations[i].also_accepted)]
    group = go.Scatter(
        x=xs,
        y=ys,
        mode="markers+text",
        name="● Placements du groupe (nombre de personnes)",
        text=texts,
        textfont={"color": "#ffffff", "size": 15},
        marker={"size": sizes, "color": "#0d47a1", "opacity": 0.85, "line": {"color": "#000", "width": 1}},
        hovertemplate="Étape %{x} : %{text} personne·s<extra></extra>",
    )
    traces = [
        group,
        go.Scatter(
            x=[situations[i].reference for i in known],
            y=[titles[i] for i in known],
            mode="markers",
            name="◆ Repère du cours",
            marker={"symbol": "diamond-open", "size": 30, "color": "#1b5e20", "line": {"width": 3}},
            hovertemplate="Repère du cours : étape %{x}<extra></extra>",
        ),
    ]
    if also:
        traces.append(
            go.Scatter(
                x=[step for step, _ in also],
                y=[titles[i] for _, i in also],
                mode="markers",
                name="◇ Aussi défendable",
                marker={"symbol": "diamond-tall-open", "size": 24, "color": "#6a1b9a", "line": {"width": 2}},
                hovertemplate="Aussi défendable : étape %{x}<extra></extra>",
            )
        )
    fig = go.Figure(traces)
    fig.update_xaxes(
        tickmode="array",
        tickvals=[p for p, _ in steps],
        ticktext=[_wrap(f"{p}. {label}", 14) for p, label in steps],
        range=[steps[0][0] - 0.5, steps[-1][0] + 0.5] if steps else None,
        showgrid=True,
        gridcolor="#e0e0e0",
        fixedrange=True,
    )
    fig.update_yaxes(
        autorange="reversed", fixedrange=True, categoryorder="array", categoryarray=[titles[i] for i in round_.items]
    )
    title = f"{_wrap(round_.question, 70)}<br><sup>{_people(snapshot, round_)}</sup>"
    band = max(70, 30 + LINE_PX * max([_lines(t) for t in titles.values()] + [1]))
    return _layout(fig, title, 280 + band * len(round_.items), legend_rows=2)


def meteo_figure(snapshot: Snapshot, rounds: list[Round], scale: Scale | None, compact: bool = False) -> go.Figure:
    """Météo of arrival and of departure, one pair of bars per weather; departure bars are hatched.

    Horizontal, like :func:`distribution_figure`: the weathers' words read on two lines at the left,
    whatever the width of the screen (``compact``: thinner bars, for a projected screen)."""
    fig = go.Figure()
    for index, round_ in enumerate(rounds):
        counts = tally(snapshot, round_)
        moment = "Départ" if round_.tag == "depart" else "Arrivée"
        fig.add_bar(
            y=[_wrap(f"{_label(scale, c.choice)[0]} {_label(scale, c.choice)[1]}", 20, escaped=True) for c in counts],
            x=[c.votes for c in counts],
            orientation="h",
            name=f"{moment} (tour {round_.number}){' — hachuré' if moment == 'Départ' else ''}",
            marker={
                "color": [_label(scale, c.choice)[2] for c in counts],
                "line": {"color": "#222", "width": 1.5},
                "pattern": {"shape": "/" if moment == "Départ" else "", "fgcolor": "#222", "solidity": 0.25},
            },
            text=[str(c.votes) for c in counts],
            textposition="outside",
            cliponaxis=False,
            offsetgroup=str(index),
            hovertemplate=f"{moment} : %{{x}}<extra></extra>",
        )
    fig.update_layout(barmode="group", legend={"traceorder": "normal"})
    top = max([c.votes for r in rounds for c in tally(snapshot, r)] + [1])
    fig.update_xaxes(title_text="Nombre de personnes", fixedrange=True, range=[0, top * 1.2 + 0.3])
    _whole_people(fig, top)
    fig.update_yaxes(fixedrange=True, autorange="reversed")
    choices = max([len(r.choices) for r in rounds] + [1])
    per_choice = (20 if compact else 32) * len(rounds) + 12
    return _layout(fig, "" if compact else "Météo du groupe", 60 + per_choice * choices, legend_rows=1)
