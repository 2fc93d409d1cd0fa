"""Checks on the course content itself: sigles in the glossary, chapter structure, thin notebooks.

Why: the course promises that every sigle is explained, that every chapter has its teaching sheet,
easy-to-read summary, facilitation box and sources, and that chapters stay prose plus one-line calls
into widgets/. These tests fail the build when a chapter drifts from that promise. Sources are
checked in test_bibliography.py, the « rephrased, not pasted » promise in test_seed_rephrased.py.
"""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

from widgets.data import REPO_ROOT
from widgets.glossary import load_glossary
from widgets.quiz.content import load_questions

CHAPTERS = REPO_ROOT / "chapters"
SIGLE = re.compile(r"(?<![\w/.#-])([A-ZÀ-Ý]{2,}[0-9]*)(?![\w/-])")
URL = re.compile(r"https?://[^\s)\]>\"'`]+")


def toc_files() -> list[str]:
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for c in toc["chapters"]]


def chapter_notebook(name: str) -> nbformat.NotebookNode | None:
    """The chapter as a notebook (read by jupytext from its MyST ``.md``), or None for a plain page."""
    path = (REPO_ROOT / name).with_suffix(".md")
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---") or "jupytext:" not in text.split("\n---", 1)[0]:
        return None
    return jupytext.reads(text, fmt="md:myst")


def chapter_markdown(name: str) -> str:
    """The prose of a page: the markdown cells of a chapter notebook, or the whole plain page."""
    notebook = chapter_notebook(name)
    if notebook is None:
        return (REPO_ROOT / name).with_suffix(".md").read_text(encoding="utf-8")
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def chapter_code(name: str) -> str:
    notebook = chapter_notebook(name)
    return "" if notebook is None else "\n".join(c.source for c in notebook.cells if c.cell_type == "code")


def teaching_chapters() -> list[str]:
    # The trainers' page (kit-formateur) is a toolbox for the people who animate, not a chapter to teach.
    return [f for f in toc_files() if Path(f).name not in ("accueil", "glossaire", "kit-formateur")]


def prose_without_links(text: str) -> str:
    text = URL.sub(" ", text)
    text = re.sub(r"```.*?```", " ", text, flags=re.S)  # code and directive blocks
    return re.sub(r"`[^`]*`", " ", text)


@pytest.mark.parametrize("name", toc_files())
def test_every_sigle_is_in_the_glossary(name):
    terms = {entry["terme"].casefold() for entry in load_glossary()}
    sigles = set(SIGLE.findall(prose_without_links(chapter_markdown(name))))
    missing = sorted(s for s in sigles if s.casefold() not in terms)
    assert not missing, f"{name} : sigles absents de data/glossaire.csv : {', '.join(missing)}"


def rendered_text(name: str) -> str:
    """What a page's code cells show in the book (tables, quiz, kit blocks), as plain text.

    Why run them: on the trainers' page most words come from ``data/kit/`` and ``widgets/kit/page.py``
    through ``kit.numbers()`` or ``kit.notes()``, not from the Markdown, so a sigle there (« CMP »,
    « PASS ») escaped the check on the prose. Each cell's last expression is displayed, as in the book.
    """
    namespace: dict[str, object] = {}
    shown = []
    for statement in ast.parse(chapter_code(name)).body:
        if isinstance(statement, ast.Expr):
            # The course's own cells, as the book runs them.
            value = eval(compile(ast.Expression(statement.value), name, "eval"), namespace)  # noqa: S307
            shown.append(value._repr_html_() if hasattr(value, "_repr_html_") else str(value))
        else:
            exec(compile(ast.Module([statement], []), name, "exec"), namespace)  # noqa: S102
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", " ".join(shown), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def strings_of(node: object) -> list[str]:
    """Every text value of a parsed YAML file, whatever its nesting."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in strings_of(value)]
    if isinstance(node, list):
        return [text for value in node for text in strings_of(value)]
    return []


def data_strings(path: Path) -> str:
    """The text of a data file as people read it: YAML values (not comments), CSV cells."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        return raw
    return "\n".join(strings_of(yaml.safe_load(raw)))


def missing_sigles(text: str) -> list[str]:
    terms = {entry["terme"].casefold() for entry in load_glossary()}
    return sorted({s for s in SIGLE.findall(URL.sub(" ", text)) if s.casefold() not in terms})


@pytest.mark.parametrize("name", [n for n in toc_files() if chapter_code(n)])
def test_every_sigle_a_page_shows_is_in_the_glossary(name):
    """Sigles in what the code cells print: the quiz of a chapter, the kit's numbers, notes and plans."""
    missing = missing_sigles(rendered_text(name))
    assert not missing, f"{name} : sigles affichés absents de data/glossaire.csv : {', '.join(missing)}"


def test_the_rendered_sigle_check_reads_the_kit_blocks():
    """The kit page's sigles come from its code cells, which the Markdown check never saw."""
    text = rendered_text("chapters/kit-formateur")
    assert {"CMP", "PASS", "SAMU", "SMS"} <= set(SIGLE.findall(text))
    assert not {"CMP", "PASS"} & set(SIGLE.findall(prose_without_links(chapter_markdown("chapters/kit-formateur"))))
    assert missing_sigles("Appelez le SAMU ou écrivez au XYZW.") == ["XYZW"]


#: Every data file but the commune table (names of places written in capitals, and no prose).
DATA_WITH_PROSE = sorted(
    p for p in (REPO_ROOT / "data").rglob("*") if p.suffix in (".csv", ".yml") and p.name != "communes.csv"
)


@pytest.mark.parametrize(
    "path",
    DATA_WITH_PROSE,
    ids=lambda p: str(p.relative_to(REPO_ROOT)),
)
def test_every_sigle_in_a_data_file_is_in_the_glossary(path):
    """The live exercises show data files directly (situations, statements, quiz answers, help numbers)."""
    missing = missing_sigles(data_strings(path))
    assert not missing, f"{path.relative_to(REPO_ROOT)} : sigles absents de data/glossaire.csv : {', '.join(missing)}"


@pytest.mark.parametrize("name", toc_files())
def test_every_term_role_points_to_a_glossary_entry(name):
    terms = {entry["terme"].casefold() for entry in load_glossary()}
    roles = re.findall(r"\{term\}`([^`]+)`", chapter_markdown(name))
    targets = {re.sub(r"^.*<(.+)>$", r"\1", role).strip() for role in roles}
    missing = sorted(t for t in targets if t.casefold() not in terms)
    assert not missing, f"{name} : termes sans entrée de glossaire : {', '.join(missing)}"


@pytest.mark.parametrize("name", teaching_chapters())
def test_chapter_has_the_course_structure(name):
    text = chapter_markdown(name)
    for part in (
        "Fiche pédagogique",
        "En bref (facile à lire)",
        "Pour animer cette séquence",
        "## Je vérifie mes connaissances",
        "## Sources",
    ):
        assert part in text, f"{name} : il manque « {part} »"
    found = re.search(r'quiz\.static\("(\w+)"\)', chapter_code(name))
    assert found, f"{name} : pas d'appel à quiz.static(…)"
    key = found.group(1)
    assert 3 <= len(load_questions(key)) <= 6
    assert (CHAPTERS / "exercices" / f"autoeval-{key}.ipynb").exists()


def notebook_files() -> list[Path]:
    """Every notebook of the course: the chapters (MyST ``.md``) and the Voilà exercises (``.ipynb``)."""
    chapters = [REPO_ROOT / f"{name}.md" for name in toc_files() if chapter_notebook(name) is not None]
    return chapters + sorted((CHAPTERS / "exercices").glob("*.ipynb"))


@pytest.mark.parametrize("path", notebook_files(), ids=lambda p: p.name)
def test_notebooks_store_no_output_and_stay_thin(path):
    """Outputs and widget state are made at build or run time; in git they only make noisy diffs."""
    notebook = jupytext.read(path)
    assert "widgets" not in notebook.metadata, f"{path.name} : état des widgets enregistré"
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert not cell.get("outputs") and cell.get("execution_count") is None, (
            f"{path.name} : sortie enregistrée (enregistrez le notebook sans ses sorties)"
        )
        lines = [line for line in cell.source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        assert len(lines) <= 3, f"{path.name} : une cellule de code trop longue (la logique va dans widgets/)"
        if path.suffix == ".md":
            assert "remove-input" in cell.metadata.get("tags", []), (
                f"{path.name} : cellule de code sans « :tags: [remove-input] » (le livre montre le résultat, pas le code)"
            )


@pytest.mark.parametrize("path", notebook_files(), ids=lambda p: p.name)
def test_ignored_outputs_say_why(path):
    for cell in jupytext.read(path).cells:
        if "NBVAL_IGNORE_OUTPUT" in cell.source:
            lines = cell.source.splitlines()
            marker = next(i for i, line in enumerate(lines) if "NBVAL_IGNORE_OUTPUT" in line)
            reason = lines[marker + 1] if marker + 1 < len(lines) else ""
            assert reason.lstrip().startswith("#") and len(reason) > 20, (
                f"{path.name} : NBVAL_IGNORE_OUTPUT sans raison"
            )


@pytest.mark.parametrize("name", teaching_chapters())
def test_first_use_of_each_sigle_links_to_the_glossary(name):
    """The first time a chapter writes a sigle (outside headings and box titles), it is a {term} link."""
    terms = {entry["terme"].casefold() for entry in load_glossary()}
    lines = [line for line in chapter_markdown(name).splitlines() if not line.startswith(("#", ":::{admonition}"))]
    text = re.sub(r"```.*?```", " ", URL.sub(" ", "\n".join(lines)), flags=re.S)
    unlinked = []
    for sigle in sorted({s for s in SIGLE.findall(text) if s.casefold() in terms}):
        first = re.search(r"(?<![\w/.#-])" + re.escape(sigle) + r"(?![\w/-])", text)
        assert first, sigle  # found by SIGLE just above
        if (
            "{term}`" not in text[max(0, first.start() - 60) : first.start()]
            or text[first.end() : first.end() + 1] not in "`>"
        ):
            unlinked.append(sigle)
    assert not unlinked, f"{name} : première apparition sans lien vers le glossaire : {', '.join(unlinked)}"


@pytest.mark.parametrize("path", sorted((CHAPTERS / "exercices").glob("*.ipynb")), ids=lambda p: p.name)
def test_exercise_pages_have_a_french_title(path):
    """Voilà uses the notebook's ``title`` metadata as the browser tab's name (else the file name)."""
    title = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("title", "")
    assert title.endswith("— Faire avec") and len(title) > len("— Faire avec") + 5


FALC_BOX = re.compile(r":::\{admonition\} En bref \(facile à lire\)\n:class: tip\n(.*?)\n:::", re.S)
FALC_MAX_WORDS = 15


@pytest.mark.parametrize("name", [n for n in toc_files() if not n.endswith("glossaire")])
def test_falc_summary_uses_short_sentences(name):
    """« Facile à lire et à comprendre »: one idea per line, sentences of at most 15 words."""
    box = FALC_BOX.search(chapter_markdown(name))
    assert box, f"{name} : pas d'encadré « En bref (facile à lire) »"
    lines = [line[2:] for line in box.group(1).splitlines() if line.startswith("- ")]
    assert 3 <= len(lines) <= 12, f"{name} : {len(lines)} lignes dans le résumé FALC"
    long = [
        s
        for line in lines
        for s in re.split(r"(?<=[.!?])\s+", re.sub(r"\{term\}`([^`<]*)[^`]*`", r"\1", line))
        if len(re.findall(r"[\wÀ-ÿ'’·-]+", s)) > FALC_MAX_WORDS
    ]
    assert not long, f"{name} : phrases trop longues pour un résumé FALC : {long}"
