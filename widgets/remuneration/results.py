"""The simulator's figures as HTML, in the order a person asks for them (issue 18).

Why this order: on a phone the month-by-month table became 12 cards of 7 rows, about 12 screens,
before the learner saw what changes. A person asks « what do I gain over the year? » and « which
months change? »: the summary (:func:`summary_html`) and the months that differ from « sans
l'offre », grouped and said in words (:func:`changes_html`), come first; the full table
(:func:`tables_html`) is shown on demand, in a disclosure. Pure: every text is escaped here, no
widget is built (:mod:`.panel` puts these pieces on the page, :func:`preview_html` gives the page's
first figures before the widgets are there).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from widgets.fr import format_date, format_euros, format_hours, format_month, list_and, typography
from widgets.ui import table_markup

from .chart import legend_items
from .explain import COLUMN_LABELS_FR, COLUMNS, MONTH_LABELS_FR, lag_rules, of
from .inputs import MONTHS, SIM_YEAR
from .model import OfferResult, Result

#: A change below half a cent is no change (every amount is rounded to the cent).
CENT = 0.005
#: The parts of a month's resources, in the order of the table (the total apart).
PARTS = tuple(column for column in COLUMNS if column != "total")
#: The table's columns besides the parts: the total is the one « avec l'offre ».
TABLE_LABELS = {**COLUMN_LABELS_FR, "total": "Total avec l'offre"}
#: The disclosure's title (:class:`widgets.controls.Disclosure`).
TABLE_SUMMARY = "Le tableau mois par mois : paie, RSA, prime d'activité et autres aides"


def _signed(value: float) -> str:
    """« + 60,00 € », « - 40,00 € » with a real minus sign (U+2212) and a no-break space after the sign."""
    return ("+\u00a0" if value > 0 else "\u2212\u00a0") + format_euros(abs(value))


def _offer_name(result: Result, index: int) -> str:
    """« » for a single offer, « (offre 2) » when two are compared."""
    return f" (offre {index})" if len(result.offers) > 1 else ""


# --------------------------------------------------------------------------- months that change
@dataclass(frozen=True)
class MonthGroup:
    """Consecutive months (indices 0 to 11) whose figures with and without the offer are the same."""

    first: int
    last: int
    with_offer: float
    without: float
    #: (label, change) of each part that moves, e.g. (« Paie nette », 60.0).
    parts: tuple[tuple[str, float], ...]

    @property
    def difference(self) -> float:
        return round(self.with_offer - self.without, 2)

    def when(self) -> str:
        """« En avril », « De juillet à septembre », « D'avril à juin »."""
        if self.first == self.last:
            return f"En {format_month(self.first + 1)}"
        since = of(format_month(self.first + 1))
        return f"{since[0].upper()}{since[1:]} à {format_month(self.last + 1)}"


def changed_months(offer: OfferResult, baseline_total: list[float]) -> list[MonthGroup]:
    """The months where something differs from « sans l'offre » (the total or one of its parts),
    consecutive months with the very same figures grouped."""
    groups: list[MonthGroup] = []
    for index, month in enumerate(MONTHS):
        row = {column: float(offer.difference[column].loc[month]) for column in (*PARTS, "total")}
        parts = tuple((COLUMN_LABELS_FR[c], round(row[c], 2)) for c in PARTS if abs(row[c]) >= CENT)
        if not parts and abs(row["total"]) < CENT:
            continue
        with_offer = round(float(offer.with_offer["total"].loc[month]), 2)
        without = round(baseline_total[index], 2)
        previous = groups[-1] if groups else None
        if (
            previous
            and previous.last == index - 1
            and (previous.with_offer, previous.without, previous.parts)
            == (
                with_offer,
                without,
                parts,
            )
        ):
            groups[-1] = MonthGroup(previous.first, index, with_offer, without, parts)
        else:
            groups.append(MonthGroup(index, index, with_offer, without, parts))
    return groups


def months_phrase(indices: list[int]) -> str:
    """« janvier, mars à mai et décembre »: months 0 to 11, consecutive ones as a range."""
    runs: list[list[int]] = []
    for index in indices:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    words = [
        format_month(run[0] + 1) if len(run) == 1 else f"{format_month(run[0] + 1)} à {format_month(run[-1] + 1)}"
        for run in runs
    ]
    return list_and(words)


def _inside(label: str) -> str:
    """A column's label inside a sentence: « paie nette », but « RSA » and « AAH » stay as they are."""
    first = label.split()[0]
    return label if first.isupper() else label[0].lower() + label[1:]


def _group_line(group: MonthGroup) -> str:
    each = len(range(group.first, group.last + 1)) > 1
    per_month = " par mois" if each else ""
    gain = group.difference
    if abs(gain) < CENT:
        total = f"le même total, {format_euros(group.with_offer)}{per_month}"
    else:
        more = "de plus" if gain > 0 else "de moins"
        total = (
            f"{format_euros(group.with_offer)}{per_month} au lieu de {format_euros(group.without)}, soit "
            f"<strong>{format_euros(abs(gain))} {more}</strong>{' chaque mois' if each else ''}"
        )
    moves = ", ".join(f"{html.escape(_inside(label))}\u00a0{_signed(change)}" for label, change in group.parts)
    return f"<li><strong>{group.when()}</strong> : {total}.{f' Ce qui bouge : {moves}.' if moves else ''}</li>"


def changes_html(result: Result) -> str:
    """For each offer: the year's totals, then the months that change, in words (nothing else)."""
    baseline = [float(value) for value in result.baseline["total"]]
    parts = []
    for index, offer in enumerate(result.offers, start=1):
        groups = changed_months(offer, baseline)
        with_year = round(float(offer.with_offer["total"].sum()), 2)
        without_year = round(sum(baseline), 2)
        gain = offer.yearly_gain
        verdict = (
            "autant"
            if abs(gain) < CENT
            else f"<strong>{format_euros(abs(gain))} {'de plus' if gain > 0 else 'de moins'}</strong>"
        )
        lines = "".join(_group_line(group) for group in groups)
        changed = {month for group in groups for month in range(group.first, group.last + 1)}
        still = [month for month in range(12) if month not in changed]
        if not groups:
            rest = "<p>Aucun mois ne change : avec ou sans l'offre, la personne reçoit la même chose.</p>"
        elif still:
            rest = f"<p>Les autres mois ({months_phrase(still)}), rien ne change.</p>"
        else:
            rest = "<p>Tous les mois changent.</p>"
        parts.append(
            f"<h3>Ce qui change en {SIM_YEAR}{_offer_name(result, index)}</h3>"
            f"<p><strong>Sur l'année</strong> : {format_euros(with_year)} avec l'offre, au lieu de "
            f"{format_euros(without_year)} sans l'offre : {verdict}.</p>"
            + (f"<ul class='fa-changes'>{lines}</ul>" if lines else "")
            + rest
        )
    return "".join(parts)


# --------------------------------------------------------------------------- summary, table, details
def _summary_items(result: Result) -> str:
    lines = []
    for index, offer in enumerate(result.offers, start=1):
        gain = offer.yearly_gain
        verb = "gagne" if gain >= 0 else "perd"
        extra = "".join(f"<li>{html.escape(s)}</li>" for s in offer.neutralisation + offer.after_job)
        lines.append(
            f"<li><strong>Offre {index}</strong> ({html.escape(offer.offer.form_label)}, "
            f"{format_hours(offer.offer.hours_per_month)} par mois) : sur l'année {SIM_YEAR}, la personne {verb} "
            f"<strong>{format_euros(abs(gain))}</strong> de ressources au total par rapport à sans l'offre."
            + (f"<ul>{extra}</ul>" if extra else "")
            + "</li>"
        )
    return "".join(lines)


def summary_html(result: Result) -> str:
    """« Résultat »: what each offer brings over the year, and which law the figures follow."""
    legislation = format_date(date.fromisoformat(result.legislation_date))
    return (
        f"<h2>Résultat</h2><ul class='fa-result'>{_summary_items(result)}</ul>"
        f"<p>Législation connue jusqu'au {legislation} "
        f"(OpenFisca-France {html.escape(result.openfisca_version)}).</p>"
    )


def tables_html(result: Result) -> str:
    """Every month, every part: the full table of each offer (shown on demand)."""
    parts = []
    for index, offer in enumerate(result.offers, start=1):
        table = offer.with_offer.copy()
        table.insert(len(table.columns), "Total sans l'offre", result.baseline["total"])
        table.insert(len(table.columns), "Différence", offer.difference["total"])
        shown = table.loc[:, (table != 0).any(axis=0)].rename(columns=TABLE_LABELS)
        shown.index = [MONTH_LABELS_FR[m] for m in shown.index]
        shown = shown.map(format_euros).reset_index(names="Mois")
        parts.append(
            f"<div class='fa-table-scroll'>{table_markup(shown, f'Offre {index} : ressources par mois, en euros')}</div>"
        )
    return "".join(parts)


def details_html(result: Result) -> str:
    """For each offer: the lag told in plain words, the points to watch and the rights opened; then
    why the effect comes late, what to know and the texts behind it."""
    parts = []
    for index, offer in enumerate(result.offers, start=1):
        lag = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in offer.story)
        parts.append(f"<h3>Le décalage, en clair (offre {index})</h3><ul>{lag}</ul>")
        pending = (
            ()
            if result.complete
            else (
                "Recherche des mois où moins d'heures rapporteraient plus : calcul en cours, la page se complète seule.",
            )
        )
        warnings = "".join(
            f"<li>⚠ {html.escape(text)}</li>" for text in offer.warnings + offer.explained_cases + pending
        )
        if warnings:
            parts.append(f"<h3>Points d'attention (offre {index})</h3><ul>{warnings}</ul>")
        rights = offer.rights
        parts.append(
            f"<h3>Droits ouverts (offre {index})</h3><ul><li>{html.escape(rights.pension_note)}</li>"
            f"<li>{html.escape(rights.unemployment_note)}</li></ul>"
        )
    parts.append(explanations_html(result))
    return "".join(parts)


def explanations_html(result: Result) -> str:
    """Why the effect comes late, what to know, and the texts behind it (« Pour aller plus loin »)."""
    rules = "".join(
        f"<li><strong>{html.escape(COLUMN_LABELS_FR[k])}</strong> : {html.escape(v)}</li>"
        for k, v in lag_rules(result.calendar).items()
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
    further = "".join(f"<li>{html.escape(text)}</li>" for text in result.further)
    return (
        "<h3>Pourquoi l'effet arrive plus tard</h3>"
        "<p>Une paie reçue un mois donné ne change pas le RSA ni la prime d'activité du même mois : "
        "ces aides sont calculées sur des mois déjà passés.</p>"
        f"<ul>{rules}</ul><h3>À savoir sur cette simulation</h3><ul>{notes}</ul>"
        "<details class='fa-plus-loin'><summary>Pour aller plus loin : les textes de loi</summary>"
        f"<ul>{further}</ul></details>"
    )


# --------------------------------------------------------------------------- chart
def legend_html(result: Result) -> str:
    """The chart's legend as a list under it: it wraps on a phone and is read by screen readers."""
    items = "".join(
        f"<li style='display:flex;align-items:center;gap:0.5em'>"
        f"<span aria-hidden='true' style='display:inline-block;width:1.2em;height:1.2em;flex:none;"
        f"background:{colour};border:1px solid #333'></span>"
        f"<span>{html.escape(label)} <small>({html.escape(drawn)})</small></span></li>"
        for label, colour, drawn in legend_items(result)
    )
    return (
        "<ul class='fa-chart-legend' aria-label='Légende du graphique' "
        "style='list-style:none;padding:0;margin:0.25em 0 1em;display:flex;flex-wrap:wrap;gap:0.4em 1.5em'>"
        f"{items}</ul>"
    )


def chart_title(result: Result) -> str:
    """The chart's title, above it as text (it wraps on a phone instead of being cut)."""
    if len(result.offers) > 1:
        return "Ressources par mois, en euros : offre 1 (barres), offre 2 (ligne pleine) et sans offre (tirets)"
    return "Ressources par mois, en euros : avec l'offre (barres) et sans l'offre (ligne en tirets)"


# --------------------------------------------------------------------------- the page's first figures
def preview_html(result: Result, case_label: str) -> str:
    """The first figures of the page, sent with the page itself (issue 18, point 4): the case type the
    page opens on, what it brings over the year and the months that change. The course's Voilà
    template draws this before the widgets are there, and its stylesheet hides it once they are."""
    return (
        "<section class='fa-apercu' aria-labelledby='fa-apercu-titre'>"
        f"<h2 id='fa-apercu-titre'>{html.escape(typography(f'Premiers chiffres : « {case_label} »'))}</h2>"
        "<p class='fa-apercu-note'>La page se prépare : les champs, le graphique et le tableau arrivent dans "
        "quelques secondes.</p>"
        f"<ul class='fa-apercu-liste'>{_summary_items(result)}</ul>{changes_html(result)}</section>"
    )
