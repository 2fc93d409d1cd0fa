"""The continuum exercise used in Voilà as a learner would: mouse, keyboard, errors, score, chart."""

from __future__ import annotations

import re

import checks
from playwright.sync_api import expect

from widgets.continuum.content import load_situations, load_steps


def step_label(position: int) -> str:
    step = next(s for s in load_steps() if s.position == position)
    return f"{step.position}. {step.label}"


def verdict(page, text: str):
    """The feedback card's verdict (the page's live region may repeat it for screen readers)."""
    return page.get_by_text(text, exact=True)


# Every text the page's live region (#fa-live) takes, kept by the page itself from the moment this
# runs: what a screen reader announced, whenever it announced it.
LIVE_HISTORY = """() => {
  window.__faLive = [];
  const live = document.getElementById('fa-live');
  new MutationObserver(() => { if (live.textContent) window.__faLive.push(live.textContent); })
    .observe(live, { childList: true, characterData: true, subtree: true });
}"""


def chart_points(page) -> int:
    return page.locator(".js-plotly-plot .scatterlayer path.point").count()


def open_exercise(page, voila_base):
    page.goto(f"{voila_base}/continuum.ipynb")
    expect(page.get_by_role("button", name="Valider ma réponse")).to_be_visible()


def test_answers_change_feedback_score_and_chart(page, voila_base):
    situations = load_situations()
    total = 2 * len(situations)
    open_exercise(page, voila_base)
    score = page.get_by_text(re.compile(r"^Score\s*: "))
    expect(score).to_contain_text(f"0 point sur {total}")
    expect(page.locator(".js-plotly-plot")).to_have_count(0)

    # Situation 1: the reference step → « Juste », 2 points, one pair of markers on the chart.
    first = situations[0]
    expect(page.get_by_text(first.title).first).to_be_visible()
    page.get_by_label(step_label(first.reference)).check()
    page.get_by_role("button", name="Valider ma réponse").click()
    expect(verdict(page, "✔ Juste !")).to_be_visible()
    expect(score).to_contain_text(f"2 points sur {total}")
    expect(page.locator(".js-plotly-plot")).to_have_count(1)
    expect(page.locator(".js-plotly-plot .scatterlayer path.point")).to_have_count(2)

    # Situation 2: a neighbouring step → « Tout proche », 1 more point, two pairs of markers.
    page.get_by_role("button", name="Situation suivante").click()
    second = situations[1]
    expect(page.get_by_text(second.title).first).to_be_visible()
    neighbour = second.reference - 1 if second.reference > 1 else second.reference + 1
    page.get_by_label(step_label(neighbour)).check()
    page.get_by_role("button", name="Valider ma réponse").click()
    expect(verdict(page, "≈ Tout proche.")).to_be_visible()
    expect(score).to_contain_text(f"3 points sur {total}")
    expect(page.locator(".js-plotly-plot .scatterlayer path.point")).to_have_count(4)

    # Going back shows the answer given before, with its feedback: nothing entered is lost.
    page.get_by_role("button", name="Situation précédente").click()
    expect(page.get_by_label(step_label(first.reference))).to_be_checked()
    expect(verdict(page, "✔ Juste !")).to_be_visible()

    # Reset asks first: « Non » keeps everything, « Oui » clears everything.
    page.get_by_role("button", name="Tout recommencer").click()
    page.get_by_role("button", name="Non, garder mes réponses").click()
    expect(score).to_contain_text(f"3 points sur {total}")
    page.get_by_role("button", name="Tout recommencer").click()
    page.get_by_role("button", name="Oui, tout effacer").click()
    expect(score).to_contain_text(f"0 point sur {total}")
    expect(page.locator(".js-plotly-plot .scatterlayer path.point")).to_have_count(0)


def test_voila_pages_speak_french(page, voila_base):
    """The loading text and the error page come from the course's French Voilà template."""
    page.goto(f"{voila_base}/continuum.ipynb", wait_until="commit")
    expect(page.locator("#loading_text")).to_contain_text("Ouverture de l'exercice")
    expect(page.get_by_role("button", name="Valider ma réponse")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title("Où se situe cette situation ? — Faire avec")
    page.goto(f"{voila_base}/nexiste-pas.ipynb")
    expect(page.locator("h1")).to_contain_text("Cette page ne peut pas s'ouvrir (erreur 404)")


def test_placements_survive_a_reload_and_going_back(page, voila_base):
    """Kept in this browser (localStorage), never on the server: « retour » finds them too."""
    first = load_situations()[0]
    open_exercise(page, voila_base)
    page.get_by_label(step_label(first.reference)).check()
    page.get_by_role("button", name="Valider ma réponse").click()
    expect(verdict(page, "✔ Juste !")).to_be_visible()
    page.get_by_role("button", name="Situation suivante").click()
    expect(page.get_by_role("heading", name=re.compile("^Situation 2 sur"))).to_be_visible()
    # The browser keeps the state a moment after the screen changes (kernel → page → localStorage):
    # reload once it is kept, as a person who reloads a second later would find it.
    page.wait_for_function(
        """() => { const kept = localStorage.getItem('faire-avec:v1:continuum');
                   return kept !== null && kept.includes('"situation":1') }""",
        timeout=30_000,
    )

    page.reload()
    expect(page.get_by_role("heading", name=re.compile("^Situation 2 sur"))).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"^Score"))).to_contain_text("2 points")
    page.goto("about:blank")
    page.go_back()
    expect(page.get_by_role("heading", name=re.compile("^Situation 2 sur"))).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Situation précédente").click()
    expect(page.get_by_label(step_label(first.reference))).to_be_checked()
    stored = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('faire-avec:'))")
    assert stored == ["faire-avec:v1:continuum"]

    # « Tout recommencer » erases what the browser kept as well.
    page.get_by_role("button", name="Tout recommencer").click()
    page.get_by_role("button", name="Oui, tout effacer").click()
    expect(page.get_by_text(re.compile(r"^Score"))).to_contain_text("0 point")
    page.wait_for_function("() => localStorage.getItem('faire-avec:v1:continuum') === null")
    expect(page.get_by_role("button", name="Tout recommencer")).to_be_focused()


def test_keyboard_only_and_each_message_read_once(page, voila_base):
    """Arrow keys choose a step, one Tab reaches the button, Enter validates: no mouse needed.
    Errors are alerts (read by that role); any other card is copied once into the page's one live
    region after the learner's action, not announced a second time."""
    echoes = checks.WidgetEchoes(page)
    open_exercise(page, voila_base)
    live = page.locator("#fa-live")
    expect(live).to_have_attribute("aria-live", "polite")
    page.evaluate(LIVE_HISTORY)
    validate = page.get_by_role("button", name="Valider ma réponse")
    validate.focus()
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Choisissez d'abord une étape du continuum")
    expect(page.get_by_text("Traceback")).to_have_count(0)
    expect(live).to_have_text("")
    error = alert.inner_text()

    first = load_situations()[0]
    page.keyboard.press("Shift+Tab")  # back into the group of steps (one Tab stop), on its last step
    page.keyboard.press("Space")
    for _ in range(first.reference % len(load_steps())):  # arrows go round: last → 1 → 2 …
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label(step_label(first.reference))).to_be_checked()
    expect(page.get_by_role("radiogroup", name="Où placez-vous cette situation sur le continuum ?")).to_be_visible()
    # The chosen step travels page → kernel before « Valider » reads it. The page sends a click at
    # once but may hold a choice until the kernel has answered the one before (ipywidgets' throttle):
    # on a loaded machine a click sent at once overtook the choice. Wait until the kernel has it.
    chosen = [step.position for step in load_steps()].index(first.reference)  # the option's index
    echoes.wait_for(page, "selected", f"[{chosen}]")
    page.keyboard.press("Tab")
    expect(validate).to_be_focused()
    page.keyboard.press("Enter")
    expect(verdict(page, "✔ Juste !")).to_be_visible(timeout=60_000)
    expect(live).to_contain_text("✔ Juste !")
    expect(live).not_to_contain_text(first.explanation[:30])  # the card's short version, not all of it
    assert page.locator("[aria-live], [role=status], [role=log]").count() == 1
    # The error was an alert, read by that role: never copied into the live region, then or later.
    announced = page.evaluate("() => window.__faLive")
    assert announced and not any(error[:40] in text for text in announced), announced
