"""French wording of the planner's results: durations, clock times and the timing messages.

Why apart from the model: the model returns numbers and enums; the live planner, the printable page,
the Markdown export and the trainers' book page all say them with the same sentences, written here.
"""

from __future__ import annotations

from widgets.fr import plural
from widgets.kit.model import Check, Fit, Item, Kind, Phase

NBSP = "\u00a0"

PHASE_SYMBOL = {Phase.EXISTER: "E", Phase.PARTICIPER: "P", Phase.INTERROGER: "I", Phase.CONSTRUIRE: "C"}
PHASE_MEANING = {
    Phase.EXISTER: "chaque personne se sent présente et parle une première fois",
    Phase.PARTICIPER: "chaque personne donne son avis, le groupe peut décider",
    Phase.INTERROGER: "on écoute les expériences en profondeur",
    Phase.CONSTRUIRE: "le groupe prépare un projet commun",
}
KIND_LABEL = {
    Kind.TOOL: "Outil",
    Kind.STEP: "Chapitre",
    Kind.ACTIVITY: "Activité",
    Kind.BREAK: "Pause",
    Kind.MEAL: "Repas",
    Kind.EVALUATION: "Évaluation",
    Kind.NEW_DAY: "Jour suivant",
}


def duration(minutes: int) -> str:
    """« 45 min », « 1 h », « 1 h 30 », « 14 h » (non-breaking spaces, as French print wants)."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest}{NBSP}min"
    if not rest:
        return f"{hours}{NBSP}h"
    return f"{hours}{NBSP}h{NBSP}{rest:02d}"


def clock(minutes: int) -> str:
    """« 9 h 30 », « 14 h 00 »: a time of day written the French way."""
    hours, rest = divmod(int(minutes) % (24 * 60), 60)
    return f"{hours}{NBSP}h{NBSP}{rest:02d}"


def item_minutes(item: Item) -> str:
    """The item's duration, with « ≈ » when the chapter gives none and the kit estimated it."""
    if item.kind is Kind.NEW_DAY:
        return "—"
    return ("≈" + NBSP if item.estimated else "") + duration(item.minutes)


def phases_text(phases: tuple[Phase, ...]) -> str:
    """« E Exister, P Participer »: the letter and the word, never a colour alone."""
    return ", ".join(f"{PHASE_SYMBOL[p]} {p.value}" for p in phases) if phases else "—"


def length_text(length: int, days: int) -> str:
    if days > 1:
        return f"{plural(days, 'jour')} de {duration(length // days)} ({duration(length)} en tout)"
    return duration(length)


def fit_message(result: Check) -> tuple[str, str]:
    """``(kind, sentence)`` about the total; ``kind`` is a message kind of :func:`widgets.ui.message_html`."""
    total, length = duration(result.total), duration(result.length)
    if result.fit is Fit.EMPTY:
        return "info", "Le déroulé est vide : ajoutez un outil, une étape d'un chapitre ou une pause."
    if result.fit is Fit.EXACT:
        return "right", f"✔ Le déroulé dure {total} : il tient exactement dans la séance ({length})."
    gap = duration(abs(result.difference))
    if result.fit is Fit.OVER:
        return (
            "error",
            f"✘ Le déroulé dure {total}, soit {gap} de trop pour une séance de {length}. "
            "Raccourcissez une activité ou retirez-en une.",
        )
    return (
        "close",
        f"⚠ Le déroulé dure {total} : il reste {gap} non prévues dans une séance de {length}. "
        "Ajoutez une activité ou une pause, ou annoncez que la séance finira plus tôt.",
    )


def warnings(result: Check) -> list[str]:
    """Other points to look at: long stretches without a break, unbalanced days, unusual durations."""
    found = []
    for day in result.unbalanced_days:
        found.append(
            f"Le jour {day.day} dure {duration(day.minutes)} au lieu de {duration(day.expected)} : "
            "équilibrez les journées."
        )
    if result.days_found != result.days_declared and result.days_declared > 1:
        found.append(
            f"La séance est prévue sur {plural(result.days_declared, 'jour')}, mais le déroulé en compte "
            f"{result.days_found} : ajoutez ou retirez un « jour suivant »."
        )
    for stretch in result.stretches:
        when = f"le jour {stretch.day}, " if result.days_found > 1 else ""
        found.append(
            f"{duration(stretch.minutes)} sans pause, {when}de {clock(stretch.start)} à {clock(stretch.end)} : "
            "prévoyez une pause au moins toutes les deux heures."
        )
    for hint in result.unusual:
        found.append(
            f"Ligne {hint.index + 1} : {hint.tool.name} dure d'habitude {duration(hint.tool.min_minutes)} "
            f"à {duration(hint.tool.max_minutes)} ; vous avez prévu {duration(hint.minutes)}."
        )
    return found


def phases_summary(result: Check) -> str:
    if not result.phases:
        return "Aucune étape EPIC pour l'instant : ajoutez des outils (Exister, Participer, Interroger, Construire)."
    text = f"Étapes EPIC vécues : {phases_text(result.phases)}."
    if result.missing_phases:
        text += f" Pas encore : {', '.join(p.value for p in result.missing_phases)}."
    return text
