"""The built book links to the live exercises, its glossary links resolve, and a self-check works live."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from widgets.data import REPO_ROOT
from widgets.quiz.content import load_questions
from widgets.serve import voila_url


def test_chapter_page_links_to_its_live_exercise(page, book_base):
    page.goto(f"{book_base}/chapters/03-participer.html")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    link = page.get_by_role("link", name="▶ Faire l'exercice en direct").first
    expect(link).to_have_attribute("href", f"{voila_url()}/continuum.ipynb")
    # A sigle links to the glossary, and the glossary explains it.
    page.locator("a.reference", has_text=re.compile(r"^CVS$")).first.click()
    expect(page).to_have_url(re.compile(r"glossaire\.html#term-CVS"))
    expect(page.locator("dt#term-CVS + dd")).to_contain_text("Conseil de la vie sociale")


def test_static_self_check_reveals_explanations_without_a_kernel(page, book_base):
    question = load_questions("participer")[0]
    page.goto(f"{book_base}/chapters/03-participer.html")
    quiz = page.locator(".faire-quiz")
    right = next(a for a in question.answers if a.correct)
    summary = quiz.locator("summary", has_text=right.text).first
    summary.click()
    expect(summary.locator("xpath=..")).to_contain_text("✔ Réponse juste.")
    expect(summary.locator("xpath=..")).to_contain_text(right.explanation[:40])


QUIZ_CHAPTERS = sorted(
    p.stem.removeprefix("autoeval-") for p in (REPO_ROOT / "chapters" / "exercices").glob("autoeval-*.ipynb")
)


# Every self-check is the same view over its own data file: the browser checks one live (the others
# are opened by test_room_ready.py, and answered through the view in tests/unit/test_ui.py).
@pytest.mark.parametrize("chapter", QUIZ_CHAPTERS[:1])
def test_live_self_check_gives_feedback_and_score(page, voila_base, chapter):
    questions = load_questions(chapter)
    page.goto(f"{voila_base}/autoeval-{chapter}.ipynb")
    score = page.get_by_text(re.compile(r"^Bonnes réponses"))
    expect(score).to_contain_text(f"0 sur {len(questions)}")
    single = [(n, q) for n, q in enumerate(questions) if not q.multiple]
    (n1, first), (n2, second) = single[0], single[1]
    right = next(i for i, a in enumerate(first.answers) if a.correct)
    page.get_by_label(f"{'ABCDE'[right]}. {first.answers[right].text}").check()
    page.get_by_role("button", name="Valider").nth(n1).click()
    # The card's verdict, exactly: 210 ms later the page's live region repeats it for screen readers,
    # and a looser match then finds two (a race the test lost when the machine was loaded).
    expect(page.get_by_text("✔ Bonne réponse !", exact=True)).to_be_visible()
    expect(score).to_contain_text(f"1 sur {len(questions)} (1 question faite)")
    wrong = next(i for i, a in enumerate(second.answers) if not a.correct)
    page.get_by_label(f"{'ABCDE'[wrong]}. {second.answers[wrong].text}").check()
    page.get_by_role("button", name="Valider").nth(n2).click()
    expect(page.get_by_text("✘ Pas tout à fait : lisez les explications.", exact=True)).to_be_visible()
    expect(page.get_by_text(second.answers[wrong].explanation[:40]).first).to_be_visible()
    expect(score).to_contain_text(f"1 sur {len(questions)} (2 questions faites)")
    page.get_by_role("button", name="Tout recommencer").click()
    page.get_by_role("button", name="Oui, tout effacer").click()
    expect(score).to_contain_text(f"0 sur {len(questions)} (0 question faite)")
    expect(page.get_by_text("✔ Bonne réponse !")).to_have_count(0)


def test_a_chapter_prints_its_self_check_open_and_its_live_box_once(page, book_base):
    """On paper: the answer key instead of closed answers, one short line for the live exercise, the
    first box free to start on page 1, table rows whole (the book's faire-avec-book.css)."""
    question = load_questions("participer")[0]
    page.goto(f"{book_base}/chapters/03-participer.html")
    quiz = page.locator(".faire-quiz")
    expect(quiz.locator(".faire-quiz-key").first).to_be_hidden()
    page.emulate_media(media="print")
    expect(quiz.locator(".faire-quiz-answers").first).to_be_hidden()
    expect(quiz.locator(".faire-quiz-howto")).to_be_hidden()
    key = quiz.locator(".faire-quiz-key").first
    expect(key).to_be_visible()
    for answer in question.answers:
        expect(key).to_contain_text(answer.explanation[:40])
    live = page.locator(".faire-live").first
    expect(live.locator(".admonition-title")).to_be_hidden()
    expect(live.locator("p").last).to_be_hidden()
    after = live.locator("a.faire-live-link").evaluate("a => getComputedStyle(a, '::after').content")
    assert "à faire en séance" in after
    assert live.locator("a.faire-live-link").evaluate("a => getComputedStyle(a).color") == "rgb(0, 0, 0)"
    styles = page.evaluate(
        "() => [getComputedStyle(document.querySelector('.admonition')).breakInside,"
        " getComputedStyle(document.querySelector('tr')).breakInside]"
    )
    assert styles == ["auto", "avoid"]


def test_the_book_speaks_french_in_its_search_box(page, book_base):
    page.goto(f"{book_base}/chapters/03-participer.html")
    search = page.locator("input[name='q']").first
    expect(search).to_have_attribute("placeholder", "Rechercher dans le cours…")
    assert "Search" not in page.locator("body").inner_text()
