"""Chapter 4's simulated example: its table and the figures its prose quotes, computed when the book is built.

Why: an amount the simulator computes, typed by hand in a chapter, goes stale at the next revaluation
(and was once taught from an OpenFisca simplification). The chapter calls :func:`show` once; the table
is drawn, and each figure of :func:`figures` is glued (MyST-NB) so that the prose reads it with the
``{glue:text}`` role. The household is the simulator's default one, the offer a case type of
``data/remuneration/profils.yml`` (``trois_mois``): the same case a trainer can open on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from widgets.fr import format_euros, format_hours

from .content import Profile, load_profiles
from .explain import MONTH_LABELS_FR, months_phrase
from .figures import SIMULATOR
from .inputs import MONTHS, Offer, Scenario, paid_months
from .model import OfferResult, Result

#: The case type of data/remuneration/profils.yml that chapter 4 explains.
CHAPTER_PROFILE = "trois_mois"
#: The one-off payment the chapter compares (salary or flat indemnity): hours at the SMIC in this month.
ONE_OFF_HOURS, ONE_OFF_MONTH = 63.0, 3
#: Columns of the chapter's table: what the prose explains.
TABLE_COLUMNS = {"pay": "Salaire net", "rsa": "RSA", "ppa": "Prime d'activité", "housing": "Aide au logement"}


@dataclass(frozen=True)
class Example:
    """The example under the texts' rules, the same case with OpenFisca as it is, and its figures in French."""

    profile: Profile
    result: Result
    openfisca: Result
    figures: dict[str, str]

    @property
    def offer(self) -> OfferResult:
        return self.result.offers[0]


def _euros(value: float) -> str:
    """Whole euros when there are no cents (« 304 € »), else to the cent (« 190,34 € »)."""
    return format_euros(value, 0 if abs(value - round(value)) < 0.005 else 2)


def figures(example: Result, as_is: Result, profile: Profile) -> dict[str, str]:
    """Every amount the chapter's prose quotes, named ``exemple_…``, from the simulator's results.

    ``as_is`` is the same case with OpenFisca's own rules: the prose says what they would give the
    month after the first month without pay (OpenFisca counts the pay again; the texts do not).
    """
    offer, base = example.offers[0], example.baseline
    household = example.scenario.household
    paid = [i for i, flag in enumerate(paid_months(household, profile.offer)) if flag]
    first, after, later = MONTHS[paid[0]], MONTHS[paid[-1] + 1], MONTHS[paid[-1] + 2]
    april = MONTHS[3]
    with_ppa = [m for m in MONTHS if float(offer.with_offer["ppa"].loc[m]) > 0.005]
    return {
        "exemple_loyer": _euros(household.rent),
        "exemple_heures": format_hours(profile.offer.hours_per_month),
        "exemple_mois": months_phrase(paid),
        "exemple_paie": _euros(float(offer.with_offer["pay"].loc[first])),
        "exemple_rsa_janvier": _euros(float(base["rsa"].loc[MONTHS[0]])),
        "exemple_rsa_avril_sans": _euros(float(base["rsa"].loc[april])),
        "exemple_rsa_avril": _euros(float(offer.with_offer["rsa"].loc[april])),
        "exemple_baisse_avril": _euros(-float(offer.difference["rsa"].loc[april])),
        "exemple_premier_mois_sans_paie": MONTH_LABELS_FR[after].split()[0],
        "exemple_aide_logement": _euros(float(base["housing"].loc[MONTHS[0]])),
        "exemple_paie_totale": _euros(float(offer.difference["pay"].sum())),
        "exemple_rsa_perdu": _euros(-float(offer.difference["rsa"].sum())),
        "exemple_ppa_totale": _euros(float(offer.difference["ppa"].sum())),
        "exemple_ppa_debut": MONTH_LABELS_FR[with_ppa[0]].split()[0] if with_ppa else "",
        "exemple_ppa_fin": MONTH_LABELS_FR[with_ppa[-1]] if with_ppa else "",
        "exemple_gain": _euros(offer.yearly_gain),
        "exemple_openfisca_mois": MONTH_LABELS_FR[later].split()[0],
        "exemple_openfisca_rsa": _euros(float(as_is.offers[0].with_offer["rsa"].loc[later])),
        "exemple_textes_rsa": _euros(float(offer.with_offer["rsa"].loc[later])),
    }


def one_off(profile: Profile) -> dict[str, str]:
    """One month of pay, as a salary, then the same net amount as a flat indemnity (``défraiement``),
    on the chapter's household: what the person keeps over the year, under the texts' rules."""
    household = profile.household()
    salary = SIMULATOR.simulate(Scenario(household, (Offer("salaire", ONE_OFF_HOURS, None, ONE_OFF_MONTH, 1),)), False)
    month = MONTHS[ONE_OFF_MONTH - 1]
    pay = round(float(salary.offers[0].with_offer["pay"].loc[month]), 2)
    rate = pay / ONE_OFF_HOURS  # the same hours, paid the same net amount as a flat indemnity
    indemnity = SIMULATOR.simulate(
        Scenario(household, (Offer("defraiement", ONE_OFF_HOURS, rate, ONE_OFF_MONTH, 1),)), False
    )
    return {
        "exemple_ponctuel_mois": MONTH_LABELS_FR[month].split()[0],
        "exemple_ponctuel_paie": _euros(pay),
        "exemple_ponctuel_gain_salaire": _euros(salary.offers[0].yearly_gain),
        "exemple_ponctuel_ppa": _euros(float(salary.offers[0].difference["ppa"].sum())),
        "exemple_ponctuel_ppa_debut": next(
            (MONTH_LABELS_FR[m].split()[0] for m in MONTHS if float(salary.offers[0].with_offer["ppa"].loc[m]) > 0.005),
            "",
        ),
        "exemple_ponctuel_gain_indemnite": _euros(indemnity.offers[0].yearly_gain),
    }


def example(profile_id: str = CHAPTER_PROFILE) -> Example:
    """The chapter's example, simulated under the texts' rules and with OpenFisca as it is."""
    profile = next(p for p in load_profiles() if p.id == profile_id)
    scenario = profile.scenario()
    result = SIMULATOR.simulate(scenario, complete=False)
    as_is = SIMULATOR.simulate(Scenario(scenario.household, scenario.offers, rules="openfisca"), complete=False)
    return Example(profile, result, as_is, figures(result, as_is, profile) | one_off(profile))


def table(example: Example) -> pd.DataFrame:
    """Month by month, the columns of :data:`TABLE_COLUMNS`, as French amounts."""
    frame = example.offer.with_offer[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS)
    frame.index = [MONTH_LABELS_FR[m].split()[0].capitalize() for m in frame.index]
    return frame.map(lambda value: format_euros(value).removesuffix("\u00a0€")).reset_index(names="2026")


def show(profile_id: str = CHAPTER_PROFILE) -> None:
    """Draw the chapter's table and glue its figures (``{glue:text}`exemple_…```) for the prose."""
    from IPython.display import display
    from myst_nb import glue

    from widgets.ui import html_table

    shown = example(profile_id)
    display(html_table(table(shown), "Exemple calculé par le simulateur du cours, en euros par mois"))
    for name, value in shown.figures.items():
        glue(name, value, display=False)
