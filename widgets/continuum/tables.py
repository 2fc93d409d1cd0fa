"""Static tables of the continuum chapter, rendered from data (they need no live kernel)."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from widgets.continuum.content import load_arnstein, load_steps
from widgets.ui import html_table


def steps_table() -> HTML:
    frame = pd.DataFrame(
        [(s.position, s.label, s.degree, s.description, s.example) for s in load_steps()],
        columns=["Étape", "Ce que fait la personne", "Degré", "Ce que cela veut dire", "Exemple"],
    )
    return html_table(frame, "Le continuum du cours : de l'information au travail pair")


def arnstein_table() -> HTML:
    frame = pd.DataFrame(
        [(r["echelon"], r["nom_francais"], r["nom_anglais"], r["groupe"]) for r in load_arnstein()],
        columns=["Échelon", "Nom en français", "Nom d'origine (anglais)", "Groupe"],
    )
    return html_table(frame, "L'échelle de la participation de Sherry Arnstein (1969), du haut vers le bas")
