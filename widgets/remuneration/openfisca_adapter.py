"""OpenFisca-France adapter: the ONLY place where benefit rules are computed.

Why this module exists: « Faire avec » is read by people in precarity, and a wrong figure can lead
someone to refuse or accept paid work for the wrong reason. So no benefit formula is written here:
this module only *describes a household* to OpenFisca-France and reads back what OpenFisca computes.
What it knows about the model comes from reading the variable formulas of openfisca-france 176.1.8:

* pay is given as **gross** ``salaire_de_base`` (net-only input leaves taxable pay at 0 and housing
  aid would ignore the pay);
* rent, housing status and commune are given for **every month from January two years before**
  (24 months of history before the simulated year): with housing given for one month only,
  prime d'activité is wrong;
* many households are **listed** in one simulation (one row per hour level) instead of using axes:
  openfisca-core 44.7.1 silently drops the months of a second axis dimension;
* ``revenu_disponible`` is yearly only, so the monthly total is summed by the model (pay + RSA +
  prime d'activité + housing aid + AAH + family benefits), it is not a rule.

Cost: building the TaxBenefitSystem takes about 2 s once per process (:func:`tax_benefit_system`
is a lazy singleton); one simulation takes about 2 s warm whatever the number of rows (1 to 600).
Callers batch rows and cache results (see :mod:`widgets.remuneration.cache`).
"""

from __future__ import annotations

import csv
import functools
import importlib.metadata
import importlib.util
import json
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .inputs import MONTHS, SIM_YEAR, Household, Offer, active_months, work_allowed

if TYPE_CHECKING:  # pragma: no cover - typing only
    from openfisca_core.simulations import Simulation
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

#: Months for which housing inputs are given: 24 months of history + the simulated year.
HISTORY_MONTHS: tuple[str, ...] = tuple(
    f"{y}-{m:02d}" for y in (SIM_YEAR - 2, SIM_YEAR - 1, SIM_YEAR) for m in range(1, 13)
)

#: Which OpenFisca input variable carries the money of each form of payment.
#: ``gains_exceptionnels`` is a PROXY for a flat défraiement / indemnity: OpenFisca has no variable
#: of its own for it; RSA and AAH count it, prime d'activité and housing aid do not (measured).
FORM_VARIABLE: dict[str, str | None] = {
    "salaire": "salaire_de_base",
    "cea": "salaire_de_base",
    "micro_bnc": "rpns_auto_entrepreneur_CA_bnc",
    "defraiement": "gains_exceptionnels",
    "benevolat": None,
}
INCOME_VARIABLES: tuple[str, ...] = ("salaire_de_base", "rpns_auto_entrepreneur_CA_bnc", "gains_exceptionnels")

#: Outputs returned by :func:`run`, one array (rows × months) each.
OUTPUT_KEYS: tuple[str, ...] = (
    "pay",
    "gross",
    "rsa",
    "ppa",
    "housing",
    "aah",
    "family",
    "rsa_resources",
)

#: Birth dates of children 1..4: all aged 3 or more in 2026 (no PAJE, whose rules need the birth
#: month) and under 20 (counted for allocations familiales).
CHILD_BIRTH_DATES = ("2021-06-01", "2018-06-01", "2015-06-01", "2012-06-01")
ADULT_BIRTH_DATE = "1990-01-01"  # 36 in 2026: over 25, so RSA is open without the « jeune » conditions
AAH_INCAPACITY_RATE = 0.8  # >= 80 %: AAH without the « restriction substantielle » condition
NON_EEA_NATIONALITY = "XX"  # any non-EEA code: used only to let OpenFisca apply its residence conditions

#: One income row of :func:`run`: input variable -> 12 monthly amounts.
IncomeRow = Mapping[str, "np.ndarray | Sequence[float]"]

_LOCK = threading.RLock()
_TBS: TaxBenefitSystem | None = None


def tax_benefit_system() -> TaxBenefitSystem:
    """Build the French TaxBenefitSystem once per process (about 2 s): every caller shares it.

    Double-checked under a lock, so a background warm-up thread and a learner's click never build
    it twice.
    """
    global _TBS
    if _TBS is None:
        with _LOCK:
            if _TBS is None:
                from openfisca_france import CountryTaxBenefitSystem

                _TBS = CountryTaxBenefitSystem()
    return _TBS


def versions() -> dict[str, str]:
    """Versions that change the figures: they are part of every cache key and shown to learners."""
    return {
        "openfisca-france": importlib.metadata.version("openfisca-france"),
        "openfisca-core": importlib.metadata.version("openfisca-core"),
    }


@functools.lru_cache(maxsize=1)
def legislation_date() -> str:
    """Newest date at which any OpenFisca parameter changes (``2026-10-01`` for 176.1.8).

    Why: later months silently reuse the last known values, so the course must say which
    legislation it simulates. Reading it from the parameters keeps the label true after an upgrade.
    """
    from openfisca_core.parameters import Parameter, ParameterNode

    newest = ""

    def walk(node: object) -> None:
        nonlocal newest
        if isinstance(node, Parameter):
            for value in node.values_list:
                newest = max(newest, value.instant_str)
        elif isinstance(node, ParameterNode):
            for child in node.children.values():
                walk(child)
        else:  # scales
            for bracket in getattr(node, "brackets", ()):
                for name in ("threshold", "rate", "amount", "average_rate", "base"):
                    walk(getattr(bracket, name, None))

    walk(tax_benefit_system().parameters)
    return newest


@functools.lru_cache(maxsize=64)
def smic_hourly(month: str) -> float:
    """Gross hourly SMIC in force in ``month`` (``YYYY-MM``), read from the OpenFisca parameter.

    12,02 € from 2026-01 (décret 2025-1228); 12,31 € from 2026-06 in the parameter file.
    """
    params = tax_benefit_system().parameters(f"{month}-01")
    return float(params.marche_travail.salaire_minimum.smic.smic_b_horaire)


@functools.lru_cache(maxsize=64)
def minimum_payments(month: str) -> dict[str, float]:
    """Amounts under which OpenFisca pays nothing (RSA, prime d'activité): the source of small cliffs.

    ``rsa_maj.montant_minimum_verse`` (6 € in 2026) and ``pa_m.montant_minimum_verse`` (15 €):
    when a few more euros of pay push the computed benefit under this amount, it drops to 0, so
    total resources can fall by up to that amount. The model reports such months; it does not hide them.
    """
    params = tax_benefit_system().parameters(f"{month}-01").prestations_sociales.solidarite_insertion.minima_sociaux
    return {"rsa": float(params.rsa.rsa_maj.montant_minimum_verse), "ppa": float(params.ppa.pa_m.montant_minimum_verse)}


# --------------------------------------------------------------------------- communes
def _assets_dir() -> Path:
    """OpenFisca-France's data folder, found without importing the package (which costs a second)."""
    spec = importlib.util.find_spec("openfisca_france")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("openfisca_france is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "assets" / "apl"


@functools.lru_cache(maxsize=1)
def _communes() -> dict[str, str]:
    """INSEE code -> commune name, from the housing-aid zoning table OpenFisca itself uses.

    Why this table: ``zone_apl`` reads it, and a code missing from it silently falls into zone 2.
    Arrondissements and associated communes get their parent commune's name, as OpenFisca maps them.
    """
    folder = _assets_dir()
    with (folder / "20110914_zonage.csv").open(encoding="utf-8", newline="") as handle:
        names = {row["CODGEO"]: row["LIBCOM_2014"] for row in csv.DictReader(handle)}
    parents = json.loads((folder / "commune_depcom_by_subcommune_depcom.json").read_text(encoding="utf-8"))
    for child, parent in parents.items():
        if child not in names and parent in names:
            names[child] = names[parent]
    return names


def commune_name(depcom: str) -> str | None:
    """Official name of the commune with INSEE code ``depcom`` in OpenFisca's zoning table, or None."""
    return _communes().get(depcom)


# --------------------------------------------------------------------------- inputs
def income_row(household: Household, offer: Offer, hours: float, smic: Sequence[float]) -> dict[str, np.ndarray]:
    """OpenFisca inputs of one offer at ``hours`` per month: amount = hours × rate, in paid months.

    ``smic`` is the gross hourly SMIC of each month, used when the offer has no rate of its own.
    """
    variable = FORM_VARIABLE[offer.form]
    if variable is None or hours == 0:
        return {}
    rates = np.full(12, float(offer.hourly_rate)) if offer.hourly_rate is not None else np.asarray(smic, dtype=float)
    paid = active_months(offer) & work_allowed(household, offer)
    return {variable: np.where(paid, hours * rates, 0.0)}


def _person_layout(household: Household) -> tuple[list[str], list[str], list[str], list[str]]:
    """Roles of the members of ONE household, in the order persons are declared."""
    births = [ADULT_BIRTH_DATE]
    fam = ["demandeur"]
    foyer = ["declarant_principal"]
    menage = ["personne_de_reference"]
    if household.couple:
        births.append(ADULT_BIRTH_DATE)
        fam.append("conjoint")
        foyer.append("conjoint")
        menage.append("conjoint")
    for child in range(household.children):
        births.append(CHILD_BIRTH_DATES[child])
        fam.append("enfant")
        foyer.append("personne_a_charge")
        menage.append("enfant")
    return births, fam, foyer, menage


def run(
    household: Household,
    rows: Sequence[IncomeRow],
    months: Sequence[str] = MONTHS,
) -> dict[str, np.ndarray]:
    """Simulate ``len(rows)`` copies of ``household``, each with its own income, in ONE simulation.

    ``rows[i]`` maps an input variable of :data:`INCOME_VARIABLES` to 12 monthly amounts for
    January..December of the simulated year (gross salary, micro-entreprise turnover, or flat
    indemnity); the first adult receives them. Returns, for each key of :data:`OUTPUT_KEYS`, an
    array ``(len(rows), len(months))`` of euros per month and per household:

    * ``pay``: net pay actually received (``salaire_net``; for micro-entreprise turnover minus the
      social contributions OpenFisca applies; the indemnity itself for a défraiement);
    * ``gross``: gross salary (``salaire_de_base``), the base of pension quarters;
    * ``rsa``, ``ppa``, ``housing`` (``aide_logement``), ``aah``, ``family`` (``af + cf + asf``);
    * ``rsa_resources``: the monthly resources RSA counted that month (``rsa_base_ressources``),
      kept to explain the lag.

    The benefit situation shapes the inputs (see :func:`_apply_situation`).
    """
    from openfisca_core.simulation_builder import SimulationBuilder

    months = tuple(months)
    for month in months:
        if month not in HISTORY_MONTHS:
            raise ValueError(
                f"month {month} is outside the simulated history {HISTORY_MONTHS[0]}..{HISTORY_MONTHS[-1]}"
            )
    n_rows = len(rows)
    if n_rows == 0:
        return {key: np.zeros((0, len(months))) for key in OUTPUT_KEYS}
    births, fam_roles, foyer_roles, menage_roles = _person_layout(household)
    size = len(births)
    tbs = tax_benefit_system()
    with _LOCK:
        builder = SimulationBuilder()
        builder.create_entities(tbs)
        person_ids = [f"p{row}_{member}" for row in range(n_rows) for member in range(size)]
        group_of_person = [row for row in range(n_rows) for _ in range(size)]
        builder.declare_person_entity("individu", person_ids)
        for entity, roles in (("famille", fam_roles), ("foyer_fiscal", foyer_roles), ("menage", menage_roles)):
            population = builder.declare_entity(entity, [f"{entity}{row}" for row in range(n_rows)])
            builder.join_with_persons(population, [f"{entity}{g}" for g in group_of_person], roles * n_rows)
        simulation = builder.build(tbs)

        first_adult = np.zeros(n_rows * size, dtype=bool)
        first_adult[::size] = True
        simulation.set_input("date_naissance", "ETERNITY", np.array(births * n_rows, dtype="datetime64[D]"))
        for month in HISTORY_MONTHS:
            simulation.set_input("loyer", month, np.full(n_rows, float(household.rent)))
            simulation.set_input("statut_occupation_logement", month, np.array(["locataire_vide"] * n_rows))
            simulation.set_input("depcom", month, np.array([household.depcom.encode()] * n_rows))
        _apply_situation(simulation, household, first_adult, n_rows)

        for variable in INCOME_VARIABLES:
            matrix = np.zeros((n_rows, len(MONTHS)))
            for index, row in enumerate(rows):
                if variable in row:
                    matrix[index] = np.asarray(row[variable], dtype=float)
            if not matrix.any():
                continue
            for column, month in enumerate(MONTHS):
                values = np.zeros(n_rows * size)
                values[first_adult] = matrix[:, column]
                simulation.set_input(variable, month, values)

        famille = simulation.populations["famille"]
        out = {key: np.zeros((n_rows, len(months))) for key in OUTPUT_KEYS}
        for column, month in enumerate(months):  # chronological: later months reuse cached history

            def per_household(variable: str, month: str = month) -> np.ndarray:
                return famille.sum(simulation.calculate(variable, month))

            out["rsa"][:, column] = simulation.calculate("rsa", month)
            out["ppa"][:, column] = simulation.calculate("ppa", month)
            out["housing"][:, column] = simulation.calculate("aide_logement", month)
            out["family"][:, column] = sum(simulation.calculate(v, month) for v in ("af", "cf", "asf"))
            out["rsa_resources"][:, column] = simulation.calculate("rsa_base_ressources", month)
            out["aah"][:, column] = per_household("aah")
            out["gross"][:, column] = per_household("salaire_de_base")
            turnover = per_household("rpns_auto_entrepreneur_CA_bnc")
            micro_cash: np.ndarray | float = 0.0
            if turnover.any():
                # OpenFisca: revenus_net = bénéfice (CA - 34 %) - cotisations(CA), so cotisations =
                # bénéfice - revenus_net, and the cash kept is CA - cotisations.
                contributions = per_household("rpns_auto_entrepreneur_benefice") - per_household(
                    "rpns_auto_entrepreneur_revenus_net"
                )
                micro_cash = turnover - contributions
            out["pay"][:, column] = per_household("salaire_net") + micro_cash + per_household("gains_exceptionnels")
    return out


def _apply_situation(simulation: Simulation, household: Household, first_adult: np.ndarray, n_rows: int) -> None:
    """Turn the learner's « situation actuelle » into OpenFisca inputs (no rule is written here).

    * « RSA + aide au logement »: nothing forced, OpenFisca computes every right from the household.
    * « RSA »: the household receives no housing aid (not claimed or not eligible): ``aide_logement``
      is set to 0 for every month, so OpenFisca applies no forfait logement either.
    * « AAH »: the first adult has an incapacity rate of 80 %; housing aid is computed from the rent.
    * « aucune prestation »: RSA, housing aid and family benefits are set to 0 (not claimed);
      prime d'activité stays computed, as a right the offer may open.
    * pre-filled declaration: ``departement_experimentation_rsa`` is True, so OpenFisca's RSA and
      prime d'activité use months M-4..M-2 instead of M-3..M-1.
    * asylum seeker: every member has a non-EEA nationality and no residence permit, so
      OpenFisca's own residence conditions apply (ADA is not simulated: OpenFisca has no resource
      condition for it).
    """
    zeros = np.zeros(n_rows)
    for month in HISTORY_MONTHS:
        if household.situation == "RSA":
            simulation.set_input("aide_logement", month, zeros)
        elif household.situation == "aucune prestation":
            for variable in ("rsa", "aide_logement", "af", "cf", "asf"):
                simulation.set_input(variable, month, zeros)
        elif household.situation == "AAH":
            simulation.set_input("taux_incapacite", month, np.where(first_adult, AAH_INCAPACITY_RATE, 0.0))
        if household.prefilled_declaration:
            simulation.set_input("departement_experimentation_rsa", month, np.ones(n_rows, dtype=bool))
        if household.asylum_seeker:
            simulation.set_input("nationalite", month, np.array([NON_EEA_NATIONALITY.encode()] * len(first_adult)))
