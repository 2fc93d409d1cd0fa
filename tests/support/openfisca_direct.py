"""A household simulated straight with OpenFisca-France, as its documentation writes it: the reference
the simulator is checked against (unit tests) and measured against (benchmark).

Why here, once: ``tests/unit/test_remuneration_households.py`` compares every column of the simulator
to this computation, to the cent, and ``bench/bench_remuneration.py`` times the simulator's first
figures against it; two copies of this « naive » situation had already drifted apart (one knew AAH,
asylum and the housing status, the other did not). Nothing here uses the simulator's adapter: the
situation is a dictionary of entities built with ``SimulationBuilder.build_from_entities``, from the
conventions the page states (ages on 1 January, no income in the two previous years, the same home
for 24 months, the pre-filled declaration window).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from widgets.remuneration.inputs import SIM_YEAR, Household, Offer

if TYPE_CHECKING:
    from openfisca_core.simulations import Simulation
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

MONTHS = [f"{SIM_YEAR}-{m:02d}" for m in range(1, 13)]
#: The simulated year and the two before: every input that must hold « since always » is set on them.
HISTORY = [f"{y}-{m:02d}" for y in (SIM_YEAR - 2, SIM_YEAR - 1, SIM_YEAR) for m in range(1, 13)]
STATUS = {"locataire": "locataire_vide", "heberge": "loge_gratuitement", "proprietaire": "proprietaire"}
#: Where each form of payment goes in OpenFisca (docs/simulateur.md, « Les formes de paiement »).
VARIABLE = {"salaire": "salaire_de_base", "cea": "salaire_de_base", "defraiement": "gains_exceptionnels"}
#: The columns of the simulator's tables, as computed here.
COLUMNS = ("pay", "rsa", "ppa", "housing", "aah", "family")


def smic_hourly(tbs: TaxBenefitSystem) -> list[float]:
    """The gross hourly SMIC of each month of the simulated year, read from OpenFisca's parameters."""
    return [float(tbs.parameters(f"{m}-01").marche_travail.salaire_minimum.smic.smic_b_horaire) for m in MONTHS]


def offer_amounts(household: Household, offer: Offer, smic: Sequence[float]) -> dict[str, float]:
    """What the offer pays each month (hours × rate, the SMIC when the rate is empty), 0 outside the
    contract and, for an asylum seeker, in the first 6 months of the claim."""
    amounts = {}
    for index, month in enumerate(MONTHS):
        covered = offer.start_month <= index + 1 < offer.start_month + offer.duration_months
        allowed = not household.asylum_seeker or household.asylum_months_at_start + index >= 6
        rate = offer.hourly_rate if offer.hourly_rate is not None else smic[index]
        amounts[month] = offer.hours_per_month * rate if covered and allowed else 0.0
    return amounts


def situation(household: Household, offer: Offer, smic: Sequence[float]) -> dict[str, Any]:
    """Two households in one situation: row 0 without the offer, row 1 with it."""
    persons: dict[str, dict[str, Any]] = {}
    families, tax_units, homes = {}, {}, {}
    for n, with_offer in enumerate((False, True)):
        adults = [f"adult{n}_{i}" for i in range(2 if household.couple else 1)]
        kids = [f"child{n}_{i}" for i in range(len(household.children))]
        for pid, age in zip(adults, household.adult_ages, strict=True):
            persons[pid] = {"date_naissance": {"ETERNITY": f"{SIM_YEAR - age}-01-01"}}
        for pid, age in zip(kids, household.children, strict=True):
            persons[pid] = {"date_naissance": {"ETERNITY": f"{SIM_YEAR - 1 - age}-07-01"}}
        if household.aah_incapacity_rate is not None:
            persons[adults[0]]["taux_incapacite"] = {m: household.aah_incapacity_rate for m in HISTORY}
        if household.asylum_seeker:
            for pid in adults + kids:
                persons[pid]["nationalite"] = {m: "XX" for m in HISTORY}
        if with_offer:
            persons[adults[0]][VARIABLE[offer.form]] = offer_amounts(household, offer, smic)
        family: dict[str, Any] = {
            "parents": adults,
            "enfants": kids,
            "departement_experimentation_rsa": {m: household.prefilled_declaration for m in HISTORY},
        }
        if household.asylum_seeker:  # no minimum income, housing aid nor family benefits while the claim is examined
            for variable in ("rsa", "ppa", "aide_logement", "af", "cf", "asf"):
                family[variable] = {m: 0 for m in HISTORY}
        families[f"family{n}"] = family
        tax_units[f"tax{n}"] = {"declarants": adults, "personnes_a_charge": kids}
        homes[f"home{n}"] = {
            "personne_de_reference": adults[:1],
            "conjoint": adults[1:],
            "enfants": kids,
            "loyer": {m: household.rent for m in HISTORY},
            "statut_occupation_logement": {m: STATUS[household.housing] for m in HISTORY},
            "depcom": {m: household.depcom for m in HISTORY},
        }
    return {"individus": persons, "familles": families, "foyers_fiscaux": tax_units, "menages": homes}


def simulation(tbs: TaxBenefitSystem, household: Household, offer: Offer, smic: Sequence[float]) -> Simulation:
    from openfisca_core.simulation_builder import SimulationBuilder

    return SimulationBuilder().build_from_entities(tbs, situation(household, offer, smic))


def figures(
    tbs: TaxBenefitSystem, household: Household, offer: Offer, smic: Sequence[float] | None = None
) -> dict[str, np.ndarray]:
    """Every column of the simulator's tables, month by month: ``out[column][row, month]`` with row 0
    without the offer and row 1 with it (net pay, RSA, prime d'activité, housing aid, AAH, AF + CF + ASF)."""
    simulated = simulation(tbs, household, offer, smic if smic is not None else smic_hourly(tbs))
    famille = simulated.populations["famille"]
    out = {name: np.zeros((2, 12)) for name in COLUMNS}
    for column, month in enumerate(MONTHS):
        out["rsa"][:, column] = simulated.calculate("rsa", month)
        out["ppa"][:, column] = simulated.calculate("ppa", month)
        out["housing"][:, column] = simulated.calculate("aide_logement", month)
        out["family"][:, column] = sum(simulated.calculate(v, month) for v in ("af", "cf", "asf"))
        out["aah"][:, column] = famille.sum(simulated.calculate("aah", month))
        out["pay"][:, column] = famille.sum(
            simulated.calculate("salaire_net", month) + simulated.calculate("gains_exceptionnels", month)
        )
    return out
