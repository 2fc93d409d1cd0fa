"""``python -m widgets.remuneration CAS.yml [--csv]``: one case, month by month, for a maintainer or a trainer.

Why a command: after each revaluation (April: RSA, prime d'activité, AAH; October: housing aid) a
maintainer checks a few households against the official simulators, and a reviewer checks the
simulator against their own OpenFisca scripts. The same figures as the page, without a browser.

The case file (YAML, keys in French as in docs/simulateur.md)::

    foyer:
      en_couple: false          # true: also age_conjoint
      age: 37                   # age on 1 January of the simulated year
      enfants: [5, 9]           # ages on 1 January; [] if none
      logement: locataire       # locataire | heberge | proprietaire
      loyer: 650                # euros per month, tenants only
      commune: "69266"          # INSEE code
      aah_taux_incapacite: 0.8  # optional: AAH
      demandeur_asile: false    # optional
      declaration_preremplie: true      # optional: months M-4..M-2 (default) or M-3..M-1
      mois_declaration: 1               # optional: first quarterly declaration in month 1, 2 or 3
      anciennete_demande_asile: 0       # optional: months since the asylum claim on 1 January
    regles: textes              # optional: textes (default: quarters, CASF R.262-13) | openfisca (as is)
    offres:                     # one or two
      - forme: salaire          # salaire | cea | micro_bnc | defraiement | benevolat
        heures_par_mois: 86.67
        taux_horaire_brut: smic # or a number of euros
        debut: 3                # month 1–12
        duree: 6                # months

A bad file gives a French message naming the key, on standard error, and exit code 2; never a
traceback. ``--csv`` prints ``scenario,mois,paie,rsa,prime_activite,aide_logement,aah,
prestations_familiales,total`` with amounts in euros and a dot.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from widgets.errors import InputError
from widgets.fr import format_date, format_euros, format_number, parse_number

from .inputs import DEFAULT_RULES, FORMS, HOUSING, MONTHS, RULES, SIM_YEAR, Household, Offer, Scenario, split_field

CSV_COLUMNS = (
    "scenario",
    "mois",
    "paie",
    "rsa",
    "prime_activite",
    "aide_logement",
    "aah",
    "prestations_familiales",
    "total",
)
#: CSV column -> the model's column.
CSV_SOURCE = {
    "paie": "pay",
    "rsa": "rsa",
    "prime_activite": "ppa",
    "aide_logement": "housing",
    "aah": "aah",
    "prestations_familiales": "family",
    "total": "total",
}
TABLE_HEADINGS = (
    ("Mois", None),
    ("Paie nette", "pay"),
    ("RSA", "rsa"),
    ("Prime d'activité", "ppa"),
    ("Aide logement", "housing"),
    ("AAH", "aah"),
    ("Prest. familiales", "family"),
    ("Total", "total"),
)
HOUSEHOLD_KEYS = {
    "en_couple": "couple",
    "age": "age",
    "age_conjoint": "partner_age",
    "enfants": "children",
    "logement": "housing",
    "loyer": "rent",
    "commune": "depcom",
    "aah_taux_incapacite": "aah_incapacity_rate",
    "demandeur_asile": "asylum_seeker",
    "declaration_preremplie": "prefilled_declaration",
    "anciennete_demande_asile": "asylum_months_at_start",
}
#: Keys of ``foyer:`` that are not household fields but scenario fields (they change how the RSA
#: and the prime d'activité are read, not what OpenFisca computes).
SCENARIO_HOUSEHOLD_KEYS = {"mois_declaration": "declaration_month"}
OFFER_KEYS = {
    "forme": "form",
    "heures_par_mois": "hours_per_month",
    "taux_horaire_brut": "hourly_rate",
    "debut": "start_month",
    "duree": "duration_months",
}
EXIT_BAD_INPUT = 2


class CaseError(Exception):
    """A case file that cannot be read; the message is French and names the key."""


# --------------------------------------------------------------------------- reading the case
def _where(key: str, offer: int | None = None) -> str:
    return f"offres[{offer + 1}].{key}" if offer is not None else f"foyer.{key}"


def _fail(key: str, message: str, offer: int | None = None) -> NoReturn:
    raise CaseError(f"{_where(key, offer)} : {message}")


def _boolean(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        _fail(key, f"« {value} » n'est pas permis : écrivez true (oui) ou false (non).")
    return value


def _number(value: Any, key: str, offer: int | None = None) -> float:
    if isinstance(value, bool) or value is None:
        _fail(key, f"« {value} » n'est pas un nombre.", offer)
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return parse_number(str(value), _where(key, offer))
    except ValueError:
        _fail(key, f"« {value} » n'est pas un nombre.", offer)


def _whole(value: Any, key: str, offer: int | None = None) -> int:
    number = _number(value, key, offer)
    if number != int(number):
        _fail(key, f"« {value} » n'est pas un nombre entier.", offer)
    return int(number)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CaseError(f"{where} : une liste de clés « nom: valeur » est attendue ici.")
    return value


def _unknown(found: dict[str, Any], allowed: Sequence[str], where: str) -> None:
    for key in found:
        if key not in allowed:
            raise CaseError(f"{where}.{key} : clé inconnue. Clés possibles : {', '.join(allowed)}.")


def _required(found: dict[str, Any], key: str, where: str, why: str = "") -> Any:
    if key not in found or found[key] is None:
        raise CaseError(f"{where}.{key} : cette clé manque{why}.")
    return found[key]


def read_household(raw: Any) -> Household:
    """The ``foyer:`` mapping as a :class:`Household` (shape and types; the model checks the rest)."""
    foyer = _mapping(raw, "foyer")
    _unknown(foyer, (*HOUSEHOLD_KEYS, *SCENARIO_HOUSEHOLD_KEYS), "foyer")
    couple = _boolean(foyer.get("en_couple", False), "en_couple")
    age = _whole(_required(foyer, "age", "foyer"), "age")
    partner_age = (
        _whole(_required(foyer, "age_conjoint", "foyer", " (en_couple: true)"), "age_conjoint") if couple else age
    )
    children_raw = foyer.get("enfants", [])
    if children_raw is None:
        children_raw = []
    if not isinstance(children_raw, list):
        _fail("enfants", "une liste d'âges est attendue, par exemple [5, 9], ou [] sans enfant.")
    children = tuple(_whole(value, "enfants") for value in children_raw)
    housing = _required(foyer, "logement", "foyer")
    if housing not in HOUSING:
        _fail("logement", f"« {housing} » n'est pas permis. Valeurs possibles : {', '.join(HOUSING)}.")
    if housing == "locataire":
        rent = _number(_required(foyer, "loyer", "foyer", " (un locataire paie un loyer)"), "loyer")
    else:
        rent = _number(foyer.get("loyer") or 0, "loyer")
        if rent != 0:
            _fail("loyer", f"un loyer ne se donne que pour un locataire (logement: {housing}) : retirez cette clé.")
    commune = _required(foyer, "commune", "foyer", ' (code INSEE, par exemple "69123")')
    if isinstance(commune, int) and not isinstance(commune, bool):
        commune = f"{commune:05d}"  # YAML reads 01001 as a number: give the leading zero back
    if not isinstance(commune, str):
        _fail("commune", f"« {commune} » n'est pas un code INSEE (5 caractères, entre guillemets).")
    rate = foyer.get("aah_taux_incapacite")
    return Household(
        couple=couple,
        age=age,
        partner_age=partner_age,
        children=children,
        housing=housing,
        rent=rent,
        depcom=commune.strip(),
        commune="",
        aah_incapacity_rate=None if rate is None else _number(rate, "aah_taux_incapacite"),
        asylum_seeker=_boolean(foyer.get("demandeur_asile", False), "demandeur_asile"),
        asylum_months_at_start=_whole(foyer.get("anciennete_demande_asile", 0), "anciennete_demande_asile"),
        prefilled_declaration=_boolean(foyer.get("declaration_preremplie", True), "declaration_preremplie"),
    )


def read_offer(raw: Any, index: int) -> Offer:
    """One entry of ``offres:`` as an :class:`Offer`."""
    where = f"offres[{index + 1}]"
    found = _mapping(raw, where)
    _unknown(found, tuple(OFFER_KEYS), where)
    form = _required(found, "forme", where)
    if form not in FORMS:
        _fail("forme", f"« {form} » n'est pas permis. Valeurs possibles : {', '.join(FORMS)}.", index)
    rate_raw = found.get("taux_horaire_brut", "smic")
    rate = (
        None
        if isinstance(rate_raw, str) and rate_raw.strip().lower() == "smic"
        else _number(rate_raw, "taux_horaire_brut", index)
    )
    return Offer(
        form=form,
        hours_per_month=_number(_required(found, "heures_par_mois", where), "heures_par_mois", index),
        hourly_rate=rate,
        start_month=_whole(_required(found, "debut", where), "debut", index),
        duration_months=_whole(_required(found, "duree", where), "duree", index),
        label=f"Offre {index + 1}",
    )


def read_case(path: Path) -> Scenario:
    """The whole case file, or a :class:`CaseError` naming the file or the key."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseError(f"{path} : le fichier est introuvable.") from None
    except (OSError, UnicodeDecodeError):
        raise CaseError(f"{path} : le fichier ne peut pas être lu (il doit être un texte en UTF-8).") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", ligne {mark.line + 1}" if mark is not None else ""
        raise CaseError(f"{path}{line} : le YAML est mal formé ({getattr(error, 'problem', error)}).") from None
    case = _mapping(raw, str(path))
    _unknown(case, ("foyer", "offres", "regles"), "cas")
    household = read_household(_required(case, "foyer", "cas"))
    offers = _required(case, "offres", "cas")
    if not isinstance(offers, list) or not 1 <= len(offers) <= 2:
        raise CaseError("offres : donnez une ou deux offres (une liste dont chaque élément commence par « - »).")
    rules = case.get("regles", DEFAULT_RULES)
    if rules not in RULES:
        raise CaseError(f"regles : « {rules} » n'est pas permis. Valeurs possibles : {', '.join(RULES)}.")
    month = _whole(case["foyer"].get("mois_declaration", 1), "mois_declaration")
    if month not in (1, 2, 3):
        _fail("mois_declaration", f"« {month} » n'est pas permis : écrivez 1 (janvier), 2 (février) ou 3 (mars).")
    return Scenario(
        household,
        tuple(read_offer(raw_offer, i) for i, raw_offer in enumerate(offers)),
        rules=rules,
        declaration_month=month,
    )


def key_of(field: str | None) -> str:
    """The case file's key for a model field (``offer2.hours_per_month`` -> ``offres[2].heures_par_mois``)."""
    offer_index, name = split_field(field)
    if offer_index is not None:
        keys = {value: key for key, value in OFFER_KEYS.items()}
        return _where(keys.get(name or "", name or ""), offer_index)
    if name == "commune":
        return "foyer.commune"
    if name == "offers":
        return "offres"
    if name == "rules":
        return "regles"
    if name == "declaration_month":
        return "foyer.mois_declaration"
    keys = {value: key for key, value in HOUSEHOLD_KEYS.items()}
    return _where(keys.get(name or "", name or "foyer"))


# --------------------------------------------------------------------------- printing
def scenario_frames(result: Any) -> list[tuple[str, str, Any]]:
    """(CSV name, French title, monthly table) for the baseline and each offer."""
    frames = [("sans_offre", "Sans l'offre", result.baseline)]
    for index, offer in enumerate(result.offers, start=1):
        title = f"Offre {index} : {offer.offer.form_label}, {format_number(offer.offer.hours_per_month, 2).rstrip('0').rstrip(',')} h par mois"
        frames.append((f"offre_{index}", title, offer.with_offer))
    return frames


def write_csv(result: Any, out: Any) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for name, _title, frame in scenario_frames(result):
        for month in MONTHS:
            row = frame.loc[month]
            writer.writerow([name, month, *(f"{float(row[CSV_SOURCE[c]]) + 0.0:.2f}" for c in CSV_COLUMNS[2:])])


def _amount(value: float) -> str:
    return format_number(float(value) + 0.0, 2)


def write_table(result: Any, out: Any) -> None:
    """The month-by-month tables in French, then the yearly gains and what to know."""
    from datetime import date

    from .explain import MONTH_LABELS_FR

    print(
        f"Simulation {SIM_YEAR} avec OpenFisca-France {result.openfisca_version} "
        f"(législation connue jusqu'au {format_date(date.fromisoformat(result.legislation_date))}). "
        "Montants en euros par mois.",
        file=out,
    )
    print(f"Règles : {rules_line(result)}", file=out)
    for _name, title, frame in scenario_frames(result):
        rows = [[MONTH_LABELS_FR[m], *(_amount(frame.loc[m, c]) for _h, c in TABLE_HEADINGS[1:])] for m in MONTHS]
        rows.append(["Année", *(_amount(frame[c].sum()) for _h, c in TABLE_HEADINGS[1:])])
        headings = [h for h, _c in TABLE_HEADINGS]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headings)]
        print(f"\n{title}", file=out)
        print("  ".join(h.ljust(widths[0]) if i == 0 else h.rjust(widths[i]) for i, h in enumerate(headings)), file=out)
        for row in rows:
            print("  ".join(v.ljust(widths[0]) if i == 0 else v.rjust(widths[i]) for i, v in enumerate(row)), file=out)
    print("", file=out)
    for index, offer in enumerate(result.offers, start=1):
        gain = offer.yearly_gain
        verb = "gagne" if gain >= 0 else "perd"
        print(
            f"Offre {index} : sur l'année, la personne {verb} {format_euros(abs(gain))} par rapport à sans l'offre.",
            file=out,
        )
        for sentence in offer.story + offer.neutralisation + offer.after_job:
            print(f"  - {sentence}", file=out)
    print("\nÀ savoir :", file=out)
    for note in result.notes:
        print(f"  - {note}", file=out)
    print("\nPour aller plus loin (les textes) :", file=out)
    for text in result.further:
        print(f"  - {text}", file=out)


def rules_line(result: Any) -> str:
    """Which rules produced the RSA and prime d'activité columns, in one line."""
    from .explain import review_months_phrase

    cal = result.calendar
    if cal.quarterly:
        return (
            f"{RULES['textes']} : RSA et prime d'activité fixés pour trois mois à chaque déclaration "
            f"({review_months_phrase(cal)}), paie arrêtée sans droit au chômage neutralisée (CASF R.262-13)."
        )
    return f"{RULES['openfisca']} : les chiffres d'OpenFisca-France sans changement (clé « regles: openfisca »)."


# --------------------------------------------------------------------------- command
class _FrenchParser(argparse.ArgumentParser):
    """argparse's own messages are English: say in French what is wrong with the command line."""

    def error(self, message: str) -> NoReturn:
        if "unrecognized arguments:" in message:
            problem = "option inconnue : " + message.split("unrecognized arguments:", 1)[1].strip()
        elif "required" in message:
            problem = "le fichier du cas manque"
        else:
            problem = "la ligne de commande est incorrecte"
        self.exit(
            EXIT_BAD_INPUT,
            f"Erreur : {problem}. Exemple : python -m widgets.remuneration cas.yml (ajoutez --csv pour un CSV).\n",
        )

    def format_help(self) -> str:
        return (
            "Utilisation : python -m widgets.remuneration CAS.yml [--csv]\n\n"
            "Calcule un cas, mois par mois, avec OpenFisca-France (les mêmes chiffres que la page).\n\n"
            "  CAS.yml   le fichier du cas : clés « foyer » et « offres » (voir docs/simulateur.md)\n"
            "  --csv     imprimer un CSV (montants en euros, avec un point)\n"
            "  --aide    afficher cette aide\n"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = _FrenchParser(
        prog="python -m widgets.remuneration",
        description="Calcule un cas, mois par mois, avec OpenFisca-France (les mêmes chiffres que la page).",
        add_help=False,
    )
    parser.add_argument("cas", type=Path, help="fichier YAML du cas (clés foyer et offres, voir docs/simulateur.md)")
    parser.add_argument("--csv", action="store_true", help="imprimer un CSV (montants en euros avec un point)")
    parser.add_argument("-h", "--aide", action="help", help="afficher cette aide")
    args = parser.parse_args(argv)
    try:
        scenario = read_case(args.cas)
        from .figures import SIMULATOR  # imports OpenFisca's adapter: only once the case file is read

        result = SIMULATOR.simulate(scenario, complete=False)  # the table needs no slider grid
    except CaseError as error:
        print(f"Erreur dans le cas : {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InputError as error:
        print(f"Erreur dans le cas : {key_of(error.field)} : {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.csv:
        write_csv(result, sys.stdout)
    else:
        write_table(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
