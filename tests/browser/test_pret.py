"""« Suis-je prêt·e ? » used in Voilà as a team would: mouse, keyboard, chart, lists, printable review, reset."""

from __future__ import annotations

import base64
import html

from playwright.sync_api import expect

from widgets.pret.content import load_items

from . import checks

ITEMS = {item.id: item for item in load_items()}
PCT = "\u202f%"  # narrow no-break space before « % », as the chart writes it
DATA_PREFIX = "data:text/html;charset=utf-8;base64,"


def open_exercise(page, voila_base):
    page.goto(f"{voila_base}/pret.ipynb")
    expect(page.get_by_role("button", name="Tout recommencer")).to_be_visible()
    expect(page.locator(".fa-pret-item")).to_have_count(len(ITEMS))


def radio(page, item_id: str, label: str):
    return page.locator(f".fa-pret-item-{item_id}").get_by_label(label, exact=True)


def bars(page):
    return page.locator(".jp-RenderedPlotly text.bartext")


def decoded_report(page) -> str:
    href = page.locator(".fa-pret-report a[download='bilan-pret.html']").get_attribute("href")
    assert href.startswith(DATA_PREFIX)
    return base64.b64decode(href[len(DATA_PREFIX) :]).decode("utf-8")


def test_answers_update_chart_lists_report_and_reset(page, voila_base):
    open_exercise(page, voila_base)
    strengths, vigilance, steps = (page.locator(f".fa-pret-{name}") for name in ("forces", "vigilance", "etapes"))
    expect(strengths).to_contain_text("Aucune force pour l'instant")
    expect(steps).to_contain_text("Aucune prochaine étape")
    expect(page.locator(".jp-RenderedPlotly")).to_have_count(0)
    expect(page.get_by_text("Le graphique par thème apparaîtra")).to_be_visible()

    # Three answers with the mouse, one per theme and level.
    radio(page, "regard-different", "Oui").check()
    expect(page.locator(".fa-pret-item-regard-different")).to_contain_text("✔ Force :")
    # The first chart takes a few seconds (plotly loads once in the kernel and in the page).
    expect(bars(page)).to_have_text([f"100{PCT}", "pas encore de réponse", "pas encore de réponse"], timeout=30_000)
    expect(strengths.locator("li")).to_have_text([ITEMS["regard-different"].strength])

    radio(page, "parler-des-personnes", "En partie").check()
    radio(page, "horaires-soins", "Pas encore").check()
    radio(page, "embauche-concertee", "Je ne sais pas").check()
    # Posture: (1 + 0,5) / 2 = 75 %; cadre: 0 %; organisation: only « Je ne sais pas ».
    expect(bars(page)).to_have_text([f"75{PCT}", f"0{PCT}", "à discuter"])
    expect(vigilance.locator("li")).to_have_text(
        [ITEMS["parler-des-personnes"].vigilance, ITEMS["horaires-soins"].vigilance]
    )
    # Next steps: « Pas encore » first, then « En partie », then « Je ne sais pas ».
    expect(steps.locator("li")).to_have_text(
        [
            f"[Pas encore] {ITEMS['horaires-soins'].action}",
            f"[En partie] {ITEMS['parler-des-personnes'].action}",
            f"[Je ne sais pas] {ITEMS['embauche-concertee'].action}",
        ]
    )
    expect(page.locator(".fa-pret-discuter")).to_contain_text("12 affirmations sans réponse")
    expect(page.locator(".fa-status").filter(has_text="Votre équipe a déjà 1 force")).to_contain_text(
        "4 affirmations sur 16 avec une réponse"
    )

    # The keyboard: focus « Oui », Space to choose it, then arrows move the choice.
    radio(page, "vocabulaire", "Oui").focus()
    page.keyboard.press("Space")
    expect(radio(page, "vocabulaire", "Oui")).to_be_checked()
    expect(bars(page)).to_have_text([f"83{PCT}", f"0{PCT}", "à discuter"])  # (1 + 0,5 + 1) / 3
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(radio(page, "vocabulaire", "Pas encore")).to_be_checked()
    expect(radio(page, "vocabulaire", "Oui")).not_to_be_checked()
    expect(bars(page)).to_have_text([f"50{PCT}", f"0{PCT}", "à discuter"])  # (1 + 0,5 + 0) / 3
    expect(steps.locator("li").first).to_have_text(f"[Pas encore] {ITEMS['vocabulaire'].action}")
    expect(page.locator(".fa-pret-item-vocabulaire")).to_contain_text("○ Point de vigilance :")

    # The printable review: a data: link in the page, with every answer in it.
    expect(page.locator(".fa-pret-report a")).to_have_count(0)
    page.get_by_role("button", name="Imprimer ou enregistrer le bilan").click()
    link = page.get_by_role("link", name="Télécharger le bilan (bilan-pret.html)")
    expect(link).to_be_visible()
    expect(page.locator(".fa-pret-report")).to_contain_text("Ctrl+P pour imprimer")
    expect(page.locator(".fa-pret-report")).to_contain_text("ni enregistré ni envoyé ailleurs")
    document = decoded_report(page)
    for item_id, answer in (
        ("regard-different", "✔ Oui"),
        ("parler-des-personnes", "≈ En partie"),
        ("horaires-soins", "○ Pas encore"),
        ("embauche-concertee", "? Je ne sais pas"),
        ("vocabulaire", "○ Pas encore"),
    ):
        row = f"<td>{html.escape(ITEMS[item_id].statement)}</td><td>{html.escape(answer)}</td>"
        assert row in document, item_id
    assert f"<td>{html.escape(ITEMS['equite'].statement)}</td><td>— à discuter</td>" in document
    assert "Atelier 6, journée régionale travail pair et participation, Lyon, 20 décembre 2023" in document

    # The link follows a changed answer, and the browser saves it under the announced name.
    radio(page, "regard-different", "En partie").check()
    expect(strengths.locator("li")).to_have_count(0)
    page.wait_for_function(
        "() => atob(document.querySelector(\".fa-pret-report a\").href.split(',')[1]).includes('Aucune force')"
    )
    assert html.escape("Aucune force pour l'instant") in decoded_report(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "bilan-pret.html"

    # Reset (after confirming) clears answers, chart, lists and the link.
    page.get_by_role("button", name="Tout recommencer").click()
    page.get_by_role("button", name="Oui, tout effacer").click()
    expect(page.locator(".fa-pret-item input:checked")).to_have_count(0)
    expect(page.locator(".jp-RenderedPlotly")).to_have_count(0)
    expect(strengths).to_contain_text("Aucune force pour l'instant")
    expect(vigilance).to_contain_text("Aucun point de vigilance")
    expect(steps).to_contain_text("Aucune prochaine étape")
    expect(page.locator(".fa-pret-report a")).to_have_count(0)
    expect(page.get_by_text("Répondez aux affirmations, une par une")).to_be_visible()
    expect(page.locator(".fa-pret-item-regard-different")).not_to_contain_text("Force :")

    # And it works again after a reset.
    radio(page, "equite", "Oui").check()
    expect(bars(page)).to_have_text([f"100{PCT}", "pas encore de réponse", "pas encore de réponse"])
    expect(page.get_by_text("Traceback")).to_have_count(0)


def test_one_tab_stop_per_statement(page, voila_base):
    """Each statement's four answers are one radio group: the review's button is reached in a few Tabs
    (it took 67 when every answer was its own Tab stop)."""
    open_exercise(page, voila_base)
    button = page.get_by_role("button", name="Imprimer ou enregistrer le bilan")
    page.mouse.click(2, 2)
    presses = 0
    while presses < 60 and not button.evaluate("b => b === document.activeElement"):
        page.keyboard.press("Tab")
        presses += 1
    expect(button).to_be_focused()
    assert presses <= len(ITEMS) + 6, presses


def test_on_a_phone_the_first_statement_is_on_screen_and_a_full_review_fits(sized_page, voila_base):
    """360 × 740: the first answer is on the first screen (the intro folds under « Consigne de
    l'exercice »); with every statement answered, « Je ne sais pas » included, nothing overlaps and
    nothing is cut — the chart's counts wrap inside the screen."""
    page = sized_page(360, 740)
    open_exercise(page, voila_base)
    first = page.locator(".fa-choice").first.bounding_box()
    assert first and first["y"] + first["height"] <= 740, f"first answer at {first}"
    levels = ("Oui", "En partie", "Pas encore", "Je ne sais pas")
    for number, item_id in enumerate(ITEMS):
        radio(page, item_id, levels[number % len(levels)]).check()
    expect(page.locator(".fa-status").first).to_contain_text(f"{len(ITEMS)} affirmations sur {len(ITEMS)}")
    expect(bars(page)).to_have_count(3)
    checks.settle(page)  # the chart redraws a last time after the last answer
    problems = checks.overlaps(page)
    assert not problems, "\n".join(problems)


def test_projected_the_chart_is_as_large_as_the_text(sized_page, voila_base):
    """« Mode projecteur » at 1920 × 1080: every text of the chart is drawn at 24 px or more."""
    page = sized_page(1920, 1080, projector=True)
    open_exercise(page, voila_base)
    radio(page, "regard-different", "Oui").check()
    expect(bars(page).first).to_have_text(f"100{PCT}", timeout=30_000)
    sizes = checks.chart_text_sizes(page)
    small = [(text, size) for text, size in sizes if size < 24]
    assert sizes and not small, f"chart texts under 24 px in projector mode: {small}"
