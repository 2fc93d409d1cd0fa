"""New kinds of households, each pinned against a direct OpenFisca-France computation written here.

Why: the simulator must describe the people this sector meets — a couple with children, a single
parent, AAH with part-time pay, a person hosted free of charge, someone under 25, an owner, an
asylum seeker — and every figure must be OpenFisca's. The reference below does not use the
simulator's adapter: it writes the situation the way OpenFisca's documentation does (a dictionary
of entities built with ``SimulationBuilder.build_from_entities``), from the conventions the page
states (ages on 1 January, no income in the two previous years, the same home for 24 months, the
pre-filled declaration window), and compares every column, every month, to the cent. The simulator
runs with ``rules="openfisca"`` here (the case-file key ``regles: openfisca``): its default rules read
the RSA and the prime d'activité through the texts (quarters, CASF R.262-13) and differ from
OpenFisca on purpose; they are checked against the texts in test_remuneration_textes.py.

The disk cache is disabled so that every figure is computed in this process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from widgets.remuneration import cache, model
from widgets.remuneration import openfisca_adapter as adapter
from widgets.remuneration.inputs import Household, Offer, Scenario

CENT = 0.005
YEAR = 2026
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
HISTORY = [f"{y}-{m:02d}" for y in (YEAR - 2, YEAR - 1, YEAR) for m in range(1, 13)]
STATUS = {"locataire": "locataire_vide", "heberge": "loge_gratuitement", "proprietaire": "proprietaire"}
VARIABLE = {"salaire": "salaire_de_base", "cea": "salaire_de_base", "defraiement": "gains_exceptionnels"}


@pytest.fixture(scope="module", autouse=True)
def _no_disk_cache():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAIRE_AVEC_CACHE", "")
        cache.clear_memory()
        yield
    cache.clear_memory()


@dataclass
class Case:
    """A household as a trainer would describe it, and one offer."""

    name: str
    household: Household
    offer: Offer
    expect: dict[str, object] = field(default_factory=dict)


CASES = [
    Case(
        "couple with two children in Villeurbanne",
        Household(couple=True, age=34, partner_age=31, children=(5, 9), rent=700.0, depcom="69266", commune=""),
        Offer("salaire", 60, None, 3, 6),
    ),
    Case(
        "single parent in Grenoble",
        Household(age=29, children=(7,), rent=520.0, depcom="38185", commune="Grenoble"),
        Offer("cea", 40, 13.5, 2, 10),
    ),
    Case(
        "AAH with part-time pay",
        Household(age=45, aah_incapacity_rate=0.8, rent=450.0),
        Offer("salaire", 75.83, None, 4, 9),
    ),
    Case(
        "person hosted free of charge",
        Household(age=40, housing="heberge", rent=0.0, depcom="69123"),
        Offer("defraiement", 4, 15.0, 1, 12),
    ),
    Case(
        "22-year-old without a child",
        Household(age=22, rent=400.0, depcom="42218", commune="Saint-Étienne"),
        Offer("salaire", 80, None, 1, 12),
    ),
    Case(
        "owner with a child, old declaration window",
        Household(age=50, children=(12,), housing="proprietaire", rent=0.0, prefilled_declaration=False),
        Offer("salaire", 50, 14.0, 5, 4),
    ),
    Case(
        "asylum seeker couple in a CADA, claim made 3 months ago",
        Household(
            couple=True,
            age=30,
            partner_age=27,
            children=(4,),
            housing="heberge",
            rent=0.0,
            asylum_seeker=True,
            asylum_months_at_start=3,
        ),
        Offer("salaire", 60, None, 1, 12),
    ),
]


def _direct(case: Case) -> dict[str, np.ndarray]:
    """Two households in one OpenFisca simulation (without and with the offer): the reference."""
    from openfisca_core.simulation_builder import SimulationBuilder

    tbs = adapter.tax_benefit_system()
    h, offer = case.household, case.offer
    smic = [float(tbs.parameters(f"{m}-01").marche_travail.salaire_minimum.smic.smic_b_horaire) for m in MONTHS]
    # OpenFisca's situation: entity → id → variable → period → value
    persons: dict[str, dict[str, dict[str, object]]] = {}
    families: dict[str, object] = {}
    tax_units: dict[str, object] = {}
    homes: dict[str, object] = {}
    for n, with_offer in enumerate((False, True)):
        adults = [f"adult{n}_{i}" for i in range(2 if h.couple else 1)]
        kids = [f"child{n}_{i}" for i in range(len(h.children))]
        for pid, age in zip(adults, (h.age, h.partner_age), strict=False):
            persons[pid] = {"date_naissance": {"ETERNITY": f"{YEAR - age}-01-01"}}
        for pid, age in zip(kids, h.children, strict=True):
            persons[pid] = {"date_naissance": {"ETERNITY": f"{YEAR - 1 - age}-07-01"}}
        if h.aah_incapacity_rate is not None:
            persons[adults[0]]["taux_incapacite"] = {m: h.aah_incapacity_rate for m in HISTORY}
        if h.asylum_seeker:
            for pid in adults + kids:
                persons[pid]["nationalite"] = {m: "XX" for m in HISTORY}
        if with_offer:
            amounts: dict[str, object] = {}
            for index, month in enumerate(MONTHS):
                months_since_claim = h.asylum_months_at_start + index
                covered = offer.start_month <= index + 1 < offer.start_month + offer.duration_months
                allowed = not h.asylum_seeker or months_since_claim >= 6
                rate = offer.hourly_rate if offer.hourly_rate is not None else smic[index]
                amounts[month] = offer.hours_per_month * rate if covered and allowed else 0.0
            persons[adults[0]][VARIABLE[offer.form]] = amounts
        family: dict[str, object] = {
            "parents": adults,
            "enfants": kids,
            "departement_experimentation_rsa": {m: h.prefilled_declaration for m in HISTORY},
        }
        if h.asylum_seeker:  # no minimum income, housing aid nor family benefits while the claim is examined
            for variable in ("rsa", "ppa", "aide_logement", "af", "cf", "asf"):
                family[variable] = {m: 0 for m in HISTORY}
        families[f"family{n}"] = family
        tax_units[f"tax{n}"] = {"declarants": adults, "personnes_a_charge": kids}
        homes[f"home{n}"] = {
            "personne_de_reference": adults[:1],
            "conjoint": adults[1:],
            "enfants": kids,
            "loyer": {m: h.rent for m in HISTORY},
            "statut_occupation_logement": {m: STATUS[h.housing] for m in HISTORY},
            "depcom": {m: h.depcom for m in HISTORY},
        }
    situation = {"individus": persons, "familles": families, "foyers_fiscaux": tax_units, "menages": homes}
    simulation = SimulationBuilder().build_from_entities(tbs, situation)
    famille = simulation.populations["famille"]
    out = {name: np.zeros((2, 12)) for name in ("pay", "rsa", "ppa", "housing", "aah", "family")}
    for column, month in enumerate(MONTHS):
        out["rsa"][:, column] = simulation.calculate("rsa", month)
        out["ppa"][:, column] = simulation.calculate("ppa", month)
        out["housing"][:, column] = simulation.calculate("aide_logement", month)
        out["family"][:, column] = sum(simulation.calculate(v, month) for v in ("af", "cf", "asf"))
        out["aah"][:, column] = famille.sum(simulation.calculate("aah", month))
        out["pay"][:, column] = famille.sum(
            simulation.calculate("salaire_net", month) + simulation.calculate("gains_exceptionnels", month)
        )
    return out


@pytest.fixture(scope="module")
def results():
    cases = {
        case.name: (model.simulate(Scenario(case.household, (case.offer,), rules="openfisca")), _direct(case))
        for case in CASES
    }
    return cases


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_column_matches_a_direct_openfisca_computation(case: Case, results) -> None:
    result, direct = results[case.name]
    for row, frame in ((0, result.baseline), (1, result.offers[0].with_offer)):
        for column in ("pay", "rsa", "ppa", "housing", "aah", "family"):
            expected = np.round(direct[column][row], 2)
            got = frame[column].to_numpy()
            assert np.allclose(got, expected, atol=CENT), f"{case.name}, {column}, row {row}: {got} != {expected}"
        total = frame[["pay", "rsa", "ppa", "housing", "aah", "family"]].sum(axis=1).round(2)
        assert np.allclose(frame["total"], total, atol=CENT)


def _openfisca_counted(household: Household, income: np.ndarray, other: bool, base: np.ndarray) -> np.ndarray:
    """The offer's income OpenFisca's RSA counts (openfisca-france 176.1.8, rsa.py), rewritten here
    from its formulas: the average of months M-3..M-1 (M-4..M-2 pre-filled); pay that stops in M
    (nothing in M, something in M-1) counts 0 that month; a flat indemnity (``other``: an « other
    resource ») is lowered by three montants forfaitaires ``base`` instead."""
    first, last = (4, 2) if household.prefilled_declaration else (3, 1)
    padded = np.concatenate([np.zeros((income.shape[0], 6)), income], axis=1)
    counted = np.zeros_like(income)
    for m in range(12):
        total = padded[:, 6 + m - first : 6 + m - last + 1].sum(axis=1)
        stopped = (padded[:, 6 + m] == 0) & (padded[:, 6 + m - 1] > 0)
        kept = np.maximum(0.0, total - 3 * base[m] * stopped) if other else np.where(stopped, 0.0, total)
        counted[:, m] = kept / 3
    return counted


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_rsa_room_rebuilds_openfiscas_rsa(case: Case, results) -> None:
    """``rsa_room`` is what the RSA would be if the offer's income counted for nothing; with OpenFisca's
    own counting it must give OpenFisca's RSA back, at every hour level of the slider (the texts' rules
    rest on this identity)."""
    grid = cache.grid_for(case.household, case.offer)
    constants = cache.constants()
    floor = np.array([payment["rsa"] for payment in constants.minimum_payments])
    other = case.offer.form == "defraiement"
    counted = _openfisca_counted(case.household, grid.data["rsa_income"], other, np.array(constants.rsa_base))
    rebuilt = np.maximum(0.0, grid.data["rsa_room"] - counted)
    rebuilt = np.where(rebuilt >= floor - 1e-9, rebuilt, 0.0)
    assert np.allclose(rebuilt, grid.data["rsa"], atol=1e-6), case.name


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_monthly_primes_rebuild_openfiscas_prime_d_activite(case: Case, results) -> None:
    """``ppa_month`` is OpenFisca's prime for one month's resources (``ppa_fictive``); its ``ppa`` is
    their average over the window, under the minimum payment 0, and 0 when nobody had activity income
    in months M-1..M-3 (its eligibility test, which the texts' rules do not use: see law.py)."""
    grid = cache.grid_for(case.household, case.offer)
    if case.household.asylum_seeker:
        assert not grid.data["ppa_month"].any()  # no prime d'activité during the claim
        return
    floor = np.array([payment["ppa"] for payment in cache.constants().minimum_payments])
    first, last = (4, 2) if case.household.prefilled_declaration else (3, 1)
    padded = np.concatenate([np.zeros((len(grid.levels), 6)), grid.data["ppa_month"]], axis=1)
    income = np.concatenate([np.zeros((len(grid.levels), 6)), grid.data["rsa_income"]], axis=1)
    for m in range(12):
        average = padded[:, 6 + m - first : 6 + m - last + 1].mean(axis=1)
        eligible = income[:, 6 + m - 3 : 6 + m].sum(axis=1) > 0
        rebuilt = np.where((average >= floor[m] - 1e-9) & eligible, average, 0.0)
        assert np.allclose(rebuilt, grid.data["ppa"][:, m], atol=1e-6), (case.name, m)


def test_the_cases_cover_what_they_claim(results) -> None:
    """Guard against a reference that agrees because both sides compute nothing."""
    couple, _ = results["couple with two children in Villeurbanne"]
    assert (couple.baseline["family"] > 100).all()  # allocations familiales for 2 children
    assert (couple.baseline["housing"] > 0).all() and (couple.baseline["rsa"] > 0).all()
    parent, _ = results["single parent in Grenoble"]
    assert (parent.baseline["family"] > 0).all()  # ASF
    aah, _ = results["AAH with part-time pay"]
    assert aah.baseline["aah"].min() > 1000 and aah.offers[0].with_offer.loc["2026-10", "aah"] < 1000
    assert any("majoration pour la vie autonome" in note for note in aah.notes)
    hosted, _ = results["person hosted free of charge"]
    assert (hosted.baseline["housing"] == 0).all()
    young, _ = results["22-year-old without a child"]
    assert (young.baseline["rsa"] == 0).all() and young.offers[0].with_offer["ppa"].max() > 100
    asylum, _ = results["asylum seeker couple in a CADA, claim made 3 months ago"]
    frame = asylum.offers[0].with_offer
    assert (frame[["rsa", "ppa", "housing", "family"]] == 0).all().all()
    assert (frame.loc[:"2026-03", "pay"] == 0).all() and (frame.loc["2026-04":, "pay"] > 0).all()


def test_hosted_free_of_charge_rsa_is_the_base_amount_minus_the_forfait_logement(results) -> None:
    """Forfait logement for one person = 12 % of the base amount (CASF R.262-9/R.262-10): 646,52 × 0,88
    then 651,69 × 0,88 from April 2026 (amounts: bibliography entry montants-2025-fo66); no housing aid."""
    hosted, _ = results["person hosted free of charge"]
    rsa = hosted.baseline["rsa"]
    assert rsa["2026-01"] == pytest.approx(round(646.52 * 0.88, 2), abs=CENT)
    assert rsa["2026-05"] == pytest.approx(round(651.69 * 0.88, 2), abs=CENT)
    assert any("forfait logement" in note for note in hosted.notes)
    assert any("R.262-9" in text for text in hosted.further)  # the article, apart from the plain note


def test_under_25_without_a_child_the_page_says_why_there_is_no_rsa(results) -> None:
    young, _ = results["22-year-old without a child"]
    note = next(note for note in young.notes if "Moins de 25 ans" in note)
    assert "pas de RSA" in note and "dès 18 ans" in note and "3\u202f214 heures" in note
    assert not any("L.262-4" in n for n in young.notes) and any("L.262-4" in t for t in young.further)
    # the reason comes first in the plain story of the lag, never « le RSA ne change pas »
    story = young.offers[0].story
    assert story[0] == "Pas de RSA pour ce foyer, avec ou sans l'offre : moins de 25 ans et sans enfant."
    assert not any("RSA ne change pas" in sentence for sentence in story)


def test_owner_gets_the_forfait_logement_and_no_housing_aid(results) -> None:
    owner, _ = results["owner with a child, old declaration window"]
    assert (owner.baseline["housing"] == 0).all()
    assert any("propriétaire sans emprunt" in note for note in owner.notes)
    assert any("les trois mois juste avant" in note and "avant mars 2025" in note for note in owner.notes)


def test_asylum_seeker_note_names_what_is_not_simulated(results) -> None:
    asylum, _ = results["asylum seeker couple in a CADA, claim made 3 months ago"]
    note = next(note for note in asylum.notes if note.startswith("Demande d'asile"))
    assert "CADA" in note and "ADA" in note and "Comede" in note
    # no note speaks of an RSA that is zero: no forfait logement sentence for this household
    assert not any("forfait logement" in n for n in asylum.notes)
    assert asylum.offers[0].story[0].startswith("Pas de RSA pour ce foyer, avec ou sans l'offre : pendant une demande")


def test_first_figures_equal_the_full_grids_figures() -> None:
    """The quick path (only the asked hours) gives the same figures as the slider's full grid."""
    household, offer = (
        Household(age=33, children=(3,), rent=587.0, depcom="63113", commune=""),
        Offer("cea", 55, 12.5, 2, 7),
    )
    quick = model.simulate(Scenario(household, (offer,)), complete=False)
    assert not quick.complete and quick.offers[0].explained_cases == ()
    full = model.simulate(Scenario(household, (offer,)))
    assert full.complete
    assert quick.baseline.equals(full.baseline)
    assert quick.offers[0].with_offer.equals(full.offers[0].with_offer)
    assert quick.offers[0].after_job == full.offers[0].after_job and quick.notes == full.notes
