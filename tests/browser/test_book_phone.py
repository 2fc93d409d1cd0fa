"""The book as a learner opens it on a phone, a laptop or a projector: a « Sommaire » that opens from
anywhere in a long chapter, a sidebar that hides, French in every label a screen reader meets, tables
wider than a phone that say so and scroll, the course's title once, and no error in the console."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from widgets import serve

from . import checks

# Every page of the built book (not the theme's template fragments that Sphinx copies into _static/).
BOOK_PAGES = sorted(
    str(path.relative_to(serve.BOOK_DIR)) for path in serve.BOOK_DIR.rglob("*.html") if "_static" not in path.parts
)
COURSE_TITLE = "Faire avec — participation et travail pair"
LONG_CHAPTER = "chapters/03-participer.html"

# Words of the themes' English interface (Sphinx, pydata and book themes) that are not French words:
# one of them in a label, a tooltip or the pages' frame means a string escaped the translation.
ENGLISH_WORDS = frozenset(
    "toggle sidebar primary secondary main skip back search close show hide click copy copied light dark "
    "settings color download fullscreen contents previous next edit warning announcement breadcrumb home "
    "loading expand collapse switch copyright navigate".split()
)
# Proper nouns that contain one of those words (a source's publisher), written as the source writes them.
PROPER_NOUNS = ("The Open University",)

LABELS_JS = r"""() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const name of ['aria-label', 'title', 'alt', 'placeholder', 'data-bs-title', 'aria-description']) {
      const value = el.getAttribute(name);
      if (value) found.push(`${name}="${value}"`);
    }
  }
  // The frame around the text (menus, buttons, footers): everything a reader meets outside the article.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\s+/g, ' ').trim();
    const parent = node.parentElement;
    if (!text || parent.closest('article, script, style, noscript')) continue;
    found.push(`text « ${text} »`);
  }
  return found;
}"""


def english_in(labels: list[str]) -> list[str]:
    problems = []
    for label in labels:
        text = label
        for noun in PROPER_NOUNS:
            text = text.replace(noun, "")
        words = {word.lower() for word in re.findall(r"[A-Za-z]+", text)}
        if words & ENGLISH_WORDS:
            problems.append(label)
    return problems


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def test_the_sommaire_opens_from_the_end_of_a_long_chapter_on_a_phone(phone, book_base):
    """Chapter 3 is some fifty phone screens long: from its last line, « Sommaire » is on screen and
    lists the chapters; « Sur cette page » lists the chapter's sections and leads to one."""
    phone.goto(f"{book_base}/{LONG_CHAPTER}")
    phone.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    phone.wait_for_function("() => window.scrollY > 20 * window.innerHeight")
    sommaire = phone.get_by_role("button", name="Sommaire")
    expect(sommaire).to_be_in_viewport()
    sommaire.click()
    menu = phone.locator("#pst-primary-sidebar-modal")
    expect(menu).to_have_attribute("open", "")
    expect(menu.get_by_role("link", name="Glossaire")).to_be_in_viewport()
    expect(menu.get_by_role("link", name="Accueil", exact=True)).to_be_in_viewport()
    phone.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")

    phone.get_by_role("button", name="Sur cette page").click()
    sections = phone.locator("#pst-secondary-sidebar-modal")
    expect(sections).to_have_attribute("open", "")
    sections.get_by_role("link", name="Des échelles pour parler de participation").click()
    expect(phone).to_have_url(re.compile(r"#des-echelles-pour-parler-de-participation$"))
    expect(phone.get_by_role("heading", name=re.compile("^Des échelles pour parler"))).to_be_in_viewport()


def test_the_sommaire_hides_and_shows_the_sidebar_on_a_laptop(page, book_base):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{book_base}/{LONG_CHAPTER}")
    sidebar = page.locator("#pst-primary-sidebar")
    expect(sidebar.get_by_role("link", name="Glossaire")).to_be_visible()
    page.get_by_role("button", name="Sommaire").click()
    expect(sidebar).to_be_hidden()
    page.get_by_role("button", name="Sommaire").click()
    expect(sidebar.get_by_role("link", name="Glossaire")).to_be_visible()


def test_every_book_page_speaks_french_and_logs_no_error(page, book_base):
    """No English label, tooltip or frame text (what a screen reader reads too), no script error, no
    missing file: gathered over every page of the built book before failing."""
    problems: list[str] = []
    where = {"page": ""}
    page.on("pageerror", lambda error: problems.append(f"{where['page']}: script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"{where['page']}: console {message.type}: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{where['page']}: {response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    for path in BOOK_PAGES:
        where["page"] = path
        page.goto(f"{book_base}/{path}")
        if path == "index.html":  # the book's home page only redirects: check where it lands
            page.wait_for_url(f"{book_base}/chapters/accueil.html")
        page.wait_for_load_state("load")
        problems += [f"{path}: English {label}" for label in english_in(page.evaluate(LABELS_JS))]
    assert BOOK_PAGES and not problems, "\n  ".join(problems)


def test_the_checks_find_english_labels():
    found = english_in(['aria-label="Toggle primary sidebar"', "text « © Copyright 2026. »", 'title="Main"'])
    assert len(found) == 3
    assert not english_in(['title="OpenLearn, The Open University."', 'aria-label="Sommaire du cours"'])


def test_the_home_page_shows_the_course_title_once(page, book_base):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{book_base}/chapters/accueil.html")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(f"^{COURSE_TITLE}"))
    shown = page.evaluate(
        """(title) => {
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          let count = 0;
          while (walker.nextNode()) {
            const node = walker.currentNode;
            if (node.textContent.replace(/\\s+/g, ' ').trim() === title && node.parentElement.checkVisibility()) count += 1;
          }
          return count;
        }""",
        COURSE_TITLE,
    )
    assert shown == 1, f"the course's title is shown {shown} times on the home page"
    expect(page).to_have_title(COURSE_TITLE)  # the tab too (it read « … — … » twice)
    page.goto(f"{book_base}/chapters/04-remunerer.html")  # other pages: their own title, then the course's
    expect(page).to_have_title(f"Reconnaître et rémunérer les savoirs d'expérience — {COURSE_TITLE}")


TABLES_JS = r"""() => [...document.querySelectorAll('article table')].map((table) => {
  const box = table.closest('.pst-scrollable-table-container') || table.parentElement;
  const hint = box.previousElementSibling && box.previousElementSibling.matches('.faire-table-hint')
    ? box.previousElementSibling : null;
  const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  return {
    wide: box.scrollWidth > box.clientWidth + 1,
    cut: table.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && getComputedStyle(box).overflowX === 'visible',
    role: box.getAttribute('role'), label: box.getAttribute('aria-label') || '', tabindex: box.getAttribute('tabindex'),
    hint: shown(hint) ? hint.innerText.trim() : '',
  };
})"""


def test_tables_wider_than_a_phone_say_so_and_scroll(phone, book_base):
    """Chapter 4's tables are wider than a 360 px screen: each scrolls inside a labelled, focusable
    region with a visible hint, and the arrow keys scroll it; a table that fits says nothing."""
    phone.goto(f"{book_base}/chapters/04-remunerer.html")
    phone.wait_for_load_state("load")
    # The theme and the course mark scrollable boxes once the page has loaded and its fonts have changed
    # the widths: wait until the tables and their hints stop moving.
    phone.evaluate("() => document.fonts.ready.then(() => true)")
    checks.settle(phone, "article .pst-scrollable-table-container, article .faire-table-hint")
    tables = phone.evaluate(TABLES_JS)
    assert any(t["wide"] for t in tables), "chapter 4 has no table wider than a phone any more: pick another page"
    for number, table in enumerate(tables, start=1):
        assert not table["cut"], f"table {number} is cut by the screen edge"
        if table["wide"]:
            assert table["role"] == "region" and table["tabindex"] == "0", f"table {number}: {table}"
            assert table["label"].startswith("Tableau"), f"table {number}: {table}"
            assert "glisser" in table["hint"], f"table {number}: {table}"
        else:
            assert not table["hint"], f"table {number} fits the screen but shows a hint: {table}"
    region = phone.locator("article [role=region][aria-label^='Tableau']").first
    region.focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("() => document.activeElement && document.activeElement.scrollLeft > 0", timeout=5_000)
