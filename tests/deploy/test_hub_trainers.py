"""Two trainers and several participants on one hub (`make hub`): nobody sees, resumes or closes a
group-mode session somebody else opened (issue 16, « a hub where trainers stay apart »).

Everyone on the hub is an anonymous temporary account with their own Voilà; each gets their own
group-mode folder (FAIRE_AVEC_DATA_DIR: the sessions they open and the trainer's keys). Debian's
Chromium plays each person in a separate browser context (separate cookies, as separate laptops):
two trainers open a session each on the « météo » page; after reloading, each is offered to resume
their own session only; participants opening the same page are offered none; nobody can open
another person's page; one trainer closes their session and the other's stays open."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from .hub_session import TIMEOUT_S, participant_servers, user_of

PAGE = "voila/render/salle-meteo.ipynb"
TIMEOUT_MS = TIMEOUT_S * 1000
PARTICIPANTS = 3
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
RESUME = re.compile("Reprendre la séance")


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def arrive(browser: Browser, base: str) -> tuple[BrowserContext, Page]:
    """A new person opens the « météo » page from the book's link: the hub gives them an account
    and starts their Voilà (the page waits on the hub's « spawn pending » page meanwhile)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base}/hub/user-redirect/{PAGE}", wait_until="commit", timeout=TIMEOUT_MS)
    return context, page


def ready(page: Page) -> Page:
    """The page once its « Ouvrir une séance » button shows (what the person sees, if it never does)."""
    try:
        page.get_by_role("button", name="Ouvrir une séance").wait_for(timeout=TIMEOUT_MS)
    except PlaywrightError:
        raise AssertionError(f"{page.url} :\n{page.inner_text('body')[:500]}") from None
    return page


def offered(page: Page) -> list[str]:
    """The codes of the sessions this page offers to resume (digits only)."""
    page.reload(wait_until="load")
    ready(page)
    buttons = page.get_by_role("button", name=RESUME)
    return [digits(buttons.nth(i).inner_text()) for i in range(buttons.count())]


def open_session(page: Page) -> str:
    page.get_by_role("button", name="Ouvrir une séance").click()
    code = digits(page.locator(".salle-code").inner_text(timeout=TIMEOUT_MS))
    assert len(code) == 6, code
    return code


def test_trainers_on_one_hub_never_see_resume_or_close_each_others_sessions(hub, browser):
    process, base = hub
    people = [arrive(browser, base) for _ in range(2 + PARTICIPANTS)]  # all at once, as a room does
    try:
        pages = [ready(page) for _, page in people]
        trainer_a, trainer_b, *participants = pages
        users = [user_of(page.url) for page in pages]
        assert len(set(users)) == len(users), users

        code_a, code_b = open_session(trainer_a), open_session(trainer_b)
        assert code_a != code_b

        # Each trainer is offered their own session, and only theirs.
        assert offered(trainer_a) == [code_a]
        assert offered(trainer_b) == [code_b]
        for page in participants:
            assert offered(page) == [], "a participant is offered someone's session"
            text = page.inner_text("body")
            assert code_a not in digits(text) and code_b not in digits(text)

        # Nobody opens another person's page (where that person's session could be resumed).
        for page, owner in ((participants[0], users[0]), (trainer_b, users[0]), (trainer_a, users[1])):
            answer = page.context.request.get(f"{base}/user/{owner}/{PAGE}", timeout=TIMEOUT_MS)
            assert answer.status == 403 and '"kernelId"' not in answer.text(), (answer.status, answer.url)

        # Trainer B closes their session: trainer A's stays open.
        trainer_b.get_by_role("button", name=RESUME).first.click()
        trainer_b.get_by_role("button", name="Fermer la séance").click()
        trainer_b.get_by_role("button", name="Oui, fermer").click()
        # The closing is both announced (message) and shown (badge); the badge is the lasting state.
        expect(trainer_b.locator(".salle-badge")).to_contain_text("fermée à", timeout=TIMEOUT_MS)
        trainer_a.reload(wait_until="load")
        ready(trainer_a)
        resume_a = trainer_a.get_by_role("button", name=RESUME)
        assert resume_a.count() == 1 and "fermée" not in resume_a.first.inner_text()
        trainer_b.reload(wait_until="load")
        assert "fermée" in ready(trainer_b).get_by_role("button", name=RESUME).first.inner_text()

        # On disk: one folder per person, each trainer's keys in their own folder only.
        servers = participant_servers(process)
        folders = {user: Path(servers[user].environ()["FAIRE_AVEC_DATA_DIR"]) for user in users}
        assert len(set(folders.values())) == len(users), folders
        for user, code in ((users[0], code_a), (users[1], code_b)):
            keys = json.loads((folders[user] / "cles-formateur.json").read_text(encoding="utf-8"))
            assert list(keys) == [code], (user, list(keys))
        for user in users[2:]:
            assert not (folders[user] / "cles-formateur.json").exists()
    finally:
        for context, _page in people:
            for opened in context.pages:
                opened.close(run_before_unload=True)
            context.close()
