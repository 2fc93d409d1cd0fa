"""The trainer's kit: session planner, ready sessions, printable handouts and cards, projector slides.

``show()`` is what the planner's Voilà notebook calls; the trainers' book page calls ``plan()``,
``tools()``, ``notes()``, ``numbers()`` and ``questionnaire()``, which return HTML built from
``data/kit/`` and from the chapters' own boxes. Views are imported late so that the model, the plans
and the print tools stay importable without ipywidgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from IPython.display import HTML


def show() -> None:
    """Build and display the session planner (used by the Voilà notebook)."""
    from widgets.kit.planner.view import show as _show

    return _show()


def _html(text: str) -> HTML:
    from IPython.display import HTML

    return HTML(text)


def plan(plan_id: str) -> HTML:
    """A ready session of ``data/kit/seances.yml``, timed from the chapters (book page)."""
    from widgets.kit.page import plan_html

    return _html(plan_html(plan_id))


def tools() -> HTML:
    """The table of the EPIC tools (book page)."""
    from widgets.kit.page import tools_html

    return _html(tools_html())


def notes() -> HTML:
    """The facilitation notes (book page)."""
    from widgets.kit.page import notes_html

    return _html(notes_html(level=3))


def numbers() -> HTML:
    """The numbers to give when someone is in distress (book page)."""
    from widgets.kit.page import numbers_html

    return _html(numbers_html())


def questionnaire(plan_id: str | None = None) -> HTML:
    """The end-of-session questionnaire, with the objectives of a ready session if given (book page)."""
    from widgets.kit.page import questionnaire_html

    return _html(questionnaire_html(plan_id))
