"""The shared computation service: same figures as a kernel computing alone, each case computed once,
and nothing done for a caller without the key, with an oversized body or when the queue is full.

Why these tests: the service exists so that 20 simulator kernels stop building 20 OpenFisca
systems and running the same case 20 times. So they check, against a real service process and a
real OpenFisca: the figures are identical to the local computation (to the cent, every output); a
case asked by several learners at once costs ONE run; a kernel that uses the service never imports
OpenFisca; bad input gets the simulator's French message; a service that is down, or full, changes
nothing for the learner (the kernel computes by itself, the same figures). And what a hostile
caller meets (issue 16): 403 without the key drawn at start, 413 past 64 KiB, 503 past the queue,
each in French and before any work; malformed JSON of any shape is a 400, never a 500; the disk
cache stays under its cap.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

import numpy as np
import pytest
import tornado.httpserver
import tornado.netutil
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.errors import InputError
from widgets.remuneration import cache, model, remote, service
from widgets.remuneration import openfisca_adapter as adapter
from widgets.remuneration.inputs import Household, Offer, Scenario


@pytest.fixture(scope="module")
def service_url(tmp_path_factory):
    """A real service process with an empty disk cache of its own, stopped after the module."""
    names = (remote.URL_VARIABLE, remote.KEY_VARIABLE, remote.MODE_VARIABLE, "FAIRE_AVEC_CACHE")
    saved = {name: os.environ.get(name) for name in names}
    os.environ.pop(remote.URL_VARIABLE, None)
    os.environ.pop(remote.MODE_VARIABLE, None)
    os.environ["FAIRE_AVEC_CACHE"] = str(tmp_path_factory.mktemp("service-cache"))
    process = remote.start_service()
    assert process is not None, "the service did not print its port within 60 s"
    url = os.environ[remote.URL_VARIABLE]
    os.environ["FAIRE_AVEC_CACHE"] = ""  # this test process: memory only, so every figure comes from somewhere known
    yield url
    process.terminate()
    process.wait(timeout=20)
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    cache.clear_memory()


def state(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/etat", timeout=30) as response:
        return json.loads(response.read())


def post(url: str, body: bytes, key: str | None, chunked: bool = False) -> tuple[int, dict[str, str], bytes]:
    """POST /grilles as any client may (the key in ``Authorization``, or none)."""
    address = urlparse(url)
    assert address.hostname, url
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    try:
        if chunked:
            connection.request("POST", "/grilles", body=iter([body[i : i + 8192] for i in range(0, len(body), 8192)]),
                               headers=headers, encode_chunked=True)  # fmt: skip
        else:
            connection.request("POST", "/grilles", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


A_CASE = remote.encode_request([(Household(rent=490.0), Offer("salaire", 10.0), [10.0])], background=False)


@contextmanager
def service_in_this_process(key: str, queue: int) -> Iterator[str]:
    """The service's application on a free port, in a thread of this process (so that a test can
    hold its computation); stopped on exit."""
    started = threading.Event()
    holder: dict = {}

    async def serve() -> None:
        server = tornado.httpserver.HTTPServer(service.make_app(key, queue=queue))
        sockets = tornado.netutil.bind_sockets(0, address="127.0.0.1")
        server.add_sockets(sockets)
        holder.update(port=sockets[0].getsockname()[1], loop=asyncio.get_running_loop(), stop=asyncio.Event())
        started.set()
        await holder["stop"].wait()
        server.stop()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    assert started.wait(30)
    try:
        yield f"http://127.0.0.1:{holder['port']}"
    finally:
        holder["loop"].call_soon_threadsafe(holder["stop"].set)
        thread.join(timeout=30)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"  # nobody listens once the socket is closed


@pytest.mark.parametrize("service_state", ["arrêté", "plein"])
def test_the_service_gives_the_figures_a_kernel_computes_alone(service_url, monkeypatch, service_state) -> None:
    """Stopped (nobody on the port) or full (503): the kernel computes by itself, the same figures."""
    scenario = Scenario(Household(rent=481.0, children=(4,)), (Offer("salaire", 31.0, 13.5, 3, 5),))
    cache.clear_memory()
    through_service = model.simulate(scenario, complete=False)
    assert state(service_url)["grids_computed"] >= 1
    cache.clear_memory()
    with contextlib.ExitStack() as stack:
        if service_state == "arrêté":
            monkeypatch.setenv(remote.URL_VARIABLE, closed_port_url())
        else:
            cache.constants()  # from the real service: the service in this process must not ask itself
            key = "k" * 43
            full = stack.enter_context(service_in_this_process(key, queue=0))
            monkeypatch.setenv(remote.URL_VARIABLE, full)
            monkeypatch.setenv(remote.KEY_VARIABLE, key)
        alone = model.simulate(scenario, complete=False)
        if service_state == "plein":
            assert state(full)["busy"] >= 1, "the full service was asked, and answered 503"
    cache.clear_memory()
    for column in through_service.baseline.columns:
        np.testing.assert_array_equal(through_service.baseline[column], alone.baseline[column])
        np.testing.assert_array_equal(through_service.offers[0].with_offer[column], alone.offers[0].with_offer[column])
    assert through_service.offers[0].yearly_gain == alone.offers[0].yearly_gain != 0
    assert through_service.legislation_date == alone.legislation_date


def test_a_case_asked_by_many_learners_at_once_is_computed_once(service_url) -> None:
    request = (Household(rent=477.0), Offer("cea", 26.0, None, 1, 12), [26.0])
    before = state(service_url)
    answers: list[list[remote.RawGrid]] = []
    errors: list[BaseException] = []

    def learner() -> None:
        try:
            answers.append(remote.ask_grids([request], False, adapter.OUTPUT_KEYS))
        except BaseException as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=learner) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    after = state(service_url)
    assert not errors and len(answers) == 6
    assert after["requests"] - before["requests"] == 6
    assert after["runs"] - before["runs"] == 1, "six learners, one OpenFisca run"
    first_levels, first_data = answers[0][0]
    assert sorted(first_levels.tolist()) == [0.0, 26.0]
    for (levels, data), *_ in answers[1:]:
        np.testing.assert_array_equal(levels, first_levels)
        for name in adapter.OUTPUT_KEYS:
            np.testing.assert_array_equal(data[name], first_data[name])


def test_the_service_refuses_a_case_the_simulator_refuses_in_french(service_url) -> None:
    with pytest.raises(InputError, match="Âge"):
        remote.ask_grids([(Household(age=12), Offer("salaire", 10.0), [10.0])], False, adapter.OUTPUT_KEYS)
    body = json.dumps({"demandes": [{"menage": {"pirate": 1}, "offre": {}, "heures": [1]}]}).encode()
    status, _, answer = post(service_url, body, os.environ[remote.KEY_VARIABLE])
    assert status == 400
    assert "champ inconnu « pirate »" in json.loads(answer)["message"]


def test_without_the_key_drawn_at_start_nothing_is_computed(service_url) -> None:
    key = os.environ[remote.KEY_VARIABLE]
    assert len(key) >= 32
    before = state(service_url)
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")
    for given_key in (None, "", wrong, key + "x", "Bearer"):
        status, _, answer = post(service_url, A_CASE, given_key)
        assert status == 403, given_key
        assert json.loads(answer)["message"].startswith("Le service de calcul ne répond qu'aux exercices")
    request = urllib.request.Request(f"{service_url}/constantes", headers={"Authorization": f"Bearer {wrong}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    after = state(service_url)
    assert after["forbidden"] - before["forbidden"] == 6
    assert after["requests"] == before["requests"] and after["runs"] == before["runs"], "refused before any work"


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_body_is_refused_in_french_before_it_is_read(service_url, chunked) -> None:
    before = state(service_url)
    huge = b'{"demandes": [' + b" " * (service.MAX_BODY_BYTES + 10) + b"]}"
    status, _, answer = post(service_url, huge, os.environ[remote.KEY_VARIABLE], chunked=chunked)
    assert status == 413
    assert json.loads(answer)["message"] == service.TOO_LARGE
    after = state(service_url)
    assert after["too_large"] - before["too_large"] == 1 and after["requests"] == before["requests"]


def test_a_full_queue_answers_503_at_once_and_takes_requests_again_when_it_empties(monkeypatch) -> None:
    release = threading.Event()
    grid = remote.encode_grids([(np.array([0.0, 10.0]), {name: np.zeros((2, 12)) for name in adapter.OUTPUT_KEYS})])

    def held(requests, background, counters):  # a computation that lasts until the test says so
        assert release.wait(60)
        return grid

    monkeypatch.setattr(service, "answer", held)
    key = "q" * 43
    with service_in_this_process(key, queue=1) as url:
        first: list[int] = []
        waiting = threading.Thread(target=lambda: first.append(post(url, A_CASE, key)[0]))
        waiting.start()
        deadline = time.monotonic() + 30
        while state(url)["in_flight"] != 1:
            assert time.monotonic() < deadline, "the first request never reached the queue"
            time.sleep(0.02)
        started = time.monotonic()
        status, headers, answer = post(url, A_CASE, key)
        assert status == 503 and time.monotonic() - started < 5
        assert json.loads(answer)["message"] == service.BUSY and headers["Retry-After"] == "5"
        release.set()
        waiting.join(timeout=30)
        assert first == [200]
        assert post(url, A_CASE, key)[0] == 200, "the queue is free again"
        assert state(url)["busy"] == 1


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
        lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5),
        max_leaves=40,
    )
)
def test_any_json_is_a_case_or_a_french_refusal_never_a_crash(payload) -> None:
    shaped = {"demandes": [payload]} if not isinstance(payload, dict) else payload
    for value in (payload, shaped, {"demandes": [{"menage": payload, "offre": payload, "heures": payload}]}):
        try:
            remote.decode_request(json.dumps(value).encode())
        except InputError as error:
            assert str(error).startswith("Demande au service de calcul") or error.field


def test_deep_nesting_and_bytes_that_are_not_text_are_refused_in_french() -> None:
    for body in (b"[" * (service.MAX_BODY_BYTES - 1), b'{"demandes": ' + b"[" * 60_000, b"\xff\xfe not json"):
        with pytest.raises(InputError, match="illisible"):
            remote.decode_request(body)


def test_a_kernel_using_the_service_never_loads_openfisca(service_url, tmp_path) -> None:
    script = (
        "import sys, psutil\n"
        "from widgets.remuneration import model\n"
        "from widgets.remuneration.inputs import Household, Offer, Scenario\n"
        "result = model.simulate(Scenario(Household(rent=483.0), (Offer('salaire', 12.0),)), complete=False)\n"
        "print(result.offers[0].yearly_gain, any(m.startswith('openfisca') for m in sys.modules))\n"
    )
    env = {**os.environ, remote.URL_VARIABLE: service_url, "FAIRE_AVEC_CACHE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    gain, loaded = done.stdout.split()
    assert float(gain) != 0 and loaded == "False"


def test_a_background_request_interrupted_by_learners_is_tried_again(monkeypatch) -> None:
    calls = []

    def ensure_levels(requests, background=False, local=False):
        calls.append((background, local))
        if len(calls) == 1:
            raise adapter.Interrupted()
        grid = cache.Grid(np.array([0.0]), {name: np.zeros((1, 12)) for name in adapter.OUTPUT_KEYS})
        return {cache.GridKey.of(h, o): grid for h, o, _ in requests}, 1

    monkeypatch.setattr(cache, "ensure_levels", ensure_levels)
    counters = service.Counters()
    body = service.answer([(Household(), Offer("salaire", 5.0), [5.0])], True, counters)
    assert calls == [(True, True), (True, True)]
    assert counters.interrupted == 1 and counters.grids_computed == 1
    assert remote.decode_grids(body, 1, adapter.OUTPUT_KEYS)[0][0].tolist() == [0.0]


def test_the_service_will_not_start_without_a_key() -> None:
    env = {name: value for name, value in os.environ.items() if name != remote.KEY_VARIABLE}
    for key in (None, "court"):
        if key is not None:
            env[remote.KEY_VARIABLE] = key
        done = subprocess.run(
            [sys.executable, "-m", "widgets.remuneration.service"], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2 and "PORT" not in done.stdout
        assert f"{remote.KEY_VARIABLE} manque ou est trop courte" in done.stderr and "Traceback" not in done.stderr


def test_the_disk_cache_stays_under_its_cap_and_keeps_what_make_warm_prepared(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FAIRE_AVEC_CACHE", str(tmp_path))
    files = []
    for age in range(10):  # grid-0 is the oldest
        path = tmp_path / f"grid-cafe-{age}.npz"
        path.write_bytes(b"x" * 10_000)
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
        files.append(path)
    (tmp_path / "constants-cafe.json").write_text("{}", encoding="utf-8")
    prepared = files[0]  # the oldest, but make warm prepared it
    freed = cache.trim_disk(45_000, keep=[prepared])
    left = sorted(p.name for p in tmp_path.glob("*.npz"))
    assert sum(p.stat().st_size for p in tmp_path.iterdir() if p.name != ".gitignore") <= 45_000
    assert freed == 60_000 and prepared.name in left
    assert left == sorted([prepared.name] + [f"grid-cafe-{age}.npz" for age in (7, 8, 9)]), "the oldest go first"
    assert (tmp_path / "constants-cafe.json").exists()
    assert cache.trim_disk(45_000, keep=[prepared]) == 0, "already under the cap"
    monkeypatch.setenv("FAIRE_AVEC_CACHE_MAX_MO", "0.5")
    assert cache.disk_cap_bytes() == 2**19


def test_the_service_stops_when_the_server_that_started_it_is_gone() -> None:
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    child = subprocess.Popen(
        [sys.executable, "-m", "widgets.remuneration.service", f"--parent={parent.pid}"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, remote.KEY_VARIABLE: "p" * 43},
    )
    try:
        assert child.stdout is not None and child.stdout.readline().startswith("PORT ")
        parent.kill()
        parent.wait(timeout=10)
        started = time.monotonic()
        child.wait(timeout=30)
        assert time.monotonic() - started < 30
    finally:
        for process in (parent, child):
            if process.poll() is None:
                process.kill()
