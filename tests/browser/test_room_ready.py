"""Every exercise, and every book page, checked as a room would use them: phone, laptop, projector,
keyboard, a screen reader's view through axe, a reload, and no request leaving the machine.

One Voilà server and one browser for the whole run; each exercise is opened once (and once more to
check that a reload keeps the answers), and the page is resized to each width rather than reloaded.
The exercises are found by listing ``chapters/exercices/``, so a new exercise is checked too. Every
problem of a page is gathered before the test fails, so one run says everything there is to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from widgets.controls import STORAGE_PREFIX
from widgets.data import REPO_ROOT

from . import checks

EXERCISES = sorted(path.stem for path in (REPO_ROOT / "chapters" / "exercices").glob("*.ipynb"))
READY = checks.READY_MS  # a page starts a kernel; on a loaded 2-core machine that takes a while


@dataclass(frozen=True)
class Answer:
    """How to give one answer in an exercise, and how to see it is still there after a reload."""

    give: Callable[[Page], None]
    kept: Callable[[Page], None] | None  # None: same view as an exercise whose reload is checked
    chart: bool = False  # the answer draws a chart


def _first_choice(page: Page) -> None:
    page.locator(".fa-choice").first.click()


def _first_choice_kept(page: Page) -> None:
    expect(page.locator(".fa-choice-input").first).to_be_checked(timeout=READY)


def _quiz_give(page: Page) -> None:
    _first_choice(page)
    page.get_by_role("button", name="Valider").first.click()
    expect(page.locator(".faire-message").first).to_be_visible()


def _quiz_kept(page: Page) -> None:
    _first_choice_kept(page)
    expect(page.locator(".faire-message").first).to_be_visible(timeout=READY)


def _continuum_give(page: Page) -> None:
    _first_choice(page)
    page.get_by_role("button", name="Valider ma réponse").click()
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=READY)


def _continuum_kept(page: Page) -> None:
    _first_choice_kept(page)
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=READY)


def _pret_give(page: Page) -> None:
    _first_choice(page)
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=READY)


GENERIC_INPUT = """() => {
    const usable = (el) => el.getClientRects().length > 0 && !el.disabled;
    const choice = [...document.querySelectorAll('.fa-choice')].filter(usable)[1];
    if (choice) return 'choice';
    const select = [...document.querySelectorAll('.jupyter-widgets select')].find(s => usable(s) && s.options.length > 1);
    if (select) return 'select';
    const box = [...document.querySelectorAll('.jupyter-widgets input[type=text], .jupyter-widgets input[type=number]')].find(usable);
    return box ? 'text' : '';
}"""


def _generic_give(page: Page, name: str) -> str:
    """An exercise this file does not know: change its first choice group, list or text box, and
    wait until the change is in the browser's memory (kernel → page → localStorage), as a person who
    reloads a moment later would find it. Returns what was changed ('' when the page has nothing a
    learner could fill in)."""
    kind = page.evaluate(GENERIC_INPUT)
    key = f"{STORAGE_PREFIX}{name}"
    before = checks.stored(page, key)
    if kind == "choice":
        page.locator(".fa-choice").nth(1).click()
    elif kind == "select":
        select = page.locator(".jupyter-widgets select").filter(has=page.locator("option >> nth=1")).first
        select.select_option(index=select.locator("option").count() - 1)
    elif kind == "text":
        box = page.locator(".jupyter-widgets input[type=text], .jupyter-widgets input[type=number]").first
        box.fill("12")
        box.press("Enter")
    if kind:
        checks.wait_for_storage_change(page, key, before)  # if it never comes, the reload says so
    return kind


GENERIC_STATE = """() => {
    const c = document.querySelector('.fa-choice-input:checked');
    if (document.querySelector('.fa-choice')) return c ? c.closest('.fa-choice').innerText : '';
    const s = [...document.querySelectorAll('.jupyter-widgets select')].find(s => s.options.length > 1);
    if (s) return s.value;
    const t = document.querySelector('.jupyter-widgets input[type=text], .jupyter-widgets input[type=number]');
    return t ? t.value : '';
}"""


def _generic_state(page: Page) -> str:
    return page.evaluate(GENERIC_STATE)


ANSWERS: dict[str, Answer] = {
    "continuum": Answer(_continuum_give, _continuum_kept, chart=True),
    "pret": Answer(_pret_give, _continuum_kept, chart=True),
}


QUIZZES = [name for name in EXERCISES if name.startswith("autoeval-")]


def answer_for(name: str) -> Answer | None:
    if name.startswith("autoeval-"):
        # Every self-check is the same view over another data file: one reload proves them all, and
        # saves a kernel start per quiz (the layout, axe and keyboard checks still run on each).
        return Answer(_quiz_give, _quiz_kept if name == QUIZZES[0] else None)
    return ANSWERS.get(name)


def open_exercise(page: Page, base: str, name: str) -> None:
    """The page as a learner first sees it: every widget drawn, the layout settled. Charts redraw a
    while after a change (plotly waits for the resize events to stop); on a loaded machine that can
    take seconds, so the checks wait on the layout itself, never on a fixed pause."""
    page.goto(f"{base}/{name}.ipynb")
    checks.widgets_ready(page)
    checks.settle(page)


def resize(page: Page, width: str) -> None:
    w, h = checks.WIDTHS[width]
    page.set_viewport_size({"width": w, "height": h})
    checks.settle(page)


@pytest.fixture
def room(browser):
    """A fresh browser context (its own localStorage) with every request logged."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    log = checks.RequestLog().attach(context)
    page = context.new_page()
    page.set_default_timeout(READY)
    yield page, log
    context.close()


@pytest.mark.parametrize("name", EXERCISES)
def test_exercise_is_ready_for_the_room(room, voila_base, name):
    page, log = room
    problems: list[str] = []
    open_exercise(page, voila_base, name)

    # Laptop, as it opens: a screen reader's view, then the keyboard.
    problems += checks.axe_problems(page, "1280 px, at opening")
    problems += checks.overlaps(page)
    problems += checks.tab_problems(checks.tab_walk(page))

    # Phone: nothing overlaps or is cut; an answer; charts wide enough to read.
    resize(page, "phone")
    problems += [f"360 px: {p}" for p in checks.overlaps(page)]
    answer = answer_for(name)
    if answer:
        answer.give(page)
    else:
        before = _generic_state(page)
        kind = _generic_give(page, name)
        remembered = _generic_state(page)
        if kind and remembered == before:
            problems.append(f"could not give an answer (the first {kind} did not change)")
    checks.settle(page)
    problems += [f"360 px, after answering: {p}" for p in checks.overlaps(page)]
    narrow = [w for w in checks.plot_widths(page) if w < checks.MIN_PLOT_WIDTH_PHONE]
    if narrow:
        problems.append(f"360 px: chart plot areas {narrow} px wide (needs ≥ {checks.MIN_PLOT_WIDTH_PHONE})")
    if answer and answer.chart and not checks.plot_widths(page):
        problems.append("the answer drew no chart")

    # Projector screen, then « Mode projecteur » (one switch, keyboard, aria-pressed).
    resize(page, "projector")
    problems += [f"1920 px: {p}" for p in checks.overlaps(page)]
    switch = page.get_by_role("button", name="Mode projecteur")
    switch.focus()
    page.keyboard.press("Enter")
    expect(switch).to_have_attribute("aria-pressed", "true")
    checks.settle(page)
    problems += [f"1920 px, projector mode: {p}" for p in checks.overlaps(page)]
    page.keyboard.press("Enter")
    expect(switch).to_have_attribute("aria-pressed", "false")

    # Laptop again, after answering: the screen reader's view of the feedback.
    resize(page, "laptop")
    problems += checks.axe_problems(page, "1280 px, after answering")

    # A reload keeps the answer (kept in this browser only).
    reload = not answer or answer.kept is not None
    if reload:
        page.reload()
        checks.widgets_ready(page)
    if answer and answer.kept:
        try:
            answer.kept(page)
        except AssertionError as error:
            problems.append(f"after a reload the answer is lost: {str(error).splitlines()[0]}")
    elif not answer and kind:  # a page with nothing to fill in has nothing to lose
        try:  # the kept answer comes back from the browser's memory through the kernel
            page.wait_for_function(f"remembered => ({GENERIC_STATE})() === remembered", arg=remembered, timeout=30_000)
        except PlaywrightTimeoutError:
            pass  # reported just below, with what the page shows instead
        if _generic_state(page) != remembered:
            problems.append(f"after a reload the answer is lost ({remembered!r} → {_generic_state(page)!r})")

    nulls = page.locator('[title="null"]').count()
    if nulls:
        problems.append(f'{nulls} elements say « null » when hovered (title="null")')
    problems += [f"request outside 127.0.0.1: {url}" for url in log.outside()]
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


BOOK_PAGES = [
    "index.html",
    "chapters/glossaire.html",
    *sorted(f"chapters/{path.stem}.html" for path in (REPO_ROOT / "chapters").glob("[0-9][0-9]-*.md")),
]


def test_every_book_page_reads_well_on_a_phone_and_for_a_screen_reader(room, book_base):
    """The book: axe at 1280 px, nothing overlapping or cut at 360 px, no request outside 127.0.0.1."""
    page, log = room
    problems: list[str] = []
    for path in BOOK_PAGES:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{book_base}/{path}")
        if path == "index.html":  # the book's home page only redirects: check where it lands
            page.wait_for_url(f"{book_base}/chapters/accueil.html", timeout=READY)
            page.wait_for_load_state("load")
        problems += checks.axe_problems(page, path)
        page.set_viewport_size({"width": 360, "height": 740})
        checks.settle(page, "main *")
        problems += [f"{path}, 360 px: {p}" for p in checks.overlaps(page, "main")]
    problems += [f"request outside 127.0.0.1: {url}" for url in log.outside()]
    assert not problems, "\n  ".join(problems)


def test_the_checks_see_what_a_person_would_see(room):
    """The measuring tools themselves: overlapping words, a cut label, a thin chart, a lost focus ring,
    a ring cut by its box and an outside request are found; text hidden on purpose (closed details,
    visually hidden) is not."""
    page, log = room
    page.set_content(
        """<main id="rendered_cells" style="width:340px">
        <p style="position:absolute;top:10px;left:0">Première phrase écrite ici</p>
        <p style="position:absolute;top:14px;left:20px">Seconde phrase par-dessus</p>
        <p style="position:absolute;top:80px;left:300px;white-space:nowrap">Coupée au bord de l'écran</p>
        <span style="display:block;position:absolute;top:120px;width:60px;white-space:nowrap;overflow:hidden;
          text-overflow:ellipsis">Un texte bien trop long</span>
        <details style="position:absolute;top:10px"><summary style="margin-top:300px">Voir</summary>
          <p>Caché tant que fermé</p></details>
        <p style="position:absolute;top:10px;clip-path:inset(50%);width:1px;overflow:hidden">Lu, pas vu</p>
        <button style="position:absolute;top:200px;outline:none" onfocus="this.style.outline='none'">Sans anneau</button>
        <div style="position:absolute;top:260px;overflow:hidden"><button style="outline-offset:2px"
          onfocus="this.style.outline='3px solid #000'">Anneau coupé</button></div>
        <img src="https://exemple.invalid/x.png" alt="">
        </main>"""
    )
    page.set_viewport_size({"width": 360, "height": 740})
    found = "\n".join(checks.overlaps(page))
    assert "overlap: p « Première phrase écrite ici » and p « Seconde phrase par-dessus »" in found
    assert "cut by the screen edge" in found and "Coupée au bord" in found
    assert "text cut with « … »" in found and "Un texte bien trop long" in found
    assert "Caché tant que fermé" not in found and "Lu, pas vu" not in found
    stops = checks.tab_walk(page)
    assert any("focus ring 0" in p and "Sans anneau" in p for p in checks.tab_problems(stops))
    assert any("cut on the left, right, top, bottom" in p and "Anneau coupé" in p for p in checks.tab_problems(stops))
    assert log.outside() == ["https://exemple.invalid/x.png"]
