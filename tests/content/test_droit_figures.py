"""No legal figure typed by hand: every amount, rate and threshold of the course comes from ``data/droit.yml``.

Why: after each revaluation (April, October, January) a figure typed in a chapter, a quiz or the
glossary goes stale silently, and a trainer repeats a wrong amount in front of a group. The rule
(docs/regles-de-contenu.md, « Les chiffres du droit »):

* a euro amount or a percentage in ``chapters/`` or ``data/`` is written with a role: ``{droit}`id```
  for a figure of the law (read from ``data/droit.yml``), ``{exemple}`…``` for an amount of an example
  (a sum the course chooses, or a computation from the file: ``{exemple}`600 × (1 − micro_bnc)```);
* a threshold of the file in hours, days, months or « fois » (910 heures, 24 mois, 150 fois…) is never
  typed either, whatever the sentence.

What is read: the chapters (not the glossary page, which is generated from ``data/glossaire.csv``)
and every CSV and YAML file of ``data/`` except ``droit.yml`` itself, addresses left out (« %C3 »).
Chapter 4's simulated example is no exception: its amounts are glued from the simulator's output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from widgets import bibliography, droit
from widgets.data import REPO_ROOT
from widgets.droit_model import ROLE, Figures, format_amount

from .test_course_content import chapter_markdown, teaching_chapters

#: Euro amounts and percentages, as the course writes them (« 1 803 € », « 651,69 euros », « 16,5 % »).
EURO = re.compile(r"(?<![\w,])\d(?:[\d\u00a0\u202f .]*\d)?(?:,\d+)?\s*(?:€|euros?\b)")
PERCENT = re.compile(r"(?<![\w,])\d+(?:,\d+)?\s*%")
#: How each unit of the file is written after its number in a sentence.
UNIT_WORDS = {"heures": r"(?:heures?|h)\b", "jours": r"jours?\b", "mois": r"mois\b", "fois": r"(?:fois\b|×)"}
GENERATED = ("chapters/glossaire.md",)  # written by widgets/glossary.py from data/glossaire.csv


@dataclass(frozen=True)
class Typed:
    """A figure typed by hand: where, what, and what to write instead."""

    line: int
    text: str
    advice: str


def threshold_patterns(figures: Figures) -> list[tuple[re.Pattern[str], str]]:
    """« 910 heures », « 24 mois », « 150 fois »…: each value of each figure counted in hours, days,
    months or « fois », followed by its unit, and the figure to name instead."""
    patterns = []
    for figure in figures:
        if figure.unit not in UNIT_WORDS:
            continue
        for value in figure.values:
            number = format_amount(value.amount, "pourcent").split("\u00a0")[0]
            digits = re.escape(number).replace("\u202f", "[\u202f\u00a0 ]?")
            patterns.append((re.compile(rf"(?<![\d,]){digits}\s*{UNIT_WORDS[figure.unit]}"), figure.id))
    return patterns


def _suggestion(found: str, figures: Figures) -> str:
    """The figures whose value is the one typed, if any: « c'est {droit}`rsa_base@2025-04-01` »."""
    number = re.sub(r"[^\d,]", "", found).replace(",", ".")
    unit = "pourcent" if "%" in found else "euros"
    names = []
    for figure in figures:
        for value in figure.values:
            if figure.unit == unit and number and float(value.amount) == float(number):
                newest = value is figure.values[-1]
                at = "" if newest or value.since is None else f"@{value.since.isoformat()}"
                names.append(f"{{droit}}`{figure.id}{at}` ({figure.label})")
    if names:
        return "c'est " + " ou ".join(names)
    return (
        "un chiffre de la loi va dans data/droit.yml et s'écrit {droit}`id` ; un montant d'exemple s'écrit {exemple}`…`"
    )


def typed_by_hand(text: str, figures: Figures) -> list[Typed]:
    """Every euro amount, percentage or threshold of ``text`` written without a role."""
    found: list[Typed] = []
    thresholds = threshold_patterns(figures)
    for number, line in enumerate(text.splitlines(), start=1):
        prose = bibliography.URL.sub(" ", ROLE.sub(" ", line))
        for match in [*EURO.finditer(prose), *PERCENT.finditer(prose)]:
            found.append(Typed(number, match.group(0).strip(), _suggestion(match.group(0), figures)))
        for pattern, figure_id in thresholds:
            for match in pattern.finditer(prose):
                found.append(Typed(number, match.group(0), f"écrivez {{droit}}`{figure_id}`"))
    return found


def course_texts() -> list[Path]:
    chapters = [
        p for p in sorted((REPO_ROOT / "chapters").glob("*.md")) if str(p.relative_to(REPO_ROOT)) not in GENERATED
    ]
    data = sorted(
        p for p in (REPO_ROOT / "data").rglob("*") if p.suffix in (".csv", ".yml", ".yaml") and p.name != "droit.yml"
    )
    return chapters + data


# ------------------------------------------------------------------------------ the check can fail


def test_the_check_finds_figures_typed_by_hand():
    """A synthetic sample: each way of typing a figure is caught, each role and address is not."""
    figures = droit.figures()
    sample = "\n".join(
        [
            "Le RSA de base vaut 651,69 € depuis avril.",  # a legal amount
            "Il faut 1 803 euros brut par an.",  # « euros » and a thousands space
            "Le forfait logement vaut 16,5 % du montant.",  # a rate
            "Il faut 910 heures ou 130 jours sur 24 mois.",  # three thresholds of the file
            "Trois séances à 200 € brut.",  # an example amount
            "On valide un trimestre par 150 fois le SMIC, soit 150 × 12,02 €.",
            "Roles: {droit}`rsa_base`, {droit}`forfait_logement_3`, {exemple}`600 × (1 − micro_bnc)`.",
            "Adresse : https://doczz.fr/doc/4337405/l-abaque-de-r%C3%A9gnier et 1 h 30 (15 min) en 2026.",
        ]
    )
    found = typed_by_hand(sample, figures)
    assert [(t.line, t.text) for t in found] == [
        (1, "651,69 €"),
        (2, "1 803 euros"),
        (3, "16,5 %"),
        (4, "910 heures"),
        (4, "130 jours"),
        (4, "24 mois"),
        (5, "200 €"),
        (6, "12,02 €"),
        (6, "150 fois"),
        (6, "150 ×"),
    ]
    assert found[0].advice.startswith("c'est {droit}`rsa_base` ")  # the newest value: no date needed
    assert found[1].advice.startswith("c'est {droit}`seuil_trimestre_retraite` ")  # a computed figure too
    assert found[2].advice.startswith("c'est {droit}`forfait_logement_3` ")
    assert found[3].advice == "écrivez {droit}`chomage_heures`"
    assert "{exemple}" in found[6].advice  # no figure is worth 200 €: an example amount
    assert "smic_horaire@2026-01-01" in found[7].advice


# ------------------------------------------------------------------------------ the course


@pytest.mark.parametrize("path", course_texts(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_figure_is_typed_by_hand(path):
    relative = str(path.relative_to(REPO_ROOT))
    text = path.read_text(encoding="utf-8")
    typed = typed_by_hand(text, droit.figures())
    assert not typed, f"{relative} : chiffres tapés à la main (docs/regles-de-contenu.md) :\n" + "\n".join(
        f"  ligne {t.line} : « {t.text} » — {t.advice}" for t in typed
    )


def test_every_reference_shows_a_figure():
    """Every {droit} and {exemple} of the chapters, data files and code names a figure that exists, at
    a date where it has a value (the book would fail later, the exercises at load)."""
    figures = droit.figures()
    broken = []
    for use in droit.course_uses():
        try:
            if use.role == "droit":
                figures.reference(use.text)
            elif use.role == "exemple":
                figures.example(use.text)
            else:
                figures.get(use.text)
        except droit.FigureError as error:
            broken.append(f"{use.path.relative_to(REPO_ROOT)}, ligne {use.line} : {error}")
    assert not broken, "\n".join(broken)


def _sections(prose: str) -> list[str]:
    return re.split(r"\n(?=#{2,3} )", prose)


@pytest.mark.parametrize("name", teaching_chapters())
def test_a_section_that_shows_an_amount_cites_its_source(name):
    """A section that shows a figure of the law in euros cites one of the sources of the value shown
    (its bibliography key in data/droit.yml), so the chapter's « Sources » list has it."""
    prose = chapter_markdown(name).split("## Sources")[0]
    figures = droit.figures()
    missing = []
    for section in _sections(prose):
        cited = {
            key.strip() for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", section) for key in group.split(",")
        }
        for match in ROLE.finditer(section):
            reference = match.group("text")
            figure_id = re.match(r"[a-z][a-z0-9_]*", reference)
            if match.group("role") != "droit" or not figure_id or (":" in reference and ":calcul" not in reference):
                continue
            figure = figures.get(figure_id.group(0))
            day = re.search(r"@(\d{4}-\d{2}-\d{2})", reference)
            value = figure.value_at(None if day is None else date.fromisoformat(day.group(1)))
            if figure.unit == "euros" and not cited & set(value.sources):
                missing.append(f"{section.splitlines()[0][:70]} : {reference} (sources : {', '.join(value.sources)})")
    assert not missing, f"{name} : montants sans leur source dans la partie :\n" + "\n".join(missing)
