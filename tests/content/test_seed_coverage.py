"""Every theme of the study day (20 December 2023) is taught somewhere in the book.

Why: the course promises to cover the whole day — the talk, the study, the round table, the six
workshops and the three conclusions. Each theme below is named in the seed; the test fails if a
chapter rewrite drops it. The expressions are searched case-insensitively in the chapters' text.
"""

from __future__ import annotations

import pytest

from .test_course_content import chapter_markdown, toc_files

SEED_THEMES = {
    "Gardien : pairité et confiance": ["pairité", "confiance", "je te comprends"],
    "Gardien : effets de la pairité": ["résonance", "écoute", "compréhension de soi", "sur mesure"],
    "Étude : continuum participation → travail pair": ["continuum", "retournement du stigmate", "diplôme"],
    "Étude : rémunérer ?": ["to be or not to be"],
    "Table ronde : CVS d'un CADA": ["CVS", "CADA", "charge importante", "lieu dédié"],
    "Table ronde : Un chez-soi d'abord": ["chez-soi d'abord", "rien pour nous sans nous", "bonne distance"],
    "Table ronde : responsable de pôle": ["nommer les choses", "degré d'autonomie", "politisons"],
    "Table ronde : messages": ["normal de ne pas être normal", "porteurs d'espoir", "bousculer"],
    "Atelier 1 : risques psychosociaux": ["risques psychosociaux", "conflit de valeur", "supervision"],
    "Atelier 2 : politiques publiques": ["CNLE", "instrumentalis", "liberté de parole", "entendus"],
    "Atelier 3 : hors les murs": ["hors les murs", "aller-vers", "identité commune", "nous toustes"],
    "Atelier 4 : valoriser un travail sans statut": ["pas de statut", "bonus", "ancienneté", "tremplin"],
    "Atelier 5 : outils EPIC": [
        "Exister",
        "Participer",
        "Interroger",
        "Construire",
        "météo",
        "photolangage",
        "carte",
        "abaque de Régnier",
        "feux tricolores",
        "parole au centre",
        "je prends",
        "je laisse",
        "pépite",
        "speed boat",
        "souvenir du futur",
    ],
    "Atelier 6 : accueillir un TP": [
        "suradaptation",
        "surprotection",
        "sigles",
        "système D",
        "concurrent",
        "complémentarité",
        "horaires",
        "juste proximité",
        "état de travailler",
        "stress minoritaire",
        "secret professionnel",
        "secret partagé",
    ],
    "Conclusion 1 : approches engagées": ["faire avec", "faire pour", "effet de mode", "auto-organis"],
    "Conclusion 2 : reconnaître et rémunérer": [
        "complémentaires",
        "indemnisation",
        "dédommagement",
        "droits sociaux",
        "missions",
    ],
    "Conclusion 3 : cadre propice": ["gouvernance", "conseil d'administration", "appel à projets", "long terme"],
}


@pytest.fixture(scope="module")
def book_text() -> str:
    return "\n".join(chapter_markdown(name) for name in toc_files()).casefold()


@pytest.mark.parametrize("theme", sorted(SEED_THEMES))
def test_seed_theme_is_taught(theme, book_text):
    missing = [expr for expr in SEED_THEMES[theme] if expr.casefold() not in book_text]
    assert not missing, f"{theme} : expressions absentes du livre : {', '.join(missing)}"
