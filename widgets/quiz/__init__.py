"""Chapter self-checks: ``static(key)`` for the book (no kernel needed), ``show(key)`` for Voilà."""

from __future__ import annotations


def static(chapter: str):
    from widgets.quiz.static import static as _static

    return _static(chapter)


def show(chapter: str):
    from widgets.quiz.view import show as _show

    return _show(chapter)
