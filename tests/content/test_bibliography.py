"""The course's sources live in the repository: ``references.bib``, cited by chapters and data files.

Why: every rule, amount and date the course teaches must carry its source and its date of validity,
and nothing may point outside the repository. A consultation date (« consulté le ») is printed only
for a page somebody really read on that day: such dates are listed in READ_ON, with who read the
page and how, so that a date copied onto every entry cannot come back. So every address in ``chapters/`` and
``data/`` is the ``url`` of an entry of ``references.bib``, every entry is cited somewhere, every
chapter lists its own sources, and a legal reference or an amount does not stand without a citation.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml
from pybtex.database import Entry, Person, parse_file
from pybtex.richtext import Text

from widgets import bibliography
from widgets.data import REPO_ROOT
from widgets.sphinx_sources import CourseStyle

from .test_course_content import chapter_markdown, teaching_chapters, toc_files

CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")
BIBLIOGRAPHY = re.compile(r"```\{bibliography\}\n(.*?)```", re.S)
LEGAL_REFERENCE = re.compile(r"\b(?:décret|loi|arrêté|articles?)\s+(?:n°\s*)?[LRD]?\.?\s*\d", re.IGNORECASE)
AMOUNT = re.compile(r"\d[\d\u00a0\u202f ]*(?:,\d+)?\s?€")
QUOTATION = re.compile(r"«[^»]*»")
#: A figure the course computed itself says so; it has no outside source to cite.
OWN_FIGURE = ("ce cours", "du cours")


def course_files() -> list[Path]:
    pages = sorted((REPO_ROOT / "chapters").glob("*.md"))
    data = sorted(p for p in (REPO_ROOT / "data").rglob("*") if p.suffix in (".csv", ".yml", ".yaml"))
    return pages + data


def cited_keys(text: str) -> set[str]:
    return {key.strip() for group in CITE.findall(text) for key in group.split(",")}


def profile_fact_sources() -> list[str]:
    profiles = yaml.safe_load((REPO_ROOT / "data" / "remuneration" / "profils.yml").read_text(encoding="utf-8"))
    return [fact["source"] for profile in profiles for fact in profile.get("facts", [])]


def sections(text: str) -> list[str]:
    """The text of each ``##``/``###`` section (a heading starts a new one)."""
    return re.split(r"\n(?=#{2,3} )", text)


def test_the_repository_reader_agrees_with_pybtex():
    """widgets/bibliography.py reads one field per line; pybtex (what the book uses) must read the same."""
    reference = parse_file(str(bibliography.BIB_FILE)).entries
    ours = bibliography.read_entries()
    assert sorted(ours) == sorted(reference)
    for key, entry in ours.items():
        for name in ("url", "urldate", "title", "note", "publisher"):
            assert entry.fields.get(name) == reference[key].fields.get(name), f"{key} : champ {name}"


#: Entries whose page somebody read on the date of their ``urldate``: key → (date, who read it and how).
#: Empty today: the 170 dates of 1 December 2026 were copied onto every entry and nobody could say which
#: page had been read that day (issue 15), so they were removed. Add a line here when you add a urldate.
READ_ON: dict[str, tuple[str, str]] = {}


def undocumented_dates(entries: dict[str, bibliography.Entry], read_on: dict[str, tuple[str, str]]) -> list[str]:
    """The consultation dates of ``entries`` that READ_ON does not vouch for (wrong key, date or reason)."""
    problems = []
    for key, entry in sorted(entries.items()):
        day = entry.fields.get("urldate")
        if day is None:
            continue
        vouched = read_on.get(key)
        if vouched is None or vouched[0] != day or not vouched[1].strip():
            problems.append(f"{key} : consulté le {day}, mais READ_ON ne dit pas qui a lu la page ce jour-là")
        elif not date(2026, 12, 7) <= date.fromisoformat(day) <= date.today():
            problems.append(f"{key} : date de consultation impossible ({day})")
    problems += [
        f"{key} : dans READ_ON mais sans urldate"
        for key in read_on
        if key not in entries or "urldate" not in entries[key].fields
    ]
    return problems


def test_consultation_dates_are_only_those_somebody_vouches_for():
    assert not undocumented_dates(bibliography.entries(), READ_ON)


def test_the_consultation_date_check_can_fail():
    """The check that removed 170 identical « consulté le 1er décembre 2026 »."""
    sample = {
        "copie": bibliography.Entry("copie", "misc", {"title": "t", "url": "https://a.fr", "urldate": "2026-12-01"}),
        "lue": bibliography.Entry("lue", "misc", {"title": "t", "url": "https://b.fr", "urldate": "2026-12-07"}),
    }
    assert undocumented_dates(sample, {"lue": ("2026-12-07", "lue par la personne X via l'outil Y")}) == [
        "copie : consulté le 2026-12-01, mais READ_ON ne dit pas qui a lu la page ce jour-là"
    ]
    assert len(undocumented_dates(sample, {"lue": ("2026-12-06", "x")})) == 2


@pytest.mark.parametrize("key", sorted(bibliography.entries()))
def test_every_entry_says_what_and_where(key):
    """A title; then an address, or the publisher and year of a printed book, or what an unpublished document is."""
    entry = bibliography.entries()[key]
    assert entry.fields.get("title"), f"{key} : pas de titre"
    if entry.kind == "unpublished":
        assert "url" not in entry.fields and entry.fields.get("note"), (
            f"{key} : un document non publié dit ce qu'il est"
        )
        return
    if entry.kind == "book" and "url" not in entry.fields:
        assert entry.fields.get("publisher") and entry.fields.get("year"), (
            f"{key} : un livre dit son éditeur et son année"
        )
        return
    assert re.fullmatch(r"https?://\S+", entry.url or ""), f"{key} : pas d'adresse (champ url)"


def test_one_entry_per_address():
    urls = [entry.url for entry in bibliography.entries().values() if entry.url]
    doubles = sorted({url for url in urls if urls.count(url) > 1})
    assert not doubles, f"adresses en double dans references.bib : {doubles}"


@pytest.mark.parametrize("path", course_files(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_every_address_is_an_entry_of_the_bibliography(path):
    unknown = bibliography.unknown_urls(path.read_text(encoding="utf-8"))
    assert not unknown, f"{path.relative_to(REPO_ROOT)} : adresses absentes de references.bib : {unknown}"


def test_every_citation_names_an_entry():
    known = bibliography.keys()
    unknown = {
        (name, key)
        for name in toc_files()
        for key in cited_keys((REPO_ROOT / f"{name}.md").read_text(encoding="utf-8"))
        if key not in known
    }
    unknown |= {("data/remuneration/profils.yml", key) for key in profile_fact_sources() if key not in known}
    assert not unknown, f"clés inconnues de references.bib : {sorted(unknown)}"


def test_every_entry_is_cited_somewhere():
    """An entry nobody cites is either dead weight or a source the course forgot to show."""
    used = set(profile_fact_sources())
    for path in course_files():
        text = path.read_text(encoding="utf-8")
        used |= cited_keys(text)
        used |= {bibliography.key_of_url()[url] for url in map(bibliography.clean_url, bibliography.URL.findall(text))}
    never = sorted(bibliography.keys() - used)
    assert not never, f"entrées de references.bib citées nulle part : {never}"


@pytest.mark.parametrize("name", toc_files())
def test_each_chapter_lists_its_own_sources(name):
    """One {bibliography} per citing page, under « ## Sources », filtered to that page's citations."""
    text = (REPO_ROOT / f"{name}.md").read_text(encoding="utf-8")
    blocks = BIBLIOGRAPHY.findall(text)
    if not cited_keys(text):
        assert not blocks, f"{name} : une liste de sources sans aucune citation"
        return
    assert len(blocks) == 1, f"{name} : {len(blocks)} directives {{bibliography}} (il en faut une)"
    assert ":filter: docname in docnames" in blocks[0], f"{name} : la liste doit être filtrée sur le chapitre"
    assert text.index("## Sources") < text.index("```{bibliography}"), f"{name} : la liste va sous « ## Sources »"


@pytest.mark.parametrize("name", teaching_chapters())
def test_legal_references_cite_their_source(name):
    """A decree, law, order or code article named in the prose is followed by its source, on the same line."""
    prose = chapter_markdown(name).split("## Sources")[0]
    bare = [
        line
        for line in prose.splitlines()
        if LEGAL_REFERENCE.search(QUOTATION.sub(" ", line)) and not CITE.search(line)
    ]
    assert not bare, f"{name} : texte juridique cité sans source :\n" + "\n".join(line[:160] for line in bare)


@pytest.mark.parametrize("name", teaching_chapters())
def test_amounts_cite_their_source(name):
    """A section that gives an amount in euros cites a source, or says the figure is the course's own."""
    prose = chapter_markdown(name).split("## Sources")[0]
    bare = [
        section.splitlines()[0]
        for section in sections(prose)
        if AMOUNT.search(QUOTATION.sub(" ", section))
        and not CITE.search(section)
        and not any(marker in section for marker in OWN_FIGURE)
    ]
    assert not bare, f"{name} : montants sans source dans les parties : {bare}"


#: The fields the course's style prints as text (title, where, note); each word of them must reach the page.
PRINTED_FIELDS = ("title", "journal", "howpublished", "publisher", "address", "note")
WORD = re.compile(r"[\w%]+")


@cache
def parsed_entries() -> dict[str, Entry]:
    """``references.bib`` as the book reads it (pybtex), parsed once for all the checks."""
    return dict(parse_file(str(bibliography.BIB_FILE)).entries)


def rendered(entry: Entry) -> str:
    """An entry as a learner reads it under « Sources » (the book's style, plain text)."""
    return CourseStyle().format_entry("1", entry).text.render_as("text")


def lost_words(entry: Entry) -> list[str]:
    """Words of the printed fields that the rendered entry does not show, in order."""
    shown = set(WORD.findall(rendered(entry)))
    written = " ".join(entry.fields.get(name, "") for name in PRINTED_FIELDS)
    written = written.replace("\\&", "&").replace("\\%", "%").replace("{", "").replace("}", "")
    return [word for word in WORD.findall(written) if word not in shown]


def test_a_percent_sign_is_a_comment_for_plain_latex_reading():
    """Why the style needs :func:`widgets.sphinx_sources.prose`: pybtex reads fields as LaTeX, where
    « % » starts a comment, so the words after it vanish (« avec 50 . » in the book, issue 15)."""
    assert str(Text.from_latex("avec 50 % de personnes")).strip() == "avec 50"
    sample = Entry("misc", fields={"title": "Nouvelle composition, avec 50 % de personnes", "year": "2019"})
    sample.persons["author"] = [Person("Banque des Territoires")]
    assert "avec 50 % de personnes" in rendered(sample)
    assert not lost_words(sample)


@pytest.mark.parametrize("key", sorted(bibliography.entries()))
def test_no_rendered_entry_loses_text(key):
    """Every word of a source's title, publisher and note is printed (none is eaten after a « % »)."""
    entry = parsed_entries()[key]
    lost = lost_words(entry)
    assert not lost, f"{key} : mots absents de la source imprimée : {lost}\n{rendered(entry)}"
