"""The projector decks: built offline from each chapter's MyST source, one file each, nothing to load."""

from __future__ import annotations

import html
import re

import pytest

from widgets.kit import slides
from widgets.kit.chapters import chapter_paths, plain

SECTION = re.compile(r'<section class="slide (\w+)"[^>]*>(.*?)</section>', re.S)
HEADING = re.compile(r"<h2>(.*?)</h2>", re.S)


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    return {path.stem: path.read_text(encoding="utf-8") for path in slides.build_all(out)}


def test_one_deck_per_chapter(decks):
    assert sorted(decks) == sorted(p.stem for p in chapter_paths())


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda p: p.stem)
def test_a_deck_has_the_chapter_title_every_section_and_the_quiz(decks, path):
    deck = decks[path.stem]
    found = SECTION.findall(deck)
    assert len(found) >= 15, f"{path.stem} : {len(found)} diapositives"
    titled = [HEADING.search(body) for _, body in found]
    assert all(titled), f"{path.stem} : une diapositive sans titre"
    headings = [html.unescape(match.group(1)) for match in titled if match]
    source = path.read_text(encoding="utf-8")
    title_line = re.search(r"^# (.+)$", source, re.M)
    assert title_line, f"{path.name} : pas de titre « # »"
    title = plain(title_line.group(1))
    assert headings[0] == title
    for section in re.findall(r"^## (.+)$", source, re.M):
        name = plain(section)
        if name.startswith(slides.SKIPPED_SECTIONS):
            assert name == "Sources" or name not in headings
        else:
            assert name in headings, f"{path.stem} : la partie « {name} » n'a pas de diapositive"
    assert any(h.startswith("Je vérifie mes connaissances (1/") for h in headings)
    assert "Pour animer cette séquence" not in deck


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda p: p.stem)
def test_a_deck_loads_nothing_and_stays_readable(decks, path):
    deck = decks[path.stem]
    assert not re.search(r"""\b(?:src|href)\s*=""", deck), "une adresse à charger ou un lien dans les diapositives"
    assert "@import" not in deck and "url(" not in deck
    assert "default-src 'none'" in deck  # the browser itself refuses any request
    for _kind, body in SECTION.findall(deck):
        visible = html.unescape(re.sub(r"<[^>]+>", "", body.split("</h2>", 1)[1]))
        assert len(visible) <= 2 * slides.MAX_CHARS, f"{path.stem} : une diapositive de {len(visible)} caractères"
    assert "{term}" not in deck and "{cite" not in deck and ":::" not in deck and "```" not in deck
