"""Group mode (« mode groupe »): the room votes from its phones, the trainer's screen shows the group.

``show_abaque()``, ``show_continuum()`` and ``show_meteo()`` are what the Voilà notebooks of
``chapters/exercices/salle-*.ipynb`` call. The participants' pages are served by
:mod:`widgets.salle.server` (started by ``make serve``), so that phones cost no Jupyter kernel.
Imports of the view are deferred: the model and the store stay importable without ipywidgets.
"""

from __future__ import annotations


def show_abaque() -> None:
    """The trainer's view of the abaque de Régnier and of the traffic lights."""
    from widgets.salle.view import show

    return show("abaque")


def show_continuum() -> None:
    """The trainer's view of the collective continuum."""
    from widgets.salle.view import show

    return show("continuum")


def show_meteo() -> None:
    """The trainer's view of the météo check-in and check-out."""
    from widgets.salle.view import show

    return show("meteo")


def show_quiz() -> None:
    """The trainer's view of the quiz du groupe, avant / après and « Suis-je prêt·e ? » (widgets/salle/eval_view.py)."""
    from widgets.salle.eval_view import show

    return show("quiz")


def show_questionnaire() -> None:
    """The trainer's view of the end-of-session questionnaire on phones, paper sheets typed in."""
    from widgets.salle.eval_view import show

    return show("questionnaire")
