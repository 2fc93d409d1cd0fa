"""The session's report (CSV files, colour grid, charts of the PNG): paper votes marked, whole people.

Built from hand-made snapshots: what a trainer exports must say which answers came from paper cards,
count people in whole numbers, and give every statement the room its label needs.
"""

from __future__ import annotations

import csv
import io

from widgets.salle import charts, content, report
from widgets.salle.model import Activity, Round, RoundState, SessionInfo, Snapshot, Vote

ABAQUE = content.scale_for("abaque")


def abaque_round(rid: int, question: str) -> Round:
    assert ABAQUE is not None
    choices = tuple(c.id for c in ABAQUE.choices)
    return Round(rid, rid, Activity.ABAQUE, "abaque", question, choices, ("",), RoundState.REVEALED)


def snapshot(rounds: tuple[Round, ...], votes: tuple[Vote, ...], paper: frozenset[int] = frozenset()) -> Snapshot:
    session = SessionInfo("482913", 1_790_000_000.0, 1_790_043_200.0, None, 5, rounds[-1].id if rounds else None, 3)
    return Snapshot(session, rounds, votes, paper)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_paper_answers_are_counted_and_marked_in_both_csv_files():
    first = abaque_round(1, "Le travail pair doit être payé.")
    snap = snapshot(
        (first,),
        (Vote(1, "", 1, "abaque-vert-fonce"), Vote(1, "", 2, "abaque-rouge"), Vote(1, "", 3, "abaque-rouge")),
        paper=frozenset({3}),
    )
    summary = {r["reponse"]: r for r in rows(report.results_csv(snap))}
    assert summary["Pas du tout d'accord"]["votes"] == "2" and summary["Pas du tout d'accord"]["dont_papier"] == "1"
    assert summary["Tout à fait d'accord"]["votes"] == "1" and summary["Tout à fait d'accord"]["dont_papier"] == "0"
    answers = [(r["personne"], r["support"]) for r in rows(report.votes_csv(snap))]
    assert answers == [("1", "téléphone"), ("2", "téléphone"), ("3", "papier")]
    assert report.people_sentence(snap) == "3 personnes ont voté, dont 1 sur papier."
    assert report.people_sentence(snapshot((first,), ())) == "Personne n'a encore voté."


def test_the_grid_marks_the_columns_of_paper_voters_in_words_too():
    first = abaque_round(1, "Le travail pair doit être payé.")
    snap = snapshot((first,), (Vote(1, "", 1, "abaque-jaune"), Vote(1, "", 2, "abaque-rose")), paper=frozenset({2}))
    grid = report.grid_html(snap, [first], ABAQUE)
    heads = grid.split("<thead>")[1].split("</thead>")[0]
    assert heads.count(report.PAPER_MARK) == 1 and 'P2</abbr><span aria-hidden="true"> ✎' in heads
    assert '<span class="salle-invisible"> (sur papier)</span>' in heads  # read aloud, not only a symbol
    assert "✎ : vote sur papier" in grid
    assert report.PAPER_MARK not in report.grid_html(
        snapshot((first,), (Vote(1, "", 1, "abaque-jaune"),)), [first], ABAQUE
    )


def test_the_charts_count_whole_people_and_say_how_many_answered_on_paper():
    first = abaque_round(1, "Une affirmation.")
    snap = snapshot((first,), (Vote(1, "", 1, "abaque-jaune"), Vote(1, "", 2, "abaque-jaune")), paper=frozenset({2}))
    for fig, axis in (
        (charts.history_figure(snap, [first], ABAQUE), "xaxis"),
        (charts.distribution_figure(snap, first, ABAQUE), "xaxis"),
    ):
        ticks = fig.layout[axis]
        assert ticks.dtick == 1 and ticks.tick0 == 0 and ticks.tickformat == "d"  # never « 0,5 personne »
    bars = charts.distribution_figure(snap, first, ABAQUE)
    assert "2 votes (1 sur papier)" in bars.data[0].text
    assert not bars.layout.title.text  # the screen writes the question above the chart, once
    history = charts.history_figure(snap, [first], ABAQUE)
    assert history.data[0].y[0].startswith("Tour 1 : Une affirmation.")


def test_every_statement_of_the_summary_chart_gets_the_height_its_label_needs():
    """A category axis gives every bar the same band: it must fit the longest label, not the average."""
    long = "Une personne concernée qui participe à un conseil de la vie sociale devrait être défrayée " * 4
    rounds = (abaque_round(1, "Court."), abaque_round(2, long.strip()), abaque_round(3, "Court aussi."))
    fig = charts.history_figure(snapshot(rounds, ()), list(rounds), ABAQUE)
    labels = list(dict.fromkeys(fig.data[0].y))
    lines = max(label.count("<br>") + 1 for label in labels)
    margin = fig.layout.margin
    band = (fig.layout.height - margin.t - margin.b) / len(labels)
    assert lines >= 8 and band >= lines * charts.LINE_PX, (band, lines)


def test_tags_typed_in_a_statement_reach_plotly_escaped():
    """Plotly reads « <b> » as bold: the label must carry « &lt;b&gt; », which it draws as typed."""
    first = abaque_round(1, "<b>Gras</b> ou pas ?")
    fig = charts.history_figure(snapshot((first,), ()), [first], ABAQUE)
    assert "&lt;b&gt;Gras&lt;/b&gt;" in fig.data[0].y[0] and "<b>" not in fig.data[0].y[0]
    cloud = charts.cloud_figure(snapshot((first,), ()), first, [(1, "<i>marche</i>")], {}).layout
    assert "&lt;b&gt;Gras" in cloud.title.text and "<b>" not in cloud.title.text
    assert "&lt;i&gt;marche" in cloud.xaxis.ticktext[0] and "<i>" not in cloud.xaxis.ticktext[0]
