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
# An exercise done alone keeps its answers in the browser; a group exercise (« salle-… ») records the
# room's votes on the computer that runs the course: the note under the link says which.
ALONE_NOTE = (
    "<p>L'exercice s'ouvre dans un nouvel onglet. Il fonctionne quand le serveur du cours est lancé "
    "(commande <code>make serve</code>). Vos réponses restent dans ce navigateur, rien n'est envoyé ailleurs ; "
    "« Tout recommencer » les efface.</p>"
)
# An exercise with a light face (widgets/leger): the light page for a phone, the live one for a computer.
LIGHT_NOTE = (
    "<p>La version légère, sans graphique, s'ouvre vite sur un téléphone. La version en direct s'ouvre dans un "
    "nouvel onglet, pour un ordinateur ou un vidéoprojecteur. Les deux fonctionnent quand le serveur du cours est "
    "lancé (commande <code>make serve</code>). Vos réponses ne sont gardées que dans ce navigateur : l'ordinateur "
    "du cours ne les enregistre pas. « Tout recommencer » les efface.</p>"
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


def live_box(url: str, name: str, light: str | None = None) -> str:
    """The box: the link (and, for an exercise with a light face, the light page first on a phone), and a
    note on where answers go (this browser, or the room's computer)."""
    live = f'<a class="faire-live-link" href="{html.escape(url)}" target="_blank" rel="noopener">▶ Faire l\'exercice en direct</a>'
    if light is None:
        links = f"<p>{live}</p>"
        note = GROUP_NOTE if name.startswith(GROUP_PREFIX) else ALONE_NOTE
    else:
        links = (
            f'<p class="faire-live-liens">{live}'
            f'<a class="faire-live-leger" href="{html.escape(light)}">▶ Version légère, pour téléphone</a></p>'
        )
        note = LIGHT_NOTE
    return (
        '<div class="faire-live admonition tip" style="border-left:6px solid #1b5e20;padding:0.8em 1em">'
        '<p class="admonition-title">Exercice en direct</p>'
        f"{links}{typography(note)}</div>"
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
        light = f"{'../' * self.env.docname.count('/')}leger/{name}" if light_face(name) is not None else None
        return [nodes.raw("", live_box(live_url(self.config.faire_avec_voila_url, name), name, light), format="html")]


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_config_value("faire_avec_voila_url", "http://127.0.0.1:8866/voila/render", "html")
    app.add_directive("exercice-en-direct", LiveExerciseDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
