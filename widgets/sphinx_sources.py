"""Sphinx extension: the course's bibliography style (« Sources » of each chapter, in French).

Why a style of our own: pybtex's built-in styles write in English (« URL: », « visited on »), drop
the ``urldate`` field and need an author, whereas most of the course's sources are web pages whose
author is an organisation. Every entry of ``references.bib`` is printed the same way, in French:

    Auteur. *Titre*. Revue ou site, éditeur, lieu, année. https://…. Note.

A consultation date is printed only when the entry has one: ``urldate`` (ISO date, e.g.
``2026-12-07``) becomes « consulté le 7 décembre 2026 », and an entry without it prints no date at
all. The course records a date only for a page somebody really read on that day (see
``docs/regles-de-contenu.md``), so most entries have none. The ``note`` carries the validity of an
amount or a rule (« Montant valable du … au … »). Entries keep the order in which a chapter cites
them (label = 1, 2, 3… per chapter).

Text fields are LaTeX for BibTeX, where « % » starts a comment: « avec 50 % de personnes » would print
« avec 50 ». :func:`prose` escapes a bare « % » before pybtex reads the field, so the sources are
written as people write them and nothing after a « % » is lost.

The extension also writes each list of sources as a valid list for screen readers (see
:func:`visit_citation`), and loads :mod:`widgets.sphinx_typography` (French spacing in the book's text).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pybtex.plugin
from docutils import nodes
from pybtex.richtext import Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle, toplevel
from pybtex.style.template import FieldIsMissing, field, href, join, names, node, optional, sentence, tag
from sphinx.application import Sphinx

from widgets.fr import format_date

STYLE_NAME = "faireavec"


def consulted(iso_day: str) -> str:
    """« consulté le 1er décembre 2026 » from ``2026-12-01`` (a malformed date fails the build)."""
    return f"consulté le {format_date(date.fromisoformat(iso_day.strip()))}"


def _consulted_text(value: Text) -> Text:
    return Text(consulted(str(value)))


#: A « % » that LaTeX would read as the start of a comment (one not already written « \% »).
BARE_PERCENT = re.compile(r"(?<!\\)%")


def latex_safe(value: str) -> str:
    """``value`` with each bare « % » escaped, so that LaTeX keeps it as a character."""
    return BARE_PERCENT.sub(r"\\%", value)


@node
def prose(children: list[Any], context: dict[str, Any], name: str) -> Text:
    """A text field of the entry, read as LaTeX once its bare « % » are escaped (see the module's docstring)."""
    if children:
        raise ValueError(children)
    entry = context["entry"]
    try:
        value = entry._find_field(name, bib_data=context.get("bib_data"))
    except KeyError:
        raise FieldIsMissing(name, entry) from None
    return Text.from_latex(latex_safe(value))


class CourseStyle(BaseStyle):
    """One template for every entry type (article, web page, decree, unpublished report)."""

    default_sorting_style = "none"
    default_label_style = "number"

    def format_entry(self, label: str, entry: Any, bib_data: Any = None) -> FormattedEntry:
        context = {"entry": entry, "style": self, "bib_data": bib_data}
        text = self.template().format_data(context)
        return FormattedEntry(entry.key, text, label)

    def template(self) -> Any:
        authors = optional[sentence[names("author", sep=", ", sep2=" et ", last_sep=" et ")]]
        title = sentence[tag("em")[prose("title")]]
        journal = optional[
            join[
                tag("em")[prose("journal")],
                optional[" ", field("volume")],
                optional["(", field("number"), ")"],
                optional[", p. ", field("pages")],
            ]
        ]
        where = optional[
            sentence[
                journal,
                optional[prose("howpublished")],
                optional[prose("publisher")],
                optional[prose("address")],
                optional[field("year")],
            ]
        ]
        link = optional[
            sentence[
                href(field("url", raw=True))[field("url", raw=True)],
                optional[field("urldate", apply_func=_consulted_text)],
            ]
        ]
        note = optional[sentence[prose("note")]]
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


def visit_citation(self: Any, node: nodes.citation) -> None:
    """Each source as a list item of its ``role="list"`` wrapper.

    Why: docutils (0.21) wraps consecutive citations in ``<div role="list" class="citation-list">`` but
    gives each one ``role="doc-biblioentry"``, a role deprecated in DPUB-ARIA 1.1 that is not a list
    item: axe-core reports ``aria-required-children`` (critical), and a screen reader announces an
    empty list. Same markup otherwise, so the theme's styles still apply.
    """
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self: Any, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


def setup(app: Sphinx) -> dict[str, bool]:
    app.setup_extension("widgets.sphinx_typography")
    # HTML builders only: other formats keep their own way of writing citations.
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE_NAME, CourseStyle)
    for group, name in CACHED_PLUGINS:
        pybtex.plugin.register_plugin(group, name, pybtex.plugin.find_plugin(group, name), force=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
