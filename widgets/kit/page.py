"""HTML blocks of the trainers' page « Animer une séance » and of the printed trainer's kit.

Why one module: the book page, the trainer's version of each printed chapter and the printed
questionnaire show the same tools table, notes, numbers and plans; building them here from the data
files (and from the chapters' own boxes, for the plans) keeps paper and screen identical.
Everything read from a file is escaped; addresses become links.
"""

from __future__ import annotations

import html
import re

from widgets.kit import export, wording
from widgets.kit.chapters import load_chapters
from widgets.kit.content import (
    SCALE,
    load_notes,
    load_numbers,
    load_questions,
    load_session_specs,
    load_tools,
    tools_by_id,
)
from widgets.kit.model import Phase, Plan, check, material
from widgets.kit.objectives import session_objectives
from widgets.kit.plans import build_plan

URL = re.compile(r"https?://[^\s)\]>\"'`;]+")
PAGE_CSS = """
<style>
.fa-kit-block table { font-size: 0.95rem; }
.fa-kit-block .fa-kit-source { font-size: 0.85em; color: #333; overflow-wrap: anywhere; }
.fa-kit-block .fa-kit-origin { font-size: 0.85em; font-style: italic; color: #333; }
.fa-kit-block .fa-kit-unchecked { border: 2px dashed #8a5a00; padding: 0.1em 0.3em; }
.fa-kit-block h4 { margin-top: 1.2em; }
.fa-kit-block .fa-kit-lines-to-fill { border-bottom: 1px solid #767676; height: 2.2em; min-width: 12em; }
.fa-kit-block .fa-kit-tool { border: 1px solid #c8c8c8; border-radius: 4px; padding: 0.4em 0.8em; margin: 0.6em 0; break-inside: avoid; }
.fa-kit-block .fa-kit-tool-name { font-size: 1.1em; margin: 0.2em 0; }
.fa-kit-block dl { display: grid; grid-template-columns: minmax(8em, 14em) 1fr; gap: 0.2em 0.8em; margin: 0; }
.fa-kit-block dt { font-weight: bold; }
.fa-kit-block dd { margin: 0; }
@media (max-width: 40em) { .fa-kit-block dl { grid-template-columns: 1fr; } .fa-kit-block dd { margin-bottom: 0.4em; } }
</style>
"""
# Where to find help near the room: to be filled in by hand before the session (checked locally).
LOCAL_PLACES = (
    "Centre médico-psychologique (CMP) du secteur",
    "Service social ou accueil de jour",
    "Permanence d'accès aux soins de santé (PASS)",
    "Référent·e de la structure qui accueille la séance",
)
ORIGIN_LABEL = {
    "compte rendu": "D'après le compte rendu de la journée du 20 décembre 2023.",
    "source": "Source :",
    "conseil du cours": "Conseil de ce cours (sans source extérieure).",
}


def linked(text: str) -> str:
    """``text`` escaped, with every address turned into a link (the address stays visible on paper)."""
    out, last = [], 0
    for match in URL.finditer(text):
        url = match.group(0).rstrip(".,")
        out.append(html.escape(text[last : match.start()]))
        out.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
        last = match.start() + len(url)
    out.append(html.escape(text[last:]))
    return "".join(out)


def _block(inner: str) -> str:
    return f'{PAGE_CSS}<div class="fa-kit-block">{inner}</div>'


def ready_plan(plan_id: str) -> Plan:
    spec = next((s for s in load_session_specs() if s.id == plan_id), None)
    if spec is None:
        known = ", ".join(s.id for s in load_session_specs())
        raise KeyError(f"« {plan_id} » n'est pas une séance de data/kit/seances.yml ({known}).")
    return build_plan(spec)


def plan_html(plan_id: str) -> str:
    """A ready session: length, audience, fit, objectives per chapter, timed sequence, material, evaluation."""
    plan = ready_plan(plan_id)
    tools = tools_by_id()
    chapters = {c.id: c for c in load_chapters()}
    result = check(plan, tools)
    _, fit = wording.fit_message(result)
    summary = "".join(f"<li>{html.escape(line)}</li>" for line in export._summary_lines(plan, result))
    aims = "".join(f"<p><strong>But :</strong> {html.escape(a)}</p>" for a in plan.objectives if a)
    goals = "".join(
        f"<li><strong>{html.escape(title)}</strong> : {html.escape(' ; '.join(items))}.</li>"
        for title, items in export._objectives(plan, chapters)
    )
    stuff = "".join(f"<li>{html.escape(m)}</li>" for m in material(plan))
    estimated = (
        "<p><em>« ≈ » : le chapitre ne donne pas la durée de cette étape ; le kit l'a estimée.</em></p>"
        if any(i.estimated for i in plan.items)
        else ""
    )
    return _block(
        f"<ul>{summary}<li>{html.escape(fit)}</li></ul>{aims}"
        f"<details><summary>Les objectifs des chapitres utilisés</summary><ul>{goals}</ul></details>"
        f"{export.schedule_table(plan, tools, caption=f'Déroulé minuté : {plan.title}')}{estimated}"
        f"<details><summary>Le matériel à préparer</summary><ul>{stuff}</ul></details>"
        f"<p><strong>Évaluation :</strong> {html.escape(plan.evaluation)}</p>"
    )


def tools_html() -> str:
    """Every tool of ``data/kit/outils.yml``, by EPIC stage, with what the report says and its source.

    One block per tool rather than a wide table: it reads on a phone and prints without cut columns."""
    parts = []
    origins = {
        "source": "selon la source",
        "compte rendu": "selon le compte rendu",
        "conseil du cours": "conseil du cours",
    }
    for phase in Phase:
        parts.append(
            f"<h4>{wording.PHASE_SYMBOL[phase]} {phase.value} : {html.escape(wording.PHASE_MEANING[phase])}</h4>"
        )
        for tool in (t for t in load_tools() if t.phase is phase):
            minutes = f"{wording.duration(tool.min_minutes)} à {wording.duration(tool.max_minutes)}"
            if tool.min_minutes == tool.max_minutes:
                minutes = wording.duration(tool.minutes)
            also = (
                f" Elle sert aussi à l'étape {', '.join(p.value for p in tool.other_phases)}."
                if tool.other_phases
                else ""
            )
            rows = (
                ("À quoi ça sert", html.escape(tool.purpose + also)),
                ("Comment", html.escape(tool.instruction)),
                ("Durée", f"{minutes} ({origins[tool.minutes_origin]})"),
                (
                    "Groupe",
                    f"{html.escape(tool.group.rstrip('.'))} "
                    f"({origins.get(tool.group_origin, 'non précisé par nos sources')}).",
                ),
                ("Matériel", html.escape(" ; ".join(tool.material))),
                ("Pour que tout le monde participe", html.escape(tool.accessibility)),
                ("Ce qu'en dit la journée", html.escape(tool.report)),
                ("Source", f"<span class='fa-kit-source'>{linked(tool.source)}</span>"),
            )
            details = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
            parts.append(
                f"<section class='fa-kit-tool'><p class='fa-kit-tool-name'><strong>{html.escape(tool.name)}</strong></p>"
                f"<dl>{details}</dl></section>"
            )
    return _block("".join(parts))


def notes_html(level: int = 3) -> str:
    """The facilitation notes, each point with where it comes from."""
    parts = []
    for note in load_notes():
        items = []
        for point in note.points:
            origin = ORIGIN_LABEL[point.origin]
            source = f" {linked(point.source)}" if point.source and point.origin != "conseil du cours" else ""
            if point.origin == "compte rendu":
                source = ""
            items.append(
                f"<li>{html.escape(point.text)} <span class='fa-kit-origin'>{html.escape(origin)}{source}</span></li>"
            )
        parts.append(f"<h{level}>{html.escape(note.title)}</h{level}><ul>{''.join(items)}</ul>")
    return _block("".join(parts))


def numbers_html() -> str:
    """The numbers to give the group, with what each is for and the page that says so."""
    rows = []
    for number in load_numbers():
        mark = "" if number.checked else " class='fa-kit-unchecked'"
        status = "" if number.checked else "<br><strong>⚠ À vérifier avant la séance.</strong>"
        rows.append(
            # Non-breaking spaces: « 0 800 23 13 13 » stays on one line in the narrow first column.
            f"<tr><th scope='row'><span{mark}>{html.escape(number.number).replace(' ', '&nbsp;')}</span></th>"
            f"<td><strong>{html.escape(number.name)}</strong><br>{html.escape(number.for_whom)}{status}</td>"
            f"<td>{html.escape(number.when)}</td><td class='fa-kit-source'>{linked(number.source)}</td></tr>"
        )
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Numéro", "Pour qui, pour quoi", "Quand", "Source"))
    local = "".join(
        f"<tr><th scope='row'>{html.escape(name)}</th><td class='fa-kit-lines-to-fill' style='width:55%'></td></tr>"
        for name in LOCAL_PLACES
    )
    return _block(
        '<table class="faire-table fa-kit-numbers"><caption>Les numéros à donner au groupe</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "<p>À compléter avant la séance (à vérifier localement) :</p>"
        f"<table class=\"faire-table\"><caption>Les lieux d'aide près d'ici</caption><tbody>{local}</tbody></table>"
    )


def questionnaire_html(plan_id: str | None = None) -> str:
    """The anonymous end-of-session questionnaire; with a ready session, the objectives it works on
    become questions (only those of the chapter steps it runs: :mod:`widgets.kit.objectives`)."""
    goals: list[str] = []
    if plan_id:
        for _chapter, items in session_objectives(plan_id):
            goals += list(items)
    boxes = "".join(f"<span style='margin-right:1.2em;white-space:nowrap'>☐ {html.escape(s)}</span>" for s in SCALE)
    parts = ["<p><em>Anonyme : n'écrivez pas votre nom. Répondez seulement à ce que vous voulez.</em></p>"]
    learn = [q for q in load_questions() if q.part == "apprentissage"]
    satisfy = [q for q in load_questions() if q.part == "satisfaction"]
    parts.append("<h4>Ce que j'ai appris</h4><ol>")
    for goal in goals:
        parts.append(f"<li><p>À la fin de la séance, je sais {html.escape(goal)}.</p><p>{boxes}</p></li>")
    for question in learn + satisfy:
        if question is satisfy[0]:
            parts.append("</ol><h4>Ce que j'en pense</h4><ol>")
        answer = f"<p>{boxes}</p>" if question.kind == "echelle" else "<div class='fa-kit-lines-to-fill'></div>" * 2
        parts.append(f"<li><p>{html.escape(question.text)}</p>{answer}</li>")
    parts.append("</ol>")
    return _block("".join(parts))
