"""A plan as a printable page (HTML) and as Markdown, built as strings.

Why strings: the planner offers both as ``data:`` links built in the page, so a trainer's plan is
never written on the server nor sent anywhere; the trainers' book page and the printed kit reuse the
same builders, so a plan reads the same on screen, on paper and in a text editor. Everything from
data files and from the trainer is escaped.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from datetime import date

from widgets.fr import format_date
from widgets.kit import wording
from widgets.kit.chapters import Chapter
from widgets.kit.model import Check, Kind, Plan, Slot, Tool, chapters, check, material, timeline
from widgets.printing import printed_page_css

PRIVACY = (
    "Ce plan a été fabriqué dans la page du planificateur. Il n'a été ni enregistré ni envoyé ailleurs : "
    "ce fichier est le seul exemplaire."
)
PLAN_CSS = (
    printed_page_css("60rem", "10.5pt")
    + """
tr.fa-kit-break td { background: #f4f4f4; font-style: italic; }
tr.fa-kit-day th { background: #e4e4e4; font-size: 1.05em; }
.fa-kit-detail { font-size: 0.9em; color: #333; }
"""
)


def _e(text: str) -> str:
    return html.escape(str(text))


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _activity(slot: Slot, tools: Mapping[str, Tool]) -> tuple[str, str]:
    """(title, detail) of a slot: a tool's instruction, a chapter step's origin."""
    item = slot.item
    label = wording.KIND_LABEL[item.kind]
    if item.kind is Kind.TOOL and item.tools and item.tools[0] in tools:
        return f"{label} — {item.title}", item.detail or tools[item.tools[0]].instruction
    return (f"{label} — {item.title}" if item.kind in (Kind.ACTIVITY, Kind.EVALUATION) else item.title), item.detail


def schedule_rows(plan: Plan) -> list[tuple[Slot, str, str]]:
    """Each slot with its clock range and duration as printed (day changes included)."""
    rows = []
    for slot in timeline(plan):
        if slot.item.kind is Kind.NEW_DAY:
            rows.append((slot, "", ""))
            continue
        rows.append((slot, f"{wording.clock(slot.start)} – {wording.clock(slot.end)}", wording.item_minutes(slot.item)))
    return rows


def schedule_table(plan: Plan, tools: Mapping[str, Tool], caption: str = "Déroulé minuté") -> str:
    """The timed sequence as an accessible HTML table (also used by the trainers' book page)."""
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Horaire", "Durée", "Activité", "Étape EPIC"))
    body = []
    multi = plan.days > 1 or any(i.kind is Kind.NEW_DAY for i in plan.items)
    if multi:
        body.append('<tr class="fa-kit-day"><th scope="colgroup" colspan="4">Jour 1</th></tr>')
    for slot, hours, minutes in schedule_rows(plan):
        item = slot.item
        if item.kind is Kind.NEW_DAY:
            body.append(f'<tr class="fa-kit-day"><th scope="colgroup" colspan="4">Jour {slot.day}</th></tr>')
            continue
        title, detail = _activity(slot, tools)
        detail_html = f'<br><span class="fa-kit-detail">{_e(detail)}</span>' if detail else ""
        css = ' class="fa-kit-break"' if item.is_break else ""
        body.append(
            f"<tr{css}><td>{_e(hours)}</td><td>{_e(minutes)}</td><td>{_e(title)}{detail_html}</td>"
            f"<td>{_e(wording.phases_text(item.phases))}</td></tr>"
        )
    return (
        f'<table class="faire-table fa-kit-schedule"><caption>{_e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _objectives(plan: Plan, by_chapter: Mapping[str, Chapter]) -> list[tuple[str, tuple[str, ...]]]:
    return [(by_chapter[c].short_title, by_chapter[c].objectives) for c in chapters(plan) if c in by_chapter]


def _tool_sources(plan: Plan, tools: Mapping[str, Tool]) -> list[Tool]:
    used: list[Tool] = []
    for item in plan.items:
        for tool_id in item.tools:
            if tool_id in tools and tools[tool_id] not in used:
                used.append(tools[tool_id])
    return used


def _summary_lines(plan: Plan, result: Check) -> list[str]:
    slots = [s for s in timeline(plan) if s.item.kind is not Kind.NEW_DAY]
    end = wording.clock(slots[-1].end) if slots else wording.clock(plan.start)
    lines = [
        f"Durée : {wording.length_text(plan.length, plan.days)}, de {wording.clock(plan.start)} à {end}"
        + (" (dernier jour)" if plan.days > 1 else "")
        + ".",
    ]
    if plan.audience:
        lines.append(f"Public : {plan.audience}")
    lines.append(wording.phases_summary(result))
    return lines


def to_html(plan: Plan, by_chapter: Mapping[str, Chapter], tools: Mapping[str, Tool], today: date) -> str:
    """The whole printable page, ready to save as an ``.html`` file and print with Ctrl+P."""
    result = check(plan, dict(tools))
    _kind, fit = wording.fit_message(result)
    warnings = "".join(f"<li>{_e(w)}</li>" for w in wording.warnings(result))
    objectives = "".join(
        f"<li><strong>{_e(title)}</strong><ul>{''.join(f'<li>{_e(o)}</li>' for o in goals)}</ul></li>"
        for title, goals in _objectives(plan, by_chapter)
    )
    aims = "".join(f"<p>{_e(a)}</p>" for a in plan.objectives if a)
    stuff = "".join(f"<li>{_e(m)}</li>" for m in material(plan)) or "<li>Aucun matériel particulier.</li>"
    sources = "".join(f"<li><strong>{_e(t.name)}</strong> : {_e(t.source)}</li>" for t in _tool_sources(plan, tools))
    chapter_list = "".join(f"<li>{_e(by_chapter[c].short_title)}</li>" for c in chapters(plan) if c in by_chapter)
    estimated = (
        '<p class="muted">« ≈ » : le chapitre ne donne pas la durée de cette étape ; le kit l\'a estimée.</p>'
        if any(i.estimated for i in plan.items)
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(plan.title)} — plan de séance</title>
<style>{PLAN_CSS}</style>
</head>
<body>
<h1>{_e(plan.title)}</h1>
<p class="muted">Plan de séance fait le {_e(format_date(today))} avec le cours « Faire avec ».</p>
{"".join(f"<p>{_e(line)}</p>" for line in _summary_lines(plan, result))}
<p><strong>{_e(fit)}</strong></p>
{f"<ul>{warnings}</ul>" if warnings else ""}
<h2>Objectifs</h2>
{aims}
{f"<ul>{objectives}</ul>" if objectives else ""}
<h2>Déroulé</h2>
{schedule_table(plan, tools)}
{estimated}
<h2>Matériel</h2>
<ul>{stuff}</ul>
<h2>Évaluation</h2>
<p>{_e(plan.evaluation or "Questionnaire de fin de séance : ce que j'ai appris, ce que j'en pense.")}</p>
<h2>Sources</h2>
<ul>{chapter_list}{sources}</ul>
<p class="muted">{_e(PRIVACY)}</p>
</body>
</html>
"""


def to_markdown(plan: Plan, by_chapter: Mapping[str, Chapter], tools: Mapping[str, Tool], today: date) -> str:
    """The same plan in Markdown, to paste into a shared document or a trainers' wiki."""
    result = check(plan, dict(tools))
    _, fit = wording.fit_message(result)
    out = [f"# {plan.title}", "", f"*Plan de séance fait le {format_date(today)} avec le cours « Faire avec ».*", ""]
    out += [f"- {line}" for line in _summary_lines(plan, result)]
    out += ["", f"**{fit}**", ""]
    out += [f"- ⚠ {w}" for w in wording.warnings(result)]
    out += ["", "## Objectifs", ""]
    out += [a for a in plan.objectives if a]
    for title, goals in _objectives(plan, by_chapter):
        out += ["", f"**{title}**", ""] + [f"- {g}" for g in goals]
    out += ["", "## Déroulé", "", "| Horaire | Durée | Activité | Étape EPIC |", "| --- | --- | --- | --- |"]
    days = plan.days > 1 or any(i.kind is Kind.NEW_DAY for i in plan.items)
    if days:
        out.append("| **Jour 1** | | | |")
    for slot, hours, minutes in schedule_rows(plan):
        if slot.item.kind is Kind.NEW_DAY:
            out.append(f"| **Jour {slot.day}** | | | |")
            continue
        title, detail = _activity(slot, tools)
        cell = f"{title}<br>*{detail}*" if detail else title
        out.append(f"| {hours} | {minutes} | {_md(cell)} | {_md(wording.phases_text(slot.item.phases))} |")
    if any(i.estimated for i in plan.items):
        out += ["", "« ≈ » : le chapitre ne donne pas la durée de cette étape ; le kit l'a estimée."]
    out += ["", "## Matériel", ""] + ([f"- {m}" for m in material(plan)] or ["- Aucun matériel particulier."])
    out += ["", "## Évaluation", "", plan.evaluation or "Questionnaire de fin de séance."]
    out += ["", "## Sources", ""]
    out += [f"- {by_chapter[c].short_title}" for c in chapters(plan) if c in by_chapter]
    out += [f"- {t.name} : {t.source}" for t in _tool_sources(plan, tools)]
    out += ["", f"*{PRIVACY}*", ""]
    return "\n".join(out)


def data_uri(document: str, mime: str = "text/html") -> str:
    """The document as a ``data:`` address, so that a link offers it without any server storing it."""
    encoded = base64.b64encode(document.encode("utf-8")).decode("ascii")
    return f"data:{mime};charset=utf-8;base64,{encoded}"
