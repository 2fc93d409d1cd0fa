"""The trainer's kit: session planner, ready sessions, printable handouts and cards, projector slides.

``show()`` is what the planner's Voilà notebook calls; the book's trainer page calls the ``*_html``
helpers. Views are imported late so that the model, the plans and the print tools stay importable
without ipywidgets.
"""

from __future__ import annotations


def show():
    """Build and display the session planner (used by the Voilà notebook)."""
    from widgets.kit.view import show as _show

    return _show()
