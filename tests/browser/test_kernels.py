"""Kernels under control: a closed tab frees its kernel within seconds, and past the cap a learner
reads a French « réessayez dans une minute » page instead of the machine filling up.

Each test starts its own Voilà (as `make serve` starts it, on a free port) so that the kernels it
counts are its own; kernels are counted as processes (``serve.kernel_processes``), i.e. what the
machine's memory really holds."""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request

import pytest

from widgets import serve

from .conftest import free_port

SLIDER = serve.REPO_ROOT / "bench" / "notebooks" / "slider.ipynb"
RELEASE_TIMEOUT_S = 15  # the beacon is sent at once; shutting the kernel down takes ~1 s when idle


def wait_for_kernels(process, expected: int, timeout: float) -> float:
    """Seconds until exactly ``expected`` kernels run; fails with the count seen after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if len(serve.kernel_processes(process)) == expected:
            return time.monotonic() - started
        time.sleep(0.2)
    count = len(serve.kernel_processes(process))
    pytest.fail(f"{count} noyau(x) au lieu de {expected} après {timeout} s")


@pytest.fixture
def voila(request, tmp_path):
    """A Voilà of its own; ``request.param`` = (root directory or None for the exercises, env)."""
    root, env = request.param
    if root == "slider":
        shutil.copy(SLIDER, tmp_path / SLIDER.name)
        root = tmp_path
    port = free_port()
    process = serve.start_voila(port, root=root or serve.EXERCISES_DIR, extra_env=env)
    yield process, f"http://{serve.HOST}:{port}/voila/render"
    serve.stop(process)


def open_exercise(context, url: str):
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=90_000)
    return page


def open_when_there_is_room(context, url: str, timeout: float):
    """Open ``url`` as a learner who is told « réessayez » would: again until it is not refused."""
    deadline = time.monotonic() + max(timeout, 1.0)
    while True:
        page = context.new_page()
        page.set_default_timeout(60_000)
        response = page.goto(url)
        if response is not None and response.status != 503:
            page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=90_000)
            return page
        page.close()
        if time.monotonic() > deadline:
            pytest.fail(f"toujours refusé {timeout:.0f} s après la fermeture d'un onglet")
        time.sleep(0.5)


@pytest.mark.parametrize("voila", [(None, {})], indirect=True)
def test_closing_the_tab_of_an_exercise_frees_its_kernel(voila, browser):
    process, base = voila
    context = browser.new_context(locale="fr-FR")
    try:
        page = open_exercise(context, f"{base}/continuum.ipynb")
        wait_for_kernels(process, 1, timeout=30)
        # A tab closed by the learner: the browser runs the page's beforeunload handlers (Playwright
        # skips them unless asked), which is where Voilà sends its shutdown request.
        page.close(run_before_unload=True)
        wait_for_kernels(process, 0, timeout=RELEASE_TIMEOUT_S)
    finally:
        context.close()


@pytest.mark.parametrize("voila", [("slider", {"FAIRE_AVEC_MAX_KERNELS": "2"})], indirect=True)
def test_past_the_cap_a_french_page_asks_to_retry_then_a_closed_tab_makes_room(voila, browser):
    process, base = voila
    url = f"{base}/{SLIDER.name}"
    context = browser.new_context(locale="fr-FR")
    try:
        first = open_exercise(context, url)
        open_exercise(context, url)
        wait_for_kernels(process, 2, timeout=30)

        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=60)
        assert refused.value.code == 503
        assert refused.value.headers["Retry-After"] == "60"
        body = refused.value.read().decode("utf-8")
        assert "Trop de monde en même temps : réessayez dans une minute" in body
        assert '<html lang="fr">' in body
        assert len(serve.kernel_processes(process)) == 2, "la page refusée a quand même lancé un noyau"

        first.close(run_before_unload=True)
        waited = wait_for_kernels(process, 1, timeout=RELEASE_TIMEOUT_S)
        # The kernel's process ends a moment before Voilà stops counting it: the learner who retries
        # (as the French page asks) gets in within the same time budget.
        third = open_when_there_is_room(context, url, RELEASE_TIMEOUT_S - waited)
        assert third.locator(".widget-slider").first.is_visible()
    finally:
        context.close()
