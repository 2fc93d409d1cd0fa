"""The legal figures of the course (amounts, rates, thresholds) and the dates they apply: the pure model
behind ``data/droit.yml``.

Why a model of its own: the course states about thirty figures (RSA, SMIC, forfait logement, 910 hours…)
in chapters, quizzes, the glossary, the kit, the slides and the simulator's texts. Typed by hand, they go
stale silently after each revaluation. Here each figure exists once, with its dated values, and every
text asks for it by name:

* ``{droit}`rsa_base``` — the newest value of a figure, formatted the French way (« 651,69 € »);
* ``{droit}`rsa_base@2025-04-01``` — the value in force on that date (« 646,52 € »);
* ``{droit}`rsa_base:depuis``` — a variant: the date that value applies from (« 1er avril 2026 »), its
  year (``:annee``), its end (``:jusqu_au``), the bare number (``:nombre``), or for a computed figure
  its computation (``:calcul``, « 150 × 12,02 € »);
* ``{exemple}`600 × (1 − micro_bnc)``` — an amount in euros of an example the course computes, from
  plain numbers and figures of the file (« 396 € »); ``{exemple}`600``` marks an example amount that is
  not a legal figure at all.

A figure is either typed (``valeurs``) or computed from others (``calcul``, e.g. ``150 × smic_horaire``
taken on 1 January of each year): a derived figure is never typed twice.

This module imports no file, widget or Sphinx code: :mod:`widgets.data` validates the file and builds
:class:`Figures`; :mod:`widgets.droit` is the API; :mod:`widgets.sphinx_droit` the book's roles.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from widgets.fr import format_date, format_number, plural

#: The units a figure can have; each one has its French rendering (see :func:`format_amount`).
UNITS: tuple[str, ...] = ("euros", "pourcent", "heures", "jours", "mois", "fois")
#: What a reference can ask for besides the value itself.
VARIANTS: tuple[str, ...] = ("depuis", "jusqu_au", "annee", "nombre", "calcul")
#: The two roles, in chapters (MyST) and in data texts alike.
ROLE = re.compile(r"\{(?P<role>droit|exemple)\}`(?P<text>[^`]*)`")
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_REFERENCE = re.compile(
    r"(?P<id>[a-z][a-z0-9_]*)\s*(?:@\s*(?P<day>\d{4}-\d{2}-\d{2}))?\s*(?::\s*(?P<variant>[a-z_]+))?"
)
_AT_DATE = re.compile(r"^(?P<expression>.*?)(?:@\s*(?P<day>\d{4}-\d{2}-\d{2}))?\s*$", re.S)
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


class FigureError(ValueError):
    """A figure, a reference or a computation that cannot be honoured; the message is French.

    ``figure`` and ``key`` say where, when the fault is in the file (the entry and its field), so that
    :mod:`widgets.data` can name them like any malformed data file.
    """

    def __init__(self, problem: str, figure: str | None = None, key: str | None = None) -> None:
        self.problem = problem
        self.figure = figure
        self.key = key
        super().__init__(problem)


@dataclass(frozen=True)
class Value:
    """One value of a figure and the period it applies to (``since``/``until`` None: not known)."""

    amount: Decimal
    since: date | None
    until: date | None
    sources: tuple[str, ...]
    note: str = ""

    def covers(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Figure:
    """A legal figure: its identifier, French label, unit, dated values (oldest first) and where it is
    checked (``openfisca``: an OpenFisca-France parameter path)."""

    id: str
    label: str
    unit: str
    values: tuple[Value, ...]
    openfisca: str | None = None
    formula: str | None = None
    january_first: bool = False
    note: str = ""

    def value_at(self, day: date | None = None) -> Value:
        """The value in force on ``day``; without a day, the newest value the file knows."""
        if day is None:
            return self.values[-1]
        for value in reversed(self.values):
            if value.covers(day):
                return value
        raise FigureError(f"« {self.id} » n'a pas de valeur connue le {format_date(day)} dans data/droit.yml.")


def _decimal(value: float | int | str | Decimal) -> Decimal:
    """A typed number as the author wrote it: 646.52 stays 646.52, not 646.5199999."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _shown_number(amount: Decimal, decimals: int) -> str:
    """« 1 803 », « 651,69 », « 16,5 »: no useless zeros, French separators."""
    if amount == amount.to_integral_value():
        return format_number(float(amount), 0)
    return format_number(float(amount), decimals).rstrip("0").rstrip(",")


def format_amount(amount: Decimal, unit: str) -> str:
    """A value in its unit, as a learner reads it: « 651,69 € », « 1 803 € », « 16,5 % », « 910 heures »."""
    if unit == "euros":
        if amount == amount.to_integral_value():
            return f"{format_number(float(amount), 0)}\u00a0€"
        return f"{format_number(float(amount), 2)}\u00a0€"
    if unit == "pourcent":
        return f"{_shown_number(amount, 2)}\u00a0%"
    if unit == "fois":
        return f"{_shown_number(amount, 2)} fois"
    words = {"heures": ("heure", "heures"), "jours": ("jour", "jours"), "mois": ("mois", "mois")}
    singular, several = words[unit]
    return plural(float(amount), singular, several)


# ------------------------------------------------------------------------------------- computations

_OPERATORS: dict[type[ast.operator], str] = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷"}


def normalise_expression(expression: str) -> str:
    """French arithmetic as authors write it (« 150 × smic », « 1 − 34 », « 0,7 », « 600 € ») →
    Python arithmetic that :mod:`ast` can parse."""
    text = expression.replace("€", " ").replace("×", "*").replace("÷", "/").replace("−", "-")
    text = re.sub(r"(?<=\d)[\u00a0\u202f ](?=\d{3}(?!\d))", "", text)  # « 1 200 » → 1200
    return re.sub(r"(?<=\d),(?=\d)", ".", text).strip()


def parse_expression(expression: str) -> ast.expr:
    """The syntax tree of a computation: numbers, figure names, + − × ÷ and brackets, nothing else."""
    source = normalise_expression(expression)
    if not source:
        raise FigureError("le calcul est vide.")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        raise FigureError(
            f"« {expression} » n'est pas un calcul lisible (nombres, noms de chiffres, + − × ÷)."
        ) from None
    for node in ast.walk(tree.body):
        allowed = (ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Load, ast.USub, ast.UAdd, *_OPERATORS)
        if not isinstance(node, allowed) or (
            isinstance(node, ast.Constant) and (isinstance(node.value, bool) or not isinstance(node.value, int | float))
        ):
            raise FigureError(f"« {expression} » : seuls les nombres, les noms de chiffres et + − × ÷ sont permis.")
    return tree.body


def names_in(expression: str) -> tuple[str, ...]:
    """The figures a computation uses, in order of appearance, each once."""
    seen: dict[str, None] = {}
    for node in ast.walk(parse_expression(expression)):
        if isinstance(node, ast.Name):
            seen.setdefault(node.id, None)
    return tuple(seen)


def _evaluate(node: ast.expr, values: Mapping[str, Decimal], expression: str) -> Decimal:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return _decimal(node.value)
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        inner = _evaluate(node.operand, values, expression)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, values, expression), _evaluate(node.right, values, expression)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if right == 0:
            raise FigureError(f"« {expression} » divise par zéro.")
        return left / right
    raise FigureError(f"« {expression} » : seuls les nombres, les noms de chiffres et + − × ÷ sont permis.")


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------------------------------ figures


class Figures:
    """Every figure of ``data/droit.yml``, by identifier, and the rendering of references to them."""

    def __init__(self, figures: Iterable[Figure]) -> None:
        self._figures = {figure.id: figure for figure in figures}

    def __iter__(self) -> Iterator[Figure]:
        return iter(self._figures.values())

    def __len__(self) -> int:
        return len(self._figures)

    def __contains__(self, figure_id: object) -> bool:
        return figure_id in self._figures

    def get(self, figure_id: str) -> Figure:
        """The figure named ``figure_id``, or a French error that suggests the nearest names."""
        try:
            return self._figures[figure_id]
        except KeyError:
            near = difflib.get_close_matches(figure_id, list(self._figures), n=3)
            hint = f" (vouliez-vous dire : {', '.join(near)} ?)" if near else ""
            raise FigureError(f"« {figure_id} » n'est pas un chiffre de data/droit.yml{hint}.") from None

    def value(self, figure_id: str, day: date | None = None) -> Decimal:
        """The amount of a figure on ``day`` (newest value without a day), in its unit (12 for 12 %)."""
        return self.get(figure_id).value_at(day).amount

    def compute(self, expression: str, day: date | None = None) -> Decimal:
        """The exact result of a computation, each figure taken on ``day`` (newest without a day)."""
        tree = parse_expression(expression)
        values = {name: _operand(self.get(name), day) for name in names_in(expression)}
        return _evaluate(tree, values, expression)

    def _shown_computation(self, expression: str, day: date | None) -> str:
        """« 150 × 12,02 € »: the computation with each figure replaced by its value on ``day``."""
        pieces: list[str] = []
        for token in _TOKEN.finditer(normalise_expression(expression)):
            if token.group("name"):
                figure = self.get(token.group("name"))
                amount = figure.value_at(day).amount
                pieces.append(_shown_number(amount, 2) if figure.unit == "fois" else format_amount(amount, figure.unit))
            elif token.group("number"):
                pieces.append(_shown_number(_decimal(token.group("number")), 2))
            elif token.group("operator"):
                pieces.append(f" {_OPERATORS_BY_SYMBOL[token.group('operator')]} ")
            else:
                pieces.append(token.group("bracket"))
        return re.sub(r" +", " ", "".join(pieces)).strip()

    def reference(self, reference: str) -> str:
        """What ``{droit}`reference``` shows: « 651,69 € », « 1er avril 2026 », « 150 × 12,02 € »…"""
        match = _REFERENCE.fullmatch(reference.strip())
        if not match:
            raise FigureError(
                f"« {reference} » : écrivez un nom de chiffre, éventuellement suivi de @AAAA-MM-JJ et d'une "
                f"variante ({', '.join(':' + v for v in VARIANTS)}), par exemple « rsa_base@2026-04-01:depuis »."
            )
        figure = self.get(match.group("id"))
        day = _parse_day(match.group("day"), reference)
        value = figure.value_at(day)
        variant = match.group("variant")
        if variant is None:
            return format_amount(value.amount, figure.unit)
        if variant == "nombre":
            return _shown_number(value.amount, 2)
        if variant in ("depuis", "annee"):
            if value.since is None:
                raise FigureError(
                    f"« {reference} » : la date de début de cette valeur n'est pas connue (data/droit.yml)."
                )
            return format_date(value.since) if variant == "depuis" else str(value.since.year)
        if variant == "jusqu_au":
            if value.until is None:
                raise FigureError(
                    f"« {reference} » : la date de fin de cette valeur n'est pas connue (data/droit.yml)."
                )
            return format_date(value.until)
        if variant == "calcul":
            if figure.formula is None:
                raise FigureError(
                    f"« {reference} » : « {figure.id} » n'est pas un chiffre calculé (pas de « calcul »)."
                )
            return self._shown_computation(figure.formula, value.since)
        raise FigureError(f"« {reference} » : variante inconnue (variantes permises : {', '.join(VARIANTS)}).")

    def example(self, text: str) -> str:
        """What ``{exemple}`text``` shows: an amount in euros computed by the course (« 396 € »)."""
        match = _AT_DATE.fullmatch(text)
        expression = match.group("expression") if match else text
        day = _parse_day(match.group("day") if match else None, text)
        return format_amount(_round(self.compute(expression, day)), "euros")

    def render(self, text: str) -> str:
        """``text`` with every ``{droit}`…``` and ``{exemple}`…``` replaced by what it shows."""
        if "}`" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            if match.group("role") == "droit":
                return self.reference(match.group("text"))
            return self.example(match.group("text"))

        return ROLE.sub(replace, text)


_OPERATORS_BY_SYMBOL = {"+": "+", "-": "−", "*": "×", "/": "÷"}
_TOKEN = re.compile(
    r"\s*(?:(?P<name>[a-z][a-z0-9_]*)|(?P<number>\d+(?:\.\d+)?)|(?P<operator>[-+*/])|(?P<bracket>[()]))"
)


def _operand(figure: Figure, day: date | None) -> Decimal:
    """A figure as a computation uses it: a percentage as a fraction (34 % → 0.34)."""
    amount = figure.value_at(day).amount
    return amount / _HUNDRED if figure.unit == "pourcent" else amount


def _parse_day(text: str | None, reference: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FigureError(f"« {reference} » : « {text} » n'est pas une date (AAAA-MM-JJ).") from None


# ------------------------------------------------------------------------------------------ building


def _typed_values(entry: Mapping[str, Any]) -> tuple[Value, ...]:
    default_sources = tuple(entry.get("sources") or ())
    values = [
        Value(
            amount=_decimal(raw["valeur"]),
            since=raw.get("depuis"),
            until=raw.get("jusqu_au"),
            sources=tuple(raw.get("sources") or ()) or default_sources,
            note=raw.get("note") or "",
        )
        for raw in entry.get("valeurs") or ()
    ]
    return tuple(values)


def _derived_values(entry: Mapping[str, Any], inputs: Sequence[Figure]) -> tuple[Value, ...]:
    """The values of a computed figure: one at each date one of its inputs changes, or, for a figure
    taken on 1 January (``au_1er_janvier``), one per calendar year between its inputs' first and last
    known dates. A date where an input has no value gives no value (the course says it is not known)."""
    formula: str = entry["calcul"]
    starts = sorted({v.since for figure in inputs for v in figure.values if v.since is not None})
    if entry.get("au_1er_janvier"):
        if not starts:
            return ()
        first = starts[0].year + (0 if (starts[0].month, starts[0].day) == (1, 1) else 1)
        points = [date(year, 1, 1) for year in range(first, starts[-1].year + 1)]
    else:
        points = starts
    computed: list[Value] = []
    for index, day in enumerate(points):
        try:
            used = [figure.value_at(day) for figure in inputs]
        except FigureError:
            continue
        operands = {figure.id: _operand(figure, day) for figure in inputs}
        if entry.get("au_1er_janvier"):
            until: date | None = date(day.year, 12, 31)
        elif index + 1 < len(points):
            until = points[index + 1] - timedelta(days=1)
        else:
            ends = [v.until for v in used if v.until is not None]
            until = min(ends) if ends else None
        sources = tuple(dict.fromkeys([*(entry.get("sources") or ()), *(s for v in used for s in v.sources)]))
        amount = _round(_evaluate(parse_expression(formula), operands, formula))
        computed.append(Value(amount=amount, since=day, until=until, sources=sources))
    return tuple(computed)


def build(entries: Sequence[Mapping[str, Any]]) -> Figures:
    """Figures from the validated entries of ``data/droit.yml`` (French keys: ``id``, ``libelle``,
    ``unite``, ``valeurs`` or ``calcul``…). Computed figures are evaluated here, inputs first; a
    computation naming an unknown figure, or going round in a circle, raises :class:`FigureError`
    naming the entry and the key."""
    by_id = {entry["id"]: entry for entry in entries}
    built: dict[str, Figure] = {}
    visiting: list[str] = []

    def make(figure_id: str) -> Figure:
        if figure_id in built:
            return built[figure_id]
        entry = by_id[figure_id]
        if figure_id in visiting:
            circle = " → ".join([*visiting[visiting.index(figure_id) :], figure_id])
            raise FigureError(f"ce calcul tourne en rond ({circle}).", figure_id, "calcul")
        visiting.append(figure_id)
        formula = entry.get("calcul")
        if formula:
            try:
                names = names_in(formula)
            except FigureError as error:
                raise FigureError(error.problem, figure_id, "calcul") from None
            for name in names:
                if name not in by_id:
                    near = difflib.get_close_matches(name, list(by_id), n=3)
                    hint = f" (vouliez-vous dire : {', '.join(near)} ?)" if near else ""
                    raise FigureError(
                        f"« {name} » n'est pas un chiffre de ce fichier{hint}.", figure_id, "calcul"
                    ) from None
            values = _derived_values(entry, [make(name) for name in names])
            if not values:
                raise FigureError(
                    "ce calcul ne donne aucune valeur : ses chiffres n'ont pas de date en commun.", figure_id, "calcul"
                )
        else:
            values = _typed_values(entry)
        visiting.pop()
        built[figure_id] = Figure(
            id=figure_id,
            label=entry["libelle"],
            unit=entry["unite"],
            values=values,
            openfisca=entry.get("openfisca") or None,
            formula=formula or None,
            january_first=bool(entry.get("au_1er_janvier")),
            note=entry.get("note") or "",
        )
        return built[figure_id]

    return Figures(make(entry["id"]) for entry in entries)
