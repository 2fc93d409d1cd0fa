"""The shared computation service: same figures as a kernel computing alone, each case computed once.

Why these tests: the service exists so that 20 simulator kernels stop building 20 OpenFisca
systems and running the same case 20 times. So they check, against a real service process and a
real OpenFisca: the figures are identical to the local computation (to the cent, every output); a
case asked by several learners at once costs ONE run; a kernel that uses the service never imports
OpenFisca; bad input gets the simulator's French message; a service that is down changes nothing
for the learner (the kernel computes by itself).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import numpy as np
import pytest

from widgets.errors import InputError
from widgets.remuneration import cache, model, remote, service
from widgets.remuneration import openfisca_adapter as adapter
from widgets.remuneration.inputs import Household, Offer, Scenario


@pytest.fixture(scope="module")
def service_url(tmp_path_factory):
    """A real service process with an empty disk cache of its own, stopped after the module."""
    saved = {name: os.environ.get(name) for name in (remote.URL_VARIABLE, remote.MODE_VARIABLE, "FAIRE_AVEC_CACHE")}
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


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"  # nobody listens once the socket is closed


def test_the_service_gives_the_figures_a_kernel_computes_alone(service_url, monkeypatch) -> None:
    scenario = Scenario(Household(rent=481.0, children=(4,)), (Offer("salaire", 31.0, 13.5, 3, 5),))
    cache.clear_memory()
    through_service = model.simulate(scenario, complete=False)
    assert state(service_url)["grids_computed"] >= 1
    cache.clear_memory()
    monkeypatch.setenv(remote.URL_VARIABLE, closed_port_url())  # the service is down: compute here
    alone = model.simulate(scenario, complete=False)
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
    request = urllib.request.Request(f"{service_url}/grilles", data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 400
    assert "champ inconnu « pirate »" in json.loads(refused.value.read())["message"]


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


def test_the_service_stops_when_the_server_that_started_it_is_gone() -> None:
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    child = subprocess.Popen(
        [sys.executable, "-m", "widgets.remuneration.service", f"--parent={parent.pid}"],
        stdout=subprocess.PIPE,
        text=True,
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
