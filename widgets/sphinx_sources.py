"""Sphinx extension: the course's bibliography style (« Sources » of each chapter, in French).

Why a style of our own: pybtex's built-in styles write in English (« URL: », « visited on »), drop
the ``urldate`` field and need an author, whereas most of the course's sources are web pages whose
author is an organisation. Every entry of ``references.bib`` is printed the same way, in French:

    Auteur. *Titre*. Revue ou site, année. https://…, consulté le 1er décembre 2026. Note.

The ``urldate`` (ISO date, e.g. ``2026-12-01``) becomes « consulté le 1er décembre 2026 »; the
``note`` carries the validity of an amount or a rule (« Montant valable du … au … »).
Entries keep the order in which a chapter cites them (label = 1, 2, 3… per chapter).

The extension also writes each list of sources as a valid list for screen readers (see
:func:`visit_citation`), and loads :mod:`widgets.sphinx_typography` (French spacing in the book's text).
"""

from __future__ import annotations

from datetime import date

import pybtex.plugin
from docutils import nodes
from pybtex.richtext import Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle, toplevel
from pybtex.style.template import field, href, join, names, optional, sentence, tag

from widgets.fr import format_date

STYLE_NAME = "faireavec"


def consulted(iso_day: str) -> str:
    """« consulté le 1er décembre 2026 » from ``2026-12-01`` (a malformed date fails the build)."""
    return f"consulté le {format_date(date.fromisoformat(iso_day.strip()))}"


def _consulted_text(value: Text) -> Text:
    return Text(consulted(str(value)))


class CourseStyle(BaseStyle):
    """One template for every entry type (article, web page, decree, unpublished report)."""

    default_sorting_style = "none"
    default_label_style = "number"

    def format_entry(self, label, entry, bib_data=None):
        context = {"entry": entry, "style": self, "bib_data": bib_data}
        text = self.template().format_data(context)
        return FormattedEntry(entry.key, text, label)

    def template(self):
        authors = optional[sentence[names("author", sep=", ", sep2=" et ", last_sep=" et ")]]
        title = sentence[tag("em")[field("title")]]
        journal = optional[
            join[
                tag("em")[field("journal")],
                optional[" ", field("volume")],
                optional["(", field("number"), ")"],
                optional[", p. ", field("pages")],
            ]
        ]
        where = optional[sentence[journal, optional[field("howpublished")], optional[field("year")]]]
        link = optional[
            sentence[
                href[field("url", raw=True), field("url", raw=True)],
                optional[field("urldate", apply_func=_consulted_text)],
            ]
        ]
        note = optional[sentence[field("note")]]
        return toplevel[authors, title, where, link, note]


#: pybtex looks a plugin up in the entry points of every installed package on each call, and
#: sphinxcontrib-bibtex calls it for every citation: about 8 s per build with this venv. Each plugin
#: below is resolved once and registered as a runtime plugin, which pybtex checks first (same class).
CACHED_PLUGINS = (
    ("pybtex.backends", "plaintext"),
    ("pybtex.backends", "docutils"),
    ("pybtex.style.names", "plain"),
    ("pybtex.style.labels", "number"),
    ("pybtex.style.sorting", "none"),
)


def visit_citation(self, node: nodes.citation) -> None:
    """Each source as a list item of its ``role="list"`` wrapper.

    Why: docutils (0.21) wraps consecutive citations in ``<div role="list" class="citation-list">`` but
    gives each one ``role="doc-biblioentry"``, a role deprecated in DPUB-ARIA 1.1 that is not a list
    item: axe-core reports ``aria-required-children`` (critical), and a screen reader announces an
    empty list. Same markup otherwise, so the theme's styles still apply.
    """
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


def setup(app):
    app.setup_extension("widgets.sphinx_typography")
    # HTML builders only: other formats keep their own way of writing citations.
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE_NAME, CourseStyle)
    for group, name in CACHED_PLUGINS:
        pybtex.plugin.register_plugin(group, name, pybtex.plugin.find_plugin(group, name), force=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
