"""A chapter's « Sources » in a package: the entries of ``references.bib`` it cites, numbered in order of
first citation and written by the book's own style (:class:`widgets.sphinx_sources.CourseStyle`), so
that a source reads the same in the book, on paper and in the LMS (« consulté le … », validity note).
"""

from __future__ import annotations

from functools import cache

from docutils import nodes
from pybtex.database import BibliographyData, parse_file
from pybtex_docutils import Backend

from widgets.bibliography import BIB_FILE


@cache
def bibliography() -> BibliographyData:
    """``references.bib`` read by pybtex, the parser the book uses."""
    return parse_file(str(BIB_FILE), bib_format="bibtex")


def source_items(keys: list[str]) -> nodes.Element:
    """The numbered list of sources: item N has the id ``source-N`` that « [N] » links to."""
    from widgets.sphinx_sources import CourseStyle

    if not keys:
        return nodes.paragraph("", "Ce chapitre ne cite pas de document.")
    style = CourseStyle()
    backend = Backend()
    data = bibliography()
    items = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["fa-sources"])
    for number, key in enumerate(keys, start=1):
        entry = style.format_entry(str(number), data.entries[key])
        items += nodes.list_item("", backend.paragraph(entry), ids=[f"source-{number}"])
    return items
