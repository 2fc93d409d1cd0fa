"""The legal figures of ``data/droit.yml`` for Python code: the simulator's texts, the slides, the kit.

Why a small API: a text written in Python (a note of the simulator, a slide) must show the same
figure as the book, from the same file, never a copy typed in the code. Examples::

    from widgets import droit

    droit.text("rsa_base")                         # « 651,69 € » (newest value)
    droit.text("rsa_base", date(2025, 6, 1))       # « 646,52 € » (in force on that day)
    droit.value("forfait_logement_1")              # Decimal("12") (12 %)
    droit.since("rsa_base")                        # date(2026, 4, 1)
    droit.render("au moins {droit}`chomage_heures`")  # « au moins 910 heures »

The file is read and validated once per process by :func:`widgets.data.load_droit`; the rules of the
syntax are in :mod:`widgets.droit_model` and ``docs/regles-de-contenu.md``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from widgets.data import DATA_DIR, DROIT_FILE, REPO_ROOT, load_droit
from widgets.droit_model import IDENTIFIER, ROLE, Figure, FigureError, Figures, format_amount, normalise_expression

__all__ = ["FigureError", "Use", "course_uses", "figure", "figures", "path", "render", "since", "text", "value"]


def figures() -> Figures:
    """Every figure of the file (read once per process)."""
    return load_droit()


def path() -> str:
    """Where the figures live, for messages and for Sphinx's dependency tracking."""
    return str(DATA_DIR / DROIT_FILE)


def figure(figure_id: str) -> Figure:
    """One figure, with its label, unit, dated values and sources."""
    return figures().get(figure_id)


def value(figure_id: str, day: date | None = None) -> Decimal:
    """The amount in force on ``day`` (newest value without a day), in the figure's unit (12 for 12 %)."""
    return figures().value(figure_id, day)


def text(figure_id: str, day: date | None = None) -> str:
    """The amount in force on ``day`` as a learner reads it: « 651,69 € », « 12 % », « 910 heures »."""
    found = figure(figure_id)
    return format_amount(found.value_at(day).amount, found.unit)


def since(figure_id: str, day: date | None = None) -> date | None:
    """The date the value in force on ``day`` applies from (None when the sources do not say)."""
    return figure(figure_id).value_at(day).since


def render(content: str) -> str:
    """``content`` with its ``{droit}`…``` and ``{exemple}`…``` references replaced by their values."""
    return figures().render(content)


# --------------------------------------------------------------------------------- where figures are used

#: Texts that may name a figure: the chapters, the data files (not droit.yml itself) and the code.
COURSE_GLOBS: tuple[str, ...] = ("chapters/*.md", "data/**/*.csv", "data/**/*.yml", "data/**/*.yaml", "widgets/**/*.py")
#: The modules that define the syntax: their docstrings show it with placeholder names.
SYNTAX_MODULES: tuple[str, ...] = ("droit.py", "droit_model.py", "droit_openfisca.py", "sphinx_droit.py")
_CALL = re.compile(r"droit\.(?:text|value|since|figure)\(\s*[\"'](?P<id>[a-z][a-z0-9_]*)[\"']")


@dataclass(frozen=True)
class Use:
    """One place that names a figure: a role in a text, or a call of this API in the code."""

    path: Path
    line: int
    text: str  # the role's argument (« rsa_base@2025-04-01:depuis ») or the figure of an API call
    role: str  # "droit", "exemple" or "code"

    def figure_ids(self) -> tuple[str, ...]:
        if self.role == "exemple":
            expression = self.text.split("@", 1)[0]
            return tuple(name for name in IDENTIFIER.findall(normalise_expression(expression)))
        match = IDENTIFIER.match(self.text.strip())
        return (match.group(0),) if match else ()


def course_files(root: Path = REPO_ROOT) -> list[Path]:
    """Every file whose text may name a figure (``data/droit.yml`` itself excepted)."""
    found = {path for pattern in COURSE_GLOBS for path in root.glob(pattern) if path.is_file()}
    return sorted(
        path
        for path in found
        if path.name != DROIT_FILE
        and "__pycache__" not in path.parts
        and not (path.suffix == ".py" and path.name in SYNTAX_MODULES)
    )


def _code_strings(source: str) -> list[tuple[int, str]]:
    """The string literals of Python code with their lines, docstrings left out (they show the syntax
    with examples; only the strings a learner may read count)."""
    tree = ast.parse(source)
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def uses_in(path: Path) -> list[Use]:
    """The roles (and, in Python code, the calls of this API) of one file, with their line numbers."""
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        found = [
            Use(path, line, m.group("text"), m.group("role"))
            for line, text in _code_strings(source)
            for m in ROLE.finditer(text)
        ]
        for number, line_text in enumerate(source.splitlines(), start=1):
            found += [Use(path, number, m.group("id"), "code") for m in _CALL.finditer(line_text)]
        return found
    return [
        Use(path, number, m.group("text"), m.group("role"))
        for number, line_text in enumerate(source.splitlines(), start=1)
        for m in ROLE.finditer(line_text)
    ]


def course_uses(root: Path = REPO_ROOT) -> list[Use]:
    """Every place of the course that names a figure."""
    return [use for path in course_files(root) for use in uses_in(path)]
