"""A chapter's glued values (MyST-NB) shown outside the book: slides and SCORM packages run its cells."""

from __future__ import annotations

import pytest

from widgets.cells import glued_values, with_glued_values
from widgets.data import REPO_ROOT

CELL = (
    "```{code-cell} ipython3\n:tags: [remove-input]\n\nfrom myst_nb import glue\n"
    "glue('montant', '1 234,56 €', display=False)\nglue('mois', 'avril', display=False)\n```\n"
)


def test_a_glued_value_replaces_its_role_wherever_it_is():
    text = "En {glue:text}`mois`, {glue:text}`montant`.\n\n" + CELL
    assert with_glued_values(text).startswith("En avril, 1 234,56 €.")


def test_a_role_no_cell_glues_is_an_error_not_a_printed_role():
    with pytest.raises(KeyError, match="absent"):
        with_glued_values("{glue:text}`absent`\n\n" + CELL)


def test_a_chapter_without_glue_runs_no_cell():
    text = "Rien.\n\n```{code-cell} ipython3\nraise SystemExit('ne doit pas tourner')\n```\n"
    assert glued_values(text) == {}


def test_chapter_4_slides_show_the_simulators_figures():
    from widgets.kit.slides import build_deck
    from widgets.remuneration import example

    deck = build_deck(REPO_ROOT / "chapters" / "04-remunerer.md")
    assert "{glue" not in deck and "exemple_" not in deck
    assert example.example().figures["exemple_gain"] in deck
