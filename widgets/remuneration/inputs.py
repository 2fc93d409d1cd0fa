"""What a learner (or a case file) can ask the simulator: vocabulary, dataclasses and checks.

Why a module of its own: the view, the command line and the cache all describe a household and an
offer the same way, and a typo must become a French sentence naming the field before anything is
computed. Nothing here imports OpenFisca, ipywidgets or plotly, so checking an input is instant.

The simulated year is defined here, once (:data:`SIM_YEAR`); every other module reads it.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from widgets import droit
from widgets.errors import InputError
from widgets.fr import format_euros, format_number

#: The year every figure is simulated for (January to December).
SIM_YEAR = 2026
#: The twelve months of the simulated year, as OpenFisca periods (``"2026-01"``…).
MONTHS: tuple[str, ...] = tuple(f"{SIM_YEAR}-{m:02d}" for m in range(1, 13))

#: Forms of payment: short code (used in case files, profiles and docs/simulateur.md) -> French label.
FORMS: dict[str, str] = {
    "salaire": "Salaire (CDD ou CDI)",
    "cea": "Chèque emploi associatif (salaire)",
    "micro_bnc": "Micro-entreprise (activité libérale)",
    "defraiement": "Défraiement forfaitaire ou indemnité",
    "benevolat": "Bénévolat sans rémunération",
}
SALARY_FORMS = frozenset({"salaire", "cea"})
#: Housing: short code -> French label. The code is what a case file writes (``logement:``).
HOUSING: dict[str, str] = {
    "locataire": "Locataire",
    "heberge": "Hébergement gratuit (famille, amis, CADA ou HUDA)",
    "proprietaire": "Propriétaire sans emprunt",
}
#: Benefits the household asks for: ``toutes`` (OpenFisca computes every right), ``sans_aide_logement``
#: (housing aid not asked for), ``aucune`` (nothing asked for: non-take-up; prime d'activité still computed).
CLAIMS: dict[str, str] = {
    "toutes": "Toutes les aides auxquelles le foyer a droit",
    "sans_aide_logement": "Pas d'aide au logement demandée",
    "aucune": "Aucune prestation demandée",
}

MAX_HOURS = 200.0
MAX_RATE = 200.0
MAX_RENT = 3000.0
MAX_CHILDREN = 6
MAX_CHILD_AGE = 20
MIN_ADULT_AGE = 18
MAX_ADULT_AGE = 64
MAX_OFFERS = 2
MAX_ASYLUM_MONTHS = 120
#: Which rules turn OpenFisca's figures into the RSA and prime d'activité shown: the case-file key
#: ``regles``. ``textes`` (default): the quarterly rhythm and the neutralisation of CASF R.262-13,
#: as the CAF applies them (:mod:`.law`); ``openfisca``: OpenFisca's own figures as they are (a
#: three-month window sliding every month and its one-month neutralisation), kept so that a
#: maintainer can compare the simulator with a direct OpenFisca run.
RULES: dict[str, str] = {
    "textes": "Les règles des textes (trimestre, neutralisation)",
    "openfisca": "OpenFisca tel quel (moyenne glissante)",
}
DEFAULT_RULES = "textes"
#: The month of the first quarterly declaration of the year (1 = January, 2 = February, 3 = March),
#: then every three months: the case-file key ``foyer.mois_declaration``.
DECLARATION_MONTHS = (1, 2, 3)
DEFAULT_AGE = 36
DEFAULT_RENT = 450.0
DEFAULT_DEPCOM = "69123"
DEFAULT_COMMUNE = "Lyon"
AAH_DEFAULT_RATE = 0.8
AAH_MIN_RATE = 0.5

FIELD_LABELS_FR: dict[str, str] = {
    "couple": "Foyer (personne seule ou en couple)",
    "age": "Âge",
    "partner_age": "Âge du conjoint ou de la conjointe",
    "children": "Âges des enfants",
    "housing": "Logement",
    "claims": "Aides demandées",
    "aah_incapacity_rate": "Taux d'incapacité (AAH)",
    "rent": "Loyer mensuel",
    "depcom": "Commune (code INSEE)",
    "commune": "Nom de la commune",
    "asylum_seeker": "Demande d'asile",
    "prefilled_declaration": "Déclaration trimestrielle pré-remplie",
    "declaration_month": "Mois de la première déclaration trimestrielle",
    "rules": "Règles de calcul",
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


# --------------------------------------------------------------------------- error fields
def offer_field(offer_index: int, name: str) -> str:
    """The ``field`` of an :class:`~widgets.errors.InputError` about offer ``offer_index`` (0 or 1):
    ``"offer1.hours_per_month"``. Household fields are plain names (``"rent"``)."""
    return f"offer{offer_index + 1}.{name}"


def split_field(field: str | None) -> tuple[int | None, str | None]:
    """``"offer2.hourly_rate"`` -> ``(1, "hourly_rate")``; ``"rent"`` -> ``(None, "rent")``: which
    control a view should mark."""
    if field is None:
        return None, None
    match = re.fullmatch(r"offer(\d+)\.(\w+)", field)
    if match:
        return int(match.group(1)) - 1, match.group(2)
    return None, field


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class Household:
    """The person's household and what it asks for (hashable: it is a cache key).

    Ages are ages on 1 January of the simulated year. ``rent`` is for tenants only (0 otherwise).
    """

    couple: bool = False
    age: int = DEFAULT_AGE
    #: Ignored for a person living alone.
    partner_age: int = DEFAULT_AGE
    children: tuple[int, ...] = ()
    housing: str = "locataire"
    rent: float = DEFAULT_RENT
    depcom: str = DEFAULT_DEPCOM
    #: Name shown to learners; empty = take OpenFisca's name for ``depcom``.
    commune: str = DEFAULT_COMMUNE
    claims: str = "toutes"
    #: Incapacity rate of the first adult (0,5 to 1) for AAH, or None: no AAH.
    aah_incapacity_rate: float | None = None
    asylum_seeker: bool = False
    #: Months elapsed since the asylum claim on 1 January (0 = claim made in January).
    asylum_months_at_start: int = 0
    #: RSA and prime d'activité of month M count months M-4..M-2 (the quarterly declaration is
    #: pre-filled since 1 March 2025, CASF R.262-7) instead of M-3..M-1 (OpenFisca's default,
    #: which calls the other window ``departement_experimentation_rsa``).
    prefilled_declaration: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.children, list):
            object.__setattr__(self, "children", tuple(self.children))

    @property
    def adult_ages(self) -> tuple[int, ...]:
        return (self.age, self.partner_age) if self.couple else (self.age,)


@dataclass(frozen=True)
class Offer:
    """One paid (or unpaid) participation to compare with doing nothing.

    ``hourly_rate`` None means « SMIC of each month », read from OpenFisca. For a micro-entreprise
    it is turnover per hour, for a défraiement the indemnity per hour.
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
    """A household and one or two offers; each offer is compared with the same baseline.

    ``rules`` and ``declaration_month`` change how the RSA and the prime d'activité are read from
    OpenFisca's figures (:mod:`.law`), not what OpenFisca computes: they are not part of a grid's key.
    """

    household: Household
    offers: tuple[Offer, ...]
    #: A key of :data:`RULES`.
    rules: str = DEFAULT_RULES
    #: One of :data:`DECLARATION_MONTHS`: the quarters start in that month, then every three months.
    declaration_month: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.offers, list):
            object.__setattr__(self, "offers", tuple(self.offers))
        elif isinstance(self.offers, Offer):
            object.__setattr__(self, "offers", (self.offers,))


# --------------------------------------------------------------------------- months of an offer
def active_months(offer: Offer) -> np.ndarray:
    """Months of the simulated year covered by the offer (later months fall outside the simulation)."""
    months = np.arange(1, 13)
    return (months >= offer.start_month) & (months < offer.start_month + offer.duration_months)


def work_allowed(household: Household, offer: Offer) -> np.ndarray:
    """Months in which the offer may be paid, for an asylum seeker (bibliography entries asile-ide and asile-rapport-2025).

    No work authorisation is possible in the first 6 months of the asylum claim, and
    self-employment (micro-entreprise) is forbidden. Other households: always allowed.
    Volunteering and défraiements are not treated as work here (the requalification risk is a
    warning).
    """
    allowed = np.ones(12, dtype=bool)
    if not household.asylum_seeker:
        return allowed
    if offer.form == "micro_bnc":
        return np.zeros(12, dtype=bool)
    if offer.form in SALARY_FORMS:
        months_since_claim = household.asylum_months_at_start + np.arange(12)
        allowed = months_since_claim >= 6
    return allowed


def paid_months(household: Household, offer: Offer) -> np.ndarray:
    """Months in which the offer brings money: covered, allowed, with hours and a rate above 0.

    Why « above 0 »: an offer at 0 € an hour is not paid, and the page must not say « the payment
    starts in March » for it. ``hourly_rate`` None is the SMIC, always above 0.
    """
    has_money = (
        offer.form != "benevolat"
        and float(offer.hours_per_month) > 0
        and (offer.hourly_rate is None or float(offer.hourly_rate) > 0)
    )
    return active_months(offer) & work_allowed(household, offer) & has_money


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
    if isinstance(value, tuple):
        return "« " + ", ".join(str(v) for v in value) + " »"
    if value is None or value == "":
        return "vide"
    return f"« {value} »"


def _field(field_name: str, offer_index: int | None) -> str:
    return field_name if offer_index is None else offer_field(offer_index, field_name)


def _fail(field_name: str, value: Any, allowed: str, offer_index: int | None = None) -> InputError:
    message = f"{_prefix(offer_index)}{_label(field_name)} : {_shown(value)} n'est pas permis. {allowed}"
    return InputError(message, _field(field_name, offer_index))


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


DEPCOM_PATTERN = re.compile(r"^(\d{5}|2[AB]\d{3})$")

#: Looks up the official name of a commune from its INSEE code (None: unknown code).
CommuneLookup = Callable[[str], str | None]


def _check_choice(value: Any, field_name: str, choices: dict[str, str]) -> None:
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(f"« {code} » ({label.lower()})" for code, label in choices.items())
        raise _fail(field_name, value, f"Choisissez parmi : {allowed}.")


def validate_household(household: Any, commune_name: CommuneLookup | None = None) -> None:
    """Raise :class:`~widgets.errors.InputError` (French, naming the field) if the household cannot be simulated.

    ``commune_name`` (optional) checks the INSEE code against a list of communes, and the name
    against that code; without it only the code's shape is checked.
    """
    if not isinstance(household, Household):
        raise InputError("Foyer : les informations du foyer manquent.", "household")
    _check_bool(household.couple, "couple")
    ages = f"Indiquez un âge entier entre {MIN_ADULT_AGE} et {MAX_ADULT_AGE} ans (âge au 1er janvier {SIM_YEAR})."
    _check_number(household.age, "age", MIN_ADULT_AGE, MAX_ADULT_AGE, ages, integer=True)
    if household.couple:
        _check_number(household.partner_age, "partner_age", MIN_ADULT_AGE, MAX_ADULT_AGE, ages, integer=True)
    children = household.children
    if not isinstance(children, tuple) or len(children) > MAX_CHILDREN:
        raise _fail(
            "children",
            children,
            f"Donnez au plus {MAX_CHILDREN} âges d'enfants (une liste vide s'il n'y a pas d'enfant).",
        )
    for child_age in children:
        _check_number(
            child_age,
            "children",
            0,
            MAX_CHILD_AGE,
            f"Indiquez l'âge de chaque enfant au 1er janvier {SIM_YEAR}, en années entières de 0 à {MAX_CHILD_AGE}.",
            integer=True,
        )
    _check_choice(household.housing, "housing", HOUSING)
    if household.housing == "locataire":
        _check_number(
            household.rent,
            "rent",
            0,
            MAX_RENT,
            f"Indiquez un loyer supérieur à 0 € et d'au plus {format_euros(MAX_RENT, 0)} par mois.",
            low_exclusive=True,
        )
    else:
        _check_number(
            household.rent,
            "rent",
            0,
            0,
            "Un loyer ne se donne que pour un locataire : laissez 0 pour une personne hébergée ou propriétaire.",
        )
    if not isinstance(household.depcom, str) or not DEPCOM_PATTERN.match(household.depcom):
        raise _fail(
            "depcom",
            household.depcom,
            "Indiquez le code INSEE de la commune en 5 caractères (par exemple 69123 pour Lyon).",
        )
    if not isinstance(household.commune, str):
        raise _fail("commune", household.commune, "Indiquez le nom de la commune en texte.")
    if commune_name is not None:
        check_commune(household.depcom, household.commune, commune_name)
    _check_choice(household.claims, "claims", CLAIMS)
    if household.aah_incapacity_rate is not None:
        _check_number(
            household.aah_incapacity_rate,
            "aah_incapacity_rate",
            AAH_MIN_RATE,
            1,
            droit.render(
                "Indiquez un taux entre 0,5 et 1 (de {droit}`aah_taux_incapacite_rsdae` à 100 %) ; en dessous de "
                "{droit}`aah_taux_incapacite_rsdae`, il n'y a pas d'AAH."
            ),
        )
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


def _plain(name: str) -> str:
    """Compare commune names without case, accents, hyphens or apostrophes (« Saint-Étienne » = « saint etienne »)."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def check_commune(depcom: str, name: str, commune_name: CommuneLookup) -> None:
    """The INSEE code must be known, and a name, when given, must be that commune's name.

    Why: OpenFisca silently puts an unknown code in housing-aid zone 2, so a typo in the code
    would give plausible but wrong housing aid.
    """
    official = commune_name(depcom)
    if official is None:
        raise _fail(
            "depcom",
            depcom,
            "Ce code INSEE ne correspond à aucune commune connue d'OpenFisca. Vérifiez-le sur le site de l'Insee.",
        )
    if name.strip() and _plain(name) != _plain(official):
        raise InputError(
            f"{_label('commune')} : « {name} » ne correspond pas au code INSEE {depcom}, qui est celui de "
            f"« {official} ». Corrigez le nom ou le code.",
            "commune",
        )


def validate_offer(offer: Any, offer_index: int | None = None) -> None:
    """Raise :class:`~widgets.errors.InputError` (French, naming the field) if the offer cannot be simulated."""
    if not isinstance(offer, Offer):
        raise InputError(f"{_prefix(offer_index)}l'offre est manquante ou mal formée.", _field("offers", offer_index))
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
        f"Choisissez un mois de 1 (janvier) à 12 (décembre) {SIM_YEAR}.",
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
        raise _fail("label", offer.label, "Donnez un nom en texte (ou laissez vide).", offer_index)


def validate(scenario: Any, commune_name: CommuneLookup | None = None) -> None:
    """Check a whole scenario: the household, then one or two offers."""
    if not isinstance(scenario, Scenario):
        raise InputError("La simulation n'a pas reçu de foyer ni d'offre.", "household")
    validate_household(scenario.household, commune_name)
    offers = scenario.offers
    if not isinstance(offers, tuple) or not 1 <= len(offers) <= MAX_OFFERS:
        count = len(offers) if isinstance(offers, tuple) else 0
        raise InputError(
            f"{_label('offers')} : {count} n'est pas permis. Comparez une ou deux offres.",
            "offers",
        )
    for index, offer in enumerate(offers):
        validate_offer(offer, index)
    _check_choice(scenario.rules, "rules", RULES)
    if isinstance(scenario.declaration_month, bool) or scenario.declaration_month not in DECLARATION_MONTHS:
        raise _fail(
            "declaration_month",
            scenario.declaration_month,
            "Choisissez 1 (janvier), 2 (février) ou 3 (mars) : le mois de la première déclaration de l'année.",
        )
