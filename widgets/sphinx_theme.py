"""Sphinx extension: each script of a book page written once.

Why: under Sphinx 7.4 an extension's inline script (``app.add_js_file(None, body=…)``) added once the
HTML builder exists is written twice in every page — the builder stores it with the file name
``None``, then copies the registry again with ``''``, and the two no longer compare equal (fixed
upstream in Sphinx 8.2, which Jupyter Book 1.x cannot use). A script that declares a ``const`` then
fails the second time (« Identifier … has already been declared »), and any other one runs twice.
The course's pages keep the first copy of each identical script, in its place.

That is how every page of the book logged ``Identifier 'THEBE_JS_URL' has already been declared``:
the configuration script of sphinx-thebe, an extension Jupyter Book always loads (the book runs no
code: its launch buttons and Thebe are off). Leaving the extension out would mean replacing Jupyter
Book's whole list of extensions in ``_config.yml``, which every later extension would then have to
join by hand; the two small files it adds to a page are cached after the first one.

The rest of the theme's phone and French fixes are configuration (``_config.yml``) and templates
(``_templates/``).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _key(script: Any) -> tuple[str, float, tuple[tuple[str, str], ...]]:
    attributes = getattr(script, "attributes", {})
    return (
        getattr(script, "filename", None) or "",
        float(getattr(script, "priority", 500)),
        tuple(sorted((str(k), str(v)) for k, v in attributes.items())),
    )


def unique_scripts(scripts: list[Any]) -> list[Any]:
    """``scripts`` without the later copies of a script with the same file, priority and attributes
    (an inline script's body is one of its attributes)."""
    seen: set[tuple[str, float, tuple[tuple[str, str], ...]]] = set()
    kept = []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    return kept


def drop_repeated_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: a new list, so the builder's own list (shared by every page) is left as it is."""
    scripts = context.get("script_files")
    if isinstance(scripts, list):
        context["script_files"] = unique_scripts(scripts)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", drop_repeated_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
