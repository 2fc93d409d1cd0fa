"""The simulator's shared computation service as `make serve` starts it (a child of the course's
Voilà), probed as a program on the same machine could: it answers nothing useful without the key
drawn at this start, refuses oversized bodies in French, and its key is on no command line."""

from __future__ import annotations

import http.client
import json
import time

import psutil
import pytest

from widgets import serve
from widgets.remuneration import remote, service

A_CASE = json.dumps(
    {"demandes": [{"menage": {}, "offre": {"form": "salaire", "hours_per_month": 10.0}, "heures": [10.0]}]}
).encode()


@pytest.fixture(scope="module")
def calcul(course) -> tuple[int, psutil.Process]:
    """(port, process) of the service the course's Voilà started."""
    found = []
    for child in psutil.Process(course.process.pid).children(recursive=True):
        try:
            if "widgets.remuneration.service" in " ".join(child.cmdline()):
                connections = getattr(child, "net_connections", child.connections)(kind="inet")  # psutil < 6
                ports = [c.laddr.port for c in connections if c.status == psutil.CONN_LISTEN]
                found.append((ports[0], child))
        except (psutil.Error, IndexError):
            continue
    assert len(found) == 1, f"un service de calcul attendu, trouvé : {found}"
    return found[0]


def post(port: int, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, dict]:
    connection = http.client.HTTPConnection(serve.HOST, port, timeout=60)
    try:
        connection.request("POST" if body is not None else "GET", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer ", "Bearer " + "A" * 43, "Basic dXNlcjpwYXNz", "Bearer x\u00e9"]
)
def test_nothing_is_computed_without_the_key(calcul, authorization):
    port, _ = calcul
    headers = {} if authorization is None else {"Authorization": authorization}
    for path, body in (("/grilles", A_CASE), ("/constantes", None)):
        status, answer = post(port, path, body, headers)
        assert status == 403 and answer["message"] == service.FORBIDDEN, (path, authorization, status)


def test_an_oversized_body_is_refused_in_french_even_with_the_key(calcul):
    port, process = calcul
    key = process.environ()[remote.KEY_VARIABLE]  # what only this machine's account can read
    status, answer = post(port, "/grilles", b" " * (service.MAX_BODY_BYTES + 1), {"Authorization": f"Bearer {key}"})
    assert status == 413 and answer["message"] == service.TOO_LARGE


def test_the_key_is_on_no_command_line(calcul):
    _, process = calcul
    key = process.environ()[remote.KEY_VARIABLE]
    assert len(key) >= service.MIN_KEY_LENGTH
    for other in psutil.process_iter(["cmdline"]):
        assert key not in " ".join(other.info["cmdline"] or []), other


def test_the_kernels_carry_the_key_of_the_service_they_ask(course, calcul):
    """The same key on both sides (else every kernel would quietly compute by itself)."""
    _, process = calcul
    key = process.environ()[remote.KEY_VARIABLE]
    deadline = time.monotonic() + 120
    kernels: list = []
    while not kernels and time.monotonic() < deadline:  # the simulator's preheated kernel
        kernels = serve.kernel_processes(course.process)
        time.sleep(0.5)
    assert kernels, "aucun noyau à examiner"
    for kernel in kernels:
        environment = kernel.environ()
        assert environment[remote.KEY_VARIABLE] == key
        assert environment[remote.URL_VARIABLE].endswith(f":{calcul[0]}")
