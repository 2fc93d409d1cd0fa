"""The printable cards read the same data files as the exercises, and keep the answers apart."""

from __future__ import annotations

import html
import re

from widgets.continuum.content import load_situations, load_steps
from widgets.kit import cards
from widgets.kit.content import load_jobs
from widgets.remuneration.content import load_profiles
from widgets.salle.content import load_scales

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?!#|data:)[^"'\s>]+""", re.I)


def text(document: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", document))


def test_situation_cards_have_every_situation_and_no_answer():
    sheet = text(cards.situation_cards())
    situations = load_situations()
    for number, situation in enumerate(situations, start=1):
        assert situation.title in sheet
        assert f"n° {number}" in sheet
        assert situation.explanation not in sheet
    assert "référence" not in sheet.lower()


def test_the_answer_sheet_gives_each_reference_step_and_why():
    sheet = text(cards.situation_answers())
    steps = {s.position: s.label for s in load_steps()}
    for situation in load_situations():
        assert f"{situation.reference}. {steps[situation.reference]}" in sheet
        assert " ".join(situation.explanation.split()) in " ".join(sheet.split())
    assert "pour la personne qui anime" in sheet


def test_job_cards_are_the_titles_of_chapter_one_with_their_sources():
    sheet = text(cards.job_cards())
    jobs = load_jobs()
    assert len(jobs) >= 10
    for job in jobs:
        assert job.title in sheet and job.source in sheet


def test_case_cards_are_the_simulator_profiles():
    sheet = text(cards.case_cards())
    for number, profile in enumerate(load_profiles(), start=1):
        assert f"Cas {number}" in sheet and profile.label in sheet
        assert " ".join(profile.assumptions.split()) in " ".join(sheet.split())


def test_colour_cards_carry_a_word_and_a_symbol_never_colour_alone():
    document = cards.colour_cards()
    found = re.findall(
        r'<section class="card colour[^"]*" style="background:([^;]+);color:([^"]+)">(.*?)</section>', document, re.S
    )
    names = {"abaque": "Abaque de Régnier", "feux": "Feux tricolores"}
    for scale_id, name in names.items():
        for choice in load_scales()[scale_id].choices:
            assert any(
                colour == choice.colour
                and ink == choice.text_colour
                and f">{html.escape(choice.symbol)}<" in body
                and f">{html.escape(choice.label)}<" in body
                and f">{name}<" in body
                for colour, ink, body in found
            ), f"{choice.id} : pas de carte avec sa couleur, son symbole et son mot"
    assert len(found) == sum(len(load_scales()[s].choices) for s in names)


def test_every_sheet_is_self_contained():
    for name, document in cards.all_cards().items():
        assert document.startswith("<!DOCTYPE html>") and '<html lang="fr">' in document, name
        assert "<script" not in document, name
        assert not EXTERNAL.findall(document), f"{name} : {EXTERNAL.findall(document)[:3]}"
        assert "@page" in document, name


def test_the_help_numbers_sheet_gives_every_number_large_and_keeps_unchecked_ones_marked():
    from widgets.kit.content import load_numbers

    document = cards.numbers_sheet()
    sheet = " ".join(text(document).split())
    numbers = load_numbers()
    assert any(not n.checked for n in numbers)  # the data has numbers to check: the marks below are exercised
    for number in numbers:
        dial = html.escape(number.number).replace(" ", "&nbsp;")
        row = re.search(rf"<tr><th scope='row'>(.*?{re.escape(dial)}.*?)</th><td>(.*?)</td></tr>", document, re.S)
        assert row, number.number
        assert html.escape(number.name) in row.group(2) and " ".join(number.for_whom.split()) in sheet
        marked = 'class="unchecked"' in row.group(1) and "⚠ À vérifier" in html.unescape(row.group(2))
        assert marked == (not number.checked), (
            f"{number.number} : marque « à vérifier » {'absente' if number.checked is False else 'en trop'}"
        )
        assert number.source in html.unescape(document)  # where each number comes from, on the sheet too
    sizes = {
        rule: float(size)
        for rule, size in re.findall(r"^(\.help[^{]*|h1|\.intro)\{[^}]*font-size: ([0-9.]+)pt", cards.HELP_CSS, re.M)
    }
    sources = sizes.pop(".help .sources ")  # the list of sources, for whoever checks: small print
    assert min(sizes.values()) >= 13 and sizes[".help table.numbers th "] >= 20 and sources >= 8, sizes  # large type
    assert "Centre médico-psychologique (CMP) du secteur" in sheet  # places near the room, to write in
