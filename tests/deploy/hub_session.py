"""Helpers of the hub tests (a module with its own name, so that test files of several folders can
import it in one pytest session): the hub's ports and processes, and a participant entering it.

Each participant is a separate HTTP session or browser context, with its own cookies, as separate
browsers are. Every wait has an explicit timeout for a loaded 2-core machine."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from urllib.parse import parse_qs, urlparse

import psutil
import requests

from widgets import serve

START = serve.REPO_ROOT / "deploy" / "jupyterhub" / "start.py"
EXERCISE = "voila/render/autoeval-savoirs.ipynb"
PARTICIPANTS = 3
IDLE_EXIT_S = 20  # FAIRE_AVEC_HUB_IDLE for this test: a participant's Voilà stops after 20 s without kernel
CULL_S = 3600  # FAIRE_AVEC_HUB_CULL: the culler stays away while the tests act as participants
TIMEOUT_S = 180


def free_block(size: int = 5) -> int:
    """A port p such that p … p + size - 1 are free on 127.0.0.1 (the hub uses five in a row)."""
    for _ in range(200):
        with socket.socket() as sock:
            sock.bind((serve.HOST, 0))
            start = sock.getsockname()[1]
        if start + size < 65535 and all(serve.port_is_free(start + i) for i in range(size)):
            return start
    raise RuntimeError("pas de ports libres")


def hub_processes(hub: subprocess.Popen) -> list[psutil.Process]:
    try:
        return psutil.Process(hub.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def participant_servers(hub: subprocess.Popen) -> dict[str, psutil.Process]:
    """Each participant's Voilà, by JupyterHub user name (read from the process's environment)."""
    servers = {}
    for process in hub_processes(hub):
        try:
            if "widgets.voila_app" not in " ".join(process.cmdline()):
                continue
            user = process.environ().get("JUPYTERHUB_USER")
        except psutil.Error:
            continue
        if user:
            servers[user] = process
    return servers


def enter(session: requests.Session, base: str, path: str) -> requests.Response:
    """What a participant's browser does from a book link: log in (temporary account), wait while
    the hub starts their server (the spawn-pending page), then open the page."""
    response = session.get(f"{base}/hub/user-redirect/{path}", timeout=TIMEOUT_S)
    deadline = time.monotonic() + TIMEOUT_S
    while "/spawn-pending/" in response.url and time.monotonic() < deadline:
        time.sleep(1)
        next_url = parse_qs(urlparse(response.url).query)["next"][0]
        response = session.get(f"{base}{next_url}", timeout=TIMEOUT_S)
    return response


def user_of(url: str) -> str:
    """The hub user whose server an address belongs to (``/user/<name>/…``)."""
    found = re.match(r"/user/([^/]+)/", urlparse(url).path)
    assert found, url
    return found.group(1)
