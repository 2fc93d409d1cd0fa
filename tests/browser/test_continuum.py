"""The continuum exercise used in Voilà as a learner would: mouse, keyboard, errors, score, chart."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from widgets.continuum.content import load_situations, load_steps

from . import checks


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
    # The template's first words, or its step count if the kernel was already that quick: French either way.
    expect(page.locator("#loading_text")).to_contain_text(
        re.compile(r"Ouverture de l'exercice|Préparation de l'exercice : étape \d+ sur \d+")
    )
    expect(page.get_by_role("button", name="Valider ma réponse")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title("Où se situe cette situation ? — Faire avec")
    page.goto(f"{voila_base}/nexiste-pas.ipynb")
    expect(page.locator("h1")).to_contain_text("Cette page ne peut pas s'ouvrir (erreur 404)")


# Sampled at every frame while the page opens (before each paint): the text a person would have seen.
SEEN_TEXT = """(() => {
  window.__seen = new Set();
  const look = () => {
    if (document.body) for (const line of document.body.innerText.split('\\n')) if (line.trim()) window.__seen.add(line.trim());
    if (!window.__stop) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();"""


def test_the_first_load_never_shows_english(page, voila_base):
    """While the widgets load, each one's placeholder says so in French (it was « Loading widget... »)."""
    page.add_init_script(SEEN_TEXT)
    open_exercise(page, voila_base)
    seen = page.evaluate("() => { window.__stop = true; return [...window.__seen]; }")
    english = [line for line in seen if re.search(r"\b(Loading|widget|Error)\b", line)]
    assert not english, english
    assert any("Chargement" in line for line in seen), "no placeholder was seen: the check would see nothing"


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


def test_on_a_phone_the_situation_comes_first_and_the_next_one_takes_the_focus(sized_page, voila_base):
    """360 × 740: the first step to choose is on the first screen (the intro folds under « Consigne
    de l'exercice »); « Situation suivante » brings the new heading to the top of the screen with the
    focus, and the live region no longer holds the feedback on the previous situation — nor reads it
    again when the learner comes back to it."""
    page = sized_page(360, 740)
    open_exercise(page, voila_base)
    first_step = page.locator(".fa-choice").first.bounding_box()
    assert first_step and first_step["y"] + first_step["height"] <= 740, f"first step at {first_step}"
    intro = page.locator(".fa-intro")
    expect(intro).not_to_have_attribute("open", "")
    intro.locator("summary").click()
    expect(intro.get_by_text(re.compile("^Lisez chaque situation"))).to_be_visible()

    first = load_situations()[0]
    live = page.locator("#fa-live")
    page.get_by_label(step_label(first.reference)).check()
    page.get_by_role("button", name="Valider ma réponse").click()
    expect(live).to_contain_text("✔ Juste !")

    page.get_by_role("button", name="Situation suivante").click()
    second = page.get_by_role("heading", name=re.compile("^Situation 2 sur"))
    expect(second).to_be_focused()
    expect(second).to_be_in_viewport(ratio=1)
    box = second.bounding_box()
    assert box and box["y"] < 740 / 3, f"the new situation's heading is not at the top of the screen: {box}"
    expect(live).to_have_text("")

    page.get_by_role("button", name="Situation précédente").click()
    expect(page.get_by_role("heading", name=re.compile("^Situation 1 sur"))).to_be_focused()
    expect(page.get_by_text("✔ Juste !")).to_be_visible()
    checks.after_announcements(page)  # the template would have read the card by now
    expect(live).to_have_text("")


def test_projected_a_whole_question_and_its_feedback_fit_one_screen(sized_page, voila_base):
    """1920 × 1080 in « Mode projecteur », on the situation with the longest feedback: the situation,
    its six steps, « Valider » and the feedback are all on the screen at once; the chart's texts are
    at least 24 px, like the page's text."""
    situations = load_situations()
    longest = max(range(len(situations)), key=lambda i: len(situations[i].explanation) + len(situations[i].debate))
    page = sized_page(1920, 1080, projector=True)
    open_exercise(page, voila_base)
    expect(page.get_by_role("button", name="Mode projecteur")).to_have_attribute("aria-pressed", "true")
    for number in range(2, longest + 2):
        page.get_by_role("button", name="Situation suivante").click()
        expect(page.get_by_role("heading", name=re.compile(f"^Situation {number} sur"))).to_be_focused()
    situation = situations[longest]
    page.get_by_label(step_label(situation.reference)).check()
    page.get_by_role("button", name="Valider ma réponse").click()
    feedback = page.locator(".fa-continuum-feedback .faire-message")
    expect(feedback).to_contain_text(situation.explanation[:30])
    checks.settle(page)  # the chart below is drawn in the same round: the layout has stopped moving
    parts = {
        "heading": page.locator(".fa-situation-title"),
        "situation": page.locator(".fa-situation-text"),
        "last step": page.locator(".fa-choice").last,
        "Valider": page.get_by_role("button", name="Valider ma réponse"),
        "feedback": feedback,
    }
    for name, part in parts.items():
        box = part.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 1080, f"{name} is off the screen: {box}"

    expect(page.locator(".jp-RenderedPlotly .legendtext").first).to_be_attached()
    sizes = checks.chart_text_sizes(page)
    assert sizes, "the chart has no text"
    small = [(text, size) for text, size in sizes if size < 24]
    assert not small, f"chart texts under 24 px in projector mode: {small}"
