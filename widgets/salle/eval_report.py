"""The evaluations' exports: CSV files and one-page PDFs for the session report and the quality file.

What they never hold: a session code, a token or pseudonym, a phone's number, a time of answer, or
anything that pairs a phone's answer before with its answer after. The quiz avant / après compares
the *group's counts* at each moment; the questionnaire gives counts per answer and free texts sorted
alphabetically (their order tells nothing of who wrote them). Only the day of the session is written.

Why the PDF is printed by Chromium through Playwright (:mod:`widgets.kit.pdf`): it is what the kit
already prints its handouts with, offline, with the same fonts and tables; the page is scaled so
that it fits on one A4 sheet, which is what a quality file keeps. Free texts are escaped in the
HTML and neutralised in the CSV (a text starting with « = » is shown, never computed).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import Any

from widgets.fr import format_date, plural
from widgets.printing import printed_page_css
from widgets.salle import chromium, eval_content
from widgets.salle.evaluation import (
    ABSTAIN_LABEL,
    Answer,
    Change,
    EvalItem,
    ItemResult,
    Kind,
    Respondents,
    answers_of,
    changes,
    item_result,
    percent,
    respondents,
)
from widgets.salle.model import ACTIVITY_NAMES, Activity, Round, SalleError, Snapshot
from widgets.salle.report import _cell
from widgets.salle.store import Store

KINDS = ("avant-apres", "questionnaire")
PARTS = (
    ("apprentissage", "Ce que j'ai appris (atteinte des objectifs)"),
    ("satisfaction", "Ce que j'en pense (appréciations)"),
)
PDF_TEXTS = 6  # free texts per question on the one-page PDF (all of them are in the CSV)
PDF_TEXT_CHARS = 180
A4_WIDTH_PX = 703  # 186 mm of A4 between 12 mm margins, at 96 px per inch
A4_HEIGHT_PX = 1024  # 271 mm between the 12 mm and 14 mm margins
SCALES = (1.0, 0.92, 0.85, 0.78, 0.7, 0.62, 0.55, 0.5)
ANONYMOUS = (
    "Réponses anonymes, données depuis les téléphones (sans nom ni compte) ou recopiées d'un questionnaire papier. "
    "Le groupe est comparé à lui-même au début et à la fin : les deux réponses d'une même personne ne sont jamais "
    "reliées, ni ici, ni dans la base."
)
QUALITY = (
    "<strong>Deux relevés différents.</strong> « Ce que j'ai appris » dit si les participant·es pensent avoir atteint "
    "les objectifs de la séance : c'est une auto-évaluation, pas un contrôle des connaissances (le quiz avant / après "
    "en donne un autre reflet). « Ce que j'en pense » recueille leurs appréciations. L'un ne prouve pas l'autre : "
    "une séance appréciée n'a pas forcément fait atteindre ses objectifs. Dans le référentiel national qualité "
    "(Qualiopi, décret n° 2019-565 du 6 juin 2019), l'évaluation de l'atteinte des objectifs relève de l'indicateur 11 et le recueil des appréciations "
    "de l'indicateur 30 : gardez-les comme deux preuves distinctes."
)


@dataclass(frozen=True)
class Evaluations:
    """A session's evaluations as the exports and the trainer's screen read them."""

    snapshot: Snapshot
    answers: tuple[Answer, ...]
    items: dict[int, EvalItem]  # the one item of each quiz or « prêt » round whose content is known

    @property
    def day(self) -> date:
        return datetime.fromtimestamp(self.snapshot.session.created_at).date()

    def changes(self) -> list[Change]:
        return changes(self.snapshot.rounds, self.items, self.answers)

    def questionnaires(self) -> list[Round]:
        return self.snapshot.rounds_of(Activity.QUESTIONNAIRE)

    def questionnaire(self) -> Round | None:
        """The questionnaire the PDF shows: the last one that got answers (else the last one asked)."""
        rounds = self.questionnaires()
        answered = {a.round_id for a in self.answers}
        with_answers = [r for r in rounds if r.id in answered]
        chosen = with_answers or rounds
        return chosen[-1] if chosen else None


def collect(snapshot: Snapshot, answers: tuple[Answer, ...]) -> Evaluations:
    items: dict[int, EvalItem] = {}
    for round_ in snapshot.rounds_of(Activity.QUIZ, Activity.PRET):
        try:
            items[round_.id] = eval_content.items_of(round_)[0]
        except SalleError:  # a question that left data/ during the session: not compared
            continue
    return Evaluations(snapshot, answers, items)


def read(store: Store, code: str) -> Evaluations:
    return collect(store.snapshot(code), store.evaluation_answers(code))


def file_name(which: str, extension: str, day: date | None = None) -> str:
    """« evaluation-avant-apres-2026-12-07.csv »: the day only, never the session's code or a time."""
    stem = "evaluation-avant-apres" if which == "avant-apres" else "questionnaire-fin-de-seance"
    return f"{stem}{'-' + day.isoformat() if day else ''}.{extension}"


# ---------------------------------------------------------------- CSV


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else str(index + 1)


def _both(change: Change, measure: Callable[[ItemResult], int | None]) -> tuple[int | None, int | None]:
    """A measure of the group at the start and at the end (None: not asked at that moment)."""
    return tuple(None if r is None else measure(r) for r in (change.before, change.after))  # type: ignore[return-value]


def _score(result: ItemResult) -> int | None:
    score = result.pret_score()
    return None if score is None else round(100 * score)


def _option_count(index: int) -> Callable[[ItemResult], int | None]:
    return lambda result: result.counts[index].count


def change_rows(number: int, change: Change) -> list[list[object]]:
    """The lines of one question: who answered, the right answers (quiz) or the score (prêt), each answer."""
    lines: list[tuple[str, tuple[int | None, int | None]]] = [
        ("Personnes qui ont répondu", _both(change, lambda r: r.responses)),
        (ABSTAIN_LABEL, _both(change, lambda r: r.abstained)),
    ]
    if change.activity is Activity.QUIZ:
        lines.append(("Réponses entièrement justes", _both(change, lambda r: r.exactly_right)))
    else:
        lines.append(("Score « prêt·e » en % (Oui = 1, En partie = 1/2, Je ne sais pas à part)", _both(change, _score)))
    for index, option in enumerate(change.item.options):
        right = " (juste)" if option.id in change.item.right else ""
        lines.append((f"{_letter(index)}. {option.label}{right}", _both(change, _option_count(index))))
    kind, question = ACTIVITY_NAMES[change.activity], _cell(change.item.text)
    return [
        [number, kind, question, _cell(label), "" if before is None else before, "" if after is None else after]
        for label, (before, after) in lines
    ]


def changes_csv(evaluations: Evaluations) -> str:
    """One line per question and per counted thing, with the count at the start and at the end."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["numero", "type", "question", "ligne", "avant", "apres"])
    for number, change in enumerate(evaluations.changes(), start=1):
        writer.writerows(change_rows(number, change))
    return out.getvalue()


def _split(answers: list[Answer]) -> tuple[list[Answer], list[Answer]]:
    return [a for a in answers if not a.paper], [a for a in answers if a.paper]


def questionnaire_csv(evaluations: Evaluations) -> str:
    """Each questionnaire: how many came in, then per question the count of each answer (phones, paper,
    total) or each free text on a line of its own (sorted, marked « papier » when typed in)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["questionnaire", "partie", "question", "reponse", "telephones", "papier", "total"])
    for number, round_ in enumerate(evaluations.questionnaires(), start=1):
        mine = answers_of(evaluations.answers, round_.id)
        phones, paper = _split(mine)
        came = respondents(mine, round_.id)
        writer.writerow([number, "", "Questionnaires reçus", "", came.phones, came.paper, came.total])
        try:
            items = eval_content.items_of(round_)
        except SalleError:
            continue
        for item in items:
            by_phone, by_paper = item_result(item, phones), item_result(item, paper)
            if item.kind is Kind.TEXT:
                for text in by_phone.texts:
                    writer.writerow([number, item.part, _cell(item.text), _cell(text), 1, 0, 1])
                for text in by_paper.texts:
                    writer.writerow([number, item.part, _cell(item.text), _cell(text), 0, 1, 1])
                continue
            for a, b in zip(by_phone.counts, by_paper.counts, strict=True):
                writer.writerow(
                    [number, item.part, _cell(item.text), a.option.label, a.count, b.count, a.count + b.count]
                )
            silent = (came.phones - by_phone.responses, came.paper - by_paper.responses)
            writer.writerow([number, item.part, _cell(item.text), "Pas de réponse", *silent, sum(silent)])
    return out.getvalue()


def export_csv_of(evaluations: Evaluations, which: str) -> str:
    return questionnaire_csv(evaluations) if which == "questionnaire" else changes_csv(evaluations)


def export_csv(store: Store, code: str, which: str) -> str:
    return export_csv_of(read(store, code), which)


# ---------------------------------------------------------------- one-page HTML, then PDF

PAGE_CSS = """
@page { size: A4; }
body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; line-height: 1.3; }
h1 { font-size: 15pt; margin: 0 0 0.2rem; }
h2 { font-size: 12pt; margin: 0.7rem 0 0.2rem; }
table { margin: 0.2rem 0 0.4rem; }
th, td { padding: 0.15rem 0.35rem; }
td.n { text-align: right; white-space: nowrap; }
.ligne { white-space: nowrap; }
.note { font-size: 9pt; color: #222; margin: 0.2rem 0; }
.cadre { border: 2px solid #123d6a; padding: 0.3rem 0.5rem; margin: 0.4rem 0; font-size: 9.5pt; }
ul.textes { margin: 0.1rem 0 0.3rem; padding-left: 1.1rem; font-size: 9.5pt; }
.pied { font-size: 8.5pt; color: #333; border-top: 1px solid #777; margin-top: 0.5rem; padding-top: 0.2rem; }
"""


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{printed_page_css()}{PAGE_CSS}</style></head><body>{body}"
        '<p class="pied">Fait avec le mode groupe du cours « Faire avec » : rien n\'est parti ailleurs que sur '
        "l'ordinateur de la formation ; la séance et ses réponses sont effacées 12 heures après son ouverture.</p>"
        "</body></html>"
    )


def moment_lines(change: Change, result: ItemResult | None) -> list[str]:
    """The group at one moment: « 3 sur 8 (38 %) » right answers, or the « prêt·e » score, then the details."""
    if result is None:
        return ["pas posée"]
    if change.activity is Activity.QUIZ:
        first = f"{result.exactly_right} sur {result.answered} ({percent(result.share_right())})"
        return [first, f"{result.abstained} « je passe »"] if result.abstained else [first]
    return [percent(result.pret_score()), *(f"{c.option.label} : {c.count}" for c in result.counts)]


def moment_text(change: Change, result: ItemResult | None) -> str:
    return ", ".join(moment_lines(change, result))


def _moment_cell(change: Change, result: ItemResult | None) -> str:
    return (
        "<td>"
        + "<br>".join(f"<span class='ligne'>{escape(line)}</span>" for line in moment_lines(change, result))
        + "</td>"
    )


def difference(change: Change) -> str:
    """« +40 points »: the change of the share of right answers (or of the score), from start to end."""
    pick = (lambda r: r.share_right()) if change.activity is Activity.QUIZ else (lambda r: r.pret_score())
    before = pick(change.before) if change.before else None
    after = pick(change.after) if change.after else None
    if before is None or after is None:
        return "—"
    points = round(100 * after) - round(100 * before)
    return f"{points:+d} points".replace("-", "−")


def changes_html(evaluations: Evaluations) -> str:
    rows = []
    for number, change in enumerate(evaluations.changes(), start=1):
        rows.append(
            f"<tr><td class='n'>{number}</td><td>{escape(ACTIVITY_NAMES[change.activity])}<br>"
            f"<bdi>{escape(change.item.text)}</bdi></td>{_moment_cell(change, change.before)}"
            f"{_moment_cell(change, change.after)}<td class='n'>{escape(difference(change))}</td></tr>"
        )
    table = (
        "<table class='faire-table'><thead><tr><th scope='col'>N°</th><th scope='col'>Question</th><th scope='col'>Au début</th>"
        f"<th scope='col'>À la fin</th><th scope='col'>Écart</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>Aucune question n'a été posée au début et à la fin de la séance.</p>"
    )
    body = (
        f"<h1>Avant / après : ce que le groupe savait au début et à la fin</h1>"
        f"<p>Séance du {escape(format_date(evaluations.day))}. {escape(ANONYMOUS)}</p>{table}"
        "<p class='note'>Quiz : réponses entièrement justes parmi les personnes qui ont répondu (« je passe » à part). "
        "« Suis-je prêt·e ? » : Oui compte 1, En partie compte 1/2, « Je ne sais pas » à part, comme dans l'exercice "
        "du cours. L'écart est en points de pourcentage. Un petit groupe fait bouger les pourcentages vite : lisez "
        "aussi les nombres.</p>"
    )
    return _page("Avant / après", body)


def _scale_table(items: list[EvalItem], phones: list[Answer], paper: list[Answer], came: Respondents) -> str:
    if not items:
        return ""
    labels = [o.label for o in items[0].options]
    head = "".join(f"<th scope='col'>{escape(label)}</th>" for label in labels)
    rows = []
    for item in items:
        result = item_result(item, phones + paper)
        cells = "".join(f"<td class='n'>{c.count}</td>" for c in result.counts)
        rows.append(
            f"<tr><th scope='row'><bdi>{escape(item.text)}</bdi></th>{cells}"
            f"<td class='n'>{came.total - result.responses}</td></tr>"
        )
    return (
        f"<table class='faire-table'><thead><tr><th scope='col'>Question</th>{head}<th scope='col'>Sans réponse</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _texts(items: list[EvalItem], answers: list[Answer], limit: int | None) -> str:
    parts = []
    for item in items:
        texts = item_result(item, answers).texts
        if not texts:
            parts.append(f"<p class='note'><strong>{escape(item.text)}</strong> Aucune réponse écrite.</p>")
            continue
        shown = list(texts)
        if limit is not None:
            shown = [t if len(t) <= PDF_TEXT_CHARS else t[: PDF_TEXT_CHARS - 1] + "…" for t in texts[:limit]]
        more = len(texts) - len(shown)
        extra = f"<li><em>… et {plural(more, 'autre réponse')} : voir le fichier CSV.</em></li>" if more else ""
        lines = "".join(f"<li><bdi>{escape(t)}</bdi></li>" for t in shown)
        parts.append(f"<p class='note'><strong>{escape(item.text)}</strong></p><ul class='textes'>{lines}{extra}</ul>")
    return "".join(parts)


def questionnaire_body(evaluations: Evaluations, round_: Round, limit: int | None = None) -> str:
    """The two records of one questionnaire (learning, then appreciation): a table of the scales and
    the free texts (``limit`` per question on the PDF, all of them on the screen)."""
    mine = answers_of(evaluations.answers, round_.id)
    came = respondents(mine, round_.id)
    try:
        items = list(eval_content.items_of(round_))
    except SalleError as error:
        return f"<p>{escape(str(error))}</p>"
    sections = []
    for part, heading in PARTS:
        scales = [i for i in items if i.part == part and i.kind is Kind.SCALE]
        texts = [i for i in items if i.part == part and i.kind is Kind.TEXT]
        sections.append(f"<h2>{heading}</h2>{_scale_table(scales, *_split(mine), came)}{_texts(texts, mine, limit)}")
    return "".join(sections)


def questionnaire_html(evaluations: Evaluations) -> str:
    round_ = evaluations.questionnaire()
    title = "Questionnaire de fin de séance : les réponses du groupe"
    if round_ is None:
        return _page(title, f"<h1>{title}</h1><p>Le questionnaire n'a pas été proposé pendant cette séance.</p>")
    came = respondents(evaluations.answers, round_.id)
    body = (
        f"<h1>{title}</h1>"
        f"<p><bdi>{escape(round_.question)}</bdi>. Séance du {escape(format_date(evaluations.day))} : "
        f"{plural(came.total, 'questionnaire')} ({came.phones} sur téléphone, {came.paper} sur papier). "
        "Anonyme : ni nom, ni heure, ni lien entre les réponses de deux personnes.</p>"
        f"<div class='cadre'>{QUALITY}</div>{questionnaire_body(evaluations, round_, PDF_TEXTS)}"
    )
    return _page("Questionnaire de fin de séance", body)


def export_html(evaluations: Evaluations, which: str) -> str:
    return questionnaire_html(evaluations) if which == "questionnaire" else changes_html(evaluations)


def print_one_page(html_text: str, timeout_s: float = 90.0) -> bytes:
    """An A4 PDF of ``html_text``, scaled down (to one half at most) until it fits on one page
    (Chromium in a thread of its own: :mod:`widgets.salle.chromium`)."""
    from widgets.kit import pdf

    def print_it(browser: Any) -> bytes:
        context = browser.new_context(locale="fr-FR")
        try:
            page = context.new_page()
            page.route("**/*", pdf._offline)
            page.set_content(html_text, wait_until="load")
            page.emulate_media(media="print")
            chosen = SCALES[-1]
            for scale in SCALES:
                page.set_viewport_size({"width": round(A4_WIDTH_PX / scale), "height": 800})
                height = page.evaluate("document.documentElement.scrollHeight")
                if height * scale <= A4_HEIGHT_PX * 0.97:
                    chosen = scale
                    break
            return bytes(page.pdf(format="A4", print_background=True, margin=pdf.A4_MARGINS, scale=chosen))
        finally:
            context.close()

    return chromium.in_thread(print_it, "Le PDF n'a pas pu être fait avec Chromium", timeout_s)
