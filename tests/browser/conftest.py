"""Browser fixtures: a real Voilà server (started as `make serve` starts it), the built book on a
static server, and Debian's Chromium driven by Playwright (browsers cannot be downloaded here)."""

from __future__ import annotations

import os
import threading

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from widgets import serve

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Assertions wait as long as a loaded 2-core machine needs (Playwright's default is 5 s).
expect.set_options(timeout=30_000)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


free_port = serve.free_port  # the browser tests import it from here


@pytest.fixture(scope="session")
def voila_base(tmp_path_factory):
    """Voilà as `make serve` starts it, with a private copy of the simulator's cache: the presets
    prepared by `make warm` are there, and whatever a test computes stays out of the real cache."""
    from widgets.remuneration.cache import copy_prepared

    cache = copy_prepared(tmp_path_factory.mktemp("cache") / "remuneration")
    port = free_port()
    process = serve.start_voila(port, extra_env={"FAIRE_AVEC_CACHE": str(cache)})
    yield f"http://{serve.HOST}:{port}/voila/render"
    serve.stop(process)


@pytest.fixture(scope="session")
def book_base():
    if not (serve.BOOK_DIR / "index.html").exists():
        pytest.fail("Le livre n'est pas construit : lancez « make test-book » avant les tests du navigateur.")
    server = serve.book_server(free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{serve.HOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    close_like_a_person(context)


def close_like_a_person(context) -> None:
    """Close each tab as a person does, then the context: the page's beforeunload beacon frees its
    kernel, so a test's kernel (and any OpenFisca work it started in the background) does not slow
    down the tests that follow on the same Voilà (a simulator page once took over 180 s to open)."""
    for opened in context.pages:
        try:
            opened.close(run_before_unload=True)
        except PlaywrightError:  # a page that is already gone needs no closing
            pass
    context.close()


@pytest.fixture
def sized_page(browser):
    """``sized_page(width, height, projector=False)``: a page in a fresh context of that screen size,
    « Mode projecteur » already on if asked (as the switch remembers it); closed after the test."""
    contexts = []

    def make(width: int, height: int, projector: bool = False):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        contexts.append(context)
        if projector:
            context.add_init_script("localStorage.setItem('faire-avec:projecteur', 'oui')")
        page = context.new_page()
        page.set_default_timeout(60_000)
        return page

    yield make
    for context in contexts:
        close_like_a_person(context)
