"""Per chapter, two printed handouts made from the built book page (``_build/html/chapters/NN-nom.html``):

* the **participant's** version: the chapter without the book's menus, buttons, search, page
  navigation or « exercice en direct » box, without the « Pour animer cette séquence » box, with the
  quiz questions but not their answers, tables readable on paper and the sources kept;
* the **trainer's** version: the same page with « Pour animer cette séquence », every quiz answer open
  (the answer key), and at the end the facilitation notes and the numbers to give (and, for the
  chapter on participation, the continuum's answer sheet).

Why print the built page rather than write a second document: the handout is the chapter the group
reads on screen, with its figures, tables and sources, so nothing can drift. The print stylesheet and
the few changes are applied in Chromium just before printing; the book's files are not touched.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from widgets.data import REPO_ROOT
from widgets.kit import pdf

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

BOOK_DIR = REPO_ROOT / "_build" / "html"
OUT_DIR = REPO_ROOT / "_build" / "kit" / "supports"

# What a reader of paper does not need: menus, buttons, search, navigation, live-exercise boxes.
HIDDEN = (
    ".bd-header",
    ".bd-sidebar-primary",
    ".bd-sidebar-secondary",
    ".bd-header-article",
    ".header-article-items",
    ".prev-next-area",
    ".prev-next-footer",
    ".bd-footer",
    ".bd-footer-article",
    ".bd-footer-content",
    ".footer-items__start",
    ".skip-link",
    ".headerlink",
    ".search-button-field",
    ".pst-async-banner-revealer",
    "#pst-back-to-top",
    ".faire-live",
    ".fa-kit-links",
    "button",
    ".btn",
    "dialog",
    "#pst-primary-sidebar-checkbox",
    "#pst-secondary-sidebar-checkbox",
    ".sidebar-toggle",
)
PRINT_CSS = (
    ", ".join(HIDDEN)
    + """ { display: none !important; }
@page { size: A4; }
html, body { background: #fff !important; }
body { font-size: 11pt; line-height: 1.45; color: #111; }
.bd-main, .bd-content, .bd-article-container, .bd-article, .bd-page-width, .bd-container, .bd-container__inner {
  max-width: none !important; width: auto !important; margin: 0 !important; padding: 0 !important;
  display: block !important; overflow: visible !important; }
h1 { font-size: 20pt; } h2 { font-size: 15pt; break-after: avoid; } h3 { font-size: 12.5pt; break-after: avoid; }
p, li { orphans: 3; widows: 3; }
.pst-scrollable-table-container, .table-wrapper { overflow: visible !important; }
table { width: 100% !important; border-collapse: collapse !important; font-size: 9.5pt !important;
        table-layout: auto; }
th, td { border: 1px solid #767676 !important; padding: 3px 5px !important; white-space: normal !important;
         vertical-align: top; overflow-wrap: anywhere; }
thead { display: table-header-group; }
tr, img, figure, .admonition, details { break-inside: avoid; }
.admonition { border: 1px solid #767676 !important; box-shadow: none !important; }
a { color: #111 !important; text-decoration: underline; }
.cell_output, .output { overflow: visible !important; }
.js-plotly-plot, .plotly { max-width: 100% !important; }
.faire-quiz > p:first-child { display: none; }
details > summary { list-style: none; }
details > summary::-webkit-details-marker { display: none; }
.fa-print-version { font-size: 9pt; border: 1px solid #767676; padding: 4px 6px; margin-bottom: 8px; }
"""
)
# The book prints each self-check as an answer key; the participants' handout keeps the questions and
# their possible answers, without the verdicts (the trainer's version keeps the key).
PARTICIPANT_CSS = """
.faire-quiz .faire-quiz-key, .faire-quiz .faire-quiz-printed, .faire-quiz .faire-quiz-howto { display: none !important; }
.faire-quiz .faire-quiz-answers { display: block !important; }
.faire-quiz details > :not(summary) { display: none !important; }
"""
TRAINER_CSS = """
.fa-print-trainer h2 { break-before: page; }
.seealso.admonition { border: 3px solid #111 !important; }
"""


@dataclass(frozen=True)
class Handout:
    chapter: str  # chapter id, e.g. 01-pairite
    version: str  # "participant" or "formateur"
    path: Path


def chapter_ids(book_dir: Path = BOOK_DIR) -> tuple[str, ...]:
    """The numbered chapters present in the built book."""
    return tuple(sorted(p.stem for p in (book_dir / "chapters").glob("[0-9][0-9]-*.html")))


def _trainer_appendix(chapter: str) -> str:
    """What the trainer's version adds at the end: notes, numbers and, for chapter 3, the answers."""
    from widgets.kit.cards import situation_answers
    from widgets.kit.page import notes_html, numbers_html

    parts = [
        '<section class="fa-print-trainer"><h2>Pour la personne qui anime : repères</h2>',
        notes_html(level=3),
        "<h2>Si quelqu'un va mal : les numéros à donner</h2>",
        numbers_html(),
    ]
    if chapter.endswith("participer"):
        answers = situation_answers()
        body = answers.split("<body>", 1)[1].split("</body>", 1)[0]
        body = body.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
        parts.append(body)
    parts.append("</section>")
    return "".join(parts)


def _prepare(version: str, chapter: str) -> Callable[[Page], None]:
    """The changes made in the page just before printing (the book's files stay as they are)."""
    appendix = _trainer_appendix(chapter) if version == "formateur" else ""
    label = (
        "Version pour la personne qui anime : avec l'encadré « Pour animer cette séquence », les réponses du quiz "
        "et les repères pour animer."
        if version == "formateur"
        else "Support pour les participant·es. Le chapitre en ligne : « Faire avec — participation et travail pair »."
    )

    def prepare(page: Page) -> None:
        page.add_style_tag(content=PRINT_CSS + (TRAINER_CSS if version == "formateur" else PARTICIPANT_CSS))
        page.evaluate(
            """([version, appendix, label]) => {
                const article = document.querySelector('article.bd-article') || document.body;
                const note = document.createElement('p');
                note.className = 'fa-print-version';
                note.textContent = label;
                article.prepend(note);
                // Boxes are found by their title, whatever their class.
                const animer = [...document.querySelectorAll('.admonition')].filter(
                    box => (box.querySelector('.admonition-title') || {}).textContent === 'Pour animer cette séquence');
                if (version === 'formateur') {
                    document.querySelectorAll('details').forEach(d => { d.open = true; });
                    const extra = document.createElement('div');
                    extra.innerHTML = appendix;
                    article.append(extra);
                } else {
                    animer.forEach(box => box.remove());
                    document.querySelectorAll('details').forEach(d => { d.open = false; });
                }
                // Links print as their text; an address written in the text stays readable.
                document.querySelectorAll('a[target]').forEach(a => a.removeAttribute('target'));
            }""",
            [version, appendix, label],
        )

    return prepare


def print_chapter(
    chromium: Browser, chapter: str, version: str, out_dir: Path = OUT_DIR, book_dir: Path = BOOK_DIR
) -> Handout:
    """Print one chapter's handout (``version`` is « participant » or « formateur »)."""
    source = book_dir / "chapters" / f"{chapter}.html"
    if not source.exists():
        raise pdf.PrintError(
            f"Le chapitre {chapter} n'est pas dans le livre construit ({source}) : lancez « make book » d'abord."
        )
    out = out_dir / f"{chapter}-{version}.pdf"
    title = f"Faire avec — chapitre {int(chapter[:2])} ({'formateur' if version == 'formateur' else 'participant'})"
    pdf.print_page(
        chromium, out, url=source.resolve().as_uri(), title=html.escape(title), prepare=_prepare(version, chapter)
    )
    return Handout(chapter, version, out)


def print_all(
    chapters: tuple[str, ...] | None = None,
    out_dir: Path = OUT_DIR,
    book_dir: Path = BOOK_DIR,
    chromium: Browser | None = None,
) -> list[Handout]:
    """Both versions of every chapter (or of ``chapters``), with one Chromium (``chromium`` if given:
    a test passes its own, since Playwright runs one driver per process)."""
    wanted = chapters or chapter_ids(book_dir)
    if not wanted:
        raise pdf.PrintError(f"Aucun chapitre dans {book_dir} : lancez « make book » d'abord.")
    if chromium is None:
        with pdf.browser() as own:
            return print_all(wanted, out_dir, book_dir, own)
    return [
        print_chapter(chromium, chapter, version, out_dir, book_dir)
        for chapter in wanted
        for version in ("participant", "formateur")
    ]
