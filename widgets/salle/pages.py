"""The participants' pages, as plain HTML: light enough for an old phone, readable without JavaScript.

Why server-made HTML with forms (and only a few lines of JavaScript to refresh the page when the
trainer moves on): participants often have little ease with digital tools and sometimes an old
phone or a weak connection. A page that works with one tap per answer, large buttons, a word and a
symbol on every colour, and no framework to download, is the most reliable.

Why Jinja2 templates (``templates/``) with ``autoescape=True``: statements are written by a trainer
(or sent to the trainer's API), and codes, answers and page numbers arrive from phones. With
autoescaping, every value is escaped unless it is explicitly marked safe (only the anti-CSRF field
that tornado builds), so one forgotten ``escape()`` can no longer become a script on every phone
in the room. This module only decides *what* a page says; the templates say how it is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from widgets.fr import list_and, plural, plural_word
from widgets.salle.model import (
    PHONE_POLL_SECONDS,
    Activity,
    Choice,
    Count,
    Round,
    RoundState,
    Scale,
    display_code,
)

TITLE = "Faire avec — vote en salle"
PRIVACY = (
    "Votre réponse est anonyme : on ne vous demande ni nom, ni compte, et l'adresse de votre téléphone "
    "n'est pas enregistrée. Un numéro tiré au hasard, gardé dans ce navigateur, évite seulement de voter "
    "deux fois. Tout est effacé à la fin de la séance."
)
TEMPLATES = Path(__file__).parent / "templates"
ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,  # a misspelt name fails the tests instead of showing nothing
    auto_reload=False,
)
ENVIRONMENT.globals.update(display_code=display_code, site_title=TITLE, poll_ms=int(PHONE_POLL_SECONDS * 1000))


@dataclass(frozen=True)
class Static:
    """The addresses of the stylesheet and the script (versioned by the server: ``?v=<hash>``)."""

    css: str = "/static/salle.css"
    js: str = "/static/salle.js"


@dataclass(frozen=True)
class Item:
    """One thing to answer in a round: the statement itself, or one continuum situation."""

    id: str
    title: str
    text: str
    reference: int | None = None
    reference_label: str = ""
    explanation: str = ""
    also: tuple[int, ...] = ()  # other steps the course finds defensible
    debate: str = ""  # a question for the group, shown with the results


@dataclass(frozen=True)
class Face:
    """An answer as a phone shows it: colour, symbol and word (never the colour alone)."""

    id: str
    label: str
    symbol: str
    colour: str
    text_colour: str

    @property
    def blank(self) -> bool:
        return self.colour.lower() == "#ffffff"


def _face(scale: Scale | None, value: str) -> Face:
    """The answer's face, even if it left data/ since the round started (grey, its id as its word)."""
    found: Choice | None = scale.choice(value) if scale else None
    if found is None:
        return Face(value, value, "·", "#eeeeee", "#000000")
    return Face(found.id, found.label, found.symbol, found.colour, found.text_colour)


def render(template: str, static: Static, **context: Any) -> str:
    return ENVIRONMENT.get_template(template).render(static=static, **context)


def _frame(state: str = "", code: str = "") -> dict[str, str]:
    return {"state": state, "code": code}


def join_page(error: str = "", typed: str = "", xsrf: str = "", static: Static = Static()) -> str:
    """« Rejoindre la séance »: one field, numeric keypad on phones, what the person typed is kept."""
    return render(
        "join.html",
        static,
        title="Rejoindre",
        error=error,
        typed=typed,
        xsrf=Markup(xsrf),  # noqa: S704 - tornado's own anti-CSRF field, the one trusted piece of HTML
        privacy=PRIVACY,
        **_frame(),
    )


def error_page(title: str, text: str, back_to_join: bool = True, static: Static = Static()) -> str:
    return render("error.html", static, title=title, text=text, back_to_join=back_to_join, **_frame())


def _result_rows(
    counts: list[Count], scale: Scale | None, own: str | None, reference: int | None, also: tuple[int, ...]
) -> list[dict[str, Any]]:
    total = sum(c.votes for c in counts)
    rows = []
    for count in counts:
        notes = []
        if count.choice == own:
            notes.append("✔ votre réponse")
        if reference is not None and count.choice == str(reference):
            notes.append("◆ repère du cours")
        if count.choice in {str(step) for step in also}:
            notes.append("◇ aussi défendable")
        share = 100 * count.votes / total if total else 0
        rows.append(
            {
                "choice": _face(scale, count.choice),
                "notes": notes,
                "share": f"{share:.0f}",
                "votes": plural(count.votes, "vote"),
            }
        )
    return rows


def _results(
    items: list[Item], results: dict[str, list[Count]], scale: Scale | None, own: dict[str, str]
) -> list[dict[str, Any]]:
    blocks = []
    for item in items:
        reference = ""
        if item.explanation:
            label = f" : étape {item.reference}, « {item.reference_label} »" if item.reference else ""
            also = f" (◇ aussi défendable : étape {list_and([str(a) for a in item.also])})" if item.also else ""
            reference = label + also
        blocks.append(
            {
                "title": item.title if len(items) > 1 or item.id else "",
                "rows": _result_rows(results.get(item.id, []), scale, own.get(item.id), item.reference, item.also),
                "reference": reference,
                "explanation": item.explanation,
                "debate": item.debate,
            }
        )
    return blocks


def round_page(
    code: str,
    state: str,
    round_: Round | None,
    items: list[Item],
    scale: Scale | None,
    own: dict[str, str],
    results: dict[str, list[Count]] | None,
    answered: int,
    closed: bool,
    xsrf: str,
    position: int = 0,
    notice: str = "",
    notice_kind: str = "ok",
    static: Static = Static(),
) -> str:
    """The page of one session for one phone: waiting, voting, or the revealed results."""
    context: dict[str, Any] = {
        **_frame(state, code),
        "closed": closed,
        "waiting": round_ is None or round_.state is RoundState.CLOSED,
        "results": None,
        "notice": notice,
        "notice_kind": notice_kind,
        "privacy": PRIVACY,
        "question": round_.question if round_ else "",
    }
    if closed:
        return render("round.html", static, title="Séance terminée", **context)
    if round_ is None or context["waiting"]:
        return render("round.html", static, title="En attente", **context)
    if round_.state is RoundState.REVEALED and results is not None:
        context["results"] = _results(items, results, scale, own)
        context["people"] = f"{plural(answered, 'personne')} {'ont' if answered > 1 else 'a'} répondu."
        return render("round.html", static, title="Résultats", **context)
    # Voting: one item at a time (a continuum round has several situations).
    position = max(0, min(position, len(items) - 1))
    item = items[position]
    mine = own.get(item.id)
    done = sum(1 for i in items if i.id in own)
    confirmation = ""
    if mine:
        chosen = _face(scale, mine)
        confirmation = (
            f"Votre réponse est enregistrée : {chosen.symbol} {chosen.label}. "
            "Vous pouvez changer d'avis tant que le vote est ouvert."
        )
    context.update(
        several=len(items) > 1,
        position=position,
        count=len(items),
        done=f"{done} {plural_word(done, 'placée')}",
        item=item,
        mine=confirmation,
        round_id=round_.id,
        xsrf=Markup(xsrf),  # noqa: S704 - tornado's own anti-CSRF field, the one trusted piece of HTML
        legend="Votre réponse" if round_.activity is not Activity.CONTINUUM else "Où placez-vous cette situation ?",
        buttons=[{"choice": _face(scale, value), "chosen": value == mine} for value in round_.choices],
    )
    return render("round.html", static, title="Votre réponse", **context)
