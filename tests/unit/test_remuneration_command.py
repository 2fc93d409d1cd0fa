"""``python -m widgets.remuneration CAS.yml [--csv]``, run as a maintainer runs it: in a subprocess.

Why subprocesses: the exit code, what goes to standard output and standard error, and the absence
of a traceback are what a maintainer sees; an in-process call would hide them.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COLUMNS = [
    "scenario",
    "mois",
    "paie",
    "rsa",
    "prime_activite",
    "aide_logement",
    "aah",
    "prestations_familiales",
    "total",
]

CASE = """\
foyer:
  en_couple: false
  age: 37
  enfants: [5, 9]
  logement: locataire
  loyer: 650
  commune: "69266"
offres:
  - forme: salaire
    heures_par_mois: 86.67
    taux_horaire_brut: smic
    debut: 3
    duree: 6
  - forme: defraiement
    heures_par_mois: 4
    taux_horaire_brut: 15
    debut: 1
    duree: 12
"""


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    """One private disk cache for the module: the second good run reuses the first one's grid."""
    return tmp_path_factory.mktemp("cache")


def run(args: list[str], cache_dir: Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, FAIRE_AVEC_CACHE=str(cache_dir))
    return subprocess.run(
        [sys.executable, "-m", "widgets.remuneration", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def write_case(tmp_path: Path, text: str, name: str = "cas.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def csv_rows(tmp_path_factory, cache_dir) -> list[dict[str, str]]:
    path = write_case(tmp_path_factory.mktemp("case"), CASE)
    done = run([str(path), "--csv"], cache_dir)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    reader = csv.DictReader(io.StringIO(done.stdout))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def test_csv_has_every_scenario_and_month_in_order(csv_rows) -> None:
    assert [(r["scenario"], r["mois"]) for r in csv_rows] == [
        (scenario, f"2026-{m:02d}") for scenario in ("sans_offre", "offre_1", "offre_2") for m in range(1, 13)
    ]


def test_csv_amounts_use_a_dot_and_add_up(csv_rows) -> None:
    for row in csv_rows:
        amounts = {key: row[key] for key in COLUMNS[2:]}
        for key, text in amounts.items():
            assert text.count(".") == 1 and len(text.split(".")[1]) == 2 and "," not in text, (key, text)
        parts = sum(float(amounts[key]) for key in COLUMNS[2:-1])
        assert float(amounts["total"]) == pytest.approx(parts, abs=0.011)


def test_csv_figures_are_the_simulators(csv_rows, cache_dir, monkeypatch) -> None:
    """Same household in the model, in this process: the command prints exactly its figures."""
    from widgets.remuneration import cache
    from widgets.remuneration.figures import SIMULATOR
    from widgets.remuneration.inputs import Household, Offer, Scenario

    household = Household(age=37, children=(5, 9), rent=650.0, depcom="69266", commune="")
    offers = (Offer("salaire", 86.67, None, 3, 6), Offer("defraiement", 4, 15.0, 1, 12))
    monkeypatch.setenv("FAIRE_AVEC_CACHE", str(cache_dir))
    cache.clear_memory()
    result = SIMULATOR.simulate(Scenario(household, offers))
    cache.clear_memory()
    frames = {
        "sans_offre": result.baseline,
        "offre_1": result.offers[0].with_offer,
        "offre_2": result.offers[1].with_offer,
    }
    source = {"paie": "pay", "rsa": "rsa", "prime_activite": "ppa", "aide_logement": "housing", "aah": "aah"}
    source |= {"prestations_familiales": "family", "total": "total"}
    for row in csv_rows:
        frame = frames[row["scenario"]]
        for key, column in source.items():
            assert float(row[key]) == pytest.approx(frame.loc[row["mois"], column], abs=0.005), (row, key)
    single_parent = [r for r in csv_rows if r["scenario"] == "sans_offre"]
    assert all(float(r["prestations_familiales"]) > 0 for r in single_parent)  # AF + ASF for two children
    assert any(float(r["paie"]) > 0 for r in csv_rows if r["scenario"] == "offre_1")


def test_table_in_french(tmp_path, cache_dir) -> None:
    path = write_case(tmp_path, CASE)
    done = run([str(path)], cache_dir)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "législation connue jusqu'au 1er octobre 2026" in out
    assert "Sans l'offre" in out and "Offre 1 : Salaire (CDD ou CDI), 86,67 h par mois" in out
    assert "Offre 2 : Défraiement forfaitaire ou indemnité, 4 h par mois" in out
    for heading in ("Mois", "Paie nette", "RSA", "Prime d'activité", "Aide logement", "AAH", "Total"):
        assert heading in out
    assert "janvier 2026" in out and "décembre 2026" in out
    lines = [line for line in out.splitlines() if line.startswith("mars 2026")]
    assert len(lines) == 3 and all("," in line and "." not in line for line in lines)  # French decimals
    assert "À savoir :" in out and "Villeurbanne (69266)" in out
    # which rules gave the RSA column, and what happens when the job ends, in plain words
    assert "Règles : Les règles des textes" in out and "(janvier, avril, juillet et octobre)" in out
    assert "Fin du travail après août 2026" in out
    assert "Pour aller plus loin (les textes) :" in out and "R.262-13" in out


def test_rules_and_declaration_month_keys(tmp_path, cache_dir) -> None:
    """``regles: openfisca`` gives OpenFisca's figures as they are (a rolling window); ``mois_declaration``
    moves the quarters. Same household as CASE: the two keys change the RSA column, not the pay."""
    textes = list(csv.DictReader(io.StringIO(run([str(write_case(tmp_path, CASE)), "--csv"], cache_dir).stdout)))
    case = CASE.replace('  commune: "69266"\n', '  commune: "69266"\n  mois_declaration: 3\n') + "regles: openfisca\n"
    done = run([str(write_case(tmp_path, case, "openfisca.yml")), "--csv"], cache_dir)
    assert done.returncode == 0, done.stderr
    rolling = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["paie"] for r in rolling] == [r["paie"] for r in textes]
    assert [r["rsa"] for r in rolling] != [r["rsa"] for r in textes]
    march = CASE.replace('  commune: "69266"\n', '  commune: "69266"\n  mois_declaration: 3\n')
    table = run([str(write_case(tmp_path, march, "mars.yml"))], cache_dir).stdout
    assert "(mars, juin, septembre et décembre)" in table


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("foyer: [\n", None, "YAML est mal formé"),
        ("- 1\n- 2\n", None, "nom: valeur"),
        (CASE.replace("  age: 37\n", ""), "foyer.age", "manque"),
        (CASE.replace("  age: 37\n", "  age: 70\n"), "foyer.age", "entre 18 et 64 ans"),
        (CASE.replace("  age: 37\n", "  age: trente\n"), "foyer.age", "n'est pas un nombre"),
        (CASE.replace("en_couple: false", "en_couple: true"), "foyer.age_conjoint", "manque"),
        (CASE.replace("en_couple: false", "en_couple: oui"), "foyer.en_couple", "true"),
        (CASE.replace("logement: locataire", "logement: hotel"), "foyer.logement", "locataire, heberge, proprietaire"),
        (CASE.replace("logement: locataire", "logement: heberge"), "foyer.loyer", "que pour un locataire"),
        (CASE.replace("  loyer: 650\n", ""), "foyer.loyer", "manque"),
        (CASE.replace('"69266"', '"69999"'), "foyer.commune", "aucune commune connue"),
        (CASE.replace('"69266"', '"lyon"'), "foyer.commune", "code INSEE"),
        (CASE.replace("enfants: [5, 9]", "enfants: [5, 30]"), "foyer.enfants", "de 0 à 20"),
        (CASE.replace("enfants: [5, 9]", "enfant: [5, 9]"), "foyer.enfant", "clé inconnue"),
        (
            CASE.replace('  commune: "69266"\n', '  commune: "69266"\n  aah_taux_incapacite: 0.3\n'),
            "foyer.aah_taux_incapacite",
            "entre 0,5 et 1",
        ),
        (CASE.replace("forme: salaire", "forme: cdi"), "offres[1].forme", "salaire, cea, micro_bnc"),
        (CASE.replace("heures_par_mois: 86.67", "heures_par_mois: 520"), "offres[1].heures_par_mois", "entre 0 et 200"),
        (
            CASE.replace("taux_horaire_brut: smic", "taux_horaire_brut: SMIC horaire"),
            "offres[1].taux_horaire_brut",
            "nombre",
        ),
        (CASE.replace("    debut: 3\n", "    debut: 13\n"), "offres[1].debut", "de 1 (janvier) à 12"),
        (CASE.replace("    duree: 6\n", ""), "offres[1].duree", "manque"),
        (CASE.replace("    duree: 12\n", "    duree: 12\n    nom: CVS\n"), "offres[2].nom", "clé inconnue"),
        ("foyer:\n  age: 30\n  logement: heberge\n  commune: '69123'\noffres: []\n", "offres", "une ou deux offres"),
        (CASE + "regles: caf\n", "regles", "textes, openfisca"),
        (
            CASE.replace('  commune: "69266"\n', '  commune: "69266"\n  mois_declaration: 4\n'),
            "foyer.mois_declaration",
            "1 (janvier), 2 (février) ou 3 (mars)",
        ),
    ],
)
def test_bad_input_is_a_french_message_naming_the_key_and_exit_2(tmp_path, cache_dir, text, key, words) -> None:
    path = write_case(tmp_path, text)
    done = run([str(path), "--csv"], cache_dir)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Erreur dans le cas : ")
    if key is not None:
        assert key in done.stderr
    assert words in done.stderr


def test_missing_file_and_missing_argument(tmp_path, cache_dir) -> None:
    done = run([str(tmp_path / "absent.yml")], cache_dir)
    assert done.returncode == 2 and "introuvable" in done.stderr and "Traceback" not in done.stderr
    done = run([], cache_dir)
    assert done.returncode == 2 and "le fichier du cas manque" in done.stderr
    done = run(["cas.yml", "--tableur"], cache_dir)
    assert done.returncode == 2 and "option inconnue : --tableur" in done.stderr
