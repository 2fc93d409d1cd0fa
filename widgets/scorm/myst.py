"""A chapter's MyST text → one accessible HTML fragment, without Sphinx and without the built book.

Why not the built book page: it needs ``make book`` (minutes, every chapter executed), and its HTML is
the theme's (menus, search, sidebars, scripts from the theme) that a package would have to strip.
Why not hand-written Markdown either (as the slides do): the course is written in MyST, and the book
reads it with myst-parser. Here the same parser (myst-parser on docutils, with the ``parse`` settings of
``_config.yml``) builds the same document tree the book starts from, and only the few things Sphinx adds
are done here, each in one place:

* **roles** — ``{term}`` links to the chapter's own list of words (« Les mots de ce chapitre », from
  ``data/glossaire.csv``), ``{cite:p}`` becomes « [1, 2] » linking to the chapter's sources, numbered in
  order of first citation as in the book. Every role goes through :func:`render_role`, which looks the
  role up in :data:`ROLES`: a new role (``{droit}`` for a legal figure, say) is one function registered
  with :func:`role`. An unknown role stops the build, naming the file and the line;
* **directives** — ``{code-cell}`` runs its code like the book does (a table from ``widgets/``) and keeps
  its HTML; the self-check's cell (``quiz.static("…")``) becomes the package's live self-check;
  ``{bibliography}`` becomes the numbered sources, formatted by the book's own pybtex style;
  ``{exercice-en-direct}`` says that the exercise lives on the course's server;
* **French spacing** — the book's transform (:func:`widgets.sphinx_typography.french_spacing`).

What differs from the book page, on purpose: the trainers' box « Pour animer cette séquence » is left
out (as in the participant's printed handout); tables get ``data-label`` cells so that a phone shows a
row as a card; admonitions are ``<div role="note">`` (docutils would write ``<aside>``, one more
landmark per box for a screen reader); links to other sites open in a new tab, which keeps the
package — and the learner's SCORM session — open in the LMS.
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import yaml
from docutils import nodes
from docutils.core import publish_doctree, publish_from_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.utils import SystemMessage
from docutils.writers import html5_polyglot

from widgets.cells import CODE_CELL, run_code
from widgets.data import REPO_ROOT, DataFileError
from widgets.fr import typography

SKIPPED_BOXES = ("Pour animer cette séquence",)
LIVE_LINKED = "L'exercice s'ouvre dans un nouvel onglet, sur le serveur du cours."
LIVE_ELSEWHERE = (
    "Cet exercice se fait sur le serveur du cours : il n'est pas dans ce module. "
    "La personne qui anime la formation vous donne son adresse, ou le fait avec le groupe."
)
BOX_IDS = {"Fiche pédagogique": "fiche", "En bref (facile à lire)": "en-bref"}
QUIZ_CELL = re.compile(r'quiz\.static\("(?P<key>\w+)"\)')
#: What a code cell's HTML may not contain: the package must work offline and run only its own script.
FORBIDDEN_OUTPUT = re.compile(
    r"<script|<iframe|<link|\bsrc\s*=\s*[\"']?(?:https?:)?//|url\(\s*[\"']?(?:https?:)?//", re.I
)


class ChapterError(DataFileError):
    """A chapter cannot become a package page; the message is French and names the file and line."""


# ---------------------------------------------------------------------------------------------- context


@dataclass
class RenderContext:
    """What one chapter's rendering gathers as it goes: the words and sources it cites, its self-check."""

    path: Path
    glossary: dict[str, tuple[str, str, str]]  # folded term → (term, definition, source URL)
    voila_url: str | None = None  # public address of the live exercises, None when only on a laptop
    terms: dict[str, str] = field(default_factory=dict)  # anchor → folded term, in order of first use
    quiz_key: str | None = None
    namespace: dict[str, Any] = field(default_factory=dict)  # the chapter's code cells share it, as in a kernel
    glued: dict[str, str] = field(default_factory=dict)  # MyST-NB's glue(name, value): the text {glue:text} shows
    outputs: list[str] = field(default_factory=list)  # each code cell's HTML, run before the text is read

    @property
    def shown_path(self) -> str:
        try:
            return str(self.path.relative_to(REPO_ROOT))
        except ValueError:
            return str(self.path)

    def error(self, line: int | None, problem: str) -> ChapterError:
        return ChapterError(self.shown_path, line, None, problem)


def anchor(prefix: str, text: str) -> str:
    """``mot-cvs``, ``mot-savoirs-experientiels``: an id made of ASCII letters, digits and dashes."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return f"{prefix}-" + (re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "x")


def fold(term: str) -> str:
    """How a ``{term}`` finds its glossary entry: case and spacing do not matter (as in Sphinx)."""
    return re.sub(r"\s+", " ", term).strip().casefold()


# ------------------------------------------------------------------------------------------------ roles


class CitationPlaceholder(nodes.Inline, nodes.Element):
    """« {cite:p}`a,b` » until every citation of the page is known and numbered."""


class QuizPlaceholder(nodes.General, nodes.Element):
    """Where the self-check goes (the chapter's ``quiz.static`` cell)."""


class SourcesPlaceholder(nodes.General, nodes.Element):
    """Where the numbered sources go (the chapter's ``{bibliography}``)."""


RoleRenderer = Callable[[str, RenderContext, int], list[nodes.Node]]

#: Every MyST role a chapter may use, by name. :func:`role` adds one.
ROLES: dict[str, RoleRenderer] = {}


def role(*names: str) -> Callable[[RoleRenderer], RoleRenderer]:
    """Register the function that renders ``{name}`text```: ``(text, context, line) → docutils nodes``."""

    def register(renderer: RoleRenderer) -> RoleRenderer:
        for name in names:
            ROLES[name] = renderer
        return renderer

    return register


def render_role(name: str, text: str, context: RenderContext, line: int) -> list[nodes.Node]:
    """The one place where a MyST role becomes page content.

    A new role is one function decorated with :func:`role`; it gets the role's text, the chapter's
    :class:`RenderContext` and the line, and returns docutils nodes. A role that states a sourced fact
    (a legal amount read from ``data/droit.yml``, say) returns its words followed by
    ``CitationPlaceholder(keys=[...])``: the source is then numbered and listed like any ``{cite:p}``;
    a problem is ``raise context.error(line, "…")``, which names the chapter and the line in French.
    """
    renderer = ROLES.get(name)
    if renderer is None:
        raise context.error(line, f"le rôle « {{{name}}} » n'est pas connu des paquets SCORM (widgets/scorm/myst.py).")
    return renderer(text, context, line)


_LABELLED = re.compile(r"^(?P<label>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


@role("term")
def term_role(text: str, context: RenderContext, line: int) -> list[nodes.Node]:
    """A word of the glossary: a link to its definition at the end of the page."""
    match = _LABELLED.match(text)
    label, target = (match.group("label"), match.group("target")) if match else (text, text)
    key = fold(target)
    if key not in context.glossary:
        raise context.error(line, f"« {target} » n'est pas dans le glossaire (data/glossaire.csv).")
    ref = anchor("mot", context.glossary[key][0])
    context.terms.setdefault(ref, key)
    return [nodes.reference(label, label, refid=ref, classes=["term"])]


@role("cite:p")
def cite_role(text: str, context: RenderContext, line: int) -> list[nodes.Node]:
    """« [1, 2] »: numbered once the whole page is read (see :func:`number_citations`)."""
    from widgets.scorm.sources import bibliography

    keys = [key.strip() for key in text.split(",") if key.strip()]
    unknown = [key for key in keys if key not in bibliography().entries]
    if not keys or unknown:
        raise context.error(line, f"source inconnue dans references.bib : « {', '.join(unknown) or text} ».")
    return [CitationPlaceholder(keys=keys)]


def _figure(kind: str, text: str, context: RenderContext, line: int) -> list[nodes.Node]:
    """A legal figure of ``data/droit.yml`` (``kind`` « droit ») or an example computed from them
    (« exemple »), as the book shows it. The chapter's prose cites the figure's source next to it (a
    content test checks it), so only the words are added, exactly as :mod:`widgets.sphinx_droit` does."""
    from widgets import droit
    from widgets.data import DataFileError

    try:
        figures = droit.figures()
        shown = figures.reference(text) if kind == "droit" else figures.example(text)
    except (droit.FigureError, DataFileError) as error:
        raise context.error(line, f"{{{kind}}}`{text}` : {error}") from error
    return [nodes.Text(shown)]


@role("droit")
def droit_role(text: str, context: RenderContext, line: int) -> list[nodes.Node]:
    return _figure("droit", text, context, line)


@role("exemple")
def exemple_role(text: str, context: RenderContext, line: int) -> list[nodes.Node]:
    return _figure("exemple", text, context, line)


@role("glue:text", "glue")
def glue_role(text: str, context: RenderContext, line: int) -> list[nodes.Node]:
    """A value a code cell of the chapter glued (MyST-NB), as the book shows it."""
    name = text.split(":", 1)[0].strip()
    if name not in context.glued:
        raise context.error(line, f"« {name} » n'est collé (glue) par aucune cellule du chapitre.")
    return [nodes.Text(context.glued[name])]


@role("doc", "ref")
def words_role(text: str, context: RenderContext, line: int) -> list[nodes.Node]:
    """A link to another page of the book: its words only (the other chapters are other packages)."""
    match = _LABELLED.match(text)
    label = match.group("label") if match else text
    return [nodes.Text(label)]


def _docutils_role(name: str) -> Callable[..., tuple[list[nodes.Node], list[nodes.system_message]]]:
    def adapter(
        _role: str,
        _rawtext: str,
        text: str,
        lineno: int,
        inliner: Any,
        options: dict[str, Any] | None = None,
        content: list[str] | None = None,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        return render_role(name, text, inliner.document.settings.faire_avec, lineno), []

    return adapter


# ------------------------------------------------------------------------------------------- directives


class CodeCell(Directive):
    """``{code-cell}``: the self-check's cell marks its place; any other cell runs and keeps its HTML."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"tags": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        context: RenderContext = self.state.document.settings.faire_avec
        code = "\n".join(self.content)
        quiz = QUIZ_CELL.search(code)
        prepared = context.outputs.pop(0) if context.outputs else None
        if quiz:
            context.quiz_key = quiz.group("key")
            return [QuizPlaceholder(key=quiz.group("key"))]
        output = prepared if prepared is not None else run_cell(code, context, self.lineno)
        return [nodes.raw("", output, format="html")]


def run_cell(code: str, context: RenderContext, line: int) -> str:
    """Run a chapter's cell as the book's kernel does and return the HTML of what it shows (what it
    displays, then its last expression); what it glues is kept for ``{glue:text}``.

    The chapters' cells are the course's own code (one call into ``widgets/`` each); what they show
    must be plain HTML: a chart or a script would need the network or the kernel.
    """
    try:
        shown = run_code(code, context.namespace, context.glued, context.shown_path)
    except Exception as error:  # any failure of a cell: re-raised as a French error naming the chapter and the line
        raise context.error(line, f"la cellule de code a échoué ({type(error).__name__} : {error}).") from error
    markups = [getattr(value, "_repr_html_", None) for value in shown]
    if not shown or any(markup is None for markup in markups):
        raise context.error(line, "la cellule de code ne montre pas de HTML : le paquet ne saurait pas l'afficher.")
    output = "".join(str(markup()) for markup in markups if markup is not None)
    if FORBIDDEN_OUTPUT.search(output):
        raise context.error(
            line, "la cellule montre un script ou charge un fichier d'ailleurs : le paquet doit marcher hors ligne."
        )
    return output


def run_cells(text: str, context: RenderContext, header_lines: int) -> None:
    """Run every code cell before the text is read: MyST-NB's glued values may be shown by a sentence
    above the cell that computes them, as in the book (the notebook runs before the page is written)."""
    for match in CODE_CELL.finditer(text):
        code = match.group(2)
        line = text.count("\n", 0, match.start()) + 1 + header_lines
        context.outputs.append("" if QUIZ_CELL.search(code) else run_cell(code, context, line))


class LiveExercise(Directive):
    """``{exercice-en-direct}``: the self-check is in the page; another exercise needs the course's server."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        context: RenderContext = self.state.document.settings.faire_avec
        name = self.arguments[0]
        if name.startswith("autoeval-"):
            return []
        from widgets.sphinx_live import EXERCISES_DIR, live_url

        if not (EXERCISES_DIR / f"{name}.ipynb").exists():
            raise context.error(self.lineno, f"exercice en direct introuvable : chapters/exercices/{name}.ipynb.")
        if context.voila_url:
            url = html.escape(live_url(context.voila_url, name))
            how = (
                f'<p><a class="fa-button fa-button--primary" href="{url}" target="_blank" rel="noopener">'
                '▶ Faire l\'exercice en direct<span class="fa-visually-hidden"> (nouvel onglet)</span></a></p>'
                f"<p>{html.escape(typography(LIVE_LINKED))}</p>"
            )
        else:
            how = f"<p>{html.escape(typography(LIVE_ELSEWHERE))}</p>"
        markup = f'<div class="admonition faire-live" role="note"><p class="admonition-title">Exercice en direct</p>{how}</div>'
        return [nodes.raw("", markup, format="html")]


class Bibliography(Directive):
    """``{bibliography}``: the sources this chapter cites, numbered (filled in by :func:`number_citations`)."""

    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"filter": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        return [SourcesPlaceholder()]


DIRECTIVES: dict[str, type[Directive]] = {
    "code-cell": CodeCell,
    "exercice-en-direct": LiveExercise,
    "bibliography": Bibliography,
}


# ------------------------------------------------------------------------------------------- the tree


def _box_title(box: nodes.Element) -> str:
    title = next(iter(box.findall(nodes.title)), None)
    return title.astext() if title is not None else ""


def prune_and_mark(document: nodes.document) -> None:
    """Leave out the trainers' box; give the reading boxes the ids the page's links point to."""
    for box in list(document.findall(nodes.admonition)):
        title = _box_title(box)
        if title in SKIPPED_BOXES and box.parent is not None:
            box.parent.remove(box)
        elif title in BOX_IDS:
            box["ids"].append(BOX_IDS[title])


def number_citations(document: nodes.document) -> list[str]:
    """Number the cited sources in order of first citation; return their keys in that order."""
    order: list[str] = []
    for placeholder in list(document.findall(CitationPlaceholder)):
        refs: list[nodes.Node] = [nodes.Text("[")]
        for index, key in enumerate(placeholder["keys"]):
            if key not in order:
                order.append(key)
            number = str(order.index(key) + 1)
            if index:
                refs.append(nodes.Text(", "))
            link = nodes.reference("", "", refid=f"source-{number}", classes=["citation-ref"])
            link += nodes.inline("", "source ", classes=["fa-visually-hidden"])
            link += nodes.Text(number)
            refs.append(link)
        refs.append(nodes.Text("]"))
        placeholder.replace_self(nodes.inline("", "", *refs, classes=["citation"]))
    return order


def label_table_cells(document: nodes.document) -> None:
    """Course tables: header cells with ``scope="col"``, body cells labelled with their column."""
    for table in document.findall(nodes.table):
        table["classes"].append("faire-table")
        head = next(iter(table.findall(nodes.thead)), None)
        labels = [entry.astext().strip() for entry in head.findall(nodes.entry)] if head is not None else []
        for entry in table.findall(nodes.entry):
            if head is not None and entry.parent.parent is head:
                entry["html_attributes"] = {"scope": "col"}
            else:
                column = entry.parent.index(entry)
                if column < len(labels) and labels[column]:
                    entry["html_attributes"] = {"data-label": labels[column]}


def words_section(context: RenderContext) -> nodes.section | None:
    """« Les mots de ce chapitre »: each glossary word the chapter uses, with its definition."""
    if not context.terms:
        return None
    section = nodes.section(ids=["mots"])
    section += nodes.title("", "Les mots de ce chapitre")
    section += nodes.paragraph("", "Les mots soulignés dans le chapitre sont expliqués ici.")
    words = nodes.definition_list(classes=["fa-words"])
    for ref, key in sorted(context.terms.items(), key=lambda item: anchor("", context.glossary[item[1]][0])):
        term, definition, source = context.glossary[key]
        body = nodes.paragraph("", definition)
        if source:
            body += nodes.Text(" ")
            body += nodes.reference("", "Source", refuri=source)
        words += nodes.definition_list_item("", nodes.term("", term, ids=[ref]), nodes.definition("", body))
    section += words
    return section


# ------------------------------------------------------------------------------------------- the writer


class CourseTranslator(html5_polyglot.HTMLTranslator):
    """docutils' HTML5 writer with the few changes of the module docstring."""

    def starttag(self, node: Any, tagname: str, suffix: str = "\n", empty: bool = False, **attributes: Any) -> str:
        if isinstance(node, nodes.Element) and node.get("html_attributes"):
            attributes = {**attributes, **node["html_attributes"]}
        return super().starttag(node, tagname, suffix, empty, **attributes)

    def visit_admonition(self, node: nodes.Element) -> None:
        self.body.append(self.starttag(node, "div", classes=["admonition"], role="note"))

    def depart_admonition(self, node: nodes.Element | None = None) -> None:
        self.body.append("</div>\n")

    def visit_reference(self, node: nodes.reference) -> None:
        if "refuri" in node:
            node["html_attributes"] = {"target": "_blank", "rel": "noopener"}
        super().visit_reference(node)

    def depart_reference(self, node: nodes.reference) -> None:
        if "refuri" in node:
            self.body.append('<span class="fa-visually-hidden"> (nouvel onglet)</span>')
        super().depart_reference(node)


def _writer() -> html5_polyglot.Writer:
    writer = html5_polyglot.Writer()
    writer.translator_class = CourseTranslator
    return writer


@cache
def parse_settings() -> dict[str, Any]:
    """The MyST extensions the book enables (``parse`` in ``_config.yml``): one source for both."""
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    parse = config.get("parse", {})
    return {key: value for key, value in parse.items() if key.startswith("myst_")}


def _register() -> None:
    for name in ROLES:
        # types-docutils says a role returns reference nodes only; docutils takes any nodes (text here).
        roles.register_local_role(name, _docutils_role(name))  # type: ignore[arg-type]
    for name, directive in DIRECTIVES.items():
        directives.register_directive(name, directive)


def _settings(context: RenderContext) -> dict[str, Any]:
    return {
        **parse_settings(),
        "faire_avec": context,
        "language_code": "fr",
        "doctitle_xform": False,  # the chapter's title stays its <h1>
        "initial_header_level": 1,
        "report_level": 2,
        "halt_level": 2,  # a warning stops the build, as the book's --warningiserror does
        "warning_stream": io.StringIO(),
        "embed_stylesheet": False,
        "stylesheet_path": "",
        "output_encoding": "unicode",
        "raw_enabled": True,
        "file_insertion_enabled": False,
    }


def _in_french(message: str) -> str:
    """A warning of docutils or myst-parser (in English) as a maintainer reads it here."""
    problem = re.sub(r"^.*?\(\w+/\d\)\s*", "", message).strip()
    name = re.search(r"[\"']([^\"']+)[\"']", problem)
    if "role_unknown" in problem and name:
        return f"le rôle « {{{name.group(1)}}} » n'est pas connu des paquets SCORM (ROLES dans widgets/scorm/myst.py)."
    if "directive_unknown" in problem and name:
        return f"la directive « {{{name.group(1)}}} » n'est pas connue des paquets SCORM (DIRECTIVES dans widgets/scorm/myst.py)."
    return f"le texte MyST n'a pas pu être lu (message du lecteur : {problem})."


def _body(text: str) -> str:
    """The chapter without its Jupytext header (a YAML block that is not content)."""
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def render_chapter(
    path: Path, glossary: dict[str, tuple[str, str, str]], voila_url: str | None = None
) -> tuple[str, RenderContext]:
    """The chapter as an HTML fragment (its ``<h1>`` section) and what the rendering gathered."""
    from widgets.scorm.sources import source_items
    from widgets.sphinx_typography import french_spacing

    context = RenderContext(path=path, glossary=glossary, voila_url=voila_url)
    text = path.read_text(encoding="utf-8")
    offset = len(text) - len(_body(text))
    header_lines = text[:offset].count("\n")
    _register()
    settings = _settings(context)
    run_cells(_body(text), context, header_lines)
    try:
        from myst_parser.parsers.docutils_ import Parser

        document = publish_doctree(_body(text), source_path=str(path), parser=Parser(), settings_overrides=settings)
    except SystemMessage as message:
        line = re.search(r":(\d+): \(", str(message))
        raise context.error(int(line.group(1)) + header_lines if line else None, _in_french(str(message))) from None
    except ChapterError as error:
        if isinstance(error.row, int):
            error = context.error(error.row + header_lines, error.problem)
        raise error from None
    prune_and_mark(document)
    cited = number_citations(document)
    for placeholder in list(document.findall(SourcesPlaceholder)):
        placeholder.replace_self(source_items(cited))
    label_table_cells(document)
    words = words_section(context)
    if words is not None:
        top = next(iter(document.findall(nodes.section)))
        top += words
    french_spacing(document)
    quiz_html = None
    if context.quiz_key:
        from widgets.scorm.selfcheck import selfcheck_markup

        quiz_html = selfcheck_markup(context.quiz_key)
    for placeholder in list(document.findall(QuizPlaceholder)):
        placeholder.replace_self(nodes.raw("", quiz_html or "", format="html"))
    writer = _writer()
    publish_from_doctree(document, writer=writer, settings_overrides=settings)
    return str(writer.parts["body"]), context
