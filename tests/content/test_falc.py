"""The « En bref (facile à lire) » boxes follow the FALC rules that a test can check.

Why: these boxes are read by learners who read little or read French as a second language. FALC
(« facile à lire et à comprendre ») asks for one idea per sentence, everyday words, every sigle
explained where it is used, no double negative and no median-point forms (« payé·e »), which
screen readers spell out and new readers stumble on. Sentence length is checked in
test_course_content.py; the other rules are checked here, box by box.
"""

from __future__ import annotations

import re

import pytest

from widgets.glossary import load_glossary

from .test_course_content import FALC_BOX, SIGLE, chapter_markdown, toc_files

ROLE = re.compile(r"\{term\}`([^`<]*?)(?:\s*<[^>]*>)?`")
# « ne … pas non plus », « ne … plus rien », « ne … jamais rien » : two negations a reader must combine.
DOUBLE_NEGATIVE = re.compile(r"\bnon plus\b|\b(?:plus|jamais) (?:rien|personne|aucune?)\b", re.IGNORECASE)


def pages() -> list[str]:
    return [name for name in toc_files() if not name.endswith("glossaire")]


def falc_text(name: str) -> str:
    """The box as a learner reads it: glossary links become their words."""
    box = FALC_BOX.search(chapter_markdown(name))
    assert box, f"{name} : pas d'encadré « En bref (facile à lire) »"
    return ROLE.sub(r"\1", box.group(1))


def expansions() -> dict[str, str]:
    """Each sigle's meaning: the first sentence of its glossary definition (« Caisse d'allocations familiales »)."""
    return {
        entry["terme"]: entry["definition"].split(". ")[0].rstrip(".")
        for entry in load_glossary()
        if SIGLE.fullmatch(entry["terme"])
    }


@pytest.mark.parametrize("name", pages())
def test_no_median_point_in_easy_to_read_boxes(name):
    forms = re.findall(r"[\wÀ-ÿ]+·[\wÀ-ÿ·]*", falc_text(name))
    assert not forms, f"{name} : formes avec point médian dans le résumé FALC : {forms}"


@pytest.mark.parametrize("name", pages())
def test_every_sigle_is_explained_in_the_box(name):
    """A sigle in the box comes with its words, in the box itself (« la CAF : la caisse d'allocations familiales »)."""
    text = falc_text(name)
    meanings = expansions()
    unexplained = sorted(
        sigle
        for sigle in set(SIGLE.findall(text))
        if sigle not in meanings or meanings[sigle].casefold() not in text.casefold()
    )
    assert not unexplained, f"{name} : sigles non expliqués dans le résumé FALC : {unexplained}"


@pytest.mark.parametrize("name", pages())
def test_no_double_negative_in_the_box(name):
    found = [line for line in falc_text(name).splitlines() if DOUBLE_NEGATIVE.search(line)]
    assert not found, f"{name} : double négation dans le résumé FALC : {found}"


@pytest.mark.parametrize("name", pages())
def test_one_sentence_per_idea_stays_short_in_items(name):
    """At most two sentences per bullet: a longer bullet hides several ideas in one line."""
    items = [line[2:] for line in falc_text(name).splitlines() if line.startswith("- ")]
    crowded = [item for item in items if len(re.findall(r"[.!?](?:\s|$)", item.replace("…", "."))) > 2]
    assert not crowded, f"{name} : lignes du résumé FALC avec plus de deux phrases : {crowded}"
