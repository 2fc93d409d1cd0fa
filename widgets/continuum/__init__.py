"""Exercise « Où se situe cette situation ? » (continuum participation → travail pair).

``show()`` is what notebooks call; the tables render the grid and Arnstein's ladder from data.
Imports of the view are deferred so that the model stays importable without ipywidgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from IPython.display import HTML


def show() -> None:
    """Build and display the live exercise (used by the Voilà notebook)."""
    from widgets.continuum.view import show as _show

    return _show()


def steps_table() -> HTML:
    """The course's 6-step grid as a table (static: works in the book without a kernel)."""
    from widgets.continuum.tables import steps_table as _table

    return _table()


def arnstein_table() -> HTML:
    """Arnstein's ladder (1969), top rung first, as a table."""
    from widgets.continuum.tables import arnstein_table as _table

    return _table()
