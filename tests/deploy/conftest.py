"""The hub of the deployment tests, started once for the session as `make hub` starts it (without
the build step: `make test` builds the book before), stopped with Ctrl-C at the end; nothing it
started may outlive it."""

from __future__ import annotations

import os
import sys
import time

import psutil
import pytest
import requests

from widgets import serve

from .hub_session import CULL_S, IDLE_EXIT_S, START, TIMEOUT_S, free_block, hub_processes


@pytest.fixture(scope="session")
def hub(tmp_path_factory):
    """(the `make hub` process, the hub's address); its state folder is a temporary one."""
    if not (serve.BOOK_DIR / "index.html").exists():
        pytest.fail("Le livre n'est pas construit : lancez « make book » avant ce test.")
    port = free_block()
    state = tmp_path_factory.mktemp("hub")
    env = {
        **os.environ,
        "FAIRE_AVEC_HUB_PORT": str(port),
        "FAIRE_AVEC_HUB_STATE": str(state),
        "FAIRE_AVEC_HUB_IDLE": str(IDLE_EXIT_S),
        "FAIRE_AVEC_HUB_CULL": str(CULL_S),
    }
    base = f"http://{serve.HOST}:{port}"
    try:
        started = serve.start_and_read(
            [sys.executable, str(START), "--no-build"],
            ready=lambda printed: bool(printed) and printed[-1].strip() == f"{base}/",
            timeout=TIMEOUT_S,
            env=env,
        )
    except serve.StartFailed as failure:
        pytest.fail(f"make hub n'a pas donné son adresse : {failure}")
    process = started.process
    try:
        assert "JupyterHub est prêt" in "".join(started.printed)
        deadline = time.monotonic() + TIMEOUT_S
        while requests.get(f"{base}/hub/api", timeout=30).status_code != 200:
            assert time.monotonic() < deadline, "l'API du hub ne répond pas"
            time.sleep(1)
        yield process, base
    finally:
        everything = hub_processes(process)
        serve.interrupt(process, timeout=120)  # Ctrl-C in the terminal of `make hub`
        survivors = []
        for leftover in everything:
            try:
                if leftover.status() != psutil.STATUS_ZOMBIE:
                    survivors.append(leftover)
            except psutil.NoSuchProcess:
                continue
        for leftover in survivors:  # nothing may outlive the test, even when the assertion below fails
            leftover.kill()
        assert survivors == [], f"encore en vie après Ctrl-C : {survivors}"
