"""What a learner's browser receives never holds the notebook's code nor a Python error: a failing
cell shows a French sentence; the error itself goes to Voilà's log."""

from __future__ import annotations

import html

from widgets.voila_app import ERROR_MESSAGE

from .probes import ERROR_MARKER, SOURCE_MARKER, raw_get


def test_failing_cell_shows_a_french_message_and_no_traceback(probe):
    page = raw_get(probe.port, "/voila/render/echec.ipynb")
    assert page.status == 200
    assert "sortie-visible" in page.body  # the cell before the error did run and show its output
    assert ERROR_MESSAGE in html.unescape(page.body)
    for leak in (ERROR_MARKER, "Traceback", "ValueError", "There was an error", "show_tracebacks", "Execution error"):
        assert leak not in page.body, f"« {leak} » est arrivé dans la page"


def test_no_source_code_in_any_page(probe):
    for name in ("echec.ipynb", "calme.ipynb"):
        page = raw_get(probe.port, f"/voila/render/{name}")
        assert page.status == 200
        assert SOURCE_MARKER not in page.body, f"le code de {name} est dans la page"


def test_no_template_or_theme_switch_from_the_address(probe):
    """``?template=`` could pick a template that shows code (e.g. a slideshow of the notebook)."""
    for query in ("?template=reveal", "?template=classic", "?voila-template=reveal", "?theme=dark"):
        page = raw_get(probe.port, f"/voila/render/calme.ipynb{query}")
        assert page.status == 200
        assert SOURCE_MARKER not in page.body and "faire-avec" in page.body, query
