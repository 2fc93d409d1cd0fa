"""The simulator's French explanations: the lag, warnings, rights opened, notes on the simulation.

Why a module of its own: figures come from OpenFisca (read through the texts by :mod:`.law`), but
learners need sentences to read them — « the pay starts in March, the RSA only moves in July,
because the CAF fixes it for three months at each quarterly declaration ». Every sentence here is
built from the figures (or states a rule sourced in references.bib); none changes a figure, so
editing a wording never invalidates the cache.

Plain words first: the sentences shown under the figures name no article of law and no acronym
left unexplained; the articles and texts behind them are in :func:`further_reading`, shown apart
(« Pour aller plus loin »). No OpenFisca, ipywidgets or plotly import.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from widgets import droit
from widgets.fr import format_date, format_euros, format_hours, format_month, format_number, list_and, plural

from .inputs import AAH_DEFAULT_RATE, MONTHS, SALARY_FORMS, SIM_YEAR, Household, Offer
from .law import AFFILIATION_DAYS, AFFILIATION_HOURS, Calendar, JobEnd, opens_unemployment_right

#: Columns of every monthly table, and their French labels.
COLUMNS: tuple[str, ...] = ("pay", "rsa", "ppa", "housing", "aah", "family", "total")
COLUMN_LABELS_FR: dict[str, str] = {
    "pay": "Paie nette",
    "rsa": "RSA",
    "ppa": "Prime d'activité",
    "housing": "Aide au logement",
    "aah": "AAH",
    "family": "Prestations familiales",
    "total": "Total des ressources",
}

#: « janvier 2026 »… for each month of :data:`~widgets.remuneration.inputs.MONTHS`.
MONTH_LABELS_FR: dict[str, str] = {month: format_month(i, SIM_YEAR) for i, month in enumerate(MONTHS, start=1)}

# 1 quarter per retraite_heures_smic × gross hourly SMIC at 1 January (CSS R.351-9, retraite-decret-2014-349)
PENSION_SMIC_HOURS = int(droit.value("retraite_heures_smic"))
#: « 24 derniers mois (36 mois à partir de 55 ans) », read from data/droit.yml like every legal figure.
UNEMPLOYMENT_PERIOD = droit.render(
    "{droit}`chomage_periode:nombre` derniers mois ({droit}`chomage_periode_55_ans` à partir de 55 ans)"
)
MAX_QUARTERS = 4
ROUNDING_TOLERANCE = 0.011  # components are rounded to the cent: a total may move by 1 cent
#: Where the article numbers behind the plain sentences are listed, on the page and in the command.
FURTHER = "voir « Pour aller plus loin »"


# --------------------------------------------------------------------------- months
def month_index_label(index: int) -> str:
    """« avril 2026 » for index 3, « décembre 2025 » for -1 (0 = January of the simulated year)."""
    year, month = divmod(SIM_YEAR * 12 + index, 12)
    return format_month(month + 1, year)


def months_range_label(months: range) -> str:
    """« mars à mai 2026 », « novembre 2025 à janvier 2026 »: the months a window counts."""
    first, last = month_index_label(months[0]), month_index_label(months[-1])
    if first.split()[-1] == last.split()[-1]:
        return f"{first.rsplit(' ', 1)[0]} à {last}"
    return f"{first} à {last}"


def months_phrase(indices: Sequence[int]) -> str:
    """« juillet, août et septembre 2026 » for month indices 0–11 of the simulated year."""
    return f"{list_and([format_month(i + 1) for i in indices])} {SIM_YEAR}"


def of(words: str) -> str:
    """« de juin », « d'août » : the French preposition, elided before a vowel."""
    return f"d'{words}" if words[:1].lower() in "aeiouyéèâ" else f"de {words}"


def review_months_phrase(cal: Calendar) -> str:
    """« janvier, avril, juillet et octobre »: when the quarterly declarations fix the amounts."""
    first = cal.declaration_month - 1
    return list_and([format_month((first + 3 * k) % 12 + 1) for k in range(4)])


def _signed(value: float) -> str:
    return ("+" if value > 0 else "−") + format_euros(abs(value))


# --------------------------------------------------------------------------- how each benefit looks back
def lag_rules(cal: Calendar) -> dict[str, str]:
    """How each benefit of a month looks at past months, in plain words, for the rules in use.

    Under the texts, as the CAF applies them; with OpenFisca's rules, as OpenFisca computes them
    (read from its variable formulas). No benefit name is repeated: the page puts it in front.
    """
    example = cal.reviews()[1] if cal.quarterly else 3
    window = months_range_label(cal.window(example))
    when = month_index_label(example).rsplit(" ", 1)[0]
    if cal.quarterly:
        rsa = (
            f"fixé pour trois mois à chaque déclaration trimestrielle ({review_months_phrase(cal)}). Il compte la "
            f"moyenne de trois mois déjà passés : le RSA fixé en {when} compte {window}. Quand un travail "
            "s'arrête sans droit au chômage, sa paie n'est plus comptée à partir du mois suivant."
        )
        ppa = (
            "fixée pour trois mois à chaque déclaration, comme le RSA, et sur les mêmes mois. Quand le travail "
            "s'arrête, elle reste la même jusqu'à la déclaration suivante."
        )
    else:
        rsa = (
            "recalculé chaque mois, sur la moyenne des trois mois comptés, jamais sur le mois lui-même "
            f"(en {when} : {window}). Quand la paie s'arrête, elle n'est pas comptée le premier mois sans paie, "
            "puis elle est comptée de nouveau tant qu'elle reste dans les trois mois comptés (règle d'OpenFisca, "
            "pas celle des textes)."
        )
        ppa = f"recalculée chaque mois : moyenne de trois montants calculés sur les trois mois comptés (en {when} : {window})."
    return {
        "rsa": rsa,
        "ppa": ppa,
        "housing": (
            "calculée chaque mois sur les revenus des 12 mois qui finissent deux mois avant ; la paie n'est "
            "pas comptée si du RSA a été versé le mois d'avant (calcul d'OpenFisca)."
        ),
        "aah": (
            "s'il y a une paie ce mois-là, calculée sur les trois mois d'avant ; sinon, sur les revenus d'il y a "
            "deux ans. Elle redevient pleine le mois qui suit la fin de la paie (calcul d'OpenFisca)."
        ),
    }


def rules_note(cal: Calendar) -> str:
    """What the simulator does about the CAF's calendar, in one paragraph."""
    if cal.quarterly:
        return (
            "Le simulateur suit le rythme de la CAF : le RSA et la prime d'activité sont fixés pour trois mois à "
            f"chaque déclaration trimestrielle ({review_months_phrase(cal)} ici). Le RSA peut quand même changer "
            "pendant un trimestre : le 1er avril (hausse de son montant), à la fin d'un travail, ou si d'autres "
            "aides du foyer changent. Les déclarations du foyer peuvent tomber d'autres mois : changez "
            "« Déclarations trimestrielles en » pour le voir."
        )
    return (
        "Règles d'OpenFisca, telles quelles : le RSA et la prime d'activité glissent chaque mois sur les trois "
        "mois comptés, et la paie qui s'arrête n'est ignorée qu'un mois. La CAF, elle, fixe ces aides pour trois "
        "mois à chaque déclaration et ne compte plus une paie arrêtée sans droit au chômage. Ce réglage sert à "
        "comparer le simulateur avec OpenFisca, pas à expliquer une situation."
    )


def window_note(cal: Calendar) -> str:
    """Which months count, with an example instead of « M-4 à M-2 »."""
    example = cal.reviews()[1] if cal.quarterly else 6
    when = month_index_label(example)
    counted = months_range_label(cal.window(example))
    if cal.prefilled:
        return (
            f"Mois comptés : pour un calcul en {when}, les ressources de {counted} (les 4e, 3e et 2e mois avant). "
            "C'est la règle depuis mars 2025 : la déclaration trimestrielle est pré-remplie par la CAF. Une paie "
            "compte donc au plus tôt deux mois après."
        )
    return (
        f"Mois comptés : pour un calcul en {when}, les ressources de {counted} (les trois mois juste avant). "
        "C'était la règle avant mars 2025 ; depuis, la déclaration pré-remplie compte les 4e, 3e et 2e mois "
        "avant, et l'effet d'une paie arrive un mois plus tard."
    )


# --------------------------------------------------------------------------- lag
def lag_summary(lag: pd.DataFrame, cal: Calendar, no_rsa: str = "", no_ppa: str = "") -> tuple[str, ...]:
    """The lag of RSA and prime d'activité told in plain French, month names included.

    Why: the table shows the figures, but learners need the sentence « the pay starts in March, the
    RSA only moves in July, because the July declaration looks at March to May » to read them.
    ``no_rsa`` / ``no_ppa``: why the household gets no RSA / prime d'activité at all, with or without
    the offer; said first, instead of « the RSA does not change ».
    """
    label = MONTH_LABELS_FR
    sentences = []
    if no_rsa:
        sentences.append(f"Pas de RSA pour ce foyer, avec ou sans l'offre : {no_rsa}.")
    if no_ppa:
        sentences.append(f"Pas de prime d'activité, avec ou sans l'offre : {no_ppa}.")
    paid = [str(m) for m, flag in lag["offer_paid"].items() if flag]
    if not paid:
        sentences.append(
            "Pas de paiement avec cette offre : le RSA et la prime d'activité ne bougent pas à cause d'elle."
        )
        return tuple(sentences)
    sentences.append(f"Le paiement commence en {label[paid[0]]} et s'arrête après {label[paid[-1]]}.")
    if cal.quarterly and not (no_rsa and no_ppa):
        sentences.append(
            f"La CAF fixe le RSA et la prime d'activité pour trois mois, à chaque déclaration : en "
            f"{review_months_phrase(cal)}."
        )
    for column, name, changed, pronoun, skip in (
        ("rsa_change", "Le RSA", "plus bas", "il", bool(no_rsa)),
        ("ppa_change", "La prime d'activité", "versée", "elle", bool(no_ppa)),
    ):
        if skip:
            continue
        moved = [str(m) for m, change in lag[column].items() if abs(change) >= 0.01]
        if not moved:
            sentences.append(f"{name} ne change pas avec cette offre.")
            continue
        first = moved[0]
        delay = MONTHS.index(first) - MONTHS.index(paid[0])
        window = str(lag["rsa_window"].loc[first])
        when = "le même mois que le premier paiement" if delay == 0 else f"{delay} mois après le premier paiement"
        if cal.quarterly:
            because = f"la déclaration {of(label[first])} compte les ressources {of(window)}"
        else:
            because = f"ce mois-là, {pronoun} compte les ressources {of(window)}"
        sentences.append(f"{name} change pour la première fois en {label[first]}, {when} : {because}.")
        after = [m for m in moved if MONTHS.index(m) > MONTHS.index(paid[-1])]
        if after and paid[-1] != MONTHS[-1]:
            still = "est encore" if column == "rsa_change" else "reste"
            sentences.append(
                f"{name} {still} {changed} après la fin du paiement, jusqu'en {label[after[-1]]} : des mois payés "
                "sont encore dans les mois comptés."
            )
    return tuple(sentences)


def after_job(cal: Calendar, paid: np.ndarray, difference: pd.DataFrame) -> tuple[str, ...]:
    """Months after the job ends whose total is BELOW the no-offer line, each said in plain words.

    Why: « I stopped working and now I have less than if I had never worked » is what surprises
    people most; the sentence names the month, the amount and the benefits that make it, from the
    figures: e.g. « En octobre 2026 : 206,56 € de moins que sans l'offre, parce que le RSA compte
    encore la paie de juillet et août 2026 (RSA −300,00 €) ; la prime d'activité (+93,44 €) ne
    compense pas. »
    """
    if not paid.any():
        return ()
    last_paid = int(np.flatnonzero(paid)[-1])
    sentences = []
    for index in range(last_paid + 1, 12):
        month = MONTHS[index]
        row = {str(column): float(difference[column].loc[month]) for column in difference.columns}
        if row["total"] > -0.005:
            continue
        causes = []
        still = [j for j in cal.window(index) if 0 <= j < 12 and paid[j]]
        if row["rsa"] < -0.005:
            counted = f"compte encore la paie {of(months_phrase(still))}" if still else "est plus bas"
            causes.append(f"le RSA {counted} (RSA {_signed(row['rsa'])})")
        if row["housing"] < -0.005:
            causes.append(
                "l'aide au logement compte les revenus des 12 mois qui finissent deux mois avant "
                f"(aide au logement {_signed(row['housing'])})"
            )
        for column, name in (
            ("aah", "l'AAH"),
            ("family", "les prestations familiales"),
            ("ppa", "la prime d'activité"),
        ):
            if row[column] < -0.005:
                causes.append(f"{name} baisse ({_signed(row[column])})")
        gains = [
            f"{name} ({_signed(row[column])})"
            for column, name in (("ppa", "la prime d'activité"), ("aah", "l'AAH"), ("housing", "l'aide au logement"))
            if row[column] > 0.005
        ]
        sentence = f"En {MONTH_LABELS_FR[month]} : {format_euros(-row['total'])} de moins que sans l'offre"
        if causes:
            sentence += ", parce que " + " ; ".join(causes)
        if gains:
            verb = "ne compense" if len(gains) == 1 else "ne compensent"
            sentence += f" ; {' et '.join(gains)} {verb} pas"
        sentences.append(sentence + ".")
    return tuple(sentences)


# --------------------------------------------------------------------------- the end of the job
def affiliation_phrase(end: JobEnd, hours: float) -> str:
    """« 110 jours de contrat et 520 h de travail »: what unemployment insurance counts of this job
    (the hours only for a CDD d'usage, whose days worked the simulator does not know)."""
    worked = f"{format_hours(hours * end.paid_count)} de travail"
    return worked if end.days == 0 else f"{plural(end.days, 'jour')} de contrat et {worked}"


def neutralisation(
    cal: Calendar,
    offer: Offer,
    end: JobEnd,
    hours: float,
    neutralised: bool,
    with_offer: pd.DataFrame,
    lag: pd.DataFrame,
    rsa_paid: bool = True,
) -> tuple[str, ...]:
    """What happens to the pay once the job ends: which rule applied, and why, in plain words.

    Empty when the offer pays nothing or does not end within the year. Under the texts: the pay is
    no longer counted from the first month without it (CASF R.262-13) unless the job opened an
    unemployment right; the prime d'activité stays until the next declaration. With OpenFisca's
    rules: the months where OpenFisca ignores the pay, and what the texts would do instead.
    ``rsa_paid`` False (no RSA with or without the offer): nothing is said about the RSA.
    """
    first_unpaid = end.first_unpaid
    if first_unpaid is None or end.last_paid is None or hours <= 0:
        return ()
    last = MONTH_LABELS_FR[MONTHS[end.last_paid]]
    after = MONTH_LABELS_FR[MONTHS[first_unpaid]]
    what = "l'indemnité" if end.kind == "other" else "la paie"
    if not cal.quarterly:
        months = [MONTH_LABELS_FR[str(m)] for m, ignored in lag["pay_ignored_by_rsa"].items() if ignored]
        if not months or not rsa_paid:
            return ()
        return (
            f"Règles d'OpenFisca : en {list_and(months)}, le RSA ne compte pas {what} qui vient de s'arrêter ; "
            "les mois suivants, il la compte de nouveau tant qu'elle reste dans les mois comptés. Les textes, eux, "
            "ne la comptent plus du tout quand il n'y a pas de droit au chômage (règles « textes »).",
        )
    sentences = []
    if not rsa_paid:
        if end.kind == "professional" and not neutralised:
            sentences.append(
                f"Fin du travail après {last}. Cet emploi ouvre un droit au chômage ({affiliation_phrase(end, hours)}) : "
                "l'allocation chômage n'est pas simulée. À vérifier avec France Travail."
            )
    elif end.kind == "professional" and not neutralised:
        sentences.append(
            f"Fin du travail après {last}. Cet emploi ouvre un droit au chômage ({affiliation_phrase(end, hours)} ; "
            f"il faut au moins {AFFILIATION_DAYS} jours ou {format_number(AFFILIATION_HOURS, 0)} heures) : le chômage "
            f"remplace la paie, donc le RSA continue de compter {what} des mois déjà payés. Le simulateur ne calcule "
            "pas l'allocation chômage : elle compterait aussi pour le RSA, qui serait donc plus bas que dans ce "
            "tableau. À vérifier avec France Travail et la CAF."
        )
    elif end.kind == "professional":
        why = (
            f"il faut au moins {AFFILIATION_DAYS} jours ou {format_number(AFFILIATION_HOURS, 0)} heures de travail ; "
            f"cet emploi compte {affiliation_phrase(end, hours)}"
            if offer.form in SALARY_FORMS
            else "une micro-entreprise n'ouvre pas de droit à l'allocation chômage"
        )
        sentences.append(
            f"Fin du travail après {last}, sans droit au chômage ({why}). À partir {of(after)}, le RSA ne compte "
            f"plus cette paie, et ne la comptera plus : c'est la neutralisation. Le RSA revient à son montant sans "
            "l'offre. Pour cela, la personne signale la fin du travail à la CAF."
        )
    elif neutralised:
        sentences.append(
            f"Fin de l'indemnité après {last}. À partir {of(after)}, le RSA ne la compte plus, jusqu'au montant du "
            "RSA d'une personne seule par mois (neutralisation des ressources qui s'arrêtent). Pour cela, la "
            "personne signale la fin de l'indemnité à la CAF."
        )
    ppa_after = with_offer["ppa"].iloc[first_unpaid:]
    if (ppa_after > 0.005).any():
        last_ppa = MONTH_LABELS_FR[ppa_after.index[np.flatnonzero(ppa_after.to_numpy() > 0.005)[-1]]]
        sentences.append(
            "La prime d'activité ne s'arrête pas avec le travail : elle reste la même jusqu'à la déclaration "
            f"suivante, puis elle est calculée sur des mois où la personne était encore payée (ici jusqu'en "
            f"{last_ppa}). Nous n'avons pas trouvé de texte qui l'arrête plus tôt : à vérifier avec la CAF."
        )
    return tuple(sentences)


def no_rsa_reason(household: Household, age_rules: dict[str, float]) -> str:
    """Why a household gets no RSA at all (the reason learners need first), when it gets none."""
    young = household.age < int(age_rules["rsa_min_age"]) and (
        not household.couple or household.partner_age < int(age_rules["rsa_min_age"])
    )
    if household.asylum_seeker:
        return "pendant une demande d'asile, le RSA n'est pas versé"
    if household.claims == "aucune":
        return "le foyer ne le demande pas"
    if young and not household.children:
        return f"moins de {int(age_rules['rsa_min_age'])} ans et sans enfant"
    if household.aah_incapacity_rate is not None:
        return "l'AAH du foyer dépasse déjà le montant du RSA"
    return "les ressources du foyer dépassent déjà le montant du RSA"


def no_ppa_reason(household: Household, offer: Offer) -> str:
    """Why a household gets no prime d'activité at all, with or without the offer."""
    if household.asylum_seeker:
        return "pendant une demande d'asile, elle n'est pas versée"
    if offer.form == "benevolat":
        return "le bénévolat n'est pas payé"
    if offer.form == "defraiement":
        return "une indemnité n'est pas un revenu d'activité pour la prime d'activité (calcul d'OpenFisca)"
    return "les revenus d'activité de l'offre ne l'ouvrent pas"


# --------------------------------------------------------------------------- rights
@dataclass(frozen=True)
class Rights:
    """Rights opened by the offer over the simulated year (pension quarters) and what stays to be checked."""

    gross_salary_year: float
    quarter_threshold: float  # 150 × gross hourly SMIC at 1 January (SMIC from OpenFisca)
    pension_quarters: int | None  # None: not computable from our sources (micro-entreprise)
    pension_note: str
    unemployment_note: str


def pension_quarters(gross_salary_year: float, smic_hourly_january: float) -> int:
    """Quarters validated by a year's gross salary: floor(gross / (150 × SMIC at 1 Jan)), at most 4.

    The rule is CSS R.351-9 (retraite-decret-2014-349; 2025: 150 × 11,88 € = 1 782 €, retraite-boursorama); the SMIC comes from
    OpenFisca. Bookkeeping, not a benefit formula: it is what the course teaches.
    """
    if gross_salary_year <= 0:
        return 0
    threshold = PENSION_SMIC_HOURS * smic_hourly_january
    return int(min(MAX_QUARTERS, math.floor(round(gross_salary_year / threshold, 9))))


def rights(offer: Offer, gross_salary_year: float, smic_january: float, end: JobEnd, hours: float) -> Rights:
    """Pension quarters and unemployment insurance for ``offer`` at ``hours`` per month, in French,
    with what is not known. ``end`` says how many months and contract days the offer pays in the year."""
    threshold = round(PENSION_SMIC_HOURS * smic_january, 2)
    gross = round(gross_salary_year, 2)
    quarters: int | None
    if offer.form in SALARY_FORMS:
        quarters = pension_quarters(gross, smic_january)
        validated = plural(quarters, "trimestre de retraite validé", "trimestres de retraite validés")
        pension = (
            f"{validated} en {SIM_YEAR} : {format_euros(gross)} de salaire brut sur l'année. La règle officielle : "
            f"un trimestre par tranche de {PENSION_SMIC_HOURS} fois le SMIC horaire brut du 1er janvier "
            f"({PENSION_SMIC_HOURS} × {format_euros(smic_january)} = {format_euros(threshold)}), au plus "
            f"{MAX_QUARTERS} par an ({FURTHER})."
        )
        hours_year = float(hours) * end.paid_count
        enough = (
            "à elle seule, c'est assez"
            if opens_unemployment_right(end.days, hours_year)
            else "à elle seule, ce n'est pas assez"
        )
        unemployment = (
            "Chômage : ce salaire cotise à l'assurance chômage. Pour ouvrir un droit à l'allocation chômage, il faut "
            f"avoir travaillé au moins {AFFILIATION_DAYS} jours ou {format_number(AFFILIATION_HOURS, 0)} heures au "
            f"cours des {UNEMPLOYMENT_PERIOD}. "
            + (
                "Un CDD d'usage signé pour chaque séance ne compte que les jours travaillés, que le simulateur ne "
                "connaît pas : il ne compare que les heures. "
                if offer.cdd_usage
                else "Les jours comptent 5 par semaine complète de contrat, même à temps partiel ; les semaines "
                "incomplètes du début et de la fin ne sont pas comptées ici. "
            )
            + f"Cette offre compte {affiliation_phrase(end, hours)} en {SIM_YEAR} : {enough} ; les autres emplois "
            + droit.render("des {droit}`chomage_periode` comptent aussi. À vérifier auprès de France Travail.")
        )
    elif offer.form == "micro_bnc":
        quarters = None
        pension = (
            "Retraite : en micro-entreprise, les trimestres dépendent du chiffre d'affaires déclaré et de seuils "
            "propres aux indépendants, absents de nos sources : à vérifier auprès de l'Urssaf ou de l'Assurance retraite."
        )
        unemployment = (
            "Chômage : une micro-entreprise n'est pas un contrat de travail ; nos sources ne lui attribuent pas "
            "de droit à l'allocation chômage : à vérifier auprès de France Travail."
        )
    else:
        quarters = 0
        pension = "Retraite : pas de salaire soumis à cotisations, donc aucun trimestre compté par ce simulateur."
        unemployment = (
            "Chômage : ce n'est pas un salaire ; nos sources ne lui attribuent pas de droit à l'allocation chômage : "
            "à vérifier auprès de France Travail."
        )
    return Rights(gross, threshold, quarters, pension, unemployment)


# --------------------------------------------------------------------------- warnings
def _months_fr(mask: np.ndarray) -> str:
    return ", ".join(MONTH_LABELS_FR[MONTHS[i]] for i in np.flatnonzero(mask))


def offer_warnings(
    household: Household, offer: Offer, allowed: np.ndarray, active: np.ndarray, smic: np.ndarray
) -> list[str]:
    """Legal risks and model limits to show next to the figures of ``offer`` (articles: :func:`further_reading`)."""
    warnings: list[str] = []
    if household.asylum_seeker:
        blocked = active & ~allowed
        text = (
            "Demande d'asile : aucune autorisation de travail n'est possible pendant les 6 premiers mois de "
            "la demande ; ensuite, seulement si l'OFPRA n'a pas encore répondu, sur demande de l'employeur, et la "
            "situation de l'emploi peut être opposée. Le travail à son compte (micro-entreprise) est interdit."
        )
        if blocked.any() and offer.form in SALARY_FORMS | {"micro_bnc"}:
            text += f" Le simulateur ne compte donc aucune rémunération pour : {_months_fr(blocked)}."
        if offer.form == "defraiement":
            text += (
                " Un défraiement forfaitaire requalifié en salaire serait un travail non autorisé : "
                "ne proposer que le remboursement de frais réels."
            )
        warnings.append(text)
    if offer.form == "defraiement" and offer.hours_per_month > 0:
        warnings.append(
            "Défraiement forfaitaire : un défraiement doit rembourser des frais réels, justifiés et engagés pour "
            "l'association. Un forfait, ou un montant supérieur aux frais réels, risque d'être requalifié en salaire "
            "par l'Urssaf (avec un risque de travail dissimulé), en particulier s'il existe un lien de subordination."
        )
        warnings.append(
            "Hypothèse : OpenFisca n'a pas de variable pour une indemnité de participation ; elle est saisie comme "
            "« gains exceptionnels ». Elle compte alors en entier pour le RSA, mais ni pour la prime d'activité ni "
            "pour l'aide au logement. La façon dont la CAF la compte réellement n'est pas tranchée."
        )
        if household.aah_incapacity_rate is not None:
            warnings.append(
                f"AAH et indemnité : sans salaire, OpenFisca calcule l'AAH sur les revenus de {SIM_YEAR - 2}, "
                "où cette indemnité n'entre pas ; elle ne fait donc pas baisser l'AAH dans ce simulateur. Nos sources "
                "ne disent pas si la CAF la compterait : ne présentez pas ce gain comme sûr."
            )
    if offer.form in SALARY_FORMS and offer.cdd_usage:
        warnings.append(
            "CDD d'usage : il n'est permis que dans certains secteurs fixés par le Code du travail (ou par un accord "
            "collectif étendu), quand c'est l'activité principale de l'employeur. L'enseignement (par exemple la "
            "formation) en fait partie ; le travail social et médico-social en tant que tel n'en fait pas partie. "
            "Il n'ouvre pas droit à l'indemnité de fin de contrat, et un usage abusif est requalifié en CDI."
        )
    if offer.form in SALARY_FORMS and offer.hourly_rate is not None and offer.hours_per_month > 0:
        below = active & (offer.hourly_rate < smic - 1e-9)
        if below.any():
            warnings.append(
                f"Le taux horaire ({format_euros(offer.hourly_rate)} brut) est plus bas que le SMIC horaire brut "
                f"({format_euros(float(smic[np.flatnonzero(below)[0]]))}). Pour un ou une salariée de 18 ans ou plus, "
                "le Code du travail ne le permet pas : l'employeur doit compléter la paie jusqu'au SMIC "
                f"({FURTHER}). Le simulateur calcule quand même avec le taux saisi."
            )
    if (
        household.aah_incapacity_rate is not None
        and offer.form in SALARY_FORMS | {"micro_bnc"}
        and offer.hours_per_month > 0
    ):
        warnings.append(
            "AAH : en milieu ordinaire, les revenus d'activité ne sont pas comptés pendant les 6 premiers mois d'un "
            "début ou d'une reprise d'activité, puis ils sont comptés en partie seulement. OpenFisca ne calcule pas "
            "ces 6 mois (une règle notée « à compléter » dans son code) : la baisse d'AAH affichée pendant les "
            "premiers mois est sans doute trop forte. À vérifier avec la CAF."
        )
    if offer.form == "micro_bnc" and offer.hours_per_month > 0:
        warnings.append(
            "Micro-entreprise : pour le RSA et la prime d'activité, OpenFisca compte le chiffre d'affaires moins "
            + droit.text("micro_bnc")
            + " "
            "(l'abattement d'une activité libérale, dite « BNC » : bénéfices non commerciaux). Les cotisations "
            "retirées pour calculer ce que la personne garde sont celles qu'OpenFisca applique à une activité "
            "libérale ; le taux qui s'applique vraiment dépend de l'activité et doit être vérifié auprès de l'Urssaf. "
            "Les frais engagés ne sont pas déduits."
        )
    if offer.form == "benevolat":
        warnings.append(
            "Bénévolat : aucune rémunération, donc aucun changement de prestations et aucun droit (retraite, chômage). "
            "Seuls des frais réels, justifiés et engagés pour l'association peuvent être remboursés."
        )
    overflow = offer.start_month + offer.duration_months - 1 - 12
    if overflow > 0:
        warnings.append(
            f"L'offre continue {overflow} mois après décembre {SIM_YEAR} : ces mois sortent de l'année simulée "
            "et ne sont pas comptés."
        )
    return warnings


# --------------------------------------------------------------------------- cliffs
def components(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each component rounded to the cent, and the total as the sum of the rounded components."""
    rounded = {name: np.round(np.asarray(arrays[name], dtype=float), 2) for name in COLUMNS if name != "total"}
    rounded["total"] = np.round(sum(rounded.values()), 2)
    return rounded


def explained_cases(
    levels: np.ndarray,
    data: dict[str, np.ndarray],
    hours: float,
    paid: np.ndarray,
    minimum_payments: Sequence[dict[str, float]],
) -> list[str]:
    """Find paid months where FEWER hours would give a HIGHER total, and say which amounts fell.

    ``levels`` are the simulated hour levels and ``data[column][level, month]`` their figures.
    Why: the course must not hide a cliff (working more and ending up with less). Two mechanisms
    show up in OpenFisca's results, both named from the figures, never from a hand-written rule:

    * a minimum payment: RSA under 6 € or prime d'activité under 15 € is not paid, so the benefit
      drops to 0 and the total can lose up to that amount;
    * stacked withdrawal: several benefits fall together (e.g. AAH, housing aid and prime
      d'activité), and together they fall faster than net pay rises.

    A 1-cent move is rounding of the components, not a case.
    """
    here_hits = np.flatnonzero(np.isclose(levels, hours, rtol=0.0, atol=1e-9))
    lower = np.flatnonzero(levels < hours - 1e-9)
    if here_hits.size == 0 or lower.size == 0 or not paid.any():
        return []
    here = int(here_hits[0])
    comps = components(data)
    cases: list[str] = []
    for month_index in np.flatnonzero(paid):
        totals = comps["total"][lower, month_index]
        # the most hours among the lower levels giving the best total: the nearest better choice
        best = int(lower[np.flatnonzero(totals >= totals.max() - 0.005)[-1]])
        gap = float(comps["total"][best, month_index] - comps["total"][here, month_index])
        if gap <= ROUNDING_TOLERANCE:
            continue
        reasons = []
        for name in ("rsa", "ppa", "housing", "aah", "family"):
            before, after = float(comps[name][best, month_index]), float(comps[name][here, month_index])
            if after >= before - 0.005:
                continue
            floor = minimum_payments[month_index].get(name)
            if after == 0 and floor is not None:
                reasons.append(
                    f"{COLUMN_LABELS_FR[name]} : {format_euros(before)} → 0 € (un montant calculé sous "
                    f"{format_euros(floor, 0)} n'est pas versé)"
                )
            else:
                reasons.append(f"{COLUMN_LABELS_FR[name]} : {format_euros(before)} → {format_euros(after)}")
        pay_gain = float(comps["pay"][here, month_index] - comps["pay"][best, month_index])
        mechanism = (
            "seuil de versement"
            if any("n'est pas versé" in reason for reason in reasons)
            else "plusieurs aides baissent ensemble plus vite que la paie n'augmente"
        )
        cases.append(
            f"{MONTH_LABELS_FR[MONTHS[month_index]]} : avec {format_hours(float(levels[best]))} au lieu de "
            f"{format_hours(hours)}, le total serait plus élevé de {format_euros(gap)} ({mechanism}). "
            f"La paie nette augmente de {format_euros(pay_gain)} mais : {' ; '.join(reasons)}."
        )
    return cases


# --------------------------------------------------------------------------- notes
def _ages(ages: Sequence[int]) -> str:
    listed = [str(age) for age in ages]
    text = listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} et {listed[-1]}"
    return f"{text} ans"


def age_notes(household: Household, rules: dict[str, float]) -> list[str]:
    """Why age changes the RSA (25) and not the prime d'activité (18), for this household's ages."""
    rsa_age, ppa_age, hours = int(rules["rsa_min_age"]), int(rules["ppa_min_age"]), rules["rsa_young_hours"]
    young = [age for age in household.adult_ages if age < rsa_age]
    if not young:
        return []
    ppa = f"La prime d'activité, elle, est ouverte dès {ppa_age} ans : elle peut venir avec une paie."
    if household.children:
        return [f"Moins de {rsa_age} ans : le RSA reste ouvert parce que le foyer a un enfant à charge. {ppa}"]
    if len(young) < len(household.adult_ages):
        return [
            f"Une des deux personnes a moins de {rsa_age} ans : le RSA reste ouvert parce que l'autre a {rsa_age} ans ou plus. {ppa}"
        ]
    return [
        f"Moins de {rsa_age} ans et sans enfant : pas de RSA. Deux exceptions ne sont pas simulées : une grossesse "
        f"(un enfant à naître compte), et le « RSA jeune actif » pour qui a travaillé au moins "
        f"{format_number(hours, 0)} heures sur les trois dernières années. {ppa}"
    ]


def housing_note(household: Household, place: str, rsa_paid: bool) -> str | None:
    """Where the household lives and what it changes (nothing about an RSA the household does not get)."""
    if household.housing == "locataire":
        return (
            f"Logement : locataire à {place}, loyer {format_euros(household.rent)} par mois (logement loué vide) ; "
            "la commune fixe la zone de l'aide au logement."
        )
    if household.asylum_seeker:
        return None  # the asylum note says where the person lives and which benefits are 0
    who = "hébergée gratuitement" if household.housing == "heberge" else "propriétaire sans emprunt"
    benefits = "le RSA et la prime d'activité sont diminués" if rsa_paid else "la prime d'activité est diminuée"
    return (
        f"Logement : personne {who} à {place}. Pas de loyer, donc pas d'aide au logement ; {benefits} du « forfait "
        "logement », comme pour une personne qui reçoit une aide au logement."
    )


def scenario_notes(
    household: Household,
    offers: Sequence[Offer],
    cal: Calendar,
    *,
    commune: str,
    legislation: str,
    version: str,
    smic: Sequence[float],
    age_rules: dict[str, float],
    mva: float = 0.0,
    rsa_paid: bool = True,
) -> list[str]:
    """What a learner must know to read the figures: legislation date, the CAF's calendar, assumptions.

    ``commune`` is the name to show; ``mva`` the largest monthly majoration pour la vie autonome
    OpenFisca computed (0 if none), which the total leaves out; ``rsa_paid``: whether any RSA is paid
    in the year (with or without an offer), so that no note speaks of an RSA that is zero.
    """
    from datetime import date

    notes = [
        f"Législation simulée : OpenFisca-France {version}, dont les paramètres les plus récents datent du "
        f"{format_date(date.fromisoformat(legislation))}. Après cette date, le modèle reprend les derniers montants connus.",
        f"Chaque mois du tableau est le mois de droit : par exemple, le RSA augmenté le 1er avril {SIM_YEAR} est "
        f"celui d'avril {SIM_YEAR}. La date de versement par la CAF (au début du mois suivant) n'est pas simulée.",
        rules_note(cal),
        window_note(cal),
    ]
    ages = (
        f"adulte de {_ages(household.adult_ages)}"
        if not household.couple
        else f"adultes de {_ages(household.adult_ages)}"
    )
    if household.children:
        ages += f", {'enfant' if len(household.children) == 1 else 'enfants'} de {_ages(household.children)}"
        ages += f" (anniversaire supposé le 1er juillet : un an de plus à partir de juillet {SIM_YEAR})"
    notes.append(
        f"Hypothèses : aucun revenu en {SIM_YEAR - 2} et {SIM_YEAR - 1}, même logement depuis janvier {SIM_YEAR - 2} ; "
        "pas d'autre revenu ni d'autre allocation (chômage, retraite, indemnités journalières de maladie, revenus "
        f"du capital, bourse, ASS, ASI) ; âges au 1er janvier {SIM_YEAR} : {ages}."
    )
    notes += age_notes(household, age_rules)
    place = f"{commune} ({household.depcom})"
    housing = housing_note(household, place, rsa_paid)
    if housing is not None:
        notes.append(housing)
    if household.claims == "sans_aide_logement" and household.housing == "locataire":
        notes.append("Aide au logement non demandée (ou pas de droit) : le RSA est donc calculé sans forfait logement.")
    elif household.claims == "aucune":
        notes.append(
            "Aucune prestation demandée : on suppose que le foyer ne demande ni RSA, ni aide au logement, ni "
            "prestations familiales (non-recours) ; la prime d'activité est calculée comme si elle était demandée."
        )
    rate = household.aah_incapacity_rate
    if rate is not None:
        text = f"AAH : taux d'incapacité de {format_number(rate * 100, 0)} %"
        if rate < AAH_DEFAULT_RATE:
            text += (
                f" ; en dessous de {droit.text('aah_taux_incapacite')}, l'AAH demande aussi une « restriction "
                "substantielle et durable pour l'accès "
                "à l'emploi », que le simulateur suppose reconnue"
            )
        notes.append(text + ".")
    if mva > 0.005:
        notes.append(
            f"OpenFisca verse aussi, avec l'AAH, la majoration pour la vie autonome (jusqu'à {format_euros(mva)} par "
            "mois ici) : elle n'est comptée ni dans le tableau ni dans le total."
        )
    if household.children and household.claims != "aucune" and not household.asylum_seeker:
        text = (
            "Prestations familiales comptées : allocations familiales, complément familial et allocation de soutien "
            "familial ; ni la prestation d'accueil du jeune enfant (enfant de moins de 3 ans) ni l'allocation de "
            "rentrée scolaire."
        )
        if not household.couple:
            text += (
                " Famille monoparentale : OpenFisca donne l'allocation de soutien familial comme si l'autre parent ne versait "
                "aucune pension alimentaire."
            )
        notes.append(text)
    if household.asylum_seeker:
        notes.append(
            "Demande d'asile : la personne est supposée hébergée en CADA ou en HUDA (centres d'hébergement pour "
            "personnes en demande d'asile), quel que soit le logement choisi. Pendant la demande, pas de RSA, de "
            "prime d'activité, d'aide au logement ni de prestations familiales (guide du Comede, « Demandeurs "
            "d'asile ») : le simulateur les met à 0. L'allocation pour demandeur d'asile (ADA), versée par l'OFII à "
            "une personne de 18 ans ou plus dont les ressources sont plus basses que le montant du RSA, n'est pas "
            "simulée : une paie peut la réduire ou la supprimer."
        )
    if any(offer.hourly_rate is None and offer.form != "benevolat" for offer in offers):
        steps = [f"{format_euros(smic[0])} brut en {MONTH_LABELS_FR[MONTHS[0]]}"]
        steps += [
            f"{format_euros(smic[i])} à partir de {MONTH_LABELS_FR[MONTHS[i]]}"
            for i in range(1, 12)
            if abs(smic[i] - smic[i - 1]) > 1e-9
        ]
        notes.append(
            f"Taux horaire « SMIC » : le SMIC horaire de chaque mois selon OpenFisca ({', puis '.join(steps)}). "
            + droit.render(
                "Selon nos fiches, {droit}`smic_horaire@2026-01-01` au {droit}`smic_horaire@2026-01-01:depuis` est "
                "publié (décret 2025-1228) ; {droit}`smic_horaire@2026-06-01` au {droit}`smic_horaire@2026-06-01:depuis` "
                "n'a qu'une source."
            )
        )
    if any(offer.form in SALARY_FORMS for offer in offers):
        notes.append("Salaire : la prime de fin de CDD (indemnité de précarité) n'est pas comptée.")
    return notes


def further_reading(household: Household, offers: Sequence[Offer], cal: Calendar) -> list[str]:
    """The texts behind the plain sentences, for whoever wants to check them (« Pour aller plus loin »)."""
    forms = {offer.form for offer in offers}
    texts = [
        (
            "Déclaration trimestrielle : le RSA est revu tous les trois mois (article D.262-34 du Code de l'action "
            "sociale et des familles, CASF) sur la moyenne des 4e, 3e et 2e mois avant le réexamen (article "
            "R.262-7, déclaration pré-remplie depuis le 1er mars 2025) ; la prime d'activité aussi (articles R.843-1 "
            "et R.843-2 du Code de la sécurité sociale : avant la déclaration suivante, seul un changement vers "
            "l'isolement avec un enfant ou une grossesse la révise)."
        ),
        (
            "Neutralisation : article R.262-13 du CASF. Une paie qui s'arrête de façon certaine, sans revenu qui la "
            "remplace (chômage, indemnités journalières…), n'est plus comptée pour le RSA, à partir du mois où elle "
            "s'arrête (du mois suivant si elle s'arrête le dernier jour du mois), selon la lettre-circulaire de la "
            "CNAF n° 2010-130 ; les autres ressources qui s'arrêtent ne sont pas comptées jusqu'au montant du RSA "
            "d'une personne seule. Le simulateur ne connaît qu'un revenu de remplacement possible : un droit au "
            "chômage ouvert par l'emploi simulé."
        ),
        (
            f"Droit au chômage : règlement d'assurance chômage, article 3 ({AFFILIATION_DAYS} jours ou "
            f"{format_number(AFFILIATION_HOURS, 0)} heures sur {droit.text('chomage_periode')} ; 5 jours par semaine "
            "civile de contrat). "
            "Un seuil plus bas pour une première ouverture de droits existe dans la convention de 2024 : il est "
            "encore à vérifier pour ce cours, et le simulateur ne l'applique pas."
        ),
        "RSA et forfait logement : articles L.262-2, R.262-9 et R.262-10 du CASF.",
    ]
    if any(age < 25 for age in household.adult_ages):
        texts.append(
            "Âge : RSA à partir de 25 ans ou avec un enfant (article L.262-4 du CASF) ; « RSA jeune actif » (articles "
            "L.262-7-1 et D.262-25-1) ; prime d'activité dès 18 ans (article L.842-2 du Code de la sécurité sociale)."
        )
    if forms & SALARY_FORMS:
        texts.append(
            f"Retraite : un trimestre par tranche de {PENSION_SMIC_HOURS} fois le SMIC horaire du 1er janvier "
            "(article R.351-9 du Code de la sécurité sociale, décret n° 2014-349 du 19 mars 2014)."
        )
        texts.append(
            "SMIC : Code du travail, articles L.3231-1 et suivants ; un ou une salariée de 18 ans ou plus payée "
            "moins que le SMIC horaire reçoit de l'employeur un complément jusqu'au SMIC (article D.3231-5)."
        )
    if any(offer.cdd_usage for offer in offers):
        texts.append("CDD d'usage : article D.1242-1 du Code du travail (liste des secteurs).")
    if household.aah_incapacity_rate is not None:
        texts.append("AAH et salaire : article D.821-9 du Code de la sécurité sociale (6 premiers mois non comptés).")
    if "micro_bnc" in forms:
        texts.append(
            f"Micro-entreprise : abattement forfaitaire de {droit.text('micro_bnc')} pour une activité libérale "
            "(bénéfices non commerciaux, BNC), comme pour l'impôt sur le revenu."
        )
    return texts
