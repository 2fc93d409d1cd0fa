"""The participants' pages, as plain HTML: light enough for an old phone, readable without JavaScript.

Why server-made HTML with forms (and only a few lines of JavaScript to refresh the page when the
trainer moves on): participants often have little ease with digital tools and sometimes an old
phone or a weak connection. A page that works with one tap per answer, large buttons, a word and a
symbol on every colour, and no framework to download, is the most reliable.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

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


def page(title: str, body: str, state: str = "", code: str = "") -> str:
    """The page frame: French, zoomable, one stylesheet and one small script from this server."""
    data = (
        f' data-etat="{escape(state)}" data-code="{escape(code)}" data-delai="{int(PHONE_POLL_SECONDS * 1000)}"'
        if state
        else ""
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)} — {TITLE}</title>"
        '<link rel="stylesheet" href="/static/salle.css">'
        '<script src="/static/salle.js" defer></script>'
        f"</head><body{data}>"
        '<a class="evitement" href="#contenu">Aller au contenu</a>'
        f'<header><p class="marque">Faire avec · vote en salle{" · séance " + escape(display_code(code)) if code else ""}</p></header>'
        f'<main id="contenu" tabindex="-1">{body}'
        '<p id="connexion" class="connexion" role="status" aria-live="polite"></p>'
        "</main></body></html>"
    )


def message(text: str, kind: str = "info") -> str:
    role = "alert" if kind == "erreur" else "status"
    symbol = {"erreur": "⚠", "ok": "✔", "info": "ℹ"}.get(kind, "ℹ")
    return f'<div class="message message--{kind}" role="{role}"><span aria-hidden="true">{symbol}</span> {escape(text)}</div>'


def join_page(error: str = "", typed: str = "", xsrf: str = "") -> str:
    """« Rejoindre la séance »: one field, numeric keypad on phones, what the person typed is kept."""
    problem = message(error, "erreur") if error else ""
    invalid = (
        ' aria-invalid="true" aria-describedby="code-aide erreur-code"' if error else ' aria-describedby="code-aide"'
    )
    body = (
        "<h1>Rejoindre la séance</h1>"
        f'<div id="erreur-code">{problem}</div>'
        f'<form method="post" action="/rejoindre" class="rejoindre">{xsrf}'
        '<label for="code">Code de la séance</label>'
        '<p id="code-aide" class="aide">6 chiffres, affichés par la personne qui anime.</p>'
        f'<input id="code" name="code" inputmode="numeric" autocomplete="off" autocorrect="off" spellcheck="false" '
        f'maxlength="12" value="{escape(typed)}"{invalid} placeholder="482 913">'
        '<button type="submit" class="principal">Rejoindre</button>'
        "</form>"
        f'<p class="prive">{escape(PRIVACY)}</p>'
    )
    return page("Rejoindre", body)


def error_page(title: str, text: str, back_to_join: bool = True) -> str:
    link = '<p><a class="bouton" href="/">Taper un autre code</a></p>' if back_to_join else ""
    return page(title, f"<h1>{escape(title)}</h1>{message(text, 'erreur')}{link}")


def _choice_face(choice: Choice, chosen: bool = False) -> str:
    """The coloured square always carries the symbol, and the word is written beside it."""
    mark = '<span class="choisi">✔ votre réponse</span>' if chosen else ""
    return (
        f'<span class="pastille{" pastille--blanc" if choice.colour.lower() == "#ffffff" else ""}" '
        f'style="background:{escape(choice.colour)};color:{escape(choice.text_colour)}" aria-hidden="true">'
        f"{escape(choice.symbol)}</span>"
        f'<span class="libelle">{escape(choice.label)}{mark}</span>'
    )


def _choice_of(scale: Scale | None, value: str) -> Choice:
    found = scale.choice(value) if scale else None
    return found or Choice(value, value, "·", "#eeeeee", "#000000")


def _vote_form(code: str, round_: Round, item: Item, scale: Scale | None, own: str | None, xsrf: str) -> str:
    buttons = []
    for value in round_.choices:
        choice = _choice_of(scale, value)
        chosen = value == own
        buttons.append(
            f'<button type="submit" name="valeur" value="{escape(value)}" class="choix{" choix--choisi" if chosen else ""}" '
            f'aria-pressed="{"true" if chosen else "false"}">{_choice_face(choice, chosen)}</button>'
        )
    legend = "Votre réponse" if round_.activity is not Activity.CONTINUUM else "Où placez-vous cette situation ?"
    return (
        f'<form method="post" action="/s/{code}/vote" class="vote">{xsrf}'
        f'<input type="hidden" name="tour" value="{round_.id}">'
        f'<input type="hidden" name="element" value="{escape(item.id)}">'
        f'<fieldset><legend>{legend}</legend><div class="choix-liste">{"".join(buttons)}</div></fieldset>'
        "</form>"
    )


def _results(
    counts: list[Count], scale: Scale | None, own: str | None, reference: int | None = None, also: tuple[int, ...] = ()
) -> str:
    total = sum(c.votes for c in counts)
    rows = []
    for count in counts:
        choice = _choice_of(scale, count.choice)
        share = 100 * count.votes / total if total else 0
        notes = []
        if count.choice == own:
            notes.append("✔ votre réponse")
        if reference is not None and count.choice == str(reference):
            notes.append("◆ repère du cours")
        if count.choice in {str(step) for step in also}:
            notes.append("◇ aussi défendable")
        note = f' <span class="note">({", ".join(notes)})</span>' if notes else ""
        votes = plural(count.votes, "vote")
        blank = " pastille--blanc" if choice.colour.lower() == "#ffffff" else ""
        rows.append(
            f'<li class="resultat"><span class="pastille{blank}" style="background:{escape(choice.colour)};'
            f'color:{escape(choice.text_colour)}" aria-hidden="true">{escape(choice.symbol)}</span>'
            f'<span class="res-texte"><span class="libelle">{escape(choice.label)}</span>{note}'
            f'<span class="barre" aria-hidden="true"><span style="width:{share:.0f}%;background:{escape(choice.colour)}"></span></span></span>'
            f'<span class="compte">{votes}</span></li>'
        )
    return f'<ul class="resultats">{"".join(rows)}</ul>'


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
) -> str:
    """The page of one session for one phone: waiting, voting, or the revealed results."""
    banner = message(notice, notice_kind) if notice else ""
    if closed:
        body = "<h1>La séance est terminée</h1>" + banner + message("Merci de votre participation !", "ok")
        return page("Séance terminée", body, state, code)
    if round_ is None or round_.state is RoundState.CLOSED:
        body = (
            f"<h1>Vous avez rejoint la séance</h1>{banner}"
            '<p class="attente">En attente de la prochaine question de la personne qui anime.</p>'
            "<p>La page se met à jour toute seule. Sinon, touchez « Actualiser ».</p>"
            f'<p><a class="bouton" href="/s/{code}">Actualiser</a></p>'
            f'<p class="prive">{escape(PRIVACY)}</p>'
        )
        return page("En attente", body, state, code)
    if round_.state is RoundState.REVEALED and results is not None:
        parts = [f"<h1>Les réponses du groupe</h1>{banner}"]
        people = f"{plural(answered, 'personne')} {'ont' if answered > 1 else 'a'} répondu."
        parts.append(f'<p class="question">{escape(round_.question)}</p><p>{people}</p>')
        for item in items:
            if len(items) > 1 or item.id:
                parts.append(f"<h2>{escape(item.title)}</h2>")
            parts.append(_results(results.get(item.id, []), scale, own.get(item.id), item.reference, item.also))
            if item.explanation:
                label = f" : étape {item.reference}, « {item.reference_label} »" if item.reference else ""
                also = f" (◇ aussi défendable : étape {list_and([str(a) for a in item.also])})" if item.also else ""
                parts.append(
                    f'<p class="explication"><strong>◆ Repère du cours{escape(label)}{escape(also)}.</strong> '
                    f"{escape(item.explanation)}</p>"
                )
            if item.debate:
                parts.append(f'<p class="explication"><strong>À discuter :</strong> {escape(item.debate)}</p>')
        parts.append("<p>Le vote est terminé. Place à la discussion !</p>")
        return page("Résultats", "".join(parts), state, code)
    # Voting: one item at a time (a continuum round has several situations).
    position = max(0, min(position, len(items) - 1))
    item = items[position]
    parts = [banner]
    if len(items) > 1:
        done = sum(1 for i in items if i.id in own)
        parts.append(
            f'<p class="etape">Situation {position + 1} sur {len(items)} · '
            f"{done} {plural_word(done, 'placée')}</p><h1>{escape(item.title)}</h1>"
            f'<p class="question">{escape(item.text)}</p>'
        )
    else:
        parts.append(f'<h1 class="question">{escape(round_.question)}</h1>')
    mine = own.get(item.id)
    if mine:
        choice = _choice_of(scale, mine)
        parts.append(
            message(
                f"Votre réponse est enregistrée : {choice.symbol} {choice.label}. "
                "Vous pouvez changer d'avis tant que le vote est ouvert.",
                "ok",
            )
        )
    parts.append(_vote_form(code, round_, item, scale, mine, xsrf))
    if len(items) > 1:
        links = []
        if position > 0:
            links.append(f'<a class="bouton" href="/s/{code}?n={position - 1}">← Situation précédente</a>')
        if position < len(items) - 1:
            links.append(f'<a class="bouton" href="/s/{code}?n={position + 1}">Situation suivante →</a>')
        parts.append(f'<nav class="suite" aria-label="Situations">{"".join(links)}</nav>')
        parts.append('<p class="aide">Vous pouvez passer une situation sans répondre.</p>')
    parts.append(
        '<p class="aide">Les autres ne voient pas votre réponse. Les résultats du groupe s\'afficheront quand '
        "la personne qui anime les montrera.</p>"
    )
    return page("Votre réponse", "".join(parts), state, code)
