"""The session report: CSV files, the abaque's colour grid in HTML, and a PNG of the whole page.

Why the PNG is drawn by Chromium: kaleido (plotly's image exporter) is not available offline, and
Chromium is already what the course uses for its browser tests and printed handouts. Chromium
renders the very page the trainer would print — same plotly charts, same French labels, same
fonts — so the picture matches the screen; it takes a couple of seconds and is only made when the
trainer asks for it. Playwright drives it from a thread of its own (:mod:`widgets.salle.chromium`),
because its synchronous API refuses to run inside the event loop of a Jupyter kernel.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

from widgets.fr import format_date, plural
from widgets.salle import chromium, content
from widgets.salle.model import (
    ACTIVITY_NAMES,
    EVALUATIONS,
    Activity,
    Round,
    Scale,
    Snapshot,
    abaque_grid,
    display_code,
    paper_people,
    paper_votes,
    tally,
)

if TYPE_CHECKING:  # plotly is imported only when a report is drawn
    import plotly.graph_objects as go


def french_date(timestamp: float) -> str:
    """« 1er octobre 2026 à 9 h 05 » (local time of the trainer's computer)."""
    moment = datetime.fromtimestamp(timestamp)
    return f"{format_date(moment.date())} à {moment.hour} h {moment.minute:02d}"


def _choice(scale: Scale | None, value: str) -> tuple[str, str]:
    found = scale.choice(value) if scale else None
    return (found.symbol, found.label) if found else ("", value)


def _item_title(round_: Round, item: str) -> str:
    if round_.activity is not Activity.CONTINUUM:
        return ""
    from widgets.continuum.content import load_situations

    return next((s.title for s in load_situations() if s.id == item), item)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PAPER_MARK = "✎"  # beside the column of a person whose answers come from paper cards


def _cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text: a statement starting with « = », « + », « - » or
    « @ » would otherwise run as a formula when the trainer opens the file (``=HYPERLINK(…)``); it
    gets a leading apostrophe, the spreadsheets' own mark for « this is text »."""
    if value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def results_csv(snapshot: Snapshot) -> str:
    """One line per question, item and answer, with its number of votes (zeros included) and how many
    of them were typed in from paper cards (``dont_papier``).

    Semicolons and a byte-order mark when written to a file: French spreadsheets open it as is.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(
        [
            "tour",
            "activite",
            "question",
            "reformulation_du_tour",
            "situation",
            "reponse",
            "symbole",
            "votes",
            "dont_papier",
        ]
    )
    numbers = {r.id: r.number for r in snapshot.rounds}
    for round_ in snapshot.rounds:
        if round_.activity in EVALUATIONS:  # their answers are counted apart: widgets.salle.eval_report
            continue
        scale = content.scale_for(round_.scale)
        for item in round_.items:
            for count in tally(snapshot, round_, item):
                symbol, label = _choice(scale, count.choice)
                writer.writerow(
                    [
                        round_.number,
                        ACTIVITY_NAMES[round_.activity],
                        _cell(round_.question),
                        numbers.get(round_.parent_id, "") if round_.parent_id else "",
                        _cell(_item_title(round_, item)),
                        label,
                        symbol,
                        count.votes,
                        paper_votes(snapshot, round_, item, count.choice),
                    ]
                )
    return out.getvalue()


def votes_csv(snapshot: Snapshot) -> str:
    """Every answer with the anonymous number of the person (the abaque's grid, as a table), and how
    it was given (``support``: « téléphone », or « papier » when the trainer typed it in)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["tour", "question", "situation", "personne", "reponse", "support"])
    for round_ in snapshot.rounds:
        scale = content.scale_for(round_.scale)
        for vote in snapshot.votes_of(round_.id):
            writer.writerow(
                [
                    round_.number,
                    _cell(round_.question),
                    _cell(_item_title(round_, vote.item)),
                    vote.participant,
                    _choice(scale, vote.value)[1],
                    "papier" if snapshot.on_paper(vote.participant) else "téléphone",
                ]
            )
    return out.getvalue()


GRID_STYLE = """
<style>
.salle-grille { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 1rem; }
.salle-grille caption { text-align: left; font-weight: bold; padding-bottom: 0.4em; }
.salle-grille th, .salle-grille td { border: 1px solid #555; padding: 0.3em 0.45em; }
.salle-grille thead th { background: #f0f0f0; font-size: 0.9rem; }
.salle-grille th[scope="row"] { text-align: left; font-weight: normal; max-width: 28em; }
.salle-grille td { text-align: center; font-weight: bold; min-width: 2.2em; font-size: 1.1rem; }
.salle-grille td.vide { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #eee 4px, #eee 8px); }
.salle-grille td.blanc { outline: 2px dashed #333; outline-offset: -4px; }
.salle-invisible { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
</style>
"""


def grid_html(snapshot: Snapshot, rounds: list[Round], scale: Scale | None) -> str:
    """The Régnier grid: a row per statement, a column per (anonymous) person, each cell its colour
    and its symbol; screen readers hear the answer's word. Columns are grouped by similar answers."""
    if not rounds:
        return ""
    people, rows = abaque_grid(snapshot, rounds)
    if not people:
        return "<p><em>La grille des couleurs apparaîtra avec les premiers votes.</em></p>"
    head = "".join(
        f'<th scope="col"><abbr title="personne {p}, sur papier">P{p}</abbr><span aria-hidden="true"> {PAPER_MARK}</span>'
        '<span class="salle-invisible"> (sur papier)</span></th>'
        if snapshot.on_paper(p)
        else f'<th scope="col"><abbr title="personne {p}">P{p}</abbr></th>'
        for p in people
    )
    body = []
    for round_, row in zip(rounds, rows, strict=True):
        cells = []
        for value in row:
            if value is None:
                cells.append('<td class="vide"><span class="salle-invisible">pas de réponse</span></td>')
                continue
            found = scale.choice(value) if scale else None
            if found is None:
                cells.append(f"<td>{escape(value)}</td>")
                continue
            blank = " blanc" if found.colour.lower() == "#ffffff" else ""
            cells.append(
                f'<td class="case{blank}" style="background:{found.colour};color:{found.text_colour}" title="{escape(found.label)}">'
                f'<span aria-hidden="true">{escape(found.symbol)}</span><span class="salle-invisible">{escape(found.label)}</span></td>'
            )
        mark = " (reformulée)" if round_.parent_id else ""
        body.append(
            f'<tr><th scope="row">{round_.number}. <bdi>{escape(round_.question)}</bdi>{mark}</th>{"".join(cells)}</tr>'
        )
    legend = ""
    if scale:
        legend = " · ".join(f"{escape(c.symbol)} {escape(c.label)}" for c in scale.choices)
    if any(snapshot.on_paper(p) for p in people):
        legend += f"<br>{PAPER_MARK} : vote sur papier (cartes de couleur), saisi par la personne qui anime."
    return (
        f'{GRID_STYLE}<table class="salle-grille"><caption>Grille des couleurs : une ligne par affirmation, une colonne par '
        f"personne (anonyme, rapprochée de celles qui ont répondu pareil)</caption>"
        f'<thead><tr><th scope="col">Affirmation</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
        f"<p>{legend}</p>"
    )


def people_sentence(snapshot: Snapshot) -> str:
    """« 12 personnes ont voté, dont 2 sur papier. » (everyone who answered at least once)."""
    count, paper = len(snapshot.voters()), paper_people(snapshot)
    if not count:
        return "Personne n'a encore voté."
    return f"{plural(count, 'personne')} {'ont' if count > 1 else 'a'} voté" + (
        f", dont {paper} sur papier." if paper else "."
    )


def _figure_html(figure: go.Figure) -> str:
    import plotly.io as pio

    return pio.to_html(
        figure, include_plotlyjs=False, full_html=False, config={"staticPlot": True}, default_width="1200px"
    )


def report_html(snapshot: Snapshot) -> str:
    """A printable page of the whole session: grids and charts, activity by activity."""
    from plotly.offline import get_plotlyjs

    from widgets.salle import charts

    parts = [
        f"<h1>Séance {escape(display_code(snapshot.session.code))} — {escape(french_date(snapshot.session.created_at))}</h1>",
        f"<p>{people_sentence(snapshot)} Réponses anonymes.</p>",
    ]
    asked = False
    for activity in (Activity.ABAQUE, Activity.FEUX):
        rounds = snapshot.rounds_of(activity)
        if rounds:
            asked = True
            scale = content.scale_for(rounds[-1].scale)
            parts.append(f"<h2>{ACTIVITY_NAMES[activity]}</h2>")
            parts.append(grid_html(snapshot, rounds, scale))
            parts.append(_figure_html(charts.history_figure(snapshot, rounds, scale)))
    meteo = snapshot.rounds_of(Activity.METEO)
    if meteo:
        asked = True
        parts.append("<h2>Météo</h2>")
        parts.append(_figure_html(charts.meteo_figure(snapshot, meteo, content.scale_for("meteo"))))
    continuum_rounds = snapshot.rounds_of(Activity.CONTINUUM)
    if continuum_rounds:
        from widgets.continuum.content import load_situations, load_steps

        asked = True
        situations = {s.id: s for s in load_situations()}
        steps = [(s.position, s.label) for s in load_steps()]
        parts.append("<h2>Continuum collectif</h2>")
        for round_ in continuum_rounds:
            parts.append(_figure_html(charts.cloud_figure(snapshot, round_, steps, situations)))
    if not asked:
        parts.append("<p>Aucune question n'a encore été posée.</p>")
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Résultats de la séance</title>'
        "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#111;background:#fff}"
        "h1{font-size:26px}h2{font-size:21px;margin-top:28px}</style>"
        f"<script>{get_plotlyjs()}</script></head><body>{''.join(parts)}</body></html>"
    )


def render_png(html_text: str, width: int = 1280, timeout_ms: int = 60_000) -> bytes:
    """Render ``html_text`` to a PNG of the whole page with Chromium (see the module's docstring)."""

    def draw(browser: Any) -> bytes:
        page = browser.new_page(viewport={"width": width, "height": 800}, device_scale_factor=1)
        page.set_default_timeout(timeout_ms)
        page.set_content(html_text, wait_until="load")
        page.wait_for_function("Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d._fullLayout)")
        return bytes(page.screenshot(full_page=True, type="png"))

    return chromium.in_thread(draw, "L'image PNG n'a pas pu être faite avec Chromium", timeout_ms / 1000 + 30)
