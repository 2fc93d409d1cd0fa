"""Sphinx extension: the « Faire l'exercice en direct » box that links a chapter to its Voilà exercise.

Why a directive: the Voilà base URL lives in one place (``faire_avec_voila_url`` in ``_config.yml``),
and a link to an exercise notebook that does not exist must fail the build (``jupyter-book build -W``)
instead of giving a learner a broken page.

An exercise with a light face (``widgets/leger``: the self-checks, the continuum, « Suis-je prêt·e ? »)
gets two links: the Voilà face (first in the page, for a keyboard on a computer) and the light face,
which the book's stylesheet (``faire-avec-book.css``) puts first, as the main button, on a narrow
screen: CSS only, no guess from the browser's name. The light link is relative (``../leger/<name>``)
because the light face is served by the book's own server, whatever its address or prefix.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from widgets.data import REPO_ROOT
from widgets.fr import typography
from widgets.leger import find as light_face

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
        live = (
            f'<a class="faire-live-link" href="{url}" target="_blank" rel="noopener">▶ Faire l\'exercice en direct</a>'
        )
        if light_face(name) is None:
            links = f"<p>{live}</p>"
            where = "L'exercice s'ouvre dans un nouvel onglet. Il fonctionne"
        else:
            light = html.escape(f"{'../' * self.env.docname.count('/')}leger/{name}")
            links = (
                f'<p class="faire-live-liens">{live}'
                f'<a class="faire-live-leger" href="{light}">▶ Version légère, pour téléphone</a></p>'
            )
            where = (
                "La version légère, sans graphique, s'ouvre vite sur un téléphone. La version en direct "
                "s'ouvre dans un nouvel onglet, pour un ordinateur ou un vidéoprojecteur. Les deux fonctionnent"
            )
        markup = (
            '<div class="faire-live admonition tip" style="border-left:6px solid #1b5e20;padding:0.8em 1em">'
            '<p class="admonition-title">Exercice en direct</p>'
            f"{links}"
            + typography(
                f"<p>{where} quand le serveur du cours est lancé (commande <code>make serve</code>). Vos réponses ne "
                "sont gardées que dans ce navigateur : l'ordinateur du cours ne les enregistre pas. « Tout recommencer » "
                "les efface.</p>"
            )
            + "</div>"
        )
        return [nodes.raw("", markup, format="html")]


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_config_value("faire_avec_voila_url", "http://127.0.0.1:8866/voila/render", "html")
    app.add_directive("exercice-en-direct", LiveExerciseDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
