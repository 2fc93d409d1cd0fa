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

import functools
import importlib.metadata
import importlib.util
import json
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .inputs import MONTHS, SIM_YEAR, Household, Offer, paid_months

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

#: What the RSA counts of the first adult's income in a month, before averaging (see :func:`run`).
RSA_INCOME_VARIABLES: tuple[str, ...] = ("salaire_net", "rpns_auto_entrepreneur_benefice", "gains_exceptionnels")

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
    "mva",
    "rsa_room",
    "rsa_income",
    "ppa_month",
)

#: OpenFisca's ``statut_occupation_logement`` for each housing code of :data:`~.inputs.HOUSING`.
#: A person hosted free of charge pays no share of the costs (``participation_frais`` False), so
#: OpenFisca applies the forfait logement; an owner pays no rent (no loan), likewise.
HOUSING_STATUS: dict[str, str] = {
    "locataire": "locataire_vide",
    "heberge": "loge_gratuitement",
    "proprietaire": "proprietaire",
}
#: Full AAH rate; between 50 % and 80 % OpenFisca also needs the « restriction substantielle et
#: durable pour l'accès à l'emploi » (RSDAE), which the simulator then assumes recognised.
AAH_FULL_RATE = 0.8
NON_EEA_NATIONALITY = "XX"  # any non-EEA code: used only to let OpenFisca apply its residence conditions
#: Incomes and benefits the simulated households do not have (no unemployment benefit, pension,
#: sick pay, capital income, student grant, ASS or ASI), given to OpenFisca as 0 instead of letting
#: it derive 0 through its formulas for every month of five years: the figures are the same (tests
#: compare with a direct computation) and a simulation takes about half the time. The page states
#: the assumption. More zeros are added when they cannot apply (see :func:`_absent`).
ABSENT: tuple[str, ...] = (
    "chomage_brut",
    "chomage_imposable",
    "chomage_net",
    "csg_deductible_chomage",
    "csg_imposable_chomage",
    "retraite_imposable",
    "retraite_nette",
    "indemnites_journalieres",
    "rsa_indemnites_journalieres_activite",
    "rsa_indemnites_journalieres_hors_activite",
    "revenus_capital",
    "boursier",
    "bourse_criteres_sociaux",
    "ass",
    "asi",
    "rente_accident_travail",
)
#: Months for which :data:`ABSENT` is given: OpenFisca looks back up to two years before the history.
ABSENT_MONTHS: tuple[str, ...] = tuple(f"{y}-{m:02d}" for y in range(SIM_YEAR - 4, SIM_YEAR + 1) for m in range(1, 13))

#: Benefits an asylum seeker cannot receive (minimum income, family benefits, housing aid): set to
#: 0 because OpenFisca does not check the residence condition of all of them (see explain.py notes).
ASYLUM_NO_RIGHTS: tuple[str, ...] = ("rsa", "ppa", "aide_logement", "af", "cf", "asf")

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


@functools.lru_cache(maxsize=64)
def rsa_base_amount(month: str) -> float:
    """The RSA's montant forfaitaire for one person in ``month`` (``rsa_m.montant_de_base_du_rsa``).

    Why: CASF R.262-13 neutralises « other resources » that stop (here a flat indemnity) only up to
    this amount per month; :mod:`.law` needs it for each month of the year.
    """
    params = tax_benefit_system().parameters(f"{month}-01").prestations_sociales.solidarite_insertion.minima_sociaux
    return float(params.rsa.rsa_m.montant_de_base_du_rsa)


@functools.lru_cache(maxsize=1)
def age_rules() -> dict[str, float]:
    """The age conditions the page explains, read from OpenFisca's parameters (January of the year).

    ``rsa_min_age``: RSA needs this age, or a child (``rsa_cond.age_pac``, the value OpenFisca's
    ``rsa_eligibilite`` uses; CASF L.262-4); ``rsa_young_hours``: hours of work over three years that
    open the « RSA jeune actif » below that age (CASF D.262-25-1); ``ppa_min_age``: prime d'activité
    from this age (CSS L.842-2).
    """
    minima = (
        tax_benefit_system().parameters(f"{SIM_YEAR}-01-01").prestations_sociales.solidarite_insertion.minima_sociaux
    )
    return {
        "rsa_min_age": float(minima.rsa.rsa_cond.age_pac),
        "rsa_young_hours": float(minima.rsa.rsa_cond.rsa_jeune_en_heure),
        "ppa_min_age": float(minima.ppa.pa_cond.age_min),
    }


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
    import pandas as pd  # its C reader: 36 000 rows in a few ms, where csv.DictReader took 0.17 s per kernel

    folder = _assets_dir()
    table = pd.read_csv(
        folder / "20110914_zonage.csv",
        usecols=["CODGEO", "LIBCOM_2014"],
        dtype=str,
        keep_default_na=False,
        encoding="utf-8",
    )
    names = dict(zip(table["CODGEO"], table["LIBCOM_2014"], strict=True))
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
    paid = paid_months(household, offer.with_hours(hours))
    if variable is None or not paid.any():
        return {}
    rates = np.full(12, float(offer.hourly_rate)) if offer.hourly_rate is not None else np.asarray(smic, dtype=float)
    return {variable: np.where(paid, hours * rates, 0.0)}


def adult_birth_date(age: int) -> str:
    """Born on 1 January: the age on 1 January of the simulated year stays the same all year."""
    return f"{SIM_YEAR - age}-01-01"


def child_birth_date(age: int) -> str:
    """Born on 1 July of the year before: ``age`` on 1 January, one more on 1 July of the simulated year."""
    return f"{SIM_YEAR - 1 - age}-07-01"


def _person_layout(household: Household) -> tuple[list[str], list[str], list[str], list[str]]:
    """Birth dates and roles of the members of ONE household, in the order persons are declared."""
    births = [adult_birth_date(household.age)]
    fam = ["demandeur"]
    foyer = ["declarant_principal"]
    menage = ["personne_de_reference"]
    if household.couple:
        births.append(adult_birth_date(household.partner_age))
        fam.append("conjoint")
        foyer.append("conjoint")
        menage.append("conjoint")
    for age in household.children:
        births.append(child_birth_date(age))
        fam.append("enfant")
        foyer.append("personne_a_charge")
        menage.append("enfant")
    return births, fam, foyer, menage


class Interrupted(Exception):
    """A run stopped early because ``should_stop()`` said so (a learner's click comes first)."""


def run(
    household: Household,
    rows: Sequence[IncomeRow],
    months: Sequence[str] = MONTHS,
    should_stop: Callable[[], bool] | None = None,
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
      kept to explain the lag;
    * ``mva``: the majoration pour la vie autonome OpenFisca pays with AAH (``caah``), reported in
      a note because the total does not include it;
    * ``rsa_room``: what the RSA would be, before its minimum payment, if the offer's income counted
      for nothing that month: OpenFisca's montant forfaitaire (``rsa_socle``, or ``rsa_socle_majore``
      when higher) minus its forfait logement and the household's other resources (AAH, family
      benefits…). The identity ``rsa = max(0, rsa_room - counted)`` (0 under the minimum payment)
      holds with OpenFisca's own ``counted``; :mod:`.law` uses it with the resources the texts count;
    * ``rsa_income``: the first adult's income of the month as the RSA counts it, before any
      averaging (``salaire_net``, ``rpns_auto_entrepreneur_benefice``, ``gains_exceptionnels``);
    * ``ppa_month``: the prime d'activité computed on that month's resources alone (``ppa_fictive``,
      0 when the prime d'activité is set to 0): CSS R.843-1 averages it over the reference months.

    The household's description shapes the inputs (see :func:`_describe`). ``should_stop`` is
    asked before each month: a background run then gives way within a fraction of a second by
    raising :class:`Interrupted`.
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
    if should_stop is not None and should_stop():
        raise Interrupted("start")
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
        forced = _describe(simulation, household, first_adult, n_rows)

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
            if should_stop is not None and should_stop():
                raise Interrupted(month)

            def per_household(variable: str, month: str = month) -> np.ndarray:
                return famille.sum(simulation.calculate(variable, month))

            out["rsa"][:, column] = simulation.calculate("rsa", month)
            out["ppa"][:, column] = simulation.calculate("ppa", month)
            out["housing"][:, column] = simulation.calculate("aide_logement", month)
            out["family"][:, column] = sum(simulation.calculate(v, month) for v in ("af", "cf", "asf"))
            out["rsa_resources"][:, column] = simulation.calculate("rsa_base_ressources", month)
            out["rsa_room"][:, column] = _rsa_room(simulation, month, first_adult, "rsa" in forced)
            out["rsa_income"][:, column] = sum(
                simulation.calculate(name, month)[first_adult] for name in RSA_INCOME_VARIABLES
            )
            if "ppa" not in forced:
                out["ppa_month"][:, column] = simulation.calculate("ppa_fictive", month)
            out["aah"][:, column] = per_household("aah")
            out["mva"][:, column] = per_household("caah")
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


def _rsa_room(simulation: Simulation, month: str, first_adult: np.ndarray, forced_to_zero: bool) -> np.ndarray:
    """Per household: the RSA before its minimum payment if the first adult's income counted for nothing.

    Read from the variables OpenFisca's ``rsa_montant`` adds up (openfisca-france 176.1.8:
    ``max(rsa_socle, rsa_socle_majore) - rsa_forfait_logement - rsa_base_ressources``), with the
    first adult's own resources (``rsa_revenu_activite_individu`` + ``rsa_base_ressources_individu``:
    the offer's income, averaged and neutralised OpenFisca's way) given back. A household whose RSA
    is set to 0 (asylum claim, no benefit asked for) has no room at all.
    """
    if forced_to_zero:
        return np.zeros(int(first_adult.sum()))
    montant = np.maximum(simulation.calculate("rsa_socle", month), simulation.calculate("rsa_socle_majore", month))
    others = simulation.calculate("rsa_forfait_logement", month) + simulation.calculate("rsa_base_ressources", month)
    own = (
        simulation.calculate("rsa_revenu_activite_individu", month)
        + simulation.calculate("rsa_base_ressources_individu", month)
    )[first_adult]
    return montant - others + own


def _describe(simulation: Simulation, household: Household, first_adult: np.ndarray, n_rows: int) -> set[str]:
    """Turn the household into OpenFisca inputs for every month of the history (no rule is written here).

    * housing: ``statut_occupation_logement`` from :data:`HOUSING_STATUS`, ``loyer`` (0 unless
      tenant) and ``depcom``; OpenFisca then applies the forfait logement to a person hosted free of
      charge or an owner, and gives housing aid to tenants only;
    * claims: ``sans_aide_logement`` sets ``aide_logement`` to 0 (so no forfait logement for it
      either); ``aucune`` sets RSA, housing aid and family benefits to 0 (prime d'activité stays
      computed, as a right the offer may open);
    * AAH: the first adult's ``taux_incapacite``; below 80 %, the RSDAE is assumed recognised;
    * pre-filled declaration: ``departement_experimentation_rsa`` is True, so OpenFisca's RSA and
      prime d'activité use months M-4..M-2 instead of M-3..M-1;
    * asylum seeker: every member has a non-EEA nationality and no residence permit (OpenFisca's
      own residence conditions), and the benefits of :data:`ASYLUM_NO_RIGHTS` are 0.

    Returns the benefits set to 0 (claims, asylum).
    """
    zeros = np.zeros(n_rows)
    persons = len(first_adult)
    rent = np.full(n_rows, float(household.rent) if household.housing == "locataire" else 0.0)
    status = np.array([HOUSING_STATUS[household.housing]] * n_rows)
    depcom = np.array([household.depcom.encode()] * n_rows)
    forced: set[str] = set()
    if household.claims == "sans_aide_logement":
        forced.add("aide_logement")
    elif household.claims == "aucune":
        forced.update(("rsa", "aide_logement", "af", "cf", "asf"))
    if household.asylum_seeker:
        forced.update(ASYLUM_NO_RIGHTS)
    _absent(simulation, household)
    rate = household.aah_incapacity_rate
    for month in HISTORY_MONTHS:
        simulation.set_input("loyer", month, rent)
        simulation.set_input("statut_occupation_logement", month, status)
        simulation.set_input("depcom", month, depcom)
        for variable in sorted(forced):
            simulation.set_input(variable, month, zeros)
        if rate is not None:
            simulation.set_input("taux_incapacite", month, np.where(first_adult, float(rate), 0.0))
            if rate < AAH_FULL_RATE:
                simulation.set_input("aah_restriction_substantielle_durable_acces_emploi", month, first_adult.copy())
        if household.prefilled_declaration:
            simulation.set_input("departement_experimentation_rsa", month, np.ones(n_rows, dtype=bool))
        if household.asylum_seeker:
            simulation.set_input("nationalite", month, np.array([NON_EEA_NATIONALITY.encode()] * persons))
    return forced


@functools.lru_cache(maxsize=1)
def _old_age_threshold() -> int:
    """Youngest age at which OpenFisca may pay the ASPA: the legal retirement age with a disability
    (``aah.age_legal_retraite``), else ``aspa.age_min``."""
    params = tax_benefit_system().parameters(f"{SIM_YEAR}-01-01").prestations_sociales
    return int(
        min(
            float(params.prestations_etat_de_sante.invalidite.aah.age_legal_retraite),
            float(params.solidarite_insertion.minimum_vieillesse.aspa.age_min),
        )
    )


def _absent(simulation: Simulation, household: Household) -> None:
    """Give OpenFisca the zeros of :data:`ABSENT`, and of what cannot apply to this household: ASPA
    below its ages, AAH and its complements without an incapacity rate, dependent children when
    there is no child."""
    tbs = tax_benefit_system()
    names = list(ABSENT)
    if max(household.adult_ages) < _old_age_threshold():
        names.append("aspa")
    if household.aah_incapacity_rate is None:
        # no incapacity rate: no AAH, nor its complements (OpenFisca would find 0 month after month)
        names += ["aah", "aah_base", "caah", "mva"]
    if not household.children:
        names.append("rsa_enfant_a_charge")  # nobody in the family can be a dependent child
    for name in names:
        variable = tbs.variables[name]
        zeros = np.zeros(simulation.populations[variable.entity.key].count, dtype=variable.dtype)
        for month in ABSENT_MONTHS:
            simulation.set_input(name, month, zeros)
