"""The simulator's content: ready-made profiles and the communes offered, read from ``data/remuneration/``.

Why apart from the model: trainers edit these files (a preset, a commune) without touching code;
:mod:`widgets.data` validates them at load time with the file, the entry and the column in any
error. This module turns the validated records into the input dataclasses of :mod:`.inputs`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from widgets.data import Column, Schema, load_csv, load_yaml

from .inputs import AAH_DEFAULT_RATE, DEPCOM_PATTERN, FORMS, MAX_HOURS, MAX_RATE, Household, Offer, Scenario

#: Current benefit situations, as learners name them (« Aujourd'hui, je reçois… ») and as profiles
#: write them, with what each means for the household: which benefits it asks for, and AAH.
SITUATIONS: dict[str, tuple[str, float | None]] = {
    "RSA + aide au logement": ("toutes", None),
    "RSA": ("sans_aide_logement", None),
    "AAH": ("toutes", AAH_DEFAULT_RATE),
    "aucune prestation": ("aucune", None),
}


def in_situation(situation: str, base: Household | None = None) -> Household:
    """``base`` (default: the default household) in one of the :data:`SITUATIONS`."""
    claims, rate = SITUATIONS[situation]
    return dataclasses.replace(base if base is not None else Household(), claims=claims, aah_incapacity_rate=rate)


def situation_of(household: Household) -> str | None:
    """The situation a household is in, or None when it matches none (e.g. AAH at 60 %)."""
    for name, (claims, rate) in SITUATIONS.items():
        if household.claims == claims and household.aah_incapacity_rate == rate:
            return name
    return None


@dataclass(frozen=True)
class FactRef:
    """Which checked fact (or OpenFisca variable) a profile rests on."""

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

    def household(self, base: Household | None = None) -> Household:
        """``base`` (default: the default household) in the profile's situation."""
        return in_situation(self.situation, base)

    def scenario(self, household: Household | None = None) -> Scenario:
        """The preset on the default household (or ``household``), with the profile's situation."""
        return Scenario(household if household is not None else self.household(), (self.offer,))


_FACT_SCHEMA = Schema(columns=(Column("source"), Column("point")))
PROFILE_SCHEMA = Schema(
    columns=(
        Column("id"),
        Column("label"),
        Column("description"),
        Column("situation", choices=tuple(SITUATIONS)),
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
        lambda r: (
            None if DEPCOM_PATTERN.match(r["code_insee"]) else "le code INSEE doit avoir 5 caractères (ex. 69123)."
        ),
    ),
)


def load_communes(path: str = COMMUNES_FILE) -> list[tuple[str, str]]:
    """(name, INSEE code) of the communes offered in the simulator: housing aid depends on the place."""
    return [(record["commune"], record["code_insee"]) for record in load_csv(path, COMMUNE_SCHEMA)]


def preset_pairs(
    profiles: Iterable[Profile] | None = None, household: Household | None = None
) -> list[tuple[Household, Offer]]:
    """(household, offer) pairs worth preparing in advance: every profile in every situation.

    Each profile's own situation comes first, so a background warm-up makes the presets as shown
    (one click, no edit) instant as early as possible.
    """
    base = household or Household()
    chosen = list(profiles) if profiles is not None else load_profiles()
    pairs = [(profile.household(base), profile.offer) for profile in chosen]
    for situation in SITUATIONS:
        for profile in chosen:
            pair = (in_situation(situation, base), profile.offer)
            if pair not in pairs:
                pairs.append(pair)
    return pairs
