"""Projector slides for each chapter: one self-contained HTML file, built from the chapter's MyST source.

Why our own deck instead of reveal.js: Jupyter's slides export loads reveal.js from a CDN, and a
training room often has no network. This deck is one file with its style and a few lines of script
inside: no request leaves the page, it opens from a USB stick, and it reads from the back of a room at
1920×1080 (about 40 px text, strong contrast, eight lines at most per slide).

What a chapter becomes:

1. a title slide; the objectives and the duration (« Fiche pédagogique »); the easy-to-read summary;
   the opening question of « Pour animer cette séquence »;
2. one slide per ``##`` or ``###`` section, split into several (« suite ») when it is too long for a
   screen; tables are cut into slices of a few rows with their header repeated;
3. one slide per self-check question (answers hidden: the group answers aloud or with colour cards);
4. a closing slide pointing to the sources (kept in the chapter and in the printed handout).

Legal figures (``{droit}`rsa_base```, ``{exemple}`…```) show their value from ``data/droit.yml``, as in
the book. Left out: code cells (their tables and charts are in the book and in the live exercises), the box
for trainers, the « Sources » and « Pour aller plus loin » lists, glossary and citation markup.
Keyboard: → ↓ Espace Page suivante to advance, ← ↑ Page précédente to go back, Début / Fin, F for
full screen; the address ends with ``#7`` to open slide 7.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from widgets import droit
from widgets.cells import with_glued_values
from widgets.data import REPO_ROOT
from widgets.kit.chapters import chapter_paths, plain

OUT_DIR = REPO_ROOT / "_build" / "kit" / "slides"
MAX_CHARS = 560  # visible characters per slide (about eight lines of 40 px text at 1920 px)
MAX_ROWS = 5  # table rows per slide
SKIPPED_SECTIONS = ("Je vérifie mes connaissances", "Sources", "Pour aller plus loin")
SKIPPED_BOXES = ("Pour animer cette séquence",)

_MD = MarkdownIt("commonmark").enable("table")
_ROLE = re.compile(r"\{(?:term|doc|ref)\}`([^`<]*?)(?:\s*<[^>]*>)?`")
_CITE = re.compile(r"\s*\{cite(?::\w+)?\}`[^`]*`")
_FENCE = re.compile(r"^```\{(?P<name>[\w-]+)\}(?P<arg>[^\n]*)\n(?P<body>.*?)^```\s*$", re.M | re.S)
_BOX = re.compile(r"^:::\{(?P<name>[\w-]+)\}(?P<arg>[^\n]*)\n(?P<body>.*?)^:::\s*$", re.M | re.S)
_HEADING = re.compile(r"^(#{1,3}) (.+)$", re.M)
_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


@dataclass(frozen=True)
class Slide:
    """One screen: a heading and its HTML body; ``kind`` styles it (title, question, section…)."""

    heading: str
    body: str
    kind: str = "section"


def _clean(markdown: str) -> str:
    """MyST → plain Markdown for slides: roles become their words, citations and directives go."""
    text = _CITE.sub("", markdown)
    text = re.sub(r"\(\s*[,;]\s*", "(", text)  # « ({cite}`x`, source secondaire) » → « (source secondaire) »
    text = re.sub(r"\(\s*\)", "", text)
    text = _ROLE.sub(r"\1", text)
    text = _FENCE.sub("", text)  # code cells, live-exercise buttons, bibliography

    def box(match: re.Match) -> str:
        name, arg, body = match.group("name"), match.group("arg").strip(), match.group("body")
        if arg in SKIPPED_BOXES or arg == "En bref (facile à lire)" or arg == "Fiche pédagogique":
            return ""
        title = (
            arg
            if name == "admonition"
            else {"note": "À noter", "important": "Important", "warning": "Attention"}.get(name, "")
        )
        body = "\n".join(line for line in body.splitlines() if not line.startswith(":class:"))
        return f'\n<div class="box" markdown>\n\n**{title}**\n\n{body.strip()}\n\n</div>\n' if title else body

    return _BOX.sub(box, text)


def _render(markdown: str) -> str:
    """Markdown to HTML with every link turned into text: a slide never points outside itself."""
    rendered = _MD.render(markdown)
    return _LINK.sub(lambda m: f'<span class="link">{m.group(2)}</span>', rendered)


def _visible(fragment: str) -> int:
    return len(html.unescape(_TAG.sub("", fragment)).strip())


def _blocks(markdown: str) -> list[str]:
    """Top-level Markdown blocks (paragraph, list, table, box), kept whole."""
    blocks: list[str] = []
    current: list[str] = []
    in_box = False
    for line in markdown.splitlines():
        if line.startswith('<div class="box"'):
            in_box = True
        if not line.strip() and not in_box:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
        if line.startswith("</div>"):
            in_box = False
    if current:
        blocks.append("\n".join(current))
    # A list item that follows a blank line belongs to the list above.
    merged: list[str] = []
    for block in blocks:
        if merged and re.match(r"^(\s*[-*]|\s*\d+[.)])\s", block) and re.match(r"^(\s*[-*]|\s*\d+[.)])\s", merged[-1]):
            merged[-1] += "\n" + block
        else:
            merged.append(block)
    return merged


def _split_block(block: str) -> list[str]:
    """A block too long for one screen: a table in slices of rows, a list in groups of items."""
    lines = block.splitlines()
    if len(lines) > 2 and lines[0].startswith("|") and re.match(r"^\|\s*:?-", lines[1]):
        head, rows = lines[:2], lines[2:]
        budget = MAX_CHARS - len(plain(lines[0]))
        slices: list[list[str]] = []
        for row in rows:
            if (
                slices
                and len(slices[-1]) < MAX_ROWS
                and sum(len(plain(r)) for r in slices[-1]) + len(plain(row)) <= budget
            ):
                slices[-1].append(row)
            else:
                slices.append([row])
        return ["\n".join(head + rows_) for rows_ in slices]
    if re.match(r"^(\s*[-*]|\d+[.)])\s", lines[0]):
        items: list[list[str]] = []
        for line in lines:
            if re.match(r"^([-*]|\d+[.)])\s", line) or not items:
                items.append([line])
            else:
                items[-1].append(line)
        groups: list[str] = []
        current: list[str] = []
        size = 0
        for item in items:
            length = len(plain(" ".join(item)))
            if current and size + length > MAX_CHARS:
                groups.append("\n".join(current))
                current, size = [], 0
            current += item
            size += length
        groups.append("\n".join(current))
        return groups
    return [block]


def _section_slides(heading: str, markdown: str) -> list[Slide]:
    pieces: list[str] = []
    for block in _blocks(_clean(markdown)):
        html_block = _render(block)
        if _visible(html_block) > MAX_CHARS or block.count("\n|") > MAX_ROWS + 1:
            pieces += [_render(part) for part in _split_block(block)]
        else:
            pieces.append(html_block)
    slides: list[list[str]] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        length = _visible(piece) + (200 if "<table" in piece else 0)
        # A lead-in (« … quatre étapes : ») stays with what it announces, unless that makes a wall of text.
        lead_in = bool(current) and (
            current[-1].rstrip().endswith(":</p>") or (current[-1].startswith("<p>") and _visible(current[-1]) < 80)
        )
        if current and size + length > MAX_CHARS and not (lead_in and size + length <= 2 * MAX_CHARS):
            slides.append(current)
            current, size = [], 0
        current.append(piece)
        size += length
    if current:
        slides.append(current)
    return [
        Slide(heading + (" (suite)" if index else ""), "".join(parts)) for index, parts in enumerate(slides) if parts
    ]


def _box_items(text: str, title: str) -> list[str]:
    match = re.search(r"^:::\{admonition\} " + re.escape(title) + r"\n(.*?)^:::\s*$", text, re.M | re.S)
    if not match:
        return []
    return [plain(line[2:]) for line in match.group(1).splitlines() if line.startswith("- ")]


def chapter_slides(path: Path) -> list[Slide]:
    """Every slide of one chapter, in order."""
    from widgets.kit.chapters import parse_chapter
    from widgets.kit.content import load_tools

    # A legal figure shows its value from data/droit.yml, as in the book (« 651,69 € »).
    # A value the chapter's cells compute (MyST-NB's glue, chapter 4's simulated example) shows as in the book.
    text = droit.render(with_glued_values(path.read_text(encoding="utf-8"), str(path)))
    text = text.split("\n---\n", 1)[1] if text.startswith("---") else text
    chapter = parse_chapter(path, load_tools())
    slides = [
        Slide(
            chapter.title,
            f"<p class='subtitle'>Chapitre {chapter.number}</p><p class='course'>Faire avec — participation et travail pair</p>",
            "title",
        ),
        Slide(
            "Ce que vous saurez faire",
            "<ul>" + "".join(f"<li>{html.escape(o)}</li>" for o in chapter.objectives) + "</ul>"
            f"<p class='small'>Durée : {html.escape(chapter.duration_text)}</p>",
        ),
    ]
    summary = _box_items(text, "En bref (facile à lire)")
    if summary:
        slides.append(
            Slide("En bref", "<ul class='falc'>" + "".join(f"<li>{html.escape(s)}</li>" for s in summary) + "</ul>")
        )
    if chapter.opening_question:
        slides.append(
            Slide("Pour commencer", f"<p class='question'>{html.escape(chapter.opening_question)}</p>", "question")
        )

    headings = list(_HEADING.finditer(text))
    for index, match in enumerate(headings):
        level, title = len(match.group(1)), plain(match.group(2))
        if level == 1:
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        if any(title.startswith(skip) for skip in SKIPPED_SECTIONS):
            continue
        body = text[match.end() : end]
        section = _section_slides(title, body)
        if section or level == 2:
            slides += section or [Slide(title, "", "divider")]

    quiz = re.search(r'quiz\.static\("(\w+)"\)', text)
    if quiz:
        from widgets.quiz.content import load_questions

        questions = load_questions(quiz.group(1))
        for number, question in enumerate(questions, start=1):
            answers = "".join(
                f"<li><strong>{chr(65 + i)}.</strong> {html.escape(a.text)}</li>"
                for i, a in enumerate(question.answers)
            )
            hint = " (plusieurs réponses possibles)" if question.multiple else ""
            slides.append(
                Slide(
                    f"Je vérifie mes connaissances ({number}/{len(questions)})",
                    f"<p class='quiz-question'>{html.escape(question.text)}{hint}</p><ul class='answers'>{answers}</ul>",
                )
            )
    slides.append(
        Slide(
            "Sources",
            "<p>Chaque fait de ce chapitre a sa source et sa date dans le chapitre en ligne (partie « Sources ») "
            "et dans le support imprimé.</p><p class='course'>Faire avec — participation et travail pair</p>",
            "title",
        )
    )
    return slides


DECK_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: #fff; color: #111; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 2.1vw; line-height: 1.38; }
.slide { position: absolute; inset: 0; padding: 3.2vw 5vw 4.5vw; display: flex; flex-direction: column; overflow: hidden; }
.slide[hidden] { display: none; }
.slide h2 { font-size: 1.55em; margin: 0 0 0.5em; color: #0b3d5c; border-bottom: 0.12em solid #0b3d5c; padding-bottom: 0.15em; }
.slide.title, .slide.question, .slide.divider { justify-content: center; }
.slide.title h2 { font-size: 2.1em; border: none; }
.slide .subtitle { font-size: 1.2em; margin: 0; }
.slide .course { color: #333; font-size: 0.8em; }
.slide .question { font-size: 1.45em; font-weight: bold; }
.slide .quiz-question { font-weight: bold; }
.slide ul, .slide ol { margin: 0.2em 0 0.4em; padding-left: 1.3em; }
.slide li { margin-bottom: 0.25em; }
.slide p { margin: 0 0 0.5em; }
.slide .small { font-size: 0.8em; color: #333; }
.slide table { border-collapse: collapse; font-size: 0.72em; width: 100%; }
.slide th, .slide td { border: 2px solid #555; padding: 0.25em 0.45em; text-align: left; vertical-align: top; }
.slide thead th { background: #e6eef3; }
.slide .box { border-left: 0.3em solid #0b3d5c; background: #f1f5f8; padding: 0.3em 0.7em; margin: 0.3em 0 0.6em; }
.slide .link { overflow-wrap: anywhere; font-size: 0.8em; }
.slide blockquote { margin: 0 0 0.5em 1em; font-style: italic; }
nav.controls { position: fixed; right: 1.2vw; bottom: 1vw; display: flex; gap: 0.6vw; align-items: center; font-size: 0.75em; }
nav.controls button { font: inherit; font-size: 1em; padding: 0.2em 0.8em; border: 2px solid #0b3d5c; background: #fff; color: #0b3d5c; border-radius: 0.3em; cursor: pointer; }
nav.controls button:focus-visible { outline: 4px solid #d97706; outline-offset: 2px; }
.counter { color: #333; min-width: 5em; text-align: right; }
.help { position: fixed; left: 1.2vw; bottom: 1vw; font-size: 0.55em; color: #444; }
@media print {
  body { font-size: 16pt; }
  .slide, .slide[hidden] { position: static; display: flex; height: 100vh; break-after: page; }
  nav.controls, .help { display: none; }
}
"""

DECK_JS = """
(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll('.slide'));
  var counter = document.querySelector('.counter');
  var current = 0;
  function fit(slide) {
    // Shrink a crowded slide a little rather than hide its end (never below 70 %).
    slide.style.fontSize = '';
    var size = 100;
    while (slide.scrollHeight > slide.clientHeight + 2 && size > 70) {
      size -= 5;
      slide.style.fontSize = size + '%';
    }
  }
  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) { slide.hidden = i !== current; });
    fit(slides[current]);
    counter.textContent = (current + 1) + ' / ' + slides.length;
    if (location.hash !== '#' + (current + 1)) { history.replaceState(null, '', '#' + (current + 1)); }
  }
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.target && event.target.tagName === 'BUTTON' && (event.key === ' ' || event.key === 'Enter')) { return; }
    var key = event.key;
    if (key === 'ArrowRight' || key === 'ArrowDown' || key === 'PageDown' || key === ' ') { show(current + 1); }
    else if (key === 'ArrowLeft' || key === 'ArrowUp' || key === 'PageUp') { show(current - 1); }
    else if (key === 'Home') { show(0); }
    else if (key === 'End') { show(slides.length - 1); }
    else if (key === 'f' || key === 'F') {
      if (document.fullscreenElement) { document.exitFullscreen(); } else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
    } else { return; }
    event.preventDefault();
  });
  document.querySelector('.prev').addEventListener('click', function () { show(current - 1); });
  document.querySelector('.next').addEventListener('click', function () { show(current + 1); });
  window.addEventListener('resize', function () { fit(slides[current]); });
  function fromHash() {
    var wanted = parseInt((location.hash || '#1').slice(1), 10);
    show(isNaN(wanted) ? 0 : wanted - 1);
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
"""


def deck_html(title: str, slides: list[Slide]) -> str:
    """One HTML file: the slides, their style and the navigation script; nothing to load from elsewhere."""
    sections = []
    for number, slide in enumerate(slides, start=1):
        sections.append(
            f'<section class="slide {slide.kind}" aria-roledescription="diapositive" '
            f'aria-label="{number} sur {len(slides)}"{" hidden" if number > 1 else ""}>'
            f"<h2>{html.escape(slide.heading)}</h2>{slide.body}</section>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'\">\n"
        f"<title>{html.escape(title)} — diaporama</title>\n<style>{DECK_CSS}</style>\n</head>\n<body>\n"
        f"<main>{''.join(sections)}</main>\n"
        '<nav class="controls" aria-label="Navigation du diaporama">'
        '<button type="button" class="prev">◀ Précédente</button>'
        '<span class="counter" aria-live="polite"></span>'
        '<button type="button" class="next">Suivante ▶</button></nav>\n'
        '<p class="help">Flèches ou Espace : changer de diapositive · F : plein écran</p>\n'
        f"<script>{DECK_JS}</script>\n</body>\n</html>\n"
    )


def build_deck(path: Path) -> str:
    slides = chapter_slides(path)
    return deck_html(slides[0].heading, slides)


def build_all(out_dir: Path = OUT_DIR, paths: tuple[Path, ...] | None = None) -> list[Path]:
    """Write ``NN-nom.html`` for every numbered chapter; return the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths or chapter_paths():
        out = out_dir / f"{path.stem}.html"
        out.write_text(build_deck(path), encoding="utf-8")
        written.append(out)
    return written
