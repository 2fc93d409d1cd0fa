"""Run a chapter's code cells outside the book, as the book's kernel and MyST-NB would.

Why: a chapter's prose may show values its code cells compute and « glue » (MyST-NB's ``glue`` and
``{glue:text}`name```: chapter 4's example is simulated, not typed). The book executes the notebook
before writing the page; the pages the course makes from the MyST text itself (SCORM packages,
slides) must do the same, or they would print the role instead of the amount. One way to do it, here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: A code cell of a MyST notebook: its options (``:tags: …``) and its code.
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n((?::[^\n]*\n)*)\n?(.*?)^```", re.M | re.S)
#: ``{glue:text}`name``` (or ``{glue}`name```), optionally ``name:format`` as MyST-NB allows.
GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([^`:]+)(?::[^`]*)?`")


@contextmanager
def captured(glued: dict[str, str], shown: list[Any]) -> Iterator[None]:
    """While a cell runs, IPython's ``display`` keeps what it is given in ``shown`` and MyST-NB's
    ``glue`` keeps its value (as text) in ``glued`` (the cells import both when they are called)."""
    import IPython.display
    import myst_nb

    def display(*objects: Any, **_options: Any) -> None:
        shown.extend(objects)

    def glue(name: str, value: Any, display: bool = True) -> None:
        glued[name] = str(value)
        if display:
            shown.append(value)

    saved = IPython.display.display, myst_nb.glue
    IPython.display.display, myst_nb.glue = display, glue
    try:
        yield
    finally:
        IPython.display.display, myst_nb.glue = saved


def run_code(code: str, namespace: dict[str, Any], glued: dict[str, str], filename: str) -> list[Any]:
    """Run ``code`` in ``namespace``; what it displays, then its last expression (None left out)."""
    tree = ast.parse(code)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    shown: list[Any] = []
    with captured(glued, shown):
        exec(compile(tree, filename, "exec"), namespace)  # noqa: S102 (the course's own cells)
        if isinstance(last, ast.Expr):
            shown.append(eval(compile(ast.Expression(last.value), filename, "eval"), namespace))  # noqa: S307
    return [value for value in shown if value is not None]


def glued_values(markdown: str, filename: str = "<chapitre>") -> dict[str, str]:
    """Every value the chapter's cells glue, running them only if its text shows one."""
    glued: dict[str, str] = {}
    if not GLUE_ROLE.search(markdown):
        return glued
    namespace: dict[str, Any] = {}
    for match in CODE_CELL.finditer(markdown):
        run_code(match.group(2), namespace, glued, filename)
    return glued


def with_glued_values(markdown: str, filename: str = "<chapitre>") -> str:
    """``markdown`` with each ``{glue:text}`name``` replaced by the value its cell glued; a name no cell
    glues raises ``KeyError`` (a page must not print a role)."""
    glued = glued_values(markdown, filename)
    return GLUE_ROLE.sub(lambda match: glued[match.group(1)], markdown)
