"""Printable cards, as self-contained HTML pages that Chromium prints to PDF (:mod:`widgets.kit.pdf`).

Why HTML built from the data files: the cards say exactly what the exercises and the chapters say,
because they read the same files through the same loaders — the continuum situations and steps
(:mod:`widgets.continuum.content`), the remuneration cases (:mod:`widgets.remuneration.content`),
the colour answers of the group mode (:mod:`widgets.salle.content`) and the job titles of chapter 1
(``data/kit/metiers.yml``). Nothing is copied, so a corrected situation is corrected on paper too.

Each sheet is A4, eight cards per page with dashed cutting lines. Colour cards carry a word and a
symbol as big as the colour, so they work in black and white and for people who do not see colours.
The continuum's answers are on a separate sheet, so that cards can be handed out without them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from widgets.fr import MONTH_NAMES, format_euros, format_hours

CARD_CSS = """
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #111; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 3mm; }
.intro { font-size: 9.5pt; margin: 0 0 4mm; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; grid-auto-rows: 64mm; gap: 3mm; }
.sheet.tall { grid-auto-rows: 100mm; }
.card { border: 1px dashed #555; padding: 4mm 5mm; overflow: hidden; break-inside: avoid; position: relative;
        display: flex; flex-direction: column; }
.card .kind { font-size: 8.5pt; text-transform: uppercase; letter-spacing: 0.04em; color: #333; }
.card h2 { font-size: 13pt; margin: 1mm 0 2mm; line-height: 1.2; }
.card p { font-size: 10pt; line-height: 1.35; margin: 0 0 1.5mm; }
.card .source { font-size: 7.5pt; color: #333; margin-top: auto; overflow-wrap: anywhere; }
.card .number { position: absolute; top: 3mm; right: 4mm; font-size: 11pt; font-weight: bold; }
.card.job { justify-content: center; text-align: center; }
.card.job h2 { font-size: 22pt; }
.card.colour { justify-content: center; align-items: center; text-align: center; border: 1px dashed #555;
               -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.card.colour .symbol { font-size: 54pt; line-height: 1; font-weight: bold; }
.card.colour .word { font-size: 17pt; font-weight: bold; margin-top: 3mm; }
.card.colour .scale { font-size: 8.5pt; margin-top: 2mm; }
.card.colour.white { border: 2px solid #111; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 0.5mm 3mm; font-size: 9.5pt; margin: 0 0 1.5mm; }
dt { font-weight: bold; }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border: 1px solid #767676; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
thead th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
tr { break-inside: avoid; }
.pagebreak { break-before: page; }
"""


@dataclass(frozen=True)
class Card:
    """One card: its kind (small heading), title, paragraphs, optional details, number and source."""

    kind: str
    title: str
    paragraphs: tuple[str, ...] = ()
    details: tuple[tuple[str, str], ...] = ()
    number: str = ""
    source: str = ""
    css: str = ""
    style: str = ""
    raw_body: str = ""


def _e(text: str) -> str:
    return html.escape(str(text))


def card_html(card: Card) -> str:
    number = f'<div class="number">{_e(card.number)}</div>' if card.number else ""
    kind = f'<div class="kind">{_e(card.kind)}</div>' if card.kind else ""
    paragraphs = "".join(f"<p>{_e(p)}</p>" for p in card.paragraphs)
    details = (
        "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in card.details) + "</dl>" if card.details else ""
    )
    source = f'<div class="source">Source : {_e(card.source)}</div>' if card.source else ""
    title = f"<h2>{_e(card.title)}</h2>" if card.title else ""
    style = f' style="{_e(card.style)}"' if card.style else ""
    return (
        f'<section class="card {_e(card.css)}"{style}>{number}{kind}{title}{card.raw_body}'
        f"{paragraphs}{details}{source}</section>"
    )


def document(title: str, intro: str, body: str, css: str = "") -> str:
    """A whole printable page: no script, no image, no address to load (works offline, prints the same).
    ``css`` is added after the cards' style sheet (a sheet of its own, such as the help numbers)."""
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n<style>{CARD_CSS}{css}</style>\n</head>\n<body>\n"
        f'<h1>{_e(title)}</h1>\n<p class="intro">{_e(intro)}</p>\n{body}\n</body>\n</html>\n'
    )


def sheet(cards: list[Card], tall: bool = False) -> str:
    return f'<div class="sheet{" tall" if tall else ""}">' + "".join(card_html(c) for c in cards) + "</div>"


# --- The continuum (chapter 3) -------------------------------------------------------------------


def situation_cards() -> str:
    """One card per continuum situation, numbered, without the answer."""
    from widgets.continuum.content import load_situations

    cards = [
        Card("Où se situe cette situation ?", s.title, (s.text,), number=f"n° {n}")
        for n, s in enumerate(load_situations(), start=1)
    ]
    return document(
        "Le continuum : les situations à placer",
        "Chapitre 3. Découpez les cartes. Chaque groupe place chaque situation sur une marche de la grille "
        "(de 1, être informé·e, à 6, travailler comme pair), puis on compare avec la feuille des réponses, "
        "imprimée à part.",
        sheet(cards),
    )


def situation_answers() -> str:
    """The answer sheet of the continuum: reference step, other defensible steps, explanation, source."""
    from widgets.continuum.content import load_situations, load_steps

    steps = {s.position: s.label for s in load_steps()}
    rows = []
    for n, s in enumerate(load_situations(), start=1):
        also = ", ".join(f"{p}. {steps[p]}" for p in sorted(s.also_accepted)) or "—"
        debate = f"<br><em>À débattre : {_e(s.debate)}</em>" if s.debate else ""
        rows.append(
            f"<tr><td>{n}</td><td>{_e(s.title)}</td><td><strong>{s.reference}. {_e(steps[s.reference])}</strong>"
            f"</td><td>{_e(also)}</td><td>{_e(s.explanation)}{debate}</td><td>{_e(s.source)}</td></tr>"
        )
    grid = " ; ".join(f"{p}. {_e(label)}" for p, label in steps.items())
    widths = (6, 15, 14, 12, 35, 18)
    body = (
        f"<p style='font-size:10pt'><strong>La grille du cours :</strong> {grid}.</p>"
        "<table style='table-layout:fixed'><caption style='text-align:left;font-weight:bold;padding-bottom:2mm'>"
        "Les réponses</caption>" + "<colgroup>" + "".join(f"<col style='width:{w}%'>" for w in widths) + "</colgroup>"
        "<thead><tr><th scope='col'>N°</th><th scope='col'>Situation</th><th scope='col'>Marche de référence</th>"
        "<th scope='col'>Autres marches défendables</th><th scope='col'>Pourquoi</th><th scope='col'>Source</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return document(
        "Le continuum : la feuille des réponses (pour la personne qui anime)",
        "Chapitre 3. À garder à part : les cartes se distribuent sans les réponses. Une marche « plus haute » "
        "n'est pas « meilleure » : c'est une base de discussion.",
        body,
    )


# --- Job titles (chapter 1) ----------------------------------------------------------------------


def job_cards() -> str:
    from widgets.kit.content import load_jobs

    cards = [
        Card("Un nom de métier pair", job.title, (job.detail,) if job.detail else (), source=job.source, css="job")
        for job in load_jobs()
    ]
    return document(
        "Les noms des métiers pairs",
        "Chapitre 1, jeu des cartes : classez chaque nom en « payé », « bénévole » ou « les deux », puis discutez. "
        "Il n'y a pas de corrigé : le classement se discute, avec les sources imprimées sur chaque carte.",
        sheet(cards),
    )


# --- Remuneration cases (chapter 4) -------------------------------------------------------------


def case_cards() -> str:
    from widgets.remuneration.content import load_profiles
    from widgets.remuneration.inputs import FORMS

    cards = []
    for n, profile in enumerate(load_profiles(), start=1):
        offer = profile.offer
        rate = format_euros(offer.hourly_rate) + " brut de l'heure" if offer.hourly_rate else "le SMIC de chaque mois"
        end = (offer.start_month + offer.duration_months - 2) % 12
        months = f"{offer.duration_months} mois, de {MONTH_NAMES[offer.start_month - 1]} à {MONTH_NAMES[end]}"
        cards.append(
            Card(
                "Un cas pour le simulateur",
                profile.label,
                (profile.description,),
                details=(
                    ("Aujourd'hui", profile.situation),
                    ("Forme", FORMS[offer.form]),
                    ("Heures", f"{format_hours(offer.hours_per_month)} par mois"),
                    ("Taux", rate),
                    ("Durée", months),
                ),
                number=f"Cas {n}",
                source="cas d'exemple du cours (les montants ne sont pas des barèmes)",
            )
        )
    notes = "".join(
        f"<tr><td>Cas {n}</td><td>{_e(p.label)}</td><td>{_e(p.assumptions)}</td></tr>"
        for n, p in enumerate(load_profiles(), start=1)
    )
    body = (
        sheet(cards, tall=True)
        + '<div class="pagebreak"></div><table><caption style="text-align:left;font-weight:bold">'
        "Ce qui est supposé dans chaque cas (à dire au groupe)</caption><thead><tr><th scope='col'>Cas</th>"
        f"<th scope='col'>Nom</th><th scope='col'>Hypothèses</th></tr></thead><tbody>{notes}</tbody></table>"
    )
    return document(
        "Les cas du chapitre 4 : être payé·e pour participer",
        "Chapitre 4. Une carte par petit groupe : le groupe propose une forme de paiement et dit ce qu'il faut "
        "vérifier, puis regarde le cas dans le simulateur. Les chiffres du simulateur ne sont pas une promesse.",
        body,
    )


# --- Colour cards (chapter 6, atelier 5) ---------------------------------------------------------


def colour_cards(copies: int = 1) -> str:
    """The abaque de Régnier's six answers and the traffic lights' answers: colour + word + symbol."""
    from widgets.salle.content import load_scales

    scales = load_scales()
    names = {"abaque": "Abaque de Régnier", "feux": "Feux tricolores"}
    parts = []
    for scale_id, name in names.items():
        cards = []
        for _ in range(copies):
            for choice in scales[scale_id].choices:
                white = " white" if choice.colour.lower() in ("#ffffff", "#fff") else ""
                cards.append(
                    Card(
                        "",
                        "",
                        css=f"colour{white}",
                        style=f"background:{choice.colour};color:{choice.text_colour}",
                        raw_body=(
                            f'<div class="symbol" aria-hidden="true">{_e(choice.symbol)}</div>'
                            f'<div class="word">{_e(choice.label)}</div><div class="scale">{_e(name)}</div>'
                        ),
                    )
                )
        parts.append(f"<h2 style='font-size:13pt'>{_e(name)}</h2>{sheet(cards)}")
    return document(
        "Les cartes de couleur pour voter",
        "Chapitre 6. Un jeu par personne. Chaque carte porte une couleur, un mot et un symbole : on peut "
        "voter même sans voir les couleurs, et les cartes se lisent imprimées en noir et blanc. Le blanc "
        "sert à ne pas voter. Couleurs de l'abaque : code habituel décrit dans le chapitre 6 ; feux "
        "tricolores : atelier 5 de la journée du 20 décembre 2023.",
        '<div class="pagebreak"></div>'.join(parts),
    )


# --- Help numbers, for the participants -----------------------------------------------------------

HELP_CSS = """
h1 { font-size: 22pt; }
.intro { font-size: 14pt; line-height: 1.35; }
.help { font-size: 14pt; line-height: 1.35; }
.help table.numbers { font-size: 14pt; }
.help table.numbers th, .help table.numbers td { border: 0; border-bottom: 1px solid #767676; padding: 3mm 2mm; }
.help table.numbers th { font-size: 24pt; white-space: nowrap; width: 1%; }
.help table.numbers h2 { font-size: 15pt; margin: 0 0 1mm; }
.help table.numbers p { margin: 0 0 1mm; }
.help .unchecked { border: 2px dashed #111; padding: 0 2mm; }
.help .warning { font-weight: bold; }
.help table.local { font-size: 13pt; }
.help table.local th { width: 45%; font-weight: normal; }
.help table.local td { height: 12mm; }
.help .sources { font-size: 8.5pt; overflow-wrap: anywhere; margin-top: 4mm; }
"""


def numbers_sheet() -> str:
    """The help numbers for every participant, in large type: who answers, for what, when.

    Same data as the trainer's page (``data/kit/numeros.yml``): a number the course could not check
    keeps its « à vérifier » mark on paper too, in words and with a dashed frame. The places near the
    room are left blank, to be written in by hand; the sources close the sheet in small type.
    """
    from widgets.kit.content import load_numbers
    from widgets.kit.page import LOCAL_PLACES

    numbers = load_numbers()
    rows = []
    for number in numbers:
        dial = _e(number.number).replace(" ", "&nbsp;")  # « 0 800 23 13 13 » stays on one line
        if not number.checked:
            dial = f'<span class="unchecked">{dial}</span>'
        # An unchecked number's « quand » says « À vérifier avant la séance… » (widgets/kit/content.py checks it).
        when = f"<p>{_e(number.when)}</p>" if number.checked else f'<p class="warning">⚠ {_e(number.when)}</p>'
        rows.append(
            f"<tr><th scope='row'>{dial}</th><td><h2>{_e(number.name)}</h2><p>{_e(number.for_whom)}</p>{when}</td></tr>"
        )
    local = "".join(f"<tr><th scope='row'>{_e(place)}</th><td></td></tr>" for place in LOCAL_PLACES)
    sources = "".join(f"<li>{_e(n.number)} : {_e(n.source)}</li>" for n in numbers)
    body = (
        "<div class='help'><table class='numbers'>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        "<h2 style='font-size:15pt;margin-top:6mm'>Près d'ici</h2>"
        "<table class='local'><caption style='text-align:left'>À écrire avant la séance :</caption>"
        f"<tbody>{local}</tbody></table>"
        f"<div class='sources'><p>D'où viennent ces numéros :</p><ul>{sources}</ul></div></div>"
    )
    return document(
        "Des numéros pour demander de l'aide",
        "Gardez cette feuille, pour vous ou pour une personne proche. Si une vie est en danger tout de suite : "
        "appelez le 15 ou le 112.",
        body,
        HELP_CSS,
    )


def all_cards() -> dict[str, str]:
    """Every printable sheet by file name (without extension)."""
    return {
        "cartes-continuum-situations": situation_cards(),
        "cartes-continuum-reponses": situation_answers(),
        "cartes-metiers": job_cards(),
        "cartes-cas-remuneration": case_cards(),
        "cartes-couleurs": colour_cards(),
        "numeros-d-aide": numbers_sheet(),
    }
