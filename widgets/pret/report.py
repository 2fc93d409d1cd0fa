"""The printable review of « Suis-je prêt·e ? »: a self-contained HTML page, built as a string.

Why a plain HTML file: a team prints its review or keeps it for the next meeting, on any computer,
without the course running. The file has no script, no image and no link to load, so it opens
offline and prints the same everywhere (Ctrl+P). It is offered as a ``data:`` link built in the
page: the answers are never saved on a server nor sent anywhere.

The section builders (lists, score table) are also used by the live page, so the screen and the
paper say exactly the same thing. Everything is escaped: statements come from a data file that
trainers edit.
"""

from __future__ import annotations

import base64
import html
from datetime import date

from widgets.fr import format_date, plural
from widgets.pret.model import Level, Point, Review
from widgets.printing import printed_page_css

TITLE = "Suis-je prêt·e à accueillir un travailleur pair ou une travailleuse paire ?"
FILENAME = "bilan-pret.html"
SOURCE_LINE = "Atelier 6, journée régionale travail pair et participation, Lyon, 20 décembre 2023"
SCORE_RULE = (
    "Le score d'un thème compte 1 pour « Oui », 0,5 pour « En partie » et 0 pour « Pas encore ». "
    "« Je ne sais pas » est compté à part : c'est un point à discuter, pas un échec."
)
# A symbol and a word for each answer, so that the printout reads the same in black and white.
LEVEL_MARK = {Level.YES: "✔", Level.PARTLY: "≈", Level.NOT_YET: "○", Level.UNSURE: "?"}

REPORT_CSS = (
    printed_page_css("48rem", "11pt")
    + """
h2 { margin-top: 1.6rem; }
/* Tables keep their caption for screen readers; the h2 above already shows it. */
caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
th[scope=colgroup] { background: #f0f0f0; }
td.source { font-size: 0.85em; color: #333; }
li { margin-bottom: 0.4rem; }
.notes { border: 1px solid #767676; min-height: 8rem; padding: 0.5rem; }
"""
)


def answered_sentence(review: Review) -> str:
    """« 4 affirmations sur 16 avec une réponse. », said the same on the page and on paper."""
    return f"{plural(review.answered, 'affirmation')} sur {len(review.rows)} avec une réponse."


def level_label(level: Level | None) -> str:
    """The answer with its symbol (« ✔ Oui »), or « à discuter » for a statement left blank."""
    if level is None:
        return "— à discuter"
    return f"{LEVEL_MARK[level]} {level.value}"


def points_list(points: tuple[Point, ...], empty: str, ordered: bool = False, show_level: bool = False) -> str:
    """A list of strengths, points of vigilance or next steps; ``empty`` is said when there is none."""
    if not points:
        return f"<p><em>{html.escape(empty)}</em></p>"
    tag = "ol" if ordered else "ul"
    lines = "".join(
        "<li>"
        + (f"<strong>[{html.escape(p.level.value)}]</strong> " if show_level else "")
        + f"{html.escape(p.text)}</li>"
        for p in points
    )
    return f"<{tag}>{lines}</{tag}>"


def strengths_list(review: Review) -> str:
    return points_list(review.strengths, "Aucune force pour l'instant : répondez « Oui » quand c'est déjà en place.")


def vigilance_list(review: Review) -> str:
    return points_list(review.vigilance, "Aucun point de vigilance pour l'instant.")


def next_steps_list(review: Review) -> str:
    return points_list(review.next_steps, "Aucune prochaine étape pour l'instant.", ordered=True, show_level=True)


def discuss_list(review: Review, fold_unanswered: bool = False) -> str:
    """Statements answered « Je ne sais pas » and statements left blank: both come back to the team.

    On screen the blanks can be folded (``fold_unanswered``): at the start they are all blank, and a
    list of sixteen sentences would hide the rest of the review. On paper everything is shown.
    """
    unsure = "".join(f"<li>{html.escape(i.statement)} <em>(je ne sais pas)</em></li>" for i in review.unsure)
    blank = "".join(f"<li>{html.escape(i.statement)} <em>(pas encore de réponse)</em></li>" for i in review.unanswered)
    if not unsure and not blank:
        return "<p><em>Rien à discuter : toutes les affirmations ont une réponse.</em></p>"
    if not fold_unanswered or not blank:
        return f"<ul>{unsure}{blank}</ul>"
    count = len(review.unanswered)
    folded = (
        f"<details><summary>{plural(count, 'affirmation')} sans réponse "
        f"(voir la liste)</summary><ul>{blank}</ul></details>"
    )
    return (f"<ul>{unsure}</ul>" if unsure else "") + folded


def scores_table(review: Review) -> str:
    """One row per theme: the percentage (in words too) and how many answers of each kind."""
    head = "".join(
        f'<th scope="col">{html.escape(h)}</th>'
        for h in ("Thème", "Score", "Oui", "En partie", "Pas encore", "Je ne sais pas", "Sans réponse")
    )
    # data-label: on a phone the course's stylesheet shows each row as a card, every number named.
    rows = "".join(
        f'<tr><th scope="row">{html.escape(s.theme.label)}</th><td data-label="Score">{html.escape(s.text)}</td>'
        f'<td data-label="Oui">{s.yes}</td><td data-label="En partie">{s.partly}</td>'
        f'<td data-label="Pas encore">{s.not_yet}</td><td data-label="Je ne sais pas">{s.unsure}</td>'
        f'<td data-label="Sans réponse">{s.unanswered}</td></tr>'
        for s in review.themes
    )
    return (
        '<table class="faire-table"><caption>Score par thème</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def answers_table(review: Review) -> str:
    """Every statement with the team's answer, grouped by theme, with where it comes from."""
    body = []
    for score in review.themes:
        body.append(f'<tr><th scope="colgroup" colspan="3">{html.escape(score.theme.label)}</th></tr>')
        for row in review.rows:
            if row.item.theme == score.theme.id:
                body.append(
                    f"<tr><td>{html.escape(row.item.statement)}</td><td>{html.escape(level_label(row.level))}</td>"
                    f'<td class="source">{html.escape(row.item.source)}</td></tr>'
                )
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Affirmation", "Notre réponse", "Source"))
    return (
        '<table class="faire-table"><caption>Nos réponses</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def build_report(review: Review, today: date) -> str:
    """The whole printable page, ready to save as ``bilan-pret.html``."""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bilan : {html.escape(TITLE)}</title>
<style>{REPORT_CSS}</style>
</head>
<body>
<h1>{html.escape(TITLE)}</h1>
<p>Bilan de l'équipe, fait le {html.escape(format_date(today))}.
{html.escape(answered_sentence(review))}</p>
<p><strong>{html.escape(review.summary)}</strong></p>
<h2>Score par thème</h2>
{scores_table(review)}
<p class="muted">{html.escape(SCORE_RULE)}</p>
<h2>Forces</h2>
{strengths_list(review)}
<h2>Points de vigilance</h2>
{vigilance_list(review)}
<h2>Prochaines étapes</h2>
<p class="muted">Les plus urgentes d'abord : « Pas encore », puis « En partie », puis « Je ne sais pas ».</p>
{next_steps_list(review)}
<h2>À discuter en équipe</h2>
{discuss_list(review)}
<h2>Nos réponses</h2>
{answers_table(review)}
<h2>Nos notes</h2>
<div class="notes"></div>
<p class="muted">Source : {html.escape(SOURCE_LINE)}.<br>
Ce bilan a été fait dans le cours « Faire avec ». Il n'a été ni enregistré ni envoyé : ce fichier est le seul exemplaire.</p>
</body>
</html>
"""


def data_uri(document: str) -> str:
    """The page as a ``data:`` address, so a link can offer it without any server storing it."""
    encoded = base64.b64encode(document.encode("utf-8")).decode("ascii")
    return f"data:text/html;charset=utf-8;base64,{encoded}"
