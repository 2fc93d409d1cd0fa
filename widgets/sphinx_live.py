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
# An exercise done alone keeps its answers in the browser; a group exercise (« salle-… ») records the
# room's votes on the computer that runs the course: the note under the link says which.
ALONE_NOTE = (
    "<p>L'exercice s'ouvre dans un nouvel onglet. Il fonctionne quand le serveur du cours est lancé "
    "(commande <code>make serve</code>). Vos réponses restent dans ce navigateur, rien n'est envoyé ailleurs ; "
    "« Tout recommencer » les efface.</p>"
)
GROUP_PREFIX = "salle-"
GROUP_NOTE = (
    "<p>La page de la personne qui anime s'ouvre dans un nouvel onglet ; le groupe répond avec ses téléphones. "
    "Elle fonctionne quand le serveur du cours est lancé : <code>FAIRE_AVEC_SALLE=1 make serve</code> pour que "
    "les téléphones de la salle se connectent (<code>make serve</code> seul : cet ordinateur seulement). Les votes "
    "du groupe sont enregistrés sur l'ordinateur qui fait tourner le cours, sans nom, et effacés 12 heures après "
    "l'ouverture de la séance ; rien n'est envoyé ailleurs.</p>"
)
logger = logging.getLogger(__name__)


def live_url(base: str, name: str) -> str:
    return f"{base.rstrip('/')}/{name}.ipynb"


def live_box(url: str, name: str) -> str:
    """The box: the link, and a note on where answers go (the browser, or the room's computer)."""
    return (
        '<div class="faire-live admonition tip" style="border-left:6px solid #1b5e20;padding:0.8em 1em">'
        '<p class="admonition-title">Exercice en direct</p>'
        f'<p><a class="faire-live-link" href="{html.escape(url)}" target="_blank" rel="noopener" '
        'style="display:inline-block;padding:0.6em 1.1em;background:#1b5e20;color:#fff;border-radius:6px;'
        "font-weight:bold;font-size:1.1rem;text-decoration:none\">▶ Faire l'exercice en direct</a></p>"
        f"{GROUP_NOTE if name.startswith(GROUP_PREFIX) else ALONE_NOTE}"
        "</div>"
    )


class LiveExerciseDirective(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if not (EXERCISES_DIR / f"{name}.ipynb").exists():
            logger.warning(
                "exercice en direct introuvable : chapters/exercices/%s.ipynb", name, location=self.get_location()
            )
        return [nodes.raw("", live_box(live_url(self.config.faire_avec_voila_url, name), name), format="html")]


def setup(app):
    app.add_config_value("faire_avec_voila_url", "http://127.0.0.1:8866/voila/render", "html")
    app.add_directive("exercice-en-direct", LiveExerciseDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
