"""The Kubernetes values and the container build file cannot be built or deployed here (no
container engine, no cluster): they are validated instead. Each check names a way they could be
wrong: YAML that does not parse, a file the build copies that does not exist, a command the image
or the chart runs that the course does not have, settings that disagree between `make hub`, the
chart and the image."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
import yaml
from traitlets.config import Config

from widgets import serve

DEPLOY = serve.REPO_ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
VALUES = DEPLOY / "kubernetes" / "values.yaml"
HUB_CONFIG = DEPLOY / "jupyterhub" / "jupyterhub_config.py"
Z2JH_TOP_LEVEL = {"hub", "proxy", "singleuser", "cull", "scheduling", "prePuller", "ingress", "debug", "global"}


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile():
    return DOCKERFILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hub_config(tmp_path_factory):
    """deploy/jupyterhub/jupyterhub_config.py read as JupyterHub reads it (``get_config()``)."""
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(HUB_CONFIG)}
    with pytest.MonkeyPatch.context() as patch:  # its state folder in a temporary directory
        patch.setenv("FAIRE_AVEC_HUB_STATE", str(tmp_path_factory.mktemp("hub")))
        exec(compile(HUB_CONFIG.read_text(encoding="utf-8"), str(HUB_CONFIG), "exec"), namespace)
    return config


def docker_cmd(dockerfile: str) -> list[str]:
    found = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert found, "pas de CMD en forme JSON"
    return json.loads(found.group(1))


def test_values_parse_as_zero_to_jupyterhub_values(values):
    assert set(values) <= Z2JH_TOP_LEVEL, set(values) - Z2JH_TOP_LEVEL
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == "tmp"
    assert values["singleuser"]["storage"]["type"] == "none"
    assert values["cull"]["enabled"] is True and values["cull"]["users"] is True


def test_image_chart_and_make_hub_run_the_same_voila(values, dockerfile, hub_config):
    image_cmd = docker_cmd(dockerfile)
    assert values["singleuser"]["cmd"] == image_cmd
    assert image_cmd[1:] == ["-m", "widgets.serve", "--voila-only"]
    assert list(hub_config.Spawner.cmd)[1:] == image_cmd[1:]
    sidecar = values["hub"]["extraContainers"][0]
    image = values["singleuser"]["image"]
    calcul = values["hub"]["extraContainers"][1]
    assert calcul["image"] == f"{image['name']}:{image['tag']}"
    assert calcul["command"][:3] == [image_cmd[0], "-m", "widgets.remuneration.service"]
    (hub_calcul,) = [s for s in hub_config.JupyterHub.services if s["name"] == "calcul"]
    assert hub_calcul["command"][1:3] == ["-m", "widgets.remuneration.service"]
    assert sidecar["image"] == f"{image['name']}:{image['tag']}"
    assert sidecar["command"][1:] == ["-m", "widgets.serve", "--hub-book"]
    assert sidecar["command"][0] == image_cmd[0]


def test_book_service_and_start_url_agree(values, hub_config):
    start = values["singleuser"]["extraEnv"]["FAIRE_AVEC_START_URL"]
    (service,) = values["hub"]["services"]
    assert start == f"/services/{service}/" == values["hub"]["config"]["JupyterHub"]["default_url"]
    assert hub_config.Spawner.environment["FAIRE_AVEC_START_URL"] == start
    assert [s["name"] for s in hub_config.JupyterHub.services if "url" in s] == [service]
    port = int(values["hub"]["services"][service]["url"].rsplit(":", 1)[1])
    sidecar_env = {e["name"]: e["value"] for e in values["hub"]["extraContainers"][0]["env"]}
    assert sidecar_env["JUPYTERHUB_SERVICE_URL"].endswith(f":{port}")
    assert sidecar_env["JUPYTERHUB_SERVICE_PREFIX"] == start
    assert values["hub"]["service"]["extraPorts"][0]["port"] == port
    assert int(values["singleuser"]["extraEnv"]["FAIRE_AVEC_IDLE_EXIT"]) == values["cull"]["timeout"]


def test_participants_reach_the_shared_computation_service_and_only_it(values, hub_config):
    """Every participant's kernels get the service's address; its port is open to their pods only."""
    calcul = values["hub"]["extraContainers"][1]
    port = calcul["ports"][0]["containerPort"]
    assert f"--port={port}" in calcul["command"]
    assert values["singleuser"]["extraEnv"]["FAIRE_AVEC_CALCUL_URL"] == f"http://hub:{port}"
    assert {"name": "calcul", "port": port, "targetPort": port} in values["hub"]["service"]["extraPorts"]
    ingress = [rule for rule in values["hub"]["networkPolicy"]["ingress"] if rule["ports"] == [{"port": port}]]
    assert ingress and ingress[0]["from"] == [{"podSelector": {"matchLabels": {"component": "singleuser-server"}}}]
    egress = values["singleuser"]["networkPolicy"]["egress"]
    assert egress == [{"ports": [{"port": port}], "to": [{"podSelector": {"matchLabels": {"component": "hub"}}}]}]
    hub_port = int(str(hub_config.JupyterHub.bind_url).rsplit(":", 1)[1])
    assert hub_config.Spawner.environment["FAIRE_AVEC_CALCUL_URL"].endswith(f":{hub_port + 4}")


def test_dockerfile_copies_files_that_exist_and_uses_makefile_targets(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim-\w+$", dockerfile, re.MULTILINE), "image de base non épinglée"
    for line in re.findall(r"^COPY (.+)$", dockerfile, re.MULTILINE):
        *sources, _ = line.split()
        for source in sources:
            if source != ".":
                assert (serve.REPO_ROOT / source).exists(), source
    makefile = (serve.REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.search(r"RUN make ([\w ]+)", dockerfile).group(1).split():
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), f"make {target} n'existe pas"
    assert re.search(r"^USER \$\{NB_USER\}$", dockerfile, re.MULTILINE) and "NB_UID=1000" in dockerfile
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "_build", ".cache", ".git"} <= set(ignored)


def test_the_container_command_starts_the_course_voila(tmp_path):
    """What the image's CMD runs, here: Voilà answers the exercise page on the port it is given."""
    port = serve.free_port()
    env = {**os.environ, "FAIRE_AVEC_VOILA_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "-m", "widgets.serve", "--voila-only"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        serve.wait_for_port(port, timeout=120, process=process)
        with urllib.request.urlopen(
            f"http://{serve.HOST}:{port}/voila/render/autoeval-savoirs.ipynb", timeout=120
        ) as page:
            assert page.status == 200 and b'"kernelId"' in page.read()
    finally:
        serve.stop(process)
        time.sleep(0.5)
    assert serve.port_is_free(port)
