"""Exercise « Suis-je prêt·e à accueillir un travailleur pair ou une travailleuse paire ? » (team self-assessment, atelier 6).

``show()`` is what the Voilà notebook calls. Imports of the view are deferred so that the model
and the printable report stay importable without ipywidgets.
"""

from __future__ import annotations


def show() -> None:
    """Build and display the live self-assessment (used by the Voilà notebook)."""
    from widgets.pret.view import show as _show

    return _show()
