"""More than one room: the JupyterHub deployment of deploy/jupyterhub, started as `make hub` starts
it, with several simulated participants at once.

Each participant is a separate HTTP session (its own cookies, as separate browsers): they open an
exercise link of the book, get a temporary account and their own Voilà, and the exercise page.
Proven here: one Voilà process per participant, nobody enters somebody else's server, the kernel
websocket works through the proxy, closing the tab frees the kernel, the book's links lead to the
participant's own server, and an idle participant's Voilà stops by itself. The hub is started once
for the session (conftest.py); ports are free ones of 127.0.0.1."""

from __future__ import annotations

import json
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import psutil
import pytest
import requests
import websocket

from widgets import serve

from .hub_session import (
    EXERCISE,
    IDLE_EXIT_S,
    PARTICIPANTS,
    TIMEOUT_S,
    enter,
    hub_processes,
    participant_servers,
    user_of,
)


@pytest.fixture(scope="module")
def participants(hub):
    _, base = hub
    sessions = [requests.Session() for _ in range(PARTICIPANTS)]
    with ThreadPoolExecutor(PARTICIPANTS) as pool:  # all at once, as a room does
        pages = list(pool.map(lambda session: enter(session, base, EXERCISE), sessions))
    return list(zip(sessions, pages, strict=True))


def test_each_participant_gets_the_exercise_from_their_own_voila(hub, participants):
    process, _ = hub
    for _, page in participants:
        assert page.status_code == 200 and '"kernelId"' in page.text, (page.status_code, page.url)
    users = [user_of(page.url) for _, page in participants]
    assert len(set(users)) == PARTICIPANTS, users
    servers = participant_servers(process)
    assert set(users) <= set(servers), (users, list(servers))
    assert len({servers[user].pid for user in users}) == PARTICIPANTS


def test_nobody_enters_somebody_elses_server(hub, participants):
    _, base = hub
    page_a, session_b = participants[0][1], participants[1][0]
    intruder = session_b.get(f"{base}/user/{user_of(page_a.url)}/{EXERCISE}", timeout=TIMEOUT_S)
    assert intruder.status_code == 403 and '"kernelId"' not in intruder.text, (intruder.status_code, intruder.url)
    # without any account, the hub gives a new temporary one: never the owner's page
    anonymous = requests.get(f"{base}/user/{user_of(page_a.url)}/{EXERCISE}", timeout=TIMEOUT_S)
    assert '"kernelId"' not in anonymous.text, anonymous.url


def test_book_links_lead_to_the_participants_own_server(hub, participants):
    _, base = hub
    session, page = participants[0]
    chapters = sorted(serve.BOOK_DIR.glob("chapters/*.html"))
    linked = [p for p in chapters if "continuum.ipynb" in p.read_text(encoding="utf-8")]
    assert linked, "aucun chapitre ne renvoie vers l'exercice continuum"
    book = session.get(f"{base}/services/livre/chapters/{linked[0].name}", timeout=TIMEOUT_S)
    assert book.status_code == 200
    assert "/hub/user-redirect/voila/render/continuum.ipynb" in book.text
    assert "127.0.0.1:8866" not in book.text
    root = session.get(f"{base}/user/{user_of(page.url)}/", timeout=TIMEOUT_S)
    assert urlparse(root.url).path.startswith("/services/livre/"), root.url


def test_one_shared_computation_service_serves_every_participant(hub, participants):
    """The simulator's OpenFisca lives once for the whole hub (the « calcul » service), not once per
    participant: no participant's Voilà starts its own, and the one the hub runs answers."""
    process, base = hub

    def is_service(child: psutil.Process) -> bool:
        try:
            return "widgets.remuneration.service" in " ".join(child.cmdline())
        except psutil.Error:
            return False

    assert len([child for child in hub_processes(process) if is_service(child)]) == 1
    servers = participant_servers(process)
    assert len(servers) >= 2
    for server in servers.values():
        assert not [child for child in server.children(recursive=True) if is_service(child)]
        assert server.environ().get("FAIRE_AVEC_CALCUL_URL") == f"http://{serve.HOST}:{urlparse(base).port + 4}"
    state = requests.get(f"http://{serve.HOST}:{urlparse(base).port + 4}/etat", timeout=TIMEOUT_S)
    assert state.status_code == 200 and "runs" in state.json()


def test_kernel_channel_through_the_proxy_then_closing_frees_the_kernel_and_the_server(hub, participants):
    process, base = hub
    session, page = participants[0]
    user = user_of(page.url)
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.text)
    assert found, "pas de noyau dans la page de l'exercice"
    kernel = found.group(1)
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    ws = websocket.create_connection(
        f"ws://{serve.HOST}:{urlparse(base).port}/user/{user}/api/kernels/{kernel}/channels?session_id={uuid.uuid4()}",
        header=[f"Cookie: {cookies}"],
        timeout=TIMEOUT_S,
    )
    try:
        message = {
            "header": {"msg_id": uuid.uuid4().hex, "msg_type": "kernel_info_request", "username": "p",
                       "session": uuid.uuid4().hex, "version": "5.3", "date": "2026-01-01T00:00:00Z"},
            "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell", "buffers": [],
        }  # fmt: skip
        ws.send(json.dumps(message))
        deadline = time.monotonic() + 60
        replied = False
        while time.monotonic() < deadline and not replied:
            ws.settimeout(1)
            try:
                replied = json.loads(ws.recv())["header"]["msg_type"] == "kernel_info_reply"
            except websocket.WebSocketTimeoutException:
                continue
        assert replied, "pas de réponse du noyau à travers le proxy"
    finally:
        ws.close()

    server = participant_servers(process)[user]
    assert len([c for c in server.children(recursive=True) if "ipykernel" in " ".join(c.cmdline())]) == 1
    # The tab closes: Voilà's page sends its shutdown request with the _xsrf token of its cookie.
    xsrf = session.cookies.get("_xsrf", path=f"/user/{user}/") or session.cookies.get("_xsrf")
    assert xsrf, [c.name for c in session.cookies]
    closed = session.post(f"{base}/user/{user}/voila/api/shutdown/{kernel}", data={"_xsrf": xsrf}, timeout=TIMEOUT_S)
    assert closed.status_code == 204, closed.status_code
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and server.children(recursive=True):
        time.sleep(0.5)
    assert not server.children(recursive=True), "le noyau tourne encore après la fermeture"
    # No kernel left: the participant's Voilà stops by itself after FAIRE_AVEC_HUB_IDLE seconds.
    try:
        server.wait(timeout=IDLE_EXIT_S + 60)
    except psutil.TimeoutExpired:
        pytest.fail(f"le Voilà de {user} tourne encore {IDLE_EXIT_S + 60} s après son dernier noyau")
    assert user not in participant_servers(process)


def test_every_socket_listens_on_loopback(hub, participants):
    process, _ = hub
    addresses = []
    for child in [psutil.Process(process.pid), *hub_processes(process)]:
        try:
            connections = getattr(child, "net_connections", child.connections)(kind="inet")
        except psutil.Error:
            continue
        addresses += [c.laddr.ip for c in connections if c.status == psutil.CONN_LISTEN]
    assert addresses and set(addresses) == {serve.HOST}, addresses
