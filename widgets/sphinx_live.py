"""Sphinx extension: the « Faire l'exercice en direct » box that links a chapter to its Voilà exercise.

Why a directive: the Voilà base URL lives in one place (``faire_avec_voila_url`` in ``_config.yml``),
and a link to an exercise notebook that does not exist must fail the build (``jupyter-book build -W``)
instead of giving a learner a broken page.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from widgets.data import REPO_ROOT

EXERCISES_DIR = REPO_ROOT / "chapters" / "exercices"
logger = logging.getLogger(__name__)


def live_url(base: str, name: str) -> str:
    return f"{base.rstrip('/')}/{name}.ipynb"


class LiveExerciseDirective(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if not (EXERCISES_DIR / f"{name}.ipynb").exists():
            logger.warning(
                "exercice en direct introuvable : chapters/exercices/%s.ipynb", name, location=self.get_location()
            )
        url = html.escape(live_url(self.config.faire_avec_voila_url, name))
        markup = (
            '<div class="faire-live admonition tip" style="border-left:6px solid #1b5e20;padding:0.8em 1em">'
            '<p class="admonition-title">Exercice en direct</p>'
            f'<p><a class="faire-live-link" href="{url}" target="_blank" rel="noopener" '
            'style="display:inline-block;padding:0.6em 1.1em;background:#1b5e20;color:#fff;border-radius:6px;'
            "font-weight:bold;font-size:1.1rem;text-decoration:none\">▶ Faire l'exercice en direct</a></p>"
            "<p>L'exercice s'ouvre dans un nouvel onglet. Il fonctionne quand le serveur du cours est lancé "
            "(commande <code>make serve</code>). Vos réponses restent dans ce navigateur, rien n'est envoyé ailleurs ; « Tout recommencer » les efface.</p>"
            "</div>"
        )
        return [nodes.raw("", markup, format="html")]


def setup(app):
    app.add_config_value("faire_avec_voila_url", "http://127.0.0.1:8866/voila/render", "html")
    app.add_directive("exercice-en-direct", LiveExerciseDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
