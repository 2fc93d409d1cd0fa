"""The light face of the exercises on a phone, as a learner uses it: touch, keyboard, no JavaScript,
reload, reset; and the room's checks (nothing overlaps at 360, 1280 and 1920 px, axe, Tab order and
focus ring, no request leaving 127.0.0.1) on every exercise that has a light face.

The pages come from the book's server exactly as ``make serve`` starts it (``widgets.serve.book_server``);
they need no kernel and no built book. The book's own box is checked against the built book.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from widgets import serve
from widgets.continuum.content import load_situations, load_steps
from widgets.leger import exercises
from widgets.pret.content import load_items
from widgets.quiz.content import load_questions

from . import checks
from .conftest import free_port

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "fr-FR", "has_touch": True, "is_mobile": True}


@pytest.fixture(scope="module")
def light():
    """The light face's base address on the book's server (Voilà announced on a port nobody uses)."""
    import threading

    server = serve.book_server(free_port(), free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{serve.HOST}:{server.server_address[1]}/leger"
    server.shutdown()
    server.server_close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    log = checks.RequestLog().attach(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page, log
    context.close()


def first_control_bottom(page: Page) -> float:
    return page.evaluate("() => document.querySelector('main .fa-choice').getBoundingClientRect().bottom")


def test_a_self_check_on_a_phone_answers_keeps_and_forgets(phone, light):
    page, log = phone
    questions = load_questions("pairite")
    first, second = questions[0], questions[1]
    right = next(i for i, a in enumerate(first.answers) if a.correct)
    wrong = next(i for i, a in enumerate(second.answers) if not a.correct)
    page.goto(f"{light}/autoeval-pairite")
    assert first_control_bottom(page) <= 740  # the first answer is on the first screen
    status = page.locator(".fa-status")
    expect(status).to_contain_text(f"0 sur {len(questions)}")

    page.locator(f"#q-{first.id} .fa-choice").nth(right).tap()
    page.locator(f"#valider-{first.id}").tap()
    feedback = page.locator(f"#retour-{first.id}")
    expect(feedback).to_contain_text("✔ Bonne réponse !")
    expect(feedback).to_be_focused()  # a screen reader reads it; Tab goes on from there
    assert 0 <= feedback.bounding_box()["y"] < 740
    page.locator(f"#q-{second.id} .fa-choice").nth(wrong).tap()
    page.locator(f"#valider-{second.id}").tap()
    expect(page.locator(f"#retour-{second.id}")).to_contain_text("✘ Pas tout à fait")
    expect(page.locator(f"#retour-{second.id}")).to_contain_text("(votre choix)")
    expect(status).to_contain_text(f"1 sur {len(questions)} (2 questions faites)")

    page.reload()  # the address holds the answers
    expect(page.locator(f"#retour-{first.id}")).to_contain_text("✔ Bonne réponse !")
    page.goto(f"{light}/autoeval-pairite")  # back from the book: this browser kept them
    expect(status).to_contain_text(f"1 sur {len(questions)} (2 questions faites)")
    expect(page.locator(f"#q-{first.id} .fa-choice-input").nth(right)).to_be_checked()

    page.get_by_role("link", name="Tout recommencer").tap()
    expect(page.get_by_role("heading", name=re.compile("Effacer toutes vos réponses"))).to_be_visible()
    page.get_by_role("link", name="Non, garder mes réponses").tap()
    expect(status).to_contain_text("1 sur")
    page.get_by_role("link", name="Tout recommencer").tap()
    page.get_by_role("link", name="Oui, tout effacer").tap()
    expect(page.get_by_text("Vos réponses sont effacées.")).to_be_visible()
    expect(status).to_contain_text(f"0 sur {len(questions)} (0 question faite)")
    page.goto(f"{light}/autoeval-pairite")
    expect(status).to_contain_text("0 sur")
    stored = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('faire-avec:'))")
    assert stored == []
    assert log.outside() == []


def test_a_self_check_works_without_javascript_and_with_the_keyboard(browser, light):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        question = load_questions("savoirs")[0]
        page.goto(f"{light}/autoeval-savoirs")
        page.locator(f"#q-{question.id} .fa-choice-input").first.focus()
        page.keyboard.press("ArrowDown")  # the second answer
        page.keyboard.press("Enter")  # the form's default button: validates what was chosen
        feedback = page.locator(f"#retour-{question.id}")
        expect(feedback).to_contain_text("(votre choix)")
        assert "B." in feedback.locator("li", has_text="(votre choix)").inner_text()
        # Validating with nothing chosen: the model's French message, as an alert, at that question.
        other = load_questions("savoirs")[1]
        page.locator(f"#valider-{other.id}").click()
        expect(page.locator(f"#retour-{other.id}[role=alert]")).to_contain_text("Choisissez au moins une réponse")
        expect(feedback).to_contain_text("(votre choix)")  # the first answer is still there
    finally:
        context.close()


def step_label(position: int) -> str:
    step = next(s for s in load_steps() if s.position == position)
    return f"{step.position}. {step.label}"


def test_the_continuum_by_keyboard_one_situation_after_the_other(phone, light):
    page, _log = phone
    situations = load_situations()
    first, second = situations[0], situations[1]
    page.goto(f"{light}/continuum")
    assert first_control_bottom(page) <= 740
    page.get_by_label(step_label(1)).focus()
    for _ in range(first.reference - 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # « Valider ma réponse » is the form's first button
    feedback = page.locator("#retour")
    expect(feedback).to_contain_text("✔ Juste !")
    expect(feedback).to_be_focused()
    expect(page.locator(".fa-status")).to_contain_text(f"2 points sur {2 * len(situations)}")
    expect(page.locator(".faire-table tbody tr")).to_have_count(1)

    page.get_by_role("button", name="Situation suivante").click()
    heading = page.get_by_role("heading", name=re.compile("^Situation 2 sur"))
    expect(heading).to_be_visible()
    expect(page.locator("#situation")).to_be_focused()  # the new situation, not the button, has the focus
    assert 0 <= heading.bounding_box()["y"] < 740
    expect(page.get_by_text(second.title).first).to_be_visible()
    page.get_by_role("button", name="Situation précédente").click()
    expect(page.get_by_label(step_label(first.reference))).to_be_checked()  # nothing entered is lost
    expect(page.locator("#retour")).to_contain_text("✔ Juste !")


def test_suis_je_pret_gives_a_message_per_statement_and_a_printable_review(phone, light):
    page, _log = phone
    items = load_items()
    page.goto(f"{light}/pret")
    assert first_control_bottom(page) <= 740
    page.locator(f"#a-{items[0].id}").get_by_text("Oui", exact=True).tap()
    page.locator(f"#a-{items[1].id}").get_by_text("Je ne sais pas", exact=True).tap()
    page.get_by_role("button", name="Voir le bilan").first.tap()
    expect(page.locator("#bilan")).to_be_focused()
    expect(page.locator(f"#retour-{items[0].id}")).to_contain_text("✔ Force")
    expect(page.locator(f"#retour-{items[1].id}")).to_contain_text("? À discuter en équipe")
    expect(page.locator("#bilan .fa-status")).to_contain_text("2 affirmations sur")
    link = page.get_by_role("link", name=re.compile("Télécharger le bilan"))
    with page.expect_download() as download:
        link.tap()
    saved = download.value.path().read_text(encoding="utf-8")
    assert "2 affirmations sur" in saved and items[0].statement[:30] in saved
    assert download.value.suggested_filename == "bilan-pret.html"


@pytest.mark.parametrize("name", [e.name for e in exercises()])
def test_every_light_exercise_is_ready_for_the_room(browser, light, name):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    log = checks.RequestLog().attach(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    problems: list[str] = []
    try:
        page.goto(f"{light}/{name}")
        problems += checks.axe_problems(page, "1280 px")
        problems += checks.overlaps(page, "body")
        problems += checks.tab_problems(checks.tab_walk(page))
        # An answer, then the same checks with the feedback on the page.
        page.locator(".fa-choice").first.click()
        page.locator("main button[type=submit]:not([hidden])").first.click()
        expect(page.locator(".leger-retour").first).to_be_visible()
        problems += checks.axe_problems(page, "1280 px, after an answer")
        for width in ("phone", "laptop", "projector"):
            w, h = checks.WIDTHS[width]
            page.set_viewport_size({"width": w, "height": h})
            problems += [f"{w} px: {p}" for p in checks.overlaps(page, "body")]
            if page.evaluate("document.documentElement.scrollWidth") > w:
                problems.append(f"{w} px: the page scrolls sideways")
        page.emulate_media(media="print")
        problems += [f"print: {p}" for p in checks.overlaps(page, "body")]
        assert log.outside() == []
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_book_offers_the_light_face_first_on_a_phone(browser, book_base):
    for viewport, first in (
        ({"width": 360, "height": 740}, "Version légère"),
        ({"width": 1280, "height": 800}, "en direct"),
    ):
        context = browser.new_context(viewport=viewport, locale="fr-FR")
        try:
            page = context.new_page()
            page.goto(f"{book_base}/chapters/03-participer.html")
            box = page.locator(".faire-live").first
            links = box.locator("a")
            expect(links).to_have_count(2)
            tops = links.evaluate_all("links => links.map(a => [a.innerText, a.getBoundingClientRect().top])")
            assert first in min(tops, key=lambda t: t[1])[0], tops  # both visible, the right one on top
            assert all(top > 0 for _, top in tops)
        finally:
            context.close()
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(f"{book_base}/chapters/03-participer.html")
        page.get_by_role("link", name="Version légère, pour téléphone").first.tap()
        expect(page).to_have_url(re.compile(r"/leger/continuum$"))
        expect(page.get_by_role("heading", name=re.compile("^Situation 1 sur"))).to_be_visible()
    finally:
        context.close()
