"""The session planner in Voilà, used as a trainer would: start from a ready session, change a duration,
see the French message when over or under, move and remove lines with the keyboard, add a tool and
download the plan (the files are ``data:`` links: nothing is stored on the server)."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import expect

from widgets.kit import handouts
from widgets.kit.content import load_session_specs, tools_by_id
from widgets.kit.model import check
from widgets.kit.planner.controls import EMPTY_CHOICE
from widgets.kit.plans import build_plan
from widgets.quiz.model import verdict

from . import checks

NB = "\u00a0"
SHOTS = os.environ.get("FAIRE_AVEC_SCREENSHOTS")  # a folder: the test also saves what it saw
SLOW = 30_000  # ms: each change goes through the kernel of a loaded 2-core machine
MEMORY = "faire-avec:v1:planificateur"  # where this browser keeps the plan (localStorage)


def decoded(page, filename: str) -> str:
    href = page.locator(f".fa-kit-links a[download='{filename}']").get_attribute("href")
    assert href and href.startswith("data:")
    return base64.b64decode(href.split(",", 1)[1]).decode("utf-8")


def minutes_box(page, line: int):
    return page.locator(".fa-kit-line").nth(line).get_by_label("Durée (min)")


def test_planner_totals_messages_keyboard_and_downloads(page, voila_base):
    spec = load_session_specs()[0]
    plan = build_plan(spec)
    assert check(plan, tools_by_id()).total == spec.length
    page.goto(f"{voila_base}/planificateur.ipynb")
    lines = page.locator(".fa-kit-line")
    expect(lines).to_have_count(len(plan.items), timeout=60_000)
    status = page.locator(".fa-kit-status")
    expect(status).to_contain_text("✔ Le déroulé dure 3" + NB + "h : il tient exactement dans la séance", timeout=SLOW)
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "planificateur-1100.png"), full_page=True)

    # Ten more minutes on a line of 20 min or more: the plan is over by 10 min.
    line = next(i for i, item in enumerate(plan.items) if item.minutes >= 20)
    box = minutes_box(page, line)
    first_minutes = plan.items[line].minutes
    box.fill(str(first_minutes + 10))
    box.press("Enter")
    expect(status).to_contain_text(f"soit 10{NB}min de trop pour une séance de 3{NB}h", timeout=SLOW)
    expect(status.get_by_role("alert")).to_be_visible(timeout=SLOW)

    # A typo gets a French message next to the line, and the typed text stays.
    box.fill("dix")
    box.press("Enter")
    expect(lines.nth(line)).to_contain_text("« dix » n'est pas un nombre", timeout=SLOW)
    expect(box).to_have_value("dix", timeout=SLOW)

    # Twenty minutes less: 10 min are left.
    box.fill(str(first_minutes - 10))
    box.press("Enter")
    expect(status).to_contain_text(f"il reste 10{NB}min non prévues dans une séance de 3{NB}h", timeout=SLOW)

    # Keyboard: « Descendre » on the first line with Enter; the focus follows the line.
    first_title = plan.items[0].title
    lines.nth(0).get_by_role("button", name="Descendre").focus()
    page.keyboard.press("Enter")
    expect(lines.nth(1)).to_contain_text(first_title, timeout=SLOW)
    expect(lines.nth(1).get_by_role("button", name="Descendre")).to_be_focused(timeout=SLOW)
    # « Retirer » on that line: one line fewer.
    page.keyboard.press("Shift+Tab")  # Monter
    page.keyboard.press("Tab")  # Descendre
    page.keyboard.press("Tab")  # Retirer
    expect(lines.nth(1).get_by_role("button", name="Retirer")).to_be_focused(timeout=SLOW)
    page.keyboard.press("Enter")
    expect(lines).to_have_count(len(plan.items) - 1, timeout=SLOW)
    expect(page.locator(".fa-kit-lines")).not_to_contain_text(first_title, timeout=SLOW)

    # Add the « parole au centre »: Interroger appears among the EPIC stages lived.
    page.get_by_label("Outil", exact=True).select_option(label=f"I Interroger — La parole au centre (45{NB}min)")
    page.get_by_role("button", name="Ajouter l'outil").click()
    expect(lines).to_have_count(len(plan.items), timeout=SLOW)
    expect(lines.last).to_contain_text("La parole au centre", timeout=SLOW)
    expect(status).to_contain_text("I Interroger", timeout=SLOW)

    # The downloads say the same thing as the page.
    markdown = decoded(page, "plan-seance.md")
    assert markdown.startswith(f"# {spec.title}")
    assert "La parole au centre" in markdown and first_title not in markdown
    assert "de trop pour une séance de 3" in markdown
    printable = decoded(page, "plan-seance.html")
    assert printable.startswith("<!DOCTYPE html>") and "La parole au centre" in printable
    assert "<script" not in printable

    # Starting again from the empty session asks first, then empties the plan.
    page.get_by_label("Séance de départ").select_option(label="Une séance vide")
    page.get_by_role("button", name="Repartir de cette séance").click()
    expect(page.get_by_text("Remplacer votre déroulé ?")).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="Non, garder mon déroulé").click()
    expect(lines).to_have_count(len(plan.items), timeout=SLOW)
    page.get_by_role("button", name="Repartir de cette séance").click()
    page.get_by_role("button", name="Oui, remplacer").click()
    expect(lines).to_have_count(0, timeout=SLOW)
    expect(status).to_contain_text("Le déroulé est vide", timeout=SLOW)


def test_planner_reads_well_on_a_phone_and_on_a_projector(browser, voila_base):
    """No sideways scrolling at 360, 1280 and 1920 px (one page, resized: one kernel); the two-day
    session opens with both days."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{voila_base}/planificateur.ipynb")
        expect(page.locator(".fa-kit-line").first).to_be_visible(timeout=SLOW)
        for width, height in ((360, 780), (1280, 800), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            if width == 1920:
                page.get_by_label("Séance de départ").select_option(label=load_session_specs()[2].title)
                page.get_by_role("button", name="Repartir de cette séance").click()
                expect(page.locator(".fa-kit-lines")).to_contain_text("Jour 2", timeout=SLOW)
            checks.settle(page)  # the layout after the resize (and the new session's lines)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{width} px : la page déborde de {overflow} px sur le côté"
            if SHOTS:
                page.screenshot(path=str(Path(SHOTS) / f"planificateur-{width}.png"))
    finally:
        context.close()


def test_planner_keeps_the_plan_through_a_reload_until_tout_recommencer(browser, voila_base):
    """A changed duration, a moved line and the chosen session survive a reload (kept in this browser's
    localStorage, nothing on the server); « Tout recommencer » erases them, reload or not."""
    plan = build_plan(load_session_specs()[0])
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    lines = page.locator(".fa-kit-line")
    status = page.locator(".fa-kit-status")
    try:
        page.goto(f"{voila_base}/planificateur.ipynb")
        expect(lines).to_have_count(len(plan.items), timeout=60_000)
        line = next(i for i, item in enumerate(plan.items) if i > 0 and item.minutes >= 20)
        minutes_box(page, line).fill(str(plan.items[line].minutes + 10))
        minutes_box(page, line).press("Enter")
        expect(status).to_contain_text(f"soit 10{NB}min de trop", timeout=SLOW)
        lines.nth(0).get_by_role("button", name="Retirer").click()
        expect(lines).to_have_count(len(plan.items) - 1, timeout=SLOW)
        page.get_by_label("Séance de départ").select_option(label="Une séance vide")
        # The list's change reaches the kernel, then the browser's memory: reload once it is kept (the
        # plan is stored after each change, so wait for this one, not for the removal's).
        chosen = f'"choix":{json.dumps(EMPTY_CHOICE)}'  # as the page stores it (compact JSON)
        assert checks.wait_for_stored_text(page, MEMORY, chosen), "le choix de la liste n'est pas gardé"

        page.reload()
        expect(lines).to_have_count(len(plan.items) - 1, timeout=60_000)
        expect(minutes_box(page, line - 1)).to_have_value(str(plan.items[line].minutes + 10), timeout=SLOW)
        expect(page.locator(".fa-kit-lines")).not_to_contain_text(plan.items[0].title, timeout=SLOW)
        expect(page.get_by_label("Séance de départ")).to_have_value(
            page.get_by_label("Séance de départ").locator("option", has_text="Une séance vide").get_attribute("value"),
            timeout=SLOW,
        )
        stored = page.evaluate("() => Object.keys(localStorage).filter(k => k.includes('planificateur'))")
        assert stored == ["faire-avec:v1:planificateur"]
        if SHOTS:  # the changed line, on screen (Voilà scrolls its own box: a full-page shot would not)
            lines.nth(line - 2).scroll_into_view_if_needed()
            page.screenshot(path=str(Path(SHOTS) / "planificateur-recharge-360.png"))
            page.set_viewport_size({"width": 1920, "height": 1080})
            checks.settle(page)
            page.screenshot(path=str(Path(SHOTS) / "planificateur-recharge-1920.png"))
            page.set_viewport_size({"width": 360, "height": 780})

        # « Repartir » still asks first: the plan was changed before the reload.
        page.get_by_role("button", name="Repartir de cette séance").click()
        expect(page.get_by_text("Remplacer votre déroulé ?")).to_be_visible(timeout=SLOW)
        page.get_by_role("button", name="Non, garder mon déroulé").click()

        reset = page.get_by_role("button", name="Tout recommencer")
        reset.click()
        page.get_by_role("button", name="Oui, tout effacer").click()
        expect(reset).to_be_focused(timeout=SLOW)
        expect(lines).to_have_count(len(plan.items), timeout=SLOW)
        expect(status).to_contain_text("il tient exactement dans la séance", timeout=SLOW)
        checks.wait_for_storage(page, MEMORY, None)  # the erasure goes kernel → page → localStorage
        assert page.evaluate("() => localStorage.getItem('faire-avec:v1:planificateur')") is None
        page.reload()
        expect(lines).to_have_count(len(plan.items), timeout=60_000)
        expect(minutes_box(page, line)).to_have_value(str(plan.items[line].minutes), timeout=SLOW)
    finally:
        context.close()


# --- Printed handouts and cards (Chromium's page.pdf(), text read back with pdftotext) -------------


class _Labels(HTMLParser):
    """The words written on the book page's buttons (and on the link styled as the live-exercise button)."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    )

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.inside: int | None = None
        self.parts: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if self.inside is None and (tag == "button" or "btn" in classes or "faire-live-link" in classes):
            self.inside, self.parts = self.depth, []

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.inside is not None and self.depth == self.inside:
            label = " ".join("".join(self.parts).split()).strip("▶ ")
            if len(re.sub(r"\W", "", label)) >= 4:
                self.labels.add(label)
            self.inside = None
        self.depth -= 1

    def handle_data(self, data):
        if self.inside is not None:
            self.parts.append(data)


def pdf_text(path: Path) -> str:
    """The PDF's text, whitespace folded (poppler-utils' pdftotext: `.ci/run` installs it)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext est introuvable : installez le paquet Debian « poppler-utils ».")
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert pages, info
    return int(pages.group(1))


PRINTED_CHAPTER = "03-participer"  # tables, a quiz, a live exercise and the continuum's answers: the richest page


def test_a_chapter_prints_for_participants_and_for_trainers(browser, tmp_path):
    """`make test` prints one chapter (both versions); `make kit` prints them all with the same code."""
    page = handouts.BOOK_DIR / "chapters" / f"{PRINTED_CHAPTER}.html"
    if not page.exists():
        pytest.fail("Le livre n'est pas construit : lancez « make test-book » avant les tests du navigateur.")
    parser = _Labels()
    parser.feed(page.read_text(encoding="utf-8"))
    assert "Faire l'exercice en direct" in parser.labels, parser.labels  # the page has buttons to hide
    done = {
        h.version: h.path
        for h in handouts.print_all((PRINTED_CHAPTER,), out_dir=tmp_path, book_dir=handouts.BOOK_DIR, chromium=browser)
    }
    assert set(done) == {"participant", "formateur"}
    participant, trainer = pdf_text(done["participant"]), pdf_text(done["formateur"])
    for version, text in (("participant", participant), ("formateur", trainer)):
        assert "Participer : du continuum au travail pair" in text, version
        for label in parser.labels:
            assert " ".join(label.split()) not in text, f"{version} : texte de bouton « {label} » dans le PDF"
        assert "Sources" in text and "https://" in text, f"{version} : les sources manquent"
    assert "Pour animer cette séquence" not in participant
    assert "Pour animer cette séquence" in trainer
    right = verdict(True)  # « ✔ Réponse juste. »: the quiz's answer key, for trainers only
    assert right in trainer and right not in participant
    assert "3114" in trainer and "feuille des réponses" in trainer
    assert pdf_pages(done["formateur"]) > pdf_pages(done["participant"]) >= 4


def test_cards_print_with_words_and_symbols(browser, tmp_path):
    from widgets.kit import cards, pdf
    from widgets.salle.content import load_scales

    colours = pdf.print_page(browser, tmp_path / "couleurs.pdf", html=cards.colour_cards(), footer=False)
    situations = pdf.print_page(browser, tmp_path / "situations.pdf", html=cards.situation_cards(), footer=False)
    text = pdf_text(colours)
    for scale in ("abaque", "feux"):
        for choice in load_scales()[scale].choices:
            assert choice.label in text and choice.symbol in text, choice.id
    assert pdf_pages(colours) == 2  # one sheet per set: the abaque's six cards, the traffic lights'
    text = pdf_text(situations)
    from widgets.continuum.content import load_situations

    squeezed = "".join(text.split())  # a title may wrap at a hyphen (« mi-\ntemps »)
    for situation in load_situations():
        assert "".join(situation.title.split()) in squeezed
        assert "".join(situation.explanation[:40].split()) not in squeezed

    # The participants' help numbers: A4, every number on one line, unchecked ones still marked.
    from widgets.kit.content import load_numbers

    numbers = pdf.print_page(browser, tmp_path / "numeros.pdf", html=cards.numbers_sheet(), title="numeros-d-aide")
    text = pdf_text(numbers)
    for number in load_numbers():
        assert number.number in text, number.number
    assert text.count("⚠ À vérifier avant la séance") == sum(1 for n in load_numbers() if not n.checked)
    info = subprocess.run(["pdfinfo", str(numbers)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info, info


# --- Slides at 1920×1080 -------------------------------------------------------------------------


def test_slides_project_offline_and_move_with_the_keyboard(browser, tmp_path):
    from widgets.kit import slides

    deck = next(p for p in slides.build_all(tmp_path) if p.stem.endswith("animer"))
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(deck.as_uri())
        total = page.locator(".slide").count()
        counter = page.locator(".counter")
        expect(counter).to_have_text(f"1 / {total}", timeout=SLOW)
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 36, f"texte de {size} px : illisible du fond de la salle"
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / "diapo-1.png"))
        overflowing = []
        for number in range(1, total + 1):
            expect(counter).to_have_text(f"{number} / {total}", timeout=SLOW)
            if page.evaluate(
                "(() => { const s = document.querySelector('.slide:not([hidden])'); return s.scrollHeight > s.clientHeight + 2; })()"
            ):
                overflowing.append(number)
            if SHOTS and number in (2, 10, total - 3):
                page.screenshot(path=str(Path(SHOTS) / f"diapo-{number}.png"))
            page.keyboard.press("ArrowRight" if number % 2 else "Space")
        assert not overflowing, f"diapositives qui débordent de l'écran : {overflowing}"
        expect(counter).to_have_text(f"{total} / {total}", timeout=SLOW)  # the last one stays
        page.keyboard.press("Home")
        expect(counter).to_have_text(f"1 / {total}", timeout=SLOW)
        page.keyboard.press("End")
        page.keyboard.press("ArrowLeft")
        expect(counter).to_have_text(f"{total - 1} / {total}", timeout=SLOW)
        page.get_by_role("button", name="Suivante").click()
        expect(counter).to_have_text(f"{total} / {total}", timeout=SLOW)
        assert [url for url in requests if not url.startswith("file:")] == []
    finally:
        context.close()
