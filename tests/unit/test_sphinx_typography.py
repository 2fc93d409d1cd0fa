"""The book's French spacing (widgets/sphinx_typography.py) and its lists of sources as valid lists for
screen readers (widgets/sphinx_sources.py), checked on small documents through docutils; each of a
page's scripts written once (widgets/sphinx_theme.py)."""

from __future__ import annotations

from docutils import nodes
from docutils.core import publish_doctree, publish_string
from docutils.writers import html5_polyglot

from widgets import sphinx_sources
from widgets.sphinx_theme import unique_scripts
from widgets.sphinx_typography import bind_numbers, french_spacing

NNBSP = "\u202f"
NBSP = "\u00a0"

SOURCE = """
Rémunérer : pourquoi ?
======================

+----------------------------+-------+
| Ouvre des droits sociaux ? | Forme |
+============================+=======+
| oui                        | non   |
+----------------------------+-------+

Une phrase ; une autre ! « *Cité* » et ``code : a ? b`` ici.

Une séance de 3 heures, le 1er janvier 2017, 45 € et le décret n° 2016-1940, ``ls 3 fois``.

.. code-block:: python

   x = a if b else c  # vrai ? : non

.. raw:: html

   <p>brut ?</p>
"""


def test_prose_gets_narrow_no_break_spaces_and_code_stays_as_written():
    doctree = publish_doctree(SOURCE)
    french_spacing(doctree)
    texts = {type(t.parent).__name__: str(t) for t in doctree.findall(nodes.Text)}
    literals = [n.astext() for n in doctree.findall(nodes.literal)]
    assert doctree.next_node(nodes.title).astext() == f"Rémunérer{NNBSP}: pourquoi{NNBSP}?"
    assert f"Ouvre des droits sociaux{NNBSP}?" in doctree.astext()
    paragraph = "".join(p.astext() for p in doctree.findall(nodes.paragraph))
    assert f"phrase{NNBSP}; une autre{NNBSP}! «{NNBSP}Cité{NNBSP}»" in paragraph
    assert literals == ["code : a ? b", "ls 3 fois"]
    assert doctree.next_node(nodes.literal_block).astext() == "x = a if b else c  # vrai ? : non"
    assert texts["raw"] == "<p>brut ?</p>"
    assert " ?" not in doctree.next_node(nodes.table).astext()
    assert f"de 3{NBSP}heures, le 1er{NBSP}janvier 2017, 45{NBSP}€ et le décret n°{NBSP}2016-1940" in paragraph


def test_a_number_stays_with_its_word_but_names_are_left_alone():
    assert bind_numbers("134 personnes, 2,5 heures, son 5e collège, 34 %") == (
        f"134{NBSP}personnes, 2,5{NBSP}heures, son 5e{NBSP}collège, 34{NBSP}%"
    )
    assert bind_numbers("une F2 à 2 pas") == f"une F2 à 2{NBSP}pas"  # « F2 » is a name: no space is added or bound
    assert bind_numbers("Le 3 ? Oui.") == "Le 3 ? Oui."  # punctuation is typography()'s job
    assert bind_numbers("n° 12") == f"n°{NBSP}12"


class _Translator(html5_polyglot.HTMLTranslator):
    visit_citation = sphinx_sources.visit_citation
    depart_citation = sphinx_sources.depart_citation


def _html(source: str, translator=None) -> str:
    writer = html5_polyglot.Writer()
    if translator:
        writer.translator_class = translator
    return publish_string(source, writer=writer).decode("utf-8")


CITATIONS = """
Voir [Un]_ et [Deux]_.

.. [Un] Première source.
.. [Deux] Seconde source.
"""


def test_each_source_is_a_list_item_of_its_list():
    before = _html(CITATIONS)
    assert 'role="doc-biblioentry"' in before  # docutils' own markup: what axe reported
    after = _html(CITATIONS, _Translator)
    assert after.count('<div role="list" class="citation-list">') == 1
    assert after.count('role="listitem"') == 2 and "doc-biblioentry" not in after
    body = after[after.index('class="citation-list"') :]
    assert body.index("Première source") < body.index("Seconde source") < body.index("</div>\n</div>")


def test_an_inline_script_registered_twice_by_sphinx_is_written_once():
    """Sphinx 7.4 stores the same inline script with the file name None, then again with '': the two
    copies differ only there, and a « const » declared twice stops the page's scripts."""
    from sphinx.builders.html._assets import _JavaScript

    config = "const THEBE_JS_URL = 1"
    scripts = [
        _JavaScript("doctools.js", priority=200),
        _JavaScript(None, priority=500, body=config),  # type: ignore[arg-type]  # what Sphinx 7.4 itself passes
        _JavaScript("togglebutton.js", priority=500),
        _JavaScript("", priority=500, body=config),
        _JavaScript("", priority=500, body="const other = 2"),
    ]
    assert scripts[1] != scripts[3]  # what Sphinx compares: the bug this guards against
    kept = unique_scripts(scripts)
    assert [s.attributes.get("body") or s.filename for s in kept] == [
        "doctools.js",
        config,
        "togglebutton.js",
        "const other = 2",
    ]
