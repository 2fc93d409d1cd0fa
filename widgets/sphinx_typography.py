"""Sphinx extension: French spacing in the book's text — a narrow no-break space (U+202F) before
« ? ! : ; » » and after « « ».

Why a transform rather than edits in the chapters: authors type an ordinary space, as everyone does,
and a browser may then wrap a lone « ? » onto the next line of a narrow column (a table header on a
phone: « Ouvre des droits sociaux / ? »). Doing it once here covers every page, title and table, and
uses the same rule as the exercises (:func:`widgets.fr.typography`).

Only prose is touched: code, literal text, raw HTML (the widgets' output already has its own spacing)
and mathematics are left exactly as written. Loaded by :mod:`widgets.sphinx_sources`.
"""

from __future__ import annotations

from docutils import nodes
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


def _kept(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, KEEP_AS_WRITTEN):
            return True
        parent = parent.parent
    return False


def french_spacing(document: nodes.Node) -> None:
    """Replace the ordinary or no-break space around French double punctuation by U+202F."""
    for text in list(document.findall(nodes.Text)):
        spaced = typography(str(text))
        if spaced != str(text) and text.parent is not None and not _kept(text):
            text.parent.replace(text, nodes.Text(spaced))


class FrenchSpacing(SphinxTransform):
    """The text as written in the chapters."""

    # After the parser's own transforms (substitutions are resolved by then), before the collectors
    # read the titles, so the navigation shows the same title as the page.
    default_priority = 800

    def apply(self, **kwargs) -> None:
        french_spacing(self.document)


class FrenchSpacingOfGeneratedText(SphinxPostTransform):
    """The text Sphinx writes at the end: each chapter's « Sources » (sphinxcontrib-bibtex builds them
    in a post-transform of priority 5) and the titles that resolved cross-references show."""

    default_priority = 900

    def run(self, **kwargs) -> None:
        french_spacing(self.document)


def setup(app):
    app.add_transform(FrenchSpacing)
    app.add_post_transform(FrenchSpacingOfGeneratedText)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
