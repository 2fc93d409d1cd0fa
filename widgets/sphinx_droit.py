"""Sphinx extension: the roles ``{droit}`…``` and ``{exemple}`…``` that show a legal figure of
``data/droit.yml`` (or an amount the course computes from them) in the book's text.

Why roles rather than MyST substitutions filled at ``config-inited``: a substitution names one fixed
text, so each date and each variant of a figure would need its own key (``rsa_base_2025``,
``rsa_base_2025_depuis``…), and an example computed from the figures could not be written at all. A
role takes an argument — a date (``rsa_base@2025-04-01``), a variant (``:depuis``, ``:calcul``) or a
computation (``{exemple}`600 × (1 − micro_bnc)```) — and the very same syntax is rendered in ``data/``
texts by the loaders (:mod:`widgets.data`), in the slides and the kit (:mod:`widgets.droit`), so an
author learns one way to write a figure.

A reference that cannot be honoured (unknown figure, date without a value) is a warning at its line,
so the book's build (``--warningiserror``) fails instead of printing a wrong or empty figure. Each page
that uses a role depends on ``data/droit.yml``: Sphinx re-reads it when the file changes.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from widgets import droit
from widgets.data import DataFileError

logger = logging.getLogger(__name__)


class FigureRole(SphinxRole):
    """``{droit}`rsa_base@2025-04-01:depuis``` or ``{exemple}`600 × (1 − micro_bnc)```."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.env.note_dependency(droit.path())
        try:
            figures = droit.figures()
            shown = figures.reference(self.text) if self.name == "droit" else figures.example(self.text)
        except (droit.FigureError, DataFileError) as error:
            logger.warning("{%s}`%s` : %s", self.name, self.text, error, location=self.get_location())
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        return [nodes.inline(self.rawtext, shown, classes=[f"faire-{self.name}"])], []


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_role("droit", FigureRole())
    app.add_role("exemple", FigureRole())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
