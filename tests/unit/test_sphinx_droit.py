"""The book's roles ``{droit}`` and ``{exemple}`` (widgets/sphinx_droit.py), in a real Sphinx build of a
two-line MyST page: the value from ``data/droit.yml`` is in the HTML, and a wrong reference is a warning
at its line (the book is built with ``--warningiserror``, so it fails there)."""

from __future__ import annotations

import io
from pathlib import Path

from sphinx.application import Sphinx

from widgets import droit


def build(tmp_path: Path, page: str) -> tuple[str, str, Sphinx]:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["myst_parser", "widgets.sphinx_droit"]\n', encoding="utf-8")
    (source / "index.md").write_text(page, encoding="utf-8")
    warnings = io.StringIO()
    app = Sphinx(
        str(source),
        str(source),
        str(tmp_path / "html"),
        str(tmp_path / "doctrees"),
        "html",
        status=None,
        warning=warnings,
    )
    app.build()
    return (tmp_path / "html" / "index.html").read_text(encoding="utf-8"), warnings.getvalue(), app


def test_roles_show_the_figures_and_a_wrong_one_warns_at_its_line(tmp_path):
    page = (
        "# Page\n\n"
        "RSA : {droit}`rsa_base@2025-04-01`, depuis le {droit}`rsa_base@2025-04-01:depuis` ;"
        " exemple : {exemple}`600 × (1 − micro_bnc)`.\n\n"
        "Faute : {droit}`rsa_bas`.\n"
    )
    html, warnings, app = build(tmp_path, page)
    assert '<span class="faire-droit">646,52\u00a0€</span>' in html
    assert '<span class="faire-droit">1er avril 2025</span>' in html
    assert '<span class="faire-exemple">396\u00a0€</span>' in html
    assert "index.md:5" in warnings and "« rsa_bas » n'est pas un chiffre de data/droit.yml" in warnings
    # The page is re-read when data/droit.yml changes.
    assert {str(Path(p).resolve()) for p in app.env.dependencies["index"]} == {str(Path(droit.path()).resolve())}
