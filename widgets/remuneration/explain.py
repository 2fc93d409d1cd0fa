"""The simulator's French explanations: the lag, warnings, rights opened, notes on the simulation.

Why a module of its own: figures come from OpenFisca, but learners need sentences to read them —
« the pay starts in March, the RSA only moves in April, because it looks at the months before ».
Every sentence here is built from the figures (or states a rule sourced in references.bib); none changes a
figure, so editing a wording never invalidates the cache. No OpenFisca, ipywidgets or plotly import.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from widgets.fr import format_date, format_euros, format_hours, format_month, format_number, plural

from .inputs import AAH_DEFAULT_RATE, HOUSING, MONTHS, SALARY_FORMS, SIM_YEAR, Household, Offer

#: Columns of every monthly table, and their French labels.
COLUMNS: tuple[str, ...] = ("pay", "rsa", "ppa", "housing", "aah", "family", "total")
COLUMN_LABELS_FR: dict[str, str] = {
    "pay": "Rémunération nette",
    "rsa": "RSA",
    "ppa": "Prime d'activité",
    "housing": "Aide au logement",
    "aah": "AAH",
    "family": "Prestations familiales (AF, CF, ASF)",
    "total": "Total des ressources",
}

#: « janvier 2026 »… for each month of :data:`~widgets.remuneration.inputs.MONTHS`.
MONTH_LABELS_FR: dict[str, str] = {month: format_month(i, SIM_YEAR) for i, month in enumerate(MONTHS, start=1)}

#: How each benefit of month M looks at past months IN OPENFISCA (read from the variable formulas).
#: Real CAF practice differs: see :data:`NOTE_MODEL_VS_CAF`.
LAG_RULES_FR: dict[str, str] = {
    "rsa": (
        "RSA du mois M : moyenne des ressources des mois M-3, M-2 et M-1 (M-4 à M-2 avec la déclaration "
        "pré-remplie), jamais du mois M lui-même. "
        "Quand la paie s'arrête au mois M (sans chômage, retraite ni indemnités journalières), la paie "
        "passée est ignorée ce mois-là (neutralisation), puis comptée de nouveau les mois suivants "
        "tant qu'elle reste dans la fenêtre des trois mois."
    ),
    "ppa": (
        "Prime d'activité du mois M : moyenne de trois montants calculés sur les ressources des mois M-3, M-2 "
        "et M-1 (M-4 à M-2 avec la déclaration pré-remplie)."
    ),
    "housing": (
        "Aide au logement du mois M : revenus imposables des 12 mois qui finissent au mois M-2 ; "
        "la paie est ignorée si du RSA a été versé au mois M-1."
    ),
    "aah": (
        "AAH du mois M : s'il y a une paie au mois M, évaluation trimestrielle sur les mois M-3 à M-1 ; "
        "sinon, revenus de l'année N-2 (l'AAH redevient pleine le mois qui suit l'arrêt de la paie)."
    ),
}
NOTE_MODEL_VS_CAF = (
    "Dans le modèle, le RSA et la prime d'activité glissent chaque mois sur les trois mois précédents. "
    "En réalité, la CAF les révise une fois par trimestre à partir de la déclaration trimestrielle "
    "(pré-remplie depuis mars 2025, sur les mois M-4 à M-2) : le mois où un changement apparaît peut "
    "donc différer d'un ou deux mois. À vérifier avec le simulateur officiel de la CAF."
)
PENSION_SMIC_HOURS = 150  # 1 quarter per 150 × gross hourly SMIC at 1 January (retraite-decret-2014-349)
MAX_QUARTERS = 4
ROUNDING_TOLERANCE = 0.011  # components are rounded to the cent: a total may move by 1 cent


def month_label(month: str) -> str:
    """« avril 2026 » for ``"2026-04"`` (also months before the simulated year)."""
    year, number = month.split("-")
    return format_month(int(number), int(year))


def window_label(month_index: int, first: int, last: int) -> str:
    """French label of months M-first..M-last of month ``month_index`` (0 = January), e.g.
    « octobre 2025 à décembre 2025 »."""

    def name(offset: int) -> str:
        year, month = divmod(SIM_YEAR * 12 + month_index - offset, 12)
        return format_month(month + 1, year)

    return f"{name(first)} à {name(last)}"


# --------------------------------------------------------------------------- lag
def lag_summary(lag: pd.DataFrame) -> tuple[str, ...]:
    """The lag of RSA and prime d'activité told in plain French, month names included.

    Why: the table shows the figures, but learners need the sentence « the pay starts in March, the
    RSA only moves in April, because it looks at the three months before » to read them.
    """
    label = MONTH_LABELS_FR
    paid = [m for m, flag in lag["offer_paid"].items() if flag]
    if not paid:
        return ("Pas de paiement avec cette offre : le RSA et la prime d'activité ne bougent pas à cause d'elle.",)
    sentences = [f"Le paiement commence en {label[paid[0]]} et s'arrête après {label[paid[-1]]}."]
    for column, name, changed, pronoun in (
        ("rsa_change", "Le RSA", "modifié", "il"),
        ("ppa_change", "La prime d'activité", "modifiée", "elle"),
    ):
        moved = [m for m, change in lag[column].items() if abs(change) >= 0.01]
        if not moved:
            sentences.append(f"{name} ne change pas sur l'année avec cette offre.")
            continue
        first = moved[0]
        delay = MONTHS.index(first) - MONTHS.index(paid[0])
        window = lag.loc[first, "rsa_window" if column == "rsa_change" else "ppa_window"]
        when = "le même mois" if delay == 0 else f"{delay} mois plus tard"
        sentences.append(
            f"{name} change pour la première fois en {label[first]} ({when}) : ce mois-là, {pronoun} tient compte "
            f"des ressources de {window}."
        )
        after = [m for m in moved if MONTHS.index(m) > MONTHS.index(paid[-1])]
        if after and paid[-1] != MONTHS[-1]:
            sentences.append(
                f"{name} reste {changed} après la fin du paiement, jusqu'en {label[after[-1]]} : "
                "les mois payés sont encore dans sa fenêtre de calcul."
            )
    return tuple(sentences)


def months_phrase(indices: Sequence[int]) -> str:
    """« juillet, août et septembre 2026 » for month indices 0–11 of the simulated year."""
    names = [format_month(i + 1) for i in indices]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} et {names[-1]}"
    return f"{listed} {SIM_YEAR}"


def of(words: str) -> str:
    """« de juin », « d'août » : the French preposition, elided before a vowel."""
    return f"d'{words}" if words[:1].lower() in "aeiouyéèâ" else f"de {words}"


def window_months(month_index: int, prefilled: bool) -> range:
    """Indices of the months RSA and prime d'activité of month ``month_index`` look at (may be < 0)."""
    first, last = (4, 2) if prefilled else (3, 1)
    return range(month_index - first, month_index - last + 1)


def _signed(value: float) -> str:
    return ("+" if value > 0 else "−") + format_euros(abs(value))


def after_job(household: Household, paid: np.ndarray, difference: pd.DataFrame) -> tuple[str, ...]:
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
        row = difference.loc[month]
        if row["total"] > -0.005:
            continue
        causes = []
        still = [j for j in window_months(index, household.prefilled_declaration) if 0 <= j < 12 and paid[j]]
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


def neutralisation(lag: pd.DataFrame) -> tuple[str, ...]:
    """The months where OpenFisca ignores pay that has just stopped, said once each."""
    months = [month for month, ignored in lag["pay_ignored_by_rsa"].items() if ignored]
    return tuple(
        f"En {MONTH_LABELS_FR[month]}, premier mois sans paie, le RSA ne compte pas la paie qui vient de "
        "s'arrêter (neutralisation, quand il n'y a ni chômage, ni retraite, ni indemnités journalières) ; "
        "les mois suivants, cette paie est de nouveau comptée tant qu'elle reste dans les mois de calcul. "
        "La règle appliquée par la CAF est plus large que celle du modèle : à vérifier avec elle."
        for month in months
    )


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


#: Unemployment insurance: at least 130 days or 910 hours of work in the 24 months before the end of
#: the contract (36 months from age 55): règlement d'assurance chômage, article 3 (convention of
#: 15 November 2024, in force since 1 January 2025).
UNEMPLOYMENT_HOURS = 910


def rights(offer: Offer, gross_salary_year: float, smic_january: float, hours_year: float = 0.0) -> Rights:
    """Pension quarters and unemployment insurance for ``offer``, in French, with what is not known.

    ``hours_year`` is the number of hours the offer pays over the simulated year.
    """
    threshold = round(PENSION_SMIC_HOURS * smic_january, 2)
    gross = round(gross_salary_year, 2)
    quarters: int | None
    if offer.form in SALARY_FORMS:
        quarters = pension_quarters(gross, smic_january)
        validated = plural(quarters, "trimestre de retraite validé", "trimestres de retraite validés")
        pension = (
            f"{validated} en {SIM_YEAR} : {format_euros(gross)} de salaire brut sur l'année, "
            f"à raison d'un trimestre par tranche de {PENSION_SMIC_HOURS} × SMIC horaire brut au 1er janvier "
            f"({PENSION_SMIC_HOURS} × {format_euros(smic_january)} = {format_euros(threshold)}), au plus {MAX_QUARTERS} par an. "
            "Ce seuil est calculé par le cours (la presse donne le même chiffre) : nous n'avons pas trouvé de texte officiel."
        )
        enough = "à elle seule, c'est assez" if hours_year >= UNEMPLOYMENT_HOURS else "à elle seule, ce n'est pas assez"
        unemployment = (
            f"Chômage : ce salaire cotise à l'assurance chômage. Pour ouvrir des droits (ARE), il faut avoir travaillé "
            f"au moins 130 jours ou {format_number(UNEMPLOYMENT_HOURS, 0)} heures au cours des 24 derniers mois "
            "(36 mois à partir de 55 ans ; règlement d'assurance chômage, article 3). Cette offre paie "
            f"{format_hours(hours_year)} de travail en {SIM_YEAR} : {enough} ; les autres emplois des 24 mois comptent "
            "aussi. À vérifier auprès de France Travail."
        )
    elif offer.form == "micro_bnc":
        quarters = None
        pension = (
            "Retraite : en micro-entreprise, les trimestres dépendent du chiffre d'affaires déclaré et de seuils "
            "propres aux indépendants, absents de nos sources : à vérifier auprès de l'Urssaf ou de l'Assurance retraite."
        )
        unemployment = (
            "Chômage : une micro-entreprise n'est pas un contrat de travail ; nos sources ne lui attribuent pas "
            "de droit à l'ARE : à vérifier auprès de France Travail."
        )
    else:
        quarters = 0
        pension = "Retraite : pas de salaire soumis à cotisations, donc aucun trimestre compté par ce simulateur."
        unemployment = (
            "Chômage : ce n'est pas un salaire ; nos sources ne lui attribuent pas de droit à l'ARE : "
            "à vérifier auprès de France Travail."
        )
    return Rights(gross, threshold, quarters, pension, unemployment)


# --------------------------------------------------------------------------- warnings
def _months_fr(mask: np.ndarray) -> str:
    return ", ".join(MONTH_LABELS_FR[MONTHS[i]] for i in np.flatnonzero(mask))


def offer_warnings(
    household: Household, offer: Offer, allowed: np.ndarray, active: np.ndarray, smic: np.ndarray
) -> list[str]:
    """Legal risks and model limits to show next to the figures of ``offer``."""
    warnings: list[str] = []
    if household.asylum_seeker:
        blocked = active & ~allowed
        text = (
            "Demande d'asile : aucune autorisation de travail n'est possible pendant les 6 premiers mois de "
            "la demande ; ensuite, seulement si l'OFPRA n'a pas encore statué, sur demande de l'employeur, et la "
            "situation de l'emploi peut être opposée. Le travail indépendant (micro-entreprise) est interdit."
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
                f"AAH et indemnité : sans salaire, OpenFisca calcule l'AAH sur les revenus de l'année N-2 ({SIM_YEAR - 2}), "
                "où cette indemnité n'entre pas ; elle ne fait donc pas baisser l'AAH dans ce simulateur. Nos sources "
                "ne disent pas si la CAF la compterait : ne présentez pas ce gain comme sûr."
            )
    if offer.form in SALARY_FORMS and offer.cdd_usage:
        warnings.append(
            "CDD d'usage : il n'est permis que dans les secteurs listés à l'article D.1242-1 du Code du travail "
            "(ou par un accord collectif étendu), quand c'est l'activité principale de l'employeur. L'enseignement "
            "(par exemple la formation) y figure ; le travail social et médico-social en tant que tel n'y figure pas. "
            "Il n'ouvre pas droit à l'indemnité de fin de contrat, et un usage abusif est requalifié en CDI."
        )
    if offer.form in SALARY_FORMS and offer.hourly_rate is not None and offer.hours_per_month > 0:
        below = active & (offer.hourly_rate < smic - 1e-9)
        if below.any():
            warnings.append(
                f"Le taux horaire ({format_euros(offer.hourly_rate)} brut) est inférieur au SMIC horaire brut en vigueur "
                f"({format_euros(float(smic[np.flatnonzero(below)[0]]))}) : un salaire horaire ne peut en principe pas être "
                "inférieur au SMIC (règle générale, non vérifiée dans nos sources pour chaque cas)."
            )
    if (
        household.aah_incapacity_rate is not None
        and offer.form in SALARY_FORMS | {"micro_bnc"}
        and offer.hours_per_month > 0
    ):
        warnings.append(
            "AAH : en milieu ordinaire, les revenus d'activité ne sont pas comptés pendant les 6 premiers mois d'un "
            "début ou d'une reprise d'activité (CSS D.821-9), puis ils sont abattus. OpenFisca ne modélise pas ces "
            "6 mois (une règle notée « à compléter » dans son code) : la baisse d'AAH affichée pendant les premiers mois est "
            "sans doute trop forte. À vérifier avec la CAF."
        )
    if offer.form == "micro_bnc" and offer.hours_per_month > 0:
        warnings.append(
            "Micro-entreprise : OpenFisca compte pour le RSA et la prime d'activité le chiffre d'affaires moins "
            "l'abattement forfaitaire de 34 % (BNC). Les cotisations retirées pour calculer ce que la personne garde "
            "sont celles du paramètre OpenFisca « prestations de services BNC » ; le taux qui s'applique vraiment "
            "dépend de l'activité et doit être vérifié auprès de l'Urssaf. Les frais engagés ne sont pas déduits."
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
    ppa = (
        f"La prime d'activité, elle, est ouverte dès {ppa_age} ans (article L.842-2 du code de la sécurité "
        "sociale) : elle peut venir avec une paie."
    )
    if household.children:
        return [
            f"Moins de {rsa_age} ans : le RSA reste ouvert parce que le foyer a un enfant à charge "
            f"(article L.262-4 du CASF). {ppa}"
        ]
    if len(young) < len(household.adult_ages):
        return [
            f"Un adulte a moins de {rsa_age} ans : le RSA reste ouvert parce que l'autre a {rsa_age} ans ou plus "
            f"(article L.262-4 du CASF). {ppa}"
        ]
    return [
        f"Moins de {rsa_age} ans et sans enfant : pas de RSA (article L.262-4 du CASF). Deux exceptions ne sont "
        f"pas simulées : une grossesse (un enfant à naître compte), et le « RSA jeune actif » pour qui a travaillé "
        f"au moins {format_number(hours, 0)} heures sur les trois dernières années (articles L.262-7-1 et "
        f"D.262-25-1 du CASF). {ppa}"
    ]


def scenario_notes(
    household: Household,
    offers: Sequence[Offer],
    *,
    commune: str,
    legislation: str,
    version: str,
    smic: Sequence[float],
    age_rules: dict[str, float],
    mva: float = 0.0,
) -> list[str]:
    """What a learner must know to read the figures: legislation date, model vs CAF, assumptions.

    ``commune`` is the name to show; ``mva`` the largest monthly majoration pour la vie autonome
    OpenFisca computed (0 if none), which the total leaves out.
    """
    from datetime import date

    notes = [
        f"Législation simulée : OpenFisca-France {version}, dont les paramètres les plus récents datent du "
        f"{format_date(date.fromisoformat(legislation))}. Après cette date, le modèle reprend les derniers montants connus.",
        f"Chaque mois du tableau est le mois de droit : par exemple, le RSA revalorisé le 1er avril {SIM_YEAR} est "
        f"celui d'avril {SIM_YEAR}. La date de versement par la CAF n'est pas simulée.",
        NOTE_MODEL_VS_CAF,
        (
            "Mois comptés : M-4 à M-2. Depuis le 1er mars 2025, la déclaration trimestrielle du RSA et de la prime "
            "d'activité est pré-remplie par la CAF et porte sur ces mois (article R.262-7 du CASF) : une paie change "
            "donc le RSA et la prime d'activité deux mois plus tard. L'autre choix, M-3 à M-1, est la règle d'avant "
            "mars 2025 (et le réglage par défaut d'OpenFisca)."
            if household.prefilled_declaration
            else "Mois comptés : M-3 à M-1, la règle d'avant mars 2025 (et le réglage par défaut d'OpenFisca). Depuis "
            "le 1er mars 2025, la déclaration pré-remplie porte sur les mois M-4 à M-2 (article R.262-7 du CASF) : "
            "avec ce choix, l'effet d'une paie arrive un mois plus tard."
        ),
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
        "pas d'autre revenu ni d'autre allocation (chômage, retraite, indemnités journalières, revenus du capital, "
        f"bourse, ASS, ASI) ; âges au 1er janvier {SIM_YEAR} : {ages}."
    )
    notes += age_notes(household, age_rules)
    place = f"{commune} ({household.depcom})"
    if household.housing == "locataire":
        notes.append(
            f"Logement : locataire à {place}, loyer {format_euros(household.rent)} par mois (logement loué vide) ; "
            "la commune fixe la zone de l'aide au logement."
        )
    else:
        who = "hébergée gratuitement" if household.housing == "heberge" else "propriétaire sans emprunt"
        notes.append(
            f"Logement : personne {who} à {place}. Pas de loyer, donc pas d'aide au logement ; le RSA et la prime "
            "d'activité sont diminués du « forfait logement », comme pour une personne qui reçoit une aide au "
            "logement (articles R.262-9 et R.262-10 du CASF pour le RSA ; OpenFisca applique la même règle à la "
            "prime d'activité)."
        )
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
                " ; en dessous de 80 %, l'AAH demande aussi une « restriction substantielle et durable pour l'accès "
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
            "Prestations familiales comptées : allocations familiales (AF), complément familial (CF) et "
            "allocation de soutien familial (ASF) ; ni la PAJE (enfant de moins de 3 ans) ni l'allocation de "
            "rentrée scolaire."
        )
        if not household.couple:
            text += (
                " Parent seul : OpenFisca attribue l'ASF comme si l'autre parent ne versait aucune pension alimentaire."
            )
        notes.append(text)
    if household.asylum_seeker:
        housing = (
            ""
            if household.housing == "heberge"
            else f" (le logement choisi, « {HOUSING[household.housing]} », ne change rien ici)"
        )
        notes.append(
            "Demande d'asile : la personne est supposée hébergée en CADA ou en HUDA" + housing + ". Pendant la "
            "demande, pas de RSA, de prime d'activité, d'aide au logement ni de prestations familiales (guide du "
            "Comede, « Demandeurs d'asile ») : le simulateur les met à 0. L'allocation pour demandeur d'asile (ADA), "
            "versée par l'OFII à une personne de 18 ans ou plus dont les ressources sont inférieures au montant du "
            "RSA, n'est pas simulée : une paie peut la réduire ou la supprimer."
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
            "Selon nos fiches, 12,02 € au 1er janvier 2026 est publié (décret 2025-1228) ; 12,31 € en juin 2026 "
            "n'a qu'une source."
        )
    if any(offer.form in SALARY_FORMS for offer in offers):
        notes.append("Salaire : la prime de fin de CDD (indemnité de précarité) n'est pas comptée.")
    return notes
