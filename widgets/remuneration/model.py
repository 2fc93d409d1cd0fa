"""Pure model of the simulator « Être payé·e pour participer : qu'est-ce que ça change ? ».

Why this shape: the view (written by the lead engineer) needs three things, each with a known cost:

* instant, no OpenFisca import: the dataclasses, :func:`validate` (French error naming the field),
  :func:`load_profiles` (presets from ``data/remuneration/profils.yml``), the French labels;
* instant when cached (≈ 2 ms, 3 ms for two offers), ≈ 2,5 s otherwise: :func:`simulate`
  (:func:`is_ready` tells which, so the view shows a spinner only when needed). Changing the
  hours of a cached offer is always instant; changing anything else (household, rent, situation,
  form, rate, start, duration) is a new grid;
* slow, background-friendly: :func:`warm_up` fills the caches for the presets (≈ 15 s the first
  time on 2 cores including the TaxBenefitSystem, ≈ 0,3 s in a new process once the on-disk
  cache exists).

No benefit rule is written here: every amount comes from OpenFisca-France through
:mod:`widgets.remuneration.simulation`. What is computed here is bookkeeping the course needs and
OpenFisca does not provide: the offer (hours × rate in the paid months), monthly totals and
differences, pension quarters from the published rule (1 quarter per 150 × gross hourly SMIC at
1 January, at most 4, facts.md §4), and French notes and warnings.

Month convention (measured, see tests): OpenFisca's month M is the month the right is FOR. The
RSA revaluation of 1 April 2026 (646,52 € → 651,69 €) applies to April 2026 in the model.
openfisca-notes.md listed 646,52 at « 2025-05 » and 651,69 at « 2026-05 » only because it sampled
March and May; April already has the new amount. The payment date (CAF pays early in the next
month) is not modelled.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from widgets.data import Column, Schema, load_csv, load_yaml
from widgets.fr import format_euros, format_number

# --------------------------------------------------------------------------- vocabulary
#: Forms of payment: identifier -> French label.
FORMS: dict[str, str] = {
    "salaire": "Salaire (CDD ou CDI)",
    "cea": "Chèque emploi associatif (salaire)",
    "micro_bnc": "Micro-entreprise (BNC)",
    "defraiement": "Défraiement forfaitaire ou indemnité",
    "benevolat": "Bénévolat sans rémunération",
}
SALARY_FORMS = frozenset({"salaire", "cea"})
#: Current benefit situations, as learners name them.
SITUATIONS: tuple[str, ...] = ("RSA", "RSA + aide au logement", "AAH", "aucune prestation")

MAX_HOURS = 200.0
MAX_RATE = 200.0
MAX_RENT = 3000.0
MAX_CHILDREN = 4
MAX_OFFERS = 2
MAX_ASYLUM_MONTHS = 120
DEFAULT_RENT = 450.0
DEFAULT_DEPCOM = "69123"
DEFAULT_COMMUNE = "Lyon"
SIM_YEAR = 2026
PENSION_SMIC_HOURS = 150  # 1 quarter per 150 × gross hourly SMIC at 1 January (facts.md §4)
MAX_QUARTERS = 4

MONTHS: tuple[str, ...] = tuple(f"{SIM_YEAR}-{m:02d}" for m in range(1, 13))
MONTH_NAMES_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
MONTH_LABELS_FR: dict[str, str] = {month: f"{MONTH_NAMES_FR[i]} {SIM_YEAR}" for i, month in enumerate(MONTHS)}

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

FIELD_LABELS_FR: dict[str, str] = {
    "couple": "Foyer (seul·e ou en couple)",
    "children": "Nombre d'enfants",
    "situation": "Situation actuelle",
    "rent": "Loyer mensuel",
    "depcom": "Commune (code INSEE)",
    "commune": "Nom de la commune",
    "asylum_seeker": "Demandeur·se d'asile",
    "prefilled_declaration": "Déclaration trimestrielle pré-remplie (mois M-4 à M-2)",
    "asylum_months_at_start": "Mois écoulés depuis la demande d'asile (au 1er janvier 2026)",
    "form": "Forme de paiement",
    "hours_per_month": "Heures par mois",
    "hourly_rate": "Taux horaire brut",
    "start_month": "Mois de début",
    "duration_months": "Durée (en mois)",
    "cdd_usage": "CDD d'usage",
    "label": "Nom de l'offre",
    "offers": "Offres à comparer",
    "household": "Foyer",
}

#: How each benefit of month M looks at past months IN OPENFISCA (read from the variable formulas;
#: openfisca-notes.md). Real CAF practice differs: see :data:`NOTE_MODEL_VS_CAF`.
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


# --------------------------------------------------------------------------- errors
class RemunerationInputError(ValueError):
    """A learner's input is not allowed; ``message_fr`` names the field in French and says what is.

    ``field`` is the English identifier (e.g. ``"hours_per_month"``) so a view can highlight the
    right control; ``offer_index`` (0 or 1) says which offer, or is None for the household.
    """

    def __init__(self, field: str, message_fr: str, offer_index: int | None = None):
        self.field = field
        self.message_fr = message_fr
        self.offer_index = offer_index
        super().__init__(message_fr)


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class Household:
    """The person's household and current benefit situation (hashable: it is a cache key)."""

    couple: bool = False
    children: int = 0
    situation: str = "RSA + aide au logement"
    rent: float = DEFAULT_RENT
    depcom: str = DEFAULT_DEPCOM
    commune: str = DEFAULT_COMMUNE
    asylum_seeker: bool = False
    #: Months elapsed since the asylum claim on 1 January 2026 (0 = claim made in January 2026).
    asylum_months_at_start: int = 0
    #: OpenFisca's ``departement_experimentation_rsa``: RSA and prime d'activité of month M use
    #: months M-4..M-2 (pre-filled quarterly declaration) instead of M-3..M-1. facts.md says CASF
    #: R.262-7 now uses M-4..M-2 and the pre-filled declaration exists since March 2025, whereas
    #: OpenFisca defaults to M-3..M-1 and calls the other window an experiment. Default False =
    #: OpenFisca's default (and the issue's « M changes RSA from M+1 »); the notes say so.
    prefilled_declaration: bool = False


@dataclass(frozen=True)
class Offer:
    """One paid (or unpaid) participation to compare with doing nothing.

    ``hourly_rate`` None means « SMIC of each month », read from OpenFisca (12,02 € gross from
    January 2026, 12,31 € from June 2026 in the parameter file). For a micro-entreprise it is
    turnover per hour, for a défraiement the indemnity per hour.
    """

    form: str = "salaire"
    hours_per_month: float = 0.0
    hourly_rate: float | None = None
    start_month: int = 1
    duration_months: int = 12
    cdd_usage: bool = False
    label: str = ""

    @property
    def form_label(self) -> str:
        return FORMS.get(self.form, self.form)

    def with_hours(self, hours: float) -> Offer:
        """The same offer at another number of hours (what a slider does)."""
        return dataclasses.replace(self, hours_per_month=hours)


@dataclass(frozen=True)
class Scenario:
    """A household and one or two offers; each offer is compared with the same baseline."""

    household: Household
    offers: tuple[Offer, ...]

    def __post_init__(self) -> None:
        if isinstance(self.offers, list):
            object.__setattr__(self, "offers", tuple(self.offers))
        elif isinstance(self.offers, Offer):
            object.__setattr__(self, "offers", (self.offers,))


# --------------------------------------------------------------------------- validation
def _label(field_name: str) -> str:
    return FIELD_LABELS_FR.get(field_name, field_name)


def _prefix(offer_index: int | None) -> str:
    return "" if offer_index is None else f"Offre {offer_index + 1} — "


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and math.isfinite(value):
        return format_number(value, 2).rstrip("0").rstrip(",")
    if value is None or value == "":
        return "vide"
    return f"« {value} »"


def _fail(field_name: str, value: Any, allowed: str, offer_index: int | None = None) -> RemunerationInputError:
    message = f"{_prefix(offer_index)}{_label(field_name)} : {_shown(value)} n'est pas permis. {allowed}"
    return RemunerationInputError(field_name, message, offer_index)


def _check_number(
    value: Any,
    field_name: str,
    low: float,
    high: float,
    allowed: str,
    *,
    integer: bool = False,
    low_exclusive: bool = False,
    offer_index: int | None = None,
) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise _fail(field_name, value, allowed, offer_index)
    number = float(value)
    if not math.isfinite(number):
        raise _fail(field_name, value, allowed, offer_index)
    if integer and number != int(number):
        raise _fail(field_name, value, allowed, offer_index)
    too_low = number <= low if low_exclusive else number < low
    if too_low or number > high:
        raise _fail(field_name, value, allowed, offer_index)


def _check_bool(value: Any, field_name: str, offer_index: int | None = None) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise _fail(field_name, value, "Répondez par oui ou non.", offer_index)


_DEPCOM = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def validate_household(household: Any) -> None:
    """Raise :class:`RemunerationInputError` (French) if the household cannot be simulated."""
    if not isinstance(household, Household):
        raise RemunerationInputError("household", "Foyer : les informations du foyer manquent.")
    _check_bool(household.couple, "couple")
    _check_number(
        household.children,
        "children",
        0,
        MAX_CHILDREN,
        f"Choisissez un nombre entier d'enfants entre 0 et {MAX_CHILDREN}.",
        integer=True,
    )
    if household.situation not in SITUATIONS:
        allowed = ", ".join(f"« {s} »" for s in SITUATIONS)
        raise _fail("situation", household.situation, f"Choisissez parmi : {allowed}.")
    _check_number(
        household.rent,
        "rent",
        0,
        MAX_RENT,
        f"Indiquez un loyer supérieur à 0 € et d'au plus {format_euros(MAX_RENT, 0)} par mois.",
        low_exclusive=True,
    )
    if not isinstance(household.depcom, str) or not _DEPCOM.match(household.depcom):
        raise _fail(
            "depcom",
            household.depcom,
            "Indiquez le code INSEE de la commune en 5 caractères (par exemple 69123 pour Lyon).",
        )
    if not isinstance(household.commune, str):
        raise _fail("commune", household.commune, "Indiquez le nom de la commune en texte.")
    _check_bool(household.asylum_seeker, "asylum_seeker")
    _check_bool(household.prefilled_declaration, "prefilled_declaration")
    _check_number(
        household.asylum_months_at_start,
        "asylum_months_at_start",
        0,
        MAX_ASYLUM_MONTHS,
        f"Indiquez un nombre entier de mois entre 0 et {MAX_ASYLUM_MONTHS}.",
        integer=True,
    )


def validate_offer(offer: Any, offer_index: int | None = None) -> None:
    """Raise :class:`RemunerationInputError` (French) if the offer cannot be simulated."""
    if not isinstance(offer, Offer):
        raise RemunerationInputError(
            "offers", f"{_prefix(offer_index)}l'offre est manquante ou mal formée.", offer_index
        )
    if not isinstance(offer.form, str) or offer.form not in FORMS:
        allowed = ", ".join(f"« {label} »" for label in FORMS.values())
        raise _fail("form", offer.form, f"Choisissez parmi : {allowed}.", offer_index)
    _check_number(
        offer.hours_per_month,
        "hours_per_month",
        0,
        MAX_HOURS,
        f"Choisissez un nombre d'heures entre 0 et {MAX_HOURS:g} par mois.",
        offer_index=offer_index,
    )
    if offer.hourly_rate is not None:
        _check_number(
            offer.hourly_rate,
            "hourly_rate",
            0,
            MAX_RATE,
            f"Indiquez un taux entre 0 et {format_euros(MAX_RATE, 0)} brut de l'heure, ou laissez vide pour le SMIC.",
            offer_index=offer_index,
        )
    _check_number(
        offer.start_month,
        "start_month",
        1,
        12,
        "Choisissez un mois de 1 (janvier) à 12 (décembre) 2026.",
        integer=True,
        offer_index=offer_index,
    )
    _check_number(
        offer.duration_months,
        "duration_months",
        1,
        12,
        "Choisissez une durée de 1 à 12 mois.",
        integer=True,
        offer_index=offer_index,
    )
    _check_bool(offer.cdd_usage, "cdd_usage", offer_index)
    if not isinstance(offer.label, str):
        raise _fail("label", offer.label, "Indiquez un nom en texte.", offer_index)


def validate(scenario: Any) -> None:
    """Check a whole scenario; raise :class:`RemunerationInputError` on the first problem found."""
    if not isinstance(scenario, Scenario):
        raise RemunerationInputError("household", "Foyer : le scénario est manquant ou mal formé.")
    validate_household(scenario.household)
    offers = scenario.offers
    if not isinstance(offers, tuple) or not 1 <= len(offers) <= MAX_OFFERS:
        count = len(offers) if isinstance(offers, tuple) else 0
        raise RemunerationInputError(
            "offers",
            f"{_label('offers')} : {count} offre(s) n'est pas permis. Comparez une ou deux offres.",
        )
    for index, offer in enumerate(offers):
        validate_offer(offer, index)


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Rights:
    """Rights opened by the offer over 2026 (pension quarters) and what stays to be checked."""

    gross_salary_year: float
    quarter_threshold: float  # 150 × gross hourly SMIC at 1 January 2026 (from OpenFisca)
    pension_quarters: int | None  # None: not computable from our sources (micro-entreprise)
    pension_note: str
    unemployment_note: str


@dataclass(frozen=True)
class OfferResult:
    """One offer compared with the baseline, month by month (euros, rounded to the cent).

    * ``with_offer`` / ``difference``: DataFrames indexed by month ``"2026-01"``…, columns
      :data:`COLUMNS`; ``difference = with_offer - baseline``.
    * ``lag``: per month, which months RSA and prime d'activité look at, the average offer pay in
      that window, the resources RSA actually counted because of the offer, whether OpenFisca
      ignored the pay (neutralisation), and whether the offer is paid / allowed that month.
    * ``warnings``: French warnings (legal risks, model limits) to show next to the figures.
    * ``explained_cases``: French explanations of months where more hours give LESS in total.
    """

    offer: Offer
    with_offer: pd.DataFrame
    difference: pd.DataFrame
    lag: pd.DataFrame
    rights: Rights
    warnings: tuple[str, ...]
    explained_cases: tuple[str, ...]

    @property
    def yearly_gain(self) -> float:
        """Total resources gained over the 12 months of 2026 (may be negative)."""
        return round(float(self.difference["total"].sum()), 2)


@dataclass(frozen=True)
class Result:
    """Everything a view draws for one scenario."""

    scenario: Scenario
    baseline: pd.DataFrame
    offers: tuple[OfferResult, ...]
    legislation_date: str
    openfisca_version: str
    notes: tuple[str, ...]

    def long_table(self) -> pd.DataFrame:
        """All figures in long form (month, who, column, euros): convenient for plotting."""
        frames = [
            self.baseline.reset_index()
            .melt(id_vars="month", var_name="column", value_name="euros")
            .assign(who="sans offre")
        ]
        for index, result in enumerate(self.offers, start=1):
            frames.append(
                result.with_offer.reset_index()
                .melt(id_vars="month", var_name="column", value_name="euros")
                .assign(who=f"offre {index}")
            )
        return pd.concat(frames, ignore_index=True)[["month", "who", "column", "euros"]]


def _frame(arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    """Monthly table: each component rounded to the cent, total = sum of the rounded components."""
    data = {name: np.round(arrays[name], 2) + 0.0 for name in COLUMNS if name != "total"}  # + 0.0: no « -0,00 € »
    frame = pd.DataFrame(data, index=pd.Index(MONTHS, name="month"))
    frame["total"] = frame[list(data)].sum(axis=1).round(2) + 0.0
    return frame


def _window_label(month_index: int, first: int, last: int) -> str:
    """French label of months M-first..M-last, e.g. « oct. 2025 à déc. 2025 »."""

    def name(offset: int) -> str:
        absolute = SIM_YEAR * 12 + month_index - offset
        year, month = divmod(absolute, 12)
        return f"{MONTH_NAMES_FR[month]} {year}"

    return f"{name(first)} à {name(last)}"


def _lag_frame(
    household: Household,
    with_offer: dict[str, np.ndarray],
    baseline: dict[str, np.ndarray],
    paid: np.ndarray,
    allowed: np.ndarray,
) -> pd.DataFrame:
    """Per month: the window RSA / prime d'activité look at, and what OpenFisca actually counted.

    The window is OpenFisca's (M-3..M-1, or M-4..M-2 with a pre-filled declaration); the counted
    resources are OpenFisca's ``rsa_base_ressources`` with the offer minus without it, so a month
    where pay sits in the window but nothing is counted shows OpenFisca's neutralisation.
    """
    first, last = (4, 2) if household.prefilled_declaration else (3, 1)
    pay = with_offer["pay"] - baseline["pay"]
    padded = np.concatenate([np.zeros(4), pay])  # no pay in 2025 (assumption stated in the notes)
    window_avg = np.array([padded[4 + i - first : 4 + i - last + 1].mean() for i in range(12)])
    counted = with_offer["rsa_resources"] - baseline["rsa_resources"]
    ignored = (window_avg > 0.005) & (counted < 0.005)
    window = [_window_label(i, first, last) for i in range(12)]
    return pd.DataFrame(
        {
            "rsa_window": window,
            "ppa_window": window,
            "offer_paid": paid,
            "work_allowed": allowed,
            "pay_window_average": np.round(window_avg, 2),
            "rsa_resources_from_offer": np.round(counted, 2),
            "pay_ignored_by_rsa": ignored,
            "rsa_change": np.round(with_offer["rsa"] - baseline["rsa"], 2),
            "ppa_change": np.round(with_offer["ppa"] - baseline["ppa"], 2),
        },
        index=pd.Index(MONTHS, name="month"),
    )


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


def _rights(offer: Offer, with_offer: dict[str, np.ndarray], smic_january: float) -> Rights:
    threshold = round(PENSION_SMIC_HOURS * smic_january, 2)
    gross = round(float(with_offer["gross"].sum()), 2)
    if offer.form in SALARY_FORMS:
        quarters = pension_quarters(gross, smic_january)
        pension = (
            f"{quarters} trimestre(s) de retraite validé(s) en 2026 : {format_euros(gross)} de salaire brut sur l'année, "
            f"à raison d'un trimestre par tranche de {PENSION_SMIC_HOURS} × SMIC horaire brut au 1er janvier "
            f"({PENSION_SMIC_HOURS} × {format_euros(smic_january)} = {format_euros(threshold)}), au plus {MAX_QUARTERS} par an. "
            "Ce seuil 2026 est calculé par le cours : nous n'avons pas trouvé de chiffre officiel."
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


def pension_quarters(gross_salary_year: float, smic_hourly_january: float) -> int:
    """Quarters validated by a year's gross salary: floor(gross / (150 × SMIC at 1 Jan)), at most 4.

    The rule is facts.md §4 (Boursorama, 2025: 150 × 11,88 € = 1 782 €); the SMIC comes from
    OpenFisca. Bookkeeping, not a benefit formula: it is what the course teaches.
    """
    if gross_salary_year <= 0:
        return 0
    threshold = PENSION_SMIC_HOURS * smic_hourly_january
    return int(min(MAX_QUARTERS, math.floor(round(gross_salary_year / threshold, 9))))


def _months_fr(mask: np.ndarray) -> str:
    return ", ".join(MONTH_LABELS_FR[MONTHS[i]] for i in np.flatnonzero(mask))


def _offer_warnings(
    household: Household, offer: Offer, allowed: np.ndarray, active: np.ndarray, smic: np.ndarray
) -> list[str]:
    warnings: list[str] = []
    if household.asylum_seeker:
        blocked = active & ~allowed
        text = (
            "Demandeur·se d'asile : aucune autorisation de travail n'est possible pendant les 6 premiers mois de "
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
                "AAH et indemnité : sans salaire, OpenFisca calcule l'AAH sur les revenus de l'année N-2 (2024), "
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
                f"({format_euros(float(smic[np.flatnonzero(below)[0]]))}) : un salaire horaire ne peut en principe pas être inférieur au SMIC (règle générale, non vérifiée dans nos sources pour chaque cas)."
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
            f"L'offre continue {overflow} mois après décembre 2026 : ces mois sortent de l'année simulée et ne sont pas comptés."
        )
    return warnings


ROUNDING_TOLERANCE = 0.011  # components are rounded to the cent: a total may move by 1 cent


def _explained_cases(
    grid: Any, offer: Offer, paid: np.ndarray, minimum_payments: Sequence[dict[str, float]]
) -> list[str]:
    """Find paid months where FEWER hours would give a HIGHER total, and say which amounts fell.

    Why: the course must not hide a cliff (working more and ending up with less). Two mechanisms
    show up in OpenFisca's results, both named from the figures, never from a hand-written rule:

    * a minimum payment: RSA under 6 € or prime d'activité under 15 € is not paid, so the benefit
      drops to 0 and the total can lose up to that amount;
    * stacked withdrawal: several benefits fall together (e.g. AAH, housing aid and prime
      d'activité), and together they fall faster than net pay rises.

    A 1-cent move is rounding of the components, not a case.
    """
    hours = float(offer.hours_per_month)
    here = grid.index_of(hours)
    lower = np.flatnonzero(grid.levels < hours - 1e-9)
    if here is None or lower.size == 0 or not paid.any():
        return []
    comps = _components(grid.data)
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
            f"{MONTH_LABELS_FR[MONTHS[month_index]]} : avec {_hours_fr(float(grid.levels[best]))} h au lieu de "
            f"{_hours_fr(hours)} h, le total serait plus élevé de {format_euros(gap)} ({mechanism}). "
            f"La paie nette augmente de {format_euros(pay_gain)} mais : {' ; '.join(reasons)}."
        )
    return cases


def _hours_fr(hours: float) -> str:
    return format_number(hours, 2).rstrip("0").rstrip(",")


def _components(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    rounded = {name: np.round(np.asarray(arrays[name], dtype=float), 2) for name in COLUMNS if name != "total"}
    rounded["total"] = np.round(sum(rounded.values()), 2)
    return rounded


def _scenario_notes(
    household: Household, offers: Sequence[Offer], legislation: str, version: str, smic: Sequence[float]
) -> list[str]:
    year, month, day = legislation.split("-")
    notes = [
        f"Législation simulée : OpenFisca-France {version}, dont les paramètres les plus récents datent du "
        f"{int(day)} {('janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre')[int(month) - 1]} {year}. "
        "Après cette date, le modèle reprend les derniers montants connus.",
        "Chaque mois du tableau est le mois de droit : par exemple, le RSA revalorisé le 1er avril 2026 est "
        "celui d'avril 2026. La date de versement par la CAF n'est pas simulée.",
        NOTE_MODEL_VS_CAF,
        (
            "Fenêtre choisie : déclaration pré-remplie, le RSA et la prime d'activité du mois M comptent les mois "
            "M-4 à M-2 (article R.262-7 du CASF selon nos fiches) ; une paie change donc le RSA deux mois plus tard."
            if household.prefilled_declaration
            else "Fenêtre du modèle : mois M-3 à M-1 (réglage par défaut d'OpenFisca). Selon nos fiches, l'article "
            "R.262-7 du CASF retient désormais les mois M-4 à M-2 (déclaration pré-remplie depuis mars 2025) : "
            "avec l'option « déclaration pré-remplie », l'effet d'une paie arrive un mois plus tard."
        ),
        "Hypothèse : aucun revenu en 2024 et 2025, même logement depuis janvier 2024, adulte(s) de 36 ans.",
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


def simulate(scenario: Scenario) -> Result:
    """Simulate every offer of ``scenario`` against the same baseline, January–December 2026.

    Instant (≈ 2 ms) when :func:`is_ready` is True or the grid is on disk; otherwise ONE OpenFisca
    run for all offers (≈ 2,5 s warm; ≈ 7 s in a fresh process, TaxBenefitSystem included).
    Raises :class:`RemunerationInputError` on invalid input, before any simulation.
    """
    validate(scenario)
    from . import precompute

    household = scenario.household
    # Both offers of a comparison share ONE OpenFisca run when they are not cached yet.
    precompute.warm_up([(household, offer) for offer in scenario.offers])
    constants = precompute.constants()
    smic = np.array(constants.smic)
    floors = constants.minimum_payments
    baseline_arrays: dict[str, np.ndarray] | None = None
    results = []
    for offer in scenario.offers:
        grid = precompute.grid_for(household, offer)
        with_arrays = grid.row(float(offer.hours_per_month))
        base = grid.row(0.0)
        if baseline_arrays is None:
            baseline_arrays = base
        active = precompute.active_months(offer)
        allowed = precompute.work_allowed(household, offer)
        paid = active & allowed & (offer.form != "benevolat") & (offer.hours_per_month > 0)
        with_frame = _frame(with_arrays)
        base_frame = _frame(base)
        results.append(
            OfferResult(
                offer=offer,
                with_offer=with_frame,
                difference=(with_frame - base_frame).round(2) + 0.0,
                lag=_lag_frame(household, with_arrays, base, paid, allowed),
                rights=_rights(offer, with_arrays, float(smic[0])),
                warnings=tuple(_offer_warnings(household, offer, allowed, active, smic)),
                explained_cases=tuple(_explained_cases(grid, offer, paid, floors)),
            )
        )
    assert baseline_arrays is not None
    version = constants.openfisca_version
    legislation = constants.legislation_date
    return Result(
        scenario=scenario,
        baseline=_frame(baseline_arrays),
        offers=tuple(results),
        legislation_date=legislation,
        openfisca_version=version,
        notes=tuple(_scenario_notes(household, scenario.offers, legislation, version, constants.smic)),
    )


def smic_by_month() -> tuple[float, ...]:
    """Gross hourly SMIC of each month of 2026 from OpenFisca (the default rate; 12,02 € in January).

    Instant when the on-disk cache exists; otherwise builds the TaxBenefitSystem once (~2 s).
    """
    from . import precompute

    return precompute.constants().smic


def is_ready(scenario: Scenario) -> bool:
    """True if :func:`simulate` will answer without running OpenFisca (instant)."""
    from . import precompute

    return all(precompute.is_ready(scenario.household, offer) for offer in scenario.offers)


# --------------------------------------------------------------------------- profiles
@dataclass(frozen=True)
class FactRef:
    """Which fact of facts.md (or of OpenFisca) a profile rests on."""

    source: str
    point: str


@dataclass(frozen=True)
class Profile:
    """A preset from ``data/remuneration/profils.yml``: an offer and a suggested situation."""

    id: str
    label: str
    description: str
    situation: str
    offer: Offer
    facts: tuple[FactRef, ...]
    assumptions: str = ""

    def scenario(self, household: Household | None = None) -> Scenario:
        """The preset on the default household (or ``household``), with the profile's situation."""
        return Scenario(household if household is not None else Household(situation=self.situation), (self.offer,))


_FACT_SCHEMA = Schema(columns=(Column("source"), Column("point")))
PROFILE_SCHEMA = Schema(
    columns=(
        Column("id"),
        Column("label"),
        Column("description"),
        Column("situation", choices=SITUATIONS),
        Column("form", choices=tuple(FORMS)),
        Column("hours_per_month", float, minimum=0, maximum=MAX_HOURS),
        Column("hourly_rate", float, required=False, minimum=0, maximum=MAX_RATE),
        Column("start_month", int, minimum=1, maximum=12),
        Column("duration_months", int, minimum=1, maximum=12),
        Column("cdd_usage", bool, required=False),
        Column("facts", list, items=_FACT_SCHEMA, min_items=1),
        Column("assumptions", required=False),
    ),
    unique=("id", "label"),
)
PROFILES_FILE = "remuneration/profils.yml"


def load_profiles(path: str = PROFILES_FILE) -> list[Profile]:
    """Read and validate the presets (French :class:`widgets.data.DataFileError` on a typo)."""
    profiles = []
    for record in load_yaml(path, PROFILE_SCHEMA):
        offer = Offer(
            form=record["form"],
            hours_per_month=record["hours_per_month"],
            hourly_rate=record["hourly_rate"],
            start_month=record["start_month"],
            duration_months=record["duration_months"],
            cdd_usage=bool(record["cdd_usage"]),
            label=record["label"],
        )
        profiles.append(
            Profile(
                id=record["id"],
                label=record["label"],
                description=record["description"],
                situation=record["situation"],
                offer=offer,
                facts=tuple(FactRef(fact["source"], fact["point"]) for fact in record["facts"]),
                assumptions=record["assumptions"] or "",
            )
        )
    return profiles


COMMUNES_FILE = "remuneration/communes.csv"
COMMUNE_SCHEMA = Schema(
    columns=(Column("commune"), Column("code_insee")),
    unique=("commune", "code_insee"),
    checks=(
        lambda r: None if _DEPCOM.match(r["code_insee"]) else "le code INSEE doit avoir 5 caractères (ex. 69123).",
    ),
)


def load_communes(path: str = COMMUNES_FILE) -> list[tuple[str, str]]:
    """(name, INSEE code) of the communes offered in the simulator: housing aid depends on the place."""
    return [(record["commune"], record["code_insee"]) for record in load_csv(path, COMMUNE_SCHEMA)]


def preset_pairs(
    profiles: Iterable[Profile] | None = None, household: Household | None = None
) -> list[tuple[Household, Offer]]:
    """(household, offer) pairs worth precomputing: every profile in every situation.

    Each profile's own situation comes first, so a background :func:`warm_up` makes the presets
    as shown (one click, no edit) instant as early as possible.
    """
    base = household or Household()
    chosen = list(profiles) if profiles is not None else load_profiles()
    pairs = [(dataclasses.replace(base, situation=profile.situation), profile.offer) for profile in chosen]
    for situation in SITUATIONS:
        for profile in chosen:
            pair = (dataclasses.replace(base, situation=situation), profile.offer)
            if pair not in pairs:
                pairs.append(pair)
    return pairs


def warm_up(pairs: Iterable[tuple[Household, Offer]] | None = None) -> int:
    """Precompute grids (default: every preset × every situation); returns how many were simulated.

    Slow the first time (one OpenFisca run per situation, ≈ 2,5 s each, plus the
    TaxBenefitSystem); run it in a background thread at kernel start. Reads the on-disk cache first.
    """
    from . import precompute

    return precompute.warm_up(pairs if pairs is not None else preset_pairs())
