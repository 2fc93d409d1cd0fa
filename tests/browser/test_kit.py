"""The session planner in Voilà, used as a trainer would: start from a ready session, change a duration,
see the French message when over or under, move and remove lines with the keyboard, add a tool and
download the plan (the files are ``data:`` links: nothing is stored on the server)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from playwright.sync_api import expect

from widgets.kit.content import load_session_specs, tools_by_id
from widgets.kit.model import check
from widgets.kit.plans import build_plan

NB = "\u00a0"
SHOTS = os.environ.get("FAIRE_AVEC_SCREENSHOTS")  # a folder: the test also saves what it saw
SLOW = 30_000  # ms: each change goes through the kernel of a loaded 2-core machine


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
    """No sideways scrolling at 360 px; the two-day session opens with both days at 1920 px."""
    for width, height in ((360, 780), (1280, 800), (1920, 1080)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(60_000)
        try:
            page.goto(f"{voila_base}/planificateur.ipynb")
            expect(page.locator(".fa-kit-line").first).to_be_visible(timeout=SLOW)
            if width == 1920:
                page.get_by_label("Séance de départ").select_option(label=load_session_specs()[2].title)
                page.get_by_role("button", name="Repartir de cette séance").click()
                expect(page.locator(".fa-kit-lines")).to_contain_text("Jour 2", timeout=SLOW)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{width} px : la page déborde de {overflow} px sur le côté"
            if SHOTS:
                page.screenshot(path=str(Path(SHOTS) / f"planificateur-{width}.png"), full_page=width != 1920)
        finally:
            context.close()
