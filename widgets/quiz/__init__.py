"""Chapter self-checks: ``static(key)`` for the book (no kernel needed), ``show(key)`` for Voilà.

The book's HTML lives in :mod:`widgets.quiz.book`, not in a submodule called ``static``: importing a
submodule rebinds the package attribute of the same name, so a ``widgets.quiz.static`` module would
replace this function after its first call (a second chapter rendered in the same process then failed
with « 'module' object is not callable »).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from IPython.display import HTML


def static(chapter: str) -> HTML:
    from widgets.quiz.book import static as _static

    return _static(chapter)


def show(chapter: str) -> None:
    from widgets.quiz.view import show as _show

    return _show(chapter)
