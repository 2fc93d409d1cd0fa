"""The « Exercice en direct » box says where answers go: this browser alone, or the room's computer."""

from __future__ import annotations

import re

from widgets.sphinx_live import EXERCISES_DIR, live_box


def text(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def test_an_exercise_done_alone_keeps_answers_in_the_browser():
    said = text(live_box("http://127.0.0.1:8866/voila/render/continuum.ipynb", "continuum"))
    assert "Vos réponses restent dans ce navigateur" in said


def test_a_group_exercise_says_votes_are_recorded_on_the_room_s_computer_and_how_phones_connect():
    for notebook in sorted(EXERCISES_DIR.glob("salle-*.ipynb")):
        said = text(live_box(f"http://127.0.0.1:8866/voila/render/{notebook.name}", notebook.stem))
        assert "restent dans ce navigateur" not in said and "Tout recommencer" not in said, notebook.stem
        assert "enregistrés sur l'ordinateur qui fait tourner le cours" in said
        assert "FAIRE_AVEC_SALLE=1 make serve" in said and "effacés 12 heures après" in said


def test_an_exercise_with_a_light_face_offers_both_and_keeps_answers_in_the_browser():
    markup = live_box("http://127.0.0.1:8866/voila/render/continuum.ipynb", "continuum", "../leger/continuum")
    assert 'class="faire-live-leger" href="../leger/continuum"' in markup and "faire-live-link" in markup
    assert "ne sont gardées que dans ce navigateur" in text(markup)
