"""Sphinx extension: French spacing in the book's text — a narrow no-break space (U+202F) before
« ? ! : ; » » and after « « », and a no-break space (U+00A0) that keeps a number with its word.

Why a transform rather than edits in the chapters: authors type an ordinary space, as everyone does,
and a browser may then wrap a lone « ? » onto the next line of a narrow column (a table header on a
phone: « Ouvre des droits sociaux / ? »). Doing it once here covers every page, title and table, and
uses the same rule as the exercises (:func:`widgets.fr.typography`). In the same way a number stays on
the line of the word it counts (« 3 heures », « 20 décembre », « 5e collège », « 45 € », « n° 2016 »):
a phone's narrow column had put « 3 » at the end of a line and « heures » at the start of the next.

Only prose is touched: code, literal text, raw HTML (the widgets' output already has its own spacing)
and mathematics are left exactly as written. Loaded by :mod:`widgets.sphinx_sources`.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from widgets.fr import typography

# Text inside these nodes is shown as written: code, commands, raw HTML, formulas, comments.
KEEP_AS_WRITTEN: tuple[type[nodes.Node], ...] = (
    nodes.FixedTextElement,  # literal_block, doctest_block, math_block, comment, raw…
    nodes.literal,
    nodes.raw,
    nodes.math,
    nodes.comment,
    nodes.target,
)


NBSP = "\u00a0"
# A number (« 3 », « 2,5 », « 1er », « 5e ») and the ordinary space before a word or a unit sign; and
# « n° » before its number. Not after a letter: « F2 » or « 2016-1940 » are names, not counts.
_NUMBER_WORD = re.compile(r"(?<![^\W\d_])(\d+(?:[,.]\d+)?(?:er|re|e|es|ème|èmes|nd|nde)?) (?=[^\W\d_]|[€%$])")
_NUMERO = re.compile(r"\b(n°|N°) (?=\d)")


def bind_numbers(text: str) -> str:
    """« 3 heures » → « 3\u00a0heures »: the space after a number, before its word, no longer breaks."""
    return _NUMERO.sub(r"\1" + NBSP, _NUMBER_WORD.sub(r"\1" + NBSP, text))


def _kept(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, KEEP_AS_WRITTEN):
            return True
        parent = parent.parent
    return False


def french_spacing(document: nodes.Node) -> None:
    """Replace the ordinary or no-break space around French double punctuation by U+202F, and the
    space between a number and its word by U+00A0."""
    for text in list(document.findall(nodes.Text)):
        spaced = bind_numbers(typography(str(text)))
        if spaced != str(text) and text.parent is not None and not _kept(text):
            text.parent.replace(text, nodes.Text(spaced))


class FrenchSpacing(SphinxTransform):
    """The text as written in the chapters."""

    # After the parser's own transforms (substitutions are resolved by then), before the collectors
    # read the titles, so the navigation shows the same title as the page.
    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        french_spacing(self.document)


class FrenchSpacingOfGeneratedText(SphinxPostTransform):
    """The text Sphinx writes at the end: each chapter's « Sources » (sphinxcontrib-bibtex builds them
    in a post-transform of priority 5) and the titles that resolved cross-references show."""

    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        french_spacing(self.document)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_transform(FrenchSpacing)
    app.add_post_transform(FrenchSpacingOfGeneratedText)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
