"""``make droit``: after an OpenFisca-France update, which legal figures of ``data/droit.yml`` changed,
and which pages and files use each of them.

Why: a figure of the course that has an OpenFisca-France parameter (``openfisca:`` in the file) can be
checked against it. Two questions, two checks:

* **at its date** — each value of the file equals OpenFisca's parameter on the day the value applies
  from (for a value without a start date: OpenFisca's newest value). A difference is an error of the
  file or of OpenFisca, to settle with the official text (``tests/unit/test_droit_openfisca.py``);
* **newest** — OpenFisca's newest value (after ``pip install`` of a new version) is the file's value on
  that day. If not, a revaluation happened: add the new value to ``data/droit.yml`` with its source.

For each figure that changed, the command lists the places that name it (chapters, data files, code)
and the computed figures that depend on it: the pages to re-read after the update.

Only parameters are read (no benefit is computed): building the French tax and benefit system takes a
few seconds, once per process.
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from widgets import droit
from widgets.data import REPO_ROOT
from widgets.droit_model import Figure, FigureError, Figures, format_amount, names_in
from widgets.fr import format_date

#: Two amounts are the same when they differ by less than half a cent (or half a hundredth of a point).
TOLERANCE = Decimal("0.005")


@functools.lru_cache(maxsize=1)
def parameters() -> Any:
    """OpenFisca-France's parameter tree (the tax and benefit system is built once per process)."""
    from openfisca_france import CountryTaxBenefitSystem

    return CountryTaxBenefitSystem().parameters


def parameter(tree: Any, path: str) -> Any:
    """The parameter at a dotted path, or a French error naming the path."""
    node = tree
    for part in path.split("."):
        try:
            node = getattr(node, part)
        except AttributeError:
            raise FigureError(f"OpenFisca-France n'a pas de paramètre « {path} » (« {part} » introuvable).") from None
    if not hasattr(node, "values_list"):
        raise FigureError(f"« {path} » est un groupe de paramètres d'OpenFisca-France, pas un paramètre.")
    return node


def in_file_unit(figure: Figure, amount: float | None) -> Decimal | None:
    """OpenFisca's number in the file's unit: a rate of 0.12 is 12 (%)."""
    if amount is None:
        return None
    number = Decimal(str(amount))
    return number * 100 if figure.unit == "pourcent" else number


def same(left: Decimal | None, right: Decimal | None) -> bool:
    return left is not None and right is not None and abs(left - right) < TOLERANCE


@dataclass(frozen=True)
class Comparison:
    """A figure's value in the file and in OpenFisca on one day (either may be missing: None)."""

    figure: Figure
    day: date
    in_file: Decimal | None
    in_openfisca: Decimal | None

    @property
    def agrees(self) -> bool:
        return same(self.in_file, self.in_openfisca)

    def describe(self) -> str:
        def shown(amount: Decimal | None) -> str:
            return "pas de valeur" if amount is None else format_amount(amount, self.figure.unit)

        return (
            f"le {format_date(self.day)} : {shown(self.in_file)} dans data/droit.yml, "
            f"{shown(self.in_openfisca)} dans OpenFisca-France"
        )


def _file_value(figure: Figure, day: date) -> Decimal | None:
    try:
        return figure.value_at(day).amount
    except FigureError:
        return None


def _openfisca_value(figure: Figure, node: Any, day: date) -> Decimal | None:
    return in_file_unit(figure, node(day.isoformat()))


def _newest_instant(node: Any) -> date:
    return date.fromisoformat(node.values_list[0].instant_str)


def checked(figures: Figures) -> list[Figure]:
    """The figures that have an OpenFisca-France parameter."""
    return [figure for figure in figures if figure.openfisca]


def at_their_dates(figures: Figures, tree: Any) -> list[Comparison]:
    """Each value of each checked figure against OpenFisca on the day it applies from."""
    found = []
    for figure in checked(figures):
        node = parameter(tree, figure.openfisca or "")
        for value in figure.values:
            day = value.since or value.until or _newest_instant(node)
            found.append(Comparison(figure, day, value.amount, _openfisca_value(figure, node, day)))
    return found


def newest(figures: Figures, tree: Any) -> list[Comparison]:
    """Each checked figure on the day of OpenFisca's newest value (or of the file's, when it is later):
    the file must know the value OpenFisca gives that day."""
    found = []
    for figure in checked(figures):
        node = parameter(tree, figure.openfisca or "")
        starts = [value.since for value in figure.values if value.since is not None]
        day = max([_newest_instant(node), *starts])
        found.append(Comparison(figure, day, _file_value(figure, day), _openfisca_value(figure, node, day)))
    return found


def dependents(figures: Figures, figure_id: str) -> list[str]:
    """The computed figures that use ``figure_id``, directly or through another computed figure."""
    found: list[str] = []
    pending = [figure_id]
    while pending:
        current = pending.pop()
        for figure in figures:
            if figure.formula and current in names_in(figure.formula) and figure.id not in found:
                found.append(figure.id)
                pending.append(figure.id)
    return found


def where_used(figure_ids: Iterable[str], uses: list[droit.Use]) -> list[str]:
    """« chapters/04-remunerer.md, lignes 74, 97 » for each file that names one of ``figure_ids``."""
    wanted = set(figure_ids)
    lines: dict[str, list[int]] = {}
    for use in uses:
        if wanted & set(use.figure_ids()):
            lines.setdefault(str(use.path.relative_to(REPO_ROOT)), []).append(use.line)
    return [
        f"{name}, {'ligne' if len(set(numbers)) == 1 else 'lignes'} {', '.join(map(str, sorted(set(numbers))))}"
        for name, numbers in sorted(lines.items())
    ]


def report(figures: Figures, tree: Any, uses: list[droit.Use], everything: bool = False) -> list[str]:
    """The French report of ``make droit``, line by line."""
    version = importlib.metadata.version("openfisca-france")
    wrong = [c for c in at_their_dates(figures, tree) if not c.agrees]
    changed = [c for c in newest(figures, tree) if not c.agrees]
    lines = [
        f"Chiffres du droit (data/droit.yml) comparés à OpenFisca-France {version} :",
        f"{len(figures)} chiffres, dont {len(checked(figures))} avec un paramètre OpenFisca.",
        "",
    ]
    if not wrong and not changed:
        lines.append("Tout est à jour : chaque valeur du fichier est celle d'OpenFisca à sa date, et le fichier")
        lines.append("connaît la valeur la plus récente de chaque paramètre.")
    for title, comparisons, advice in (
        (
            "Valeurs différentes à leur date (erreur du fichier ou d'OpenFisca : vérifiez le texte officiel) :",
            wrong,
            "Corrigez data/droit.yml si le texte officiel donne la valeur d'OpenFisca.",
        ),
        (
            "Valeurs plus récentes dans OpenFisca (une revalorisation) :",
            changed,
            "Ajoutez la nouvelle valeur à data/droit.yml, avec sa date et sa source (décret, service-public.fr).",
        ),
    ):
        if not comparisons:
            continue
        lines += [title, ""]
        for comparison in comparisons:
            figure = comparison.figure
            lines.append(f"* {figure.id} — {figure.label}")
            lines.append(f"  {comparison.describe()}.")
            lines.append(f"  {advice}")
            lines += _uses_lines(figures, figure.id, uses)
            lines.append("")
    if everything:
        lines += ["", "Où chaque chiffre est utilisé :", ""]
        for figure in figures:
            lines.append(f"* {figure.id} — {figure.label}")
            lines += _uses_lines(figures, figure.id, uses)
    return lines


def _uses_lines(figures: Figures, figure_id: str, uses: list[droit.Use]) -> list[str]:
    also = dependents(figures, figure_id)
    places = where_used([figure_id, *also], uses)
    lines = [f"  Calculés à partir de lui : {', '.join(also)}."] if also else []
    if places:
        lines.append("  Utilisé dans :")
        lines += [f"    {place}" for place in places]
    else:
        lines.append("  Utilisé nulle part dans les chapitres, data/ ni le code.")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compare les chiffres du droit de data/droit.yml à OpenFisca-France et dit où ils servent."
    )
    parser.add_argument("--tout", action="store_true", help="liste aussi où chaque chiffre est utilisé")
    args = parser.parse_args(argv)
    print("Lecture des paramètres d'OpenFisca-France (quelques secondes)…", flush=True)
    for line in report(droit.figures(), parameters(), droit.course_uses(), everything=args.tout):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
