"""The simulator's French explanations: the lag, warnings, rights opened, notes on the simulation.

Why a module of its own: figures come from OpenFisca, but learners need sentences to read them —
« the pay starts in March, the RSA only moves in April, because it looks at the months before ».
Every sentence here is built from the figures (or states a sourced rule of facts.md); none changes a
figure, so editing a wording never invalidates the cache. No OpenFisca, ipywidgets or plotly import.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from widgets.fr import format_date, format_euros, format_hours, format_month, plural

from .inputs import MONTHS, SALARY_FORMS, SIM_YEAR, Household, Offer

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
PENSION_SMIC_HOURS = 150  # 1 quarter per 150 × gross hourly SMIC at 1 January (facts.md §4)
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

    The rule is facts.md §4 (Boursorama, 2025: 150 × 11,88 € = 1 782 €); the SMIC comes from
    OpenFisca. Bookkeeping, not a benefit formula: it is what the course teaches.
    """
    if gross_salary_year <= 0:
        return 0
    threshold = PENSION_SMIC_HOURS * smic_hourly_january
    return int(min(MAX_QUARTERS, math.floor(round(gross_salary_year / threshold, 9))))


def rights(offer: Offer, gross_salary_year: float, smic_january: float) -> Rights:
    """Pension quarters and unemployment insurance for ``offer``, in French, with what is not known."""
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
            f"Ce seuil {SIM_YEAR} est calculé par le cours : nous n'avons pas trouvé de chiffre officiel."
        )
        unemployment = (
            "Chômage : ce salaire cotise à l'assurance chômage. La durée minimale de travail pour ouvrir "
            "des droits (ARE) ne figure pas dans nos sources : à vérifier auprès de France Travail."
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
        if household.situation == "AAH":
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
    if household.situation == "AAH" and offer.form in SALARY_FORMS | {"micro_bnc"} and offer.hours_per_month > 0:
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
def scenario_notes(
    household: Household, offers: Sequence[Offer], legislation: str, version: str, smic: Sequence[float]
) -> list[str]:
    """What a learner must know to read the figures: legislation date, model vs CAF, assumptions."""
    from datetime import date

    notes = [
        f"Législation simulée : OpenFisca-France {version}, dont les paramètres les plus récents datent du "
        f"{format_date(date.fromisoformat(legislation))}. Après cette date, le modèle reprend les derniers montants connus.",
        f"Chaque mois du tableau est le mois de droit : par exemple, le RSA revalorisé le 1er avril {SIM_YEAR} est "
        f"celui d'avril {SIM_YEAR}. La date de versement par la CAF n'est pas simulée.",
        NOTE_MODEL_VS_CAF,
        (
            "Fenêtre choisie : déclaration pré-remplie, le RSA et la prime d'activité du mois M comptent les mois "
            "M-4 à M-2 (article R.262-7 du CASF selon nos fiches) ; une paie change donc le RSA deux mois plus tard."
            if household.prefilled_declaration
            else "Fenêtre du modèle : mois M-3 à M-1 (réglage par défaut d'OpenFisca). Selon nos fiches, l'article "
            "R.262-7 du CASF retient désormais les mois M-4 à M-2 (déclaration pré-remplie depuis mars 2025) : "
            "avec l'option « déclaration pré-remplie », l'effet d'une paie arrive un mois plus tard."
        ),
        f"Hypothèse : aucun revenu en {SIM_YEAR - 2} et {SIM_YEAR - 1}, même logement depuis janvier {SIM_YEAR - 2}, "
        "adultes de 36 ans.",
        f"Commune : {household.commune} ({household.depcom}), loyer {format_euros(household.rent)} par mois "
        "(logement loué vide) ; la commune fixe la zone de l'aide au logement.",
    ]
    situation_notes = {
        "RSA": "Situation « RSA » : le foyer ne touche pas d'aide au logement (non demandée ou pas de droit) ; "
        "le RSA est donc calculé sans forfait logement.",
        "RSA + aide au logement": "Situation « RSA + aide au logement » : OpenFisca calcule tous les droits à partir du foyer et du loyer ; "
        "le RSA est diminué du forfait logement car une aide au logement est versée.",
        "AAH": "Situation « AAH » : la personne a un taux d'incapacité de 80 % ; l'aide au logement est calculée à partir du loyer.",
        "aucune prestation": "Situation « aucune prestation » : on suppose que le foyer ne demande ni RSA, ni aide au logement, "
        "ni prestations familiales (non-recours ou absence de droit) ; la prime d'activité est calculée comme si elle était demandée.",
    }
    notes.append(situation_notes[household.situation])
    if household.children and not household.couple and household.situation != "aucune prestation":
        notes.append(
            "Parent seul : OpenFisca attribue l'allocation de soutien familial (ASF) comme si l'autre parent ne versait "
            "aucune pension alimentaire. L'allocation de rentrée scolaire n'est pas comptée."
        )
    if household.asylum_seeker:
        notes.append(
            "Demande d'asile : les conditions de séjour d'OpenFisca s'appliquent (pas de RSA ni de prime d'activité sans "
            "titre de séjour). L'allocation pour demandeur d'asile (ADA) n'est pas simulée, et l'aide au logement est "
            "calculée sans vérifier les conditions de séjour : à vérifier."
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
