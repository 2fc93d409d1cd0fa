"""The one place that reads ``data/`` and validates it.

Why: course content (situations, glossary, quiz questions, profiles…) is edited by trainers, often
in a spreadsheet. A typo must stop the course at load time with a French message that names the
file, the row and the column, instead of surfacing later as a traceback in front of a learner.

Every data file is described by a :class:`Schema` (a tuple of :class:`Column`). CSV files report
the spreadsheet line (the header is line 1); YAML files report the entry number and its line.

Texts may name a legal figure of ``data/droit.yml`` (``{droit}`rsa_base```) or an amount the course
computes (``{exemple}`600 × (1 − micro_bnc)```): the loaders render them (« 651,69 € »), so every
exercise, the glossary, the kit and the slides show the one value of the file (:mod:`widgets.droit_model`).
A reference to a figure that does not exist fails at load like any other malformed cell.
"""

from __future__ import annotations

import csv
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from widgets import bibliography
from widgets.droit_model import IDENTIFIER, UNITS, FigureError, Figures, build, parse_expression
from widgets.fr import plural

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FAIRE_AVEC_DATA", REPO_ROOT / "data"))

Record = dict[str, Any]


class DataFileError(ValueError):
    """A data file does not follow its schema; the message is French and names where."""

    def __init__(self, path: Path | str, row: int | str | None, column: str | None, problem: str):
        self.path = str(path)
        self.row = row
        self.column = column
        self.problem = problem
        where = [self.path]
        if row is not None:
            where.append(f"ligne {row}" if isinstance(row, int) else str(row))
        if column is not None:
            where.append(f"colonne « {column} »")
        super().__init__(f"{', '.join(where)} : {problem}")


@dataclass(frozen=True)
class Column:
    """One field of a record: its name, type and the values it accepts."""

    name: str
    kind: type = str
    required: bool = True
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    items: Schema | None = None  # for kind=list: the schema of each nested record
    min_items: int = 0
    max_items: int | None = None
    # For a cross-reference: the French problem when the value is not in ``choices``, with ``{value}``
    # and ``{allowed}`` filled in (e.g. « « {value} » ne désigne aucune étape du continuum »).
    unknown: str | None = None


@dataclass(frozen=True)
class Schema:
    """The columns of a data file, the column whose values must be unique, and record-level checks."""

    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    # Record-level checks: each returns None, a French problem about the row, or (column, problem)
    # when one column is at fault (the error then names it, and for YAML its line).
    checks: tuple[Callable[[Record], str | tuple[str, str] | None], ...] = field(default=())
    # Render {droit}`…` and {exemple}`…` in the texts (False only for data/droit.yml itself).
    figures: bool = True

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_TRUE = {"oui", "vrai", "true", "1", "yes"}
_FALSE = {"non", "faux", "false", "0", "no"}


def _convert(value: Any, col: Column) -> tuple[Any, str | None]:
    """Return (converted value, French problem or None)."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        if col.required:
            return None, "cette case est vide alors qu'elle est obligatoire."
        return ([] if col.kind is list else None), None
    if col.kind is int:
        if isinstance(value, bool):
            return None, f"« {value} » n'est pas un nombre entier."
        if not re.fullmatch(r"[+-]?\d+", str(value)):
            return None, f"« {value} » n'est pas un nombre entier."
        value = int(str(value))
    elif col.kind is float:
        try:
            value = float(str(value).replace(",", "."))
        except ValueError:
            return None, f"« {value} » n'est pas un nombre."
        if not math.isfinite(value):
            return None, f"« {value} » n'est pas un nombre."
    elif col.kind is bool:
        if not isinstance(value, bool):
            text = str(value).lower()
            if text not in _TRUE | _FALSE:
                return None, f"« {value} » n'est ni « oui » ni « non »."
            value = text in _TRUE
    elif col.kind is date:
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value))
            except ValueError:
                return None, f"« {value} » n'est pas une date : écrivez-la AAAA-MM-JJ, par exemple 2026-04-01."
    elif col.kind is list:
        if not isinstance(value, list):
            return None, "une liste est attendue ici."
        if len(value) < col.min_items:
            return None, f"il faut au moins {plural(col.min_items, 'élément')}, il y en a {len(value)}."
        if col.max_items is not None and len(value) > col.max_items:
            return None, f"il faut au plus {plural(col.max_items, 'élément')}, il y en a {len(value)}."
    else:
        if not isinstance(value, str):
            return None, f"un texte est attendu ici, pas « {value} »."
    if col.choices is not None and value not in col.choices:
        allowed = ", ".join(f"« {c} »" for c in col.choices)
        if col.unknown is not None:
            return None, col.unknown.format(value=value, allowed=allowed)
        return None, f"« {value} » n'est pas une valeur permise ({allowed})."
    if col.minimum is not None and value < col.minimum:
        return None, f"{value} est plus petit que le minimum permis ({col.minimum:g})."
    if col.maximum is not None and value > col.maximum:
        return None, f"{value} est plus grand que le maximum permis ({col.maximum:g})."
    return value, None


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


Where = Callable[[str | None], int | str]
"""Given a column (or None for the whole record), the row to report: a CSV line, or for YAML the
entry and the line of that field."""


def _validate_record(raw: Record, schema: Schema, path: str, where: Where, prefix: str = "") -> Record:
    lines = raw.pop("__lines__", {}) if isinstance(raw.get("__lines__"), dict) else {}

    def at(name: str | None) -> int | str:
        # A YAML field is reported at its own line (« valeurs[2].depuis » of a record: at « valeurs »);
        # a CSV row has one line for all its cells.
        field_name = None if name is None else name.split("[", 1)[0]
        return where(str(lines[field_name]) if field_name in lines else None)

    known = {c.name for c in schema.columns}
    for name in raw:
        if name not in known:
            expected = ", ".join(sorted(known))
            raise DataFileError(
                path, at(name), prefix + str(name), f"colonne inconnue (colonnes attendues : {expected})."
            )
    record: Record = {}
    for col in schema.columns:
        value, problem = _convert(raw.get(col.name), col)
        if problem:
            raise DataFileError(path, at(col.name), prefix + col.name, problem)
        if schema.figures:
            try:
                value = _with_figures(value)
            except FigureError as error:
                raise DataFileError(path, at(col.name), prefix + col.name, error.problem) from None
        if col.kind is list and col.items is not None:
            nested = []
            for index, item in enumerate(value, start=1):
                name = f"{prefix}{col.name}[{index}]"
                if not isinstance(item, dict):
                    raise DataFileError(path, at(col.name), name, "un élément avec des champs est attendu.")
                nested.append(_validate_record(item, col.items, path, where, f"{name}."))
            value = nested
        record[col.name] = value
    for check in schema.checks:
        found = check(record)
        if isinstance(found, tuple):
            column, text = found
            raise DataFileError(path, at(column), prefix + column, text)
        if found:
            raise DataFileError(path, at(None), None, found)
    return record


def _check_unique(records: list[tuple[int | str, Record]], schema: Schema, path: str) -> None:
    for name in schema.unique:
        seen: dict[Any, int | str] = {}
        for row, record in records:
            value = record[name]
            if value in seen:
                raise DataFileError(path, row, name, f"« {value} » est déjà utilisé ({seen[value]}).")
            seen[value] = row if isinstance(row, str) else f"ligne {row}"


def _resolve(relative: str | Path) -> Path:
    path = Path(relative)
    return path if path.is_absolute() else DATA_DIR / path


def _same_line(line: int) -> Where:
    """A CSV row has one line for all its cells."""

    def where(_field: str | None) -> int:
        return line

    return where


def load_csv(relative: str | Path, schema: Schema) -> list[Record]:
    """Read a UTF-8 CSV file of ``data/`` and return validated records, in file order."""
    path = _resolve(relative)
    shown = _display_path(path)
    if not path.exists():
        raise DataFileError(shown, None, None, "le fichier est introuvable.")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            if not header:
                raise DataFileError(
                    shown, 1, None, "le fichier est vide : la première ligne doit donner les noms des colonnes."
                )
            # An optional column may be left out of the file altogether (its cells are then empty).
            missing = [c.name for c in schema.columns if c.required and c.name not in header]
            for name in missing:
                raise DataFileError(shown, 1, name, "cette colonne manque dans la ligne d'en-tête.")
            known = {c.name for c in schema.columns}
            for name in header:
                if name not in known:
                    raise DataFileError(
                        shown, 1, name, f"colonne inconnue (colonnes attendues : {', '.join(sorted(known))})."
                    )
            records: list[tuple[int | str, Record]] = []
            # Rows are numbered as a spreadsheet shows them (header = 1), even when a cell spans lines.
            for line, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    raise DataFileError(
                        shown,
                        line,
                        None,
                        f"{len(values)} cases au lieu de {len(header)} (une virgule ou un guillemet en trop ?).",
                    )
                raw = dict(zip(header, values, strict=True))
                records.append((line, _validate_record(raw, schema, shown, _same_line(line))))
    except UnicodeDecodeError as error:
        raise DataFileError(shown, None, None, "le fichier n'est pas enregistré en UTF-8.") from error
    except csv.Error as error:
        raise DataFileError(shown, None, None, f"le fichier CSV est mal formé ({error}).") from error
    _check_unique(records, schema, shown)
    return [record for _, record in records]


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line where each mapping starts and where each of its
    fields is written, so that an error points at the field a trainer must fix."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = {
            str(key.value): key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)
        }
        return mapping


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    """A date stays the text the author typed: the schema reads it (``Column(kind=date)``), so « 2025-04-31 »
    is a French message at its field, not a Python error inside the YAML reader."""
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _strip_lines(value: Any, keep_lines: bool = False) -> Any:
    """The content without the loader's bookkeeping; ``keep_lines`` keeps the field lines (``__lines__``)
    that validation reads and then removes."""
    if isinstance(value, dict):
        hidden = {"__line__"} if keep_lines else {"__line__", "__lines__"}
        return {
            k: (v if k == "__lines__" else _strip_lines(v, keep_lines)) for k, v in value.items() if k not in hidden
        }
    if isinstance(value, list):
        return [_strip_lines(v, keep_lines) for v in value]
    return value


def load_yaml(relative: str | Path, schema: Schema) -> list[Record]:
    """Read a YAML file of ``data/`` holding a list of entries and return validated records."""
    path = _resolve(relative)
    shown = _display_path(path)
    if not path.exists():
        raise DataFileError(shown, None, None, "le fichier est introuvable.")
    try:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 (SafeLoader subclass)
    except UnicodeDecodeError as error:
        raise DataFileError(shown, None, None, "le fichier n'est pas enregistré en UTF-8.") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise DataFileError(
            shown, line, None, f"le YAML est mal formé ({getattr(error, 'problem', error)})."
        ) from error
    if not isinstance(content, list):
        raise DataFileError(
            shown, None, None, "le fichier doit contenir une liste d'entrées (chaque entrée commence par « - »)."
        )
    records: list[tuple[int | str, Record]] = []
    for index, entry in enumerate(content, start=1):
        if not isinstance(entry, dict):
            raise DataFileError(shown, f"entrée n° {index}", None, "cette entrée n'a pas de champs « nom: valeur ».")
        start = entry["__line__"]
        row = f"entrée n° {index} (ligne {start})"

        def where(line: str | None, index: int = index, start: int = start) -> str:
            return f"entrée n° {index} (ligne {line or start})"

        records.append((row, _validate_record(_strip_lines(entry, keep_lines=True), schema, shown, where)))
    _check_unique(records, schema, shown)
    return [record for _, record in records]


# ------------------------------------------------------------------------------ data/droit.yml

DROIT_FILE = "droit.yml"


def _with_figures(value: Any) -> Any:
    """A text (or each text of a list) with its figure references rendered; other values unchanged."""
    if isinstance(value, str) and "}`" in value:
        return load_droit().render(value)
    if isinstance(value, list):
        return [_with_figures(item) if isinstance(item, str) else item for item in value]
    return value


def _unknown_sources(record: Record) -> tuple[str, str] | None:
    """Each source of a figure is the key of an entry of references.bib (its date and validity)."""
    if any(not isinstance(key, str) for key in record["sources"]):
        return "sources", "chaque source est une clé de references.bib, entre crochets : [clé-1, clé-2]."
    unknown = [key for key in record["sources"] if key not in bibliography.keys()]
    if unknown:
        return "sources", f"« {unknown[0]} » n'est pas une clé de references.bib : ajoutez-y d'abord la source."
    return None


def _value_dates(record: Record) -> tuple[str, str] | None:
    if record["depuis"] and record["jusqu_au"] and record["jusqu_au"] < record["depuis"]:
        return "jusqu_au", "la date de fin est avant la date de début (depuis)."
    return None


def _figure_shape(record: Record) -> tuple[str, str] | None:
    """An identifier a text can name; typed values or a computation, never both; values in date order,
    each with its source."""
    if not IDENTIFIER.fullmatch(record["id"]):
        return "id", f"« {record['id']} » : un nom de chiffre s'écrit en minuscules, chiffres et _ (ex. rsa_base)."
    if bool(record["valeurs"]) == bool(record["calcul"]):
        return "valeurs", "donnez soit des valeurs (valeurs), soit un calcul (calcul) : l'un des deux, pas les deux."
    if record["au_1er_janvier"] and not record["calcul"]:
        return "au_1er_janvier", "au_1er_janvier ne sert qu'à un chiffre calculé (calcul)."
    if record["calcul"]:
        try:
            parse_expression(record["calcul"])
        except FigureError as error:
            return "calcul", error.problem
        if not record["sources"]:
            return "sources", "un chiffre calculé donne la source de sa règle (sources)."
    if record["openfisca"] and not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", record["openfisca"]):
        return "openfisca", f"« {record['openfisca']} » n'est pas un chemin de paramètre OpenFisca (a.b.c)."
    previous: date | None = None
    for number, value in enumerate(record["valeurs"], start=1):
        if not value["sources"] and not record["sources"]:
            return f"valeurs[{number}].sources", "cette valeur n'a pas de source (clé de references.bib)."
        start = value["depuis"]
        if start is None and number > 1:
            return f"valeurs[{number}].depuis", "seule la plus ancienne valeur peut n'avoir pas de date de début."
        if start is not None and previous is not None and start <= previous:
            return f"valeurs[{number}].depuis", "les valeurs vont de la plus ancienne à la plus récente."
        previous = start or previous
    return None


VALUE_SCHEMA = Schema(
    columns=(
        Column("depuis", date, required=False),
        Column("jusqu_au", date, required=False),
        Column("valeur", float),
        Column("sources", list, required=False),
        Column("note", required=False),
    ),
    checks=(_value_dates, _unknown_sources),
    figures=False,
)
DROIT_SCHEMA = Schema(
    columns=(
        Column("id"),
        Column("libelle"),
        Column("unite", choices=UNITS),
        Column("valeurs", list, required=False, items=VALUE_SCHEMA),
        Column("calcul", required=False),
        Column("au_1er_janvier", bool, required=False),
        Column("sources", list, required=False),
        Column("openfisca", required=False),
        Column("note", required=False),
    ),
    unique=("id",),
    checks=(_unknown_sources, _figure_shape),
    figures=False,
)


def read_droit(relative: str | Path = DROIT_FILE) -> Figures:
    """The legal figures of a figures file, validated, computed figures evaluated; a computation that
    cannot be made is reported at its entry and key, like any malformed cell."""
    records = load_yaml(relative, DROIT_SCHEMA)
    try:
        return build(records)
    except FigureError as error:
        number = next((i for i, r in enumerate(records, start=1) if r["id"] == error.figure), None)
        raise DataFileError(
            _display_path(_resolve(relative)), f"entrée n° {number} (« {error.figure} »)", error.key, error.problem
        ) from None


@lru_cache(maxsize=1)
def load_droit() -> Figures:
    """The legal figures of ``data/droit.yml`` (read once per process)."""
    return read_droit(DROIT_FILE)
