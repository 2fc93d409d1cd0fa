"""The Kubernetes values and the container build file cannot be built or deployed here (no
container engine, no cluster): they are validated instead. Each check names a way they could be
wrong: YAML that does not parse, a file the build copies that does not exist, a command the image
or the chart runs that the course does not have, settings that disagree between `make hub`, the
chart and the image; an image that installs test tools, runs as root or can write its own code; a
computation key written in a file; locks by role that disagree with each other."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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


def read_hub_config(state: Path) -> Config:
    """deploy/jupyterhub/jupyterhub_config.py read as JupyterHub reads it (``get_config()``), its state
    folder in ``state``."""
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(HUB_CONFIG)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAIRE_AVEC_HUB_STATE", str(state))
        # S102: the repository's own configuration file, run exactly as JupyterHub runs it.
        exec(compile(HUB_CONFIG.read_text(encoding="utf-8"), str(HUB_CONFIG), "exec"), namespace)  # noqa: S102
    return config


@pytest.fixture(scope="module")
def hub_config(tmp_path_factory):
    return read_hub_config(tmp_path_factory.mktemp("hub"))


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
    run_make = re.search(r"RUN make ([\w ]+)", dockerfile)
    assert run_make, "le Dockerfile ne lance pas make"
    for target in run_make.group(1).split():
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
        serve.stop(process)  # returns once the process has ended
    deadline = time.monotonic() + 10
    while not serve.port_is_free(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert serve.port_is_free(port)


# --------------------------------------------------------------------------- packages by role
ROLES = {  # requirements file → its lock, from the smallest role to the largest
    "requirements.txt": "requirements.lock",
    "requirements-hub.txt": "requirements-hub.lock",
    "requirements-test.txt": "requirements-test.lock",
    "requirements-dev.txt": "requirements-dev.lock",
}
#: What only tests and development use (libraries the tests import, such as requests, also come
#: with Jupyter at run time: they are not tools).
TOOLS = {
    "pytest",
    "nbval",
    "hypothesis",
    "jupytext",
    "axe-playwright-python",
    "ruff",
    "mypy",
    "types-pyyaml",
    "pip-tools",
}
#: Installed at run time although their name says « test »: a runtime package requires them.
PULLED_BY_RUNTIME = {"pytest": "openfisca-core"}


def pins(lock: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """name → (version, hashes) of every package of a lock."""
    found = {}
    for block in re.split(r"\n(?=[a-z0-9])", lock.read_text(encoding="utf-8")):
        head = re.match(r"([a-z0-9][a-z0-9._-]*)==(\S+)", block)
        if head:
            found[head.group(1)] = (head.group(2), frozenset(re.findall(r"--hash=sha256:([0-9a-f]{64})", block)))
    return found


def own_lines(requirements: Path) -> dict[str, str]:
    """name → version of the packages a requirements file pins itself."""
    found = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            pinned = re.match(r"([A-Za-z0-9._-]+)(?:\[[^]]*\])?==(\S+)$", line)
            assert pinned, f"{requirements.name} : « {line} » n'est pas épinglé (paquet==version)"
            name, version = pinned.groups()
            found[re.sub(r"[-_.]+", "-", name).lower()] = version
    return found


def test_each_role_has_its_lock_with_hashes_and_every_lock_agrees_with_the_largest():
    root = serve.REPO_ROOT
    locks = {txt: pins(root / lock) for txt, lock in ROLES.items()}
    largest = locks["requirements-dev.txt"]
    previous: set[str] = set()
    for txt, lock in ROLES.items():
        content = (root / lock).read_text(encoding="utf-8")
        command = next(line for line in content.splitlines() if line.startswith("#    pip-compile "))
        assert f"--output-file={lock}" in command and command.endswith(f" {txt}"), (lock, command)
        assert "--generate-hashes" in command
        assert not [line for line in content.splitlines() if line.startswith("--find-links")], lock
        packages = locks[txt]
        for name, (version, hashes) in packages.items():
            assert hashes, f"{lock} : {name} sans empreinte"
            assert largest[name][0] == version, (
                f"{lock} : {name} {version} ≠ {largest[name][0]} (requirements-dev.lock)"
            )
        for name, version in own_lines(root / txt).items():
            assert packages.get(name, ("absent",))[0] == version, f"{txt} : {name}=={version} n'est pas dans {lock}"
        assert previous <= set(packages), f"{lock} n'a pas tout le rôle précédent : {sorted(previous - set(packages))}"
        previous = set(packages)


def test_runtime_and_hub_locks_hold_no_test_or_development_tool():
    root = serve.REPO_ROOT
    declared = set(own_lines(root / "requirements-test.txt")) | set(own_lines(root / "requirements-dev.txt"))
    assert TOOLS <= declared, sorted(TOOLS - declared)
    tools = TOOLS
    for lock in ("requirements.lock", "requirements-hub.lock"):
        installed = set(pins(root / lock))
        unexpected = (tools & installed) - set(PULLED_BY_RUNTIME)
        assert not unexpected, f"{lock} installe des outils de test ou de développement : {sorted(unexpected)}"
        blocks = re.split(r"\n(?=[a-z0-9])", (root / lock).read_text(encoding="utf-8"))
        for tool, needed_by in PULLED_BY_RUNTIME.items():
            (block,) = [b for b in blocks if b.startswith(f"{tool}==")]
            assert re.search(rf"#\s+{needed_by}$", block.split("# via", 1)[1], re.MULTILINE), (
                f"{tool} n'est plus demandé par {needed_by} : à retirer de {lock}"
            )


def test_make_serve_installs_runtime_only_and_make_test_everything():
    makefile = (serve.REPO_ROOT / "Makefile").read_text(encoding="utf-8")

    def line(pattern: str) -> str:
        found = re.search(pattern, makefile, re.MULTILINE)
        assert found, f"pas de ligne {pattern} dans le Makefile"
        return found.group(1)

    def prerequisites(target: str) -> str:
        return line(rf"^{re.escape(target)}:(.*)$")

    stamps = {stamp: line(rf"^\$\({stamp}\): (\S+)") for stamp in ("STAMP", "HUB_STAMP", "DEV_STAMP")}
    assert stamps == {
        "STAMP": "requirements.lock",
        "HUB_STAMP": "requirements-hub.lock",
        "DEV_STAMP": "requirements-dev.lock",
    }
    for target in ("serve", "book", "warm", "install"):
        assert prerequisites(target).split()[0] == "$(STAMP)", target
    assert prerequisites("hub").split() == ["$(HUB_STAMP)"]
    for target in ("test", "lint", "test-unit", "test-browser", "test-deploy", "lock"):
        assert "$(DEV_STAMP)" in prerequisites(target).split(), target


def docker_instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(instruction, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", "\n".join(line for line in dockerfile.splitlines() if not line.startswith("#")))
    steps = []
    for line in joined.splitlines():
        if line.strip():
            instruction, *arguments = line.split(None, 1)
            steps.append((instruction, arguments[0] if arguments else ""))
    return steps


def test_the_image_installs_runtime_and_hub_only_runs_as_jovyan_and_cannot_write_its_code(dockerfile):
    steps = docker_instructions(dockerfile)
    runs = [args for kind, args in steps if kind == "RUN"]
    installs = [re.findall(r"-r (\S+)", run) for run in runs if "pip install" in run]
    assert installs == [["requirements-hub.lock"]], installs
    assert all("--require-hashes" in run for run in runs if "pip install" in run)
    copied = " ".join(args for kind, args in steps if kind == "COPY")
    assert "requirements-test" not in copied and "requirements-dev" not in copied
    user_at = max(i for i, (kind, _) in enumerate(steps) if kind == "USER")
    assert steps[user_at][1] == "${NB_USER}" and not [kind for kind, _ in steps[user_at:] if kind == "RUN"]
    workdir = next(args for kind, args in steps if kind == "WORKDIR")
    chowns = [m for run in runs for m in re.findall(r"chown -R \S+ (\S+)", run)]
    assert chowns == ["${HOME}"], f"seul le dossier de données appartient à jovyan : {chowns}"
    assert any(f"chmod -R go-w {workdir}" in run for run in runs), "le code doit rester en lecture seule"
    env = dict(re.findall(r"(FAIRE_AVEC_\w+|HOME)=(\S+)", " ".join(args for kind, args in steps if kind == "ENV")))
    for variable in ("FAIRE_AVEC_DATA_DIR", "FAIRE_AVEC_CACHE", "FAIRE_AVEC_LOGS"):
        assert env[variable].startswith("/home/${NB_USER}/"), (variable, env[variable])
    assert env["HOME"] == "/home/${NB_USER}" and not env["HOME"].startswith(workdir)
    assert "PYTHONDONTWRITEBYTECODE=1" in dockerfile and "compileall" in " ".join(runs)


def test_the_computation_key_is_a_kubernetes_secret_the_service_and_the_kernels_share(values):
    calcul = values["hub"]["extraContainers"][1]
    (served,) = [e["valueFrom"]["secretKeyRef"] for e in calcul["env"] if e["name"] == "FAIRE_AVEC_CALCUL_CLE"]
    kernels = values["singleuser"]["extraEnv"]["FAIRE_AVEC_CALCUL_CLE"]["valueFrom"]["secretKeyRef"]
    assert served == kernels and set(served) == {"name", "key"}
    text = VALUES.read_text(encoding="utf-8")
    assert f"create secret generic {served['name']}" in text and f"--from-literal={served['key']}=" in text
    assert "token_urlsafe" in text, "la clé se tire au hasard, elle n'est écrite nulle part"
    for container in values["hub"]["extraContainers"]:
        security = container["securityContext"]
        assert security["runAsNonRoot"] and security["readOnlyRootFilesystem"], container["name"]
        assert security["allowPrivilegeEscalation"] is False
    (cache,) = calcul["volumeMounts"]
    assert cache["mountPath"] == "/home/jovyan/calcul"
    assert any(v["name"] == cache["name"] and "emptyDir" in v for v in values["hub"]["extraVolumes"])


def test_make_hub_draws_a_new_key_at_each_start_and_gives_each_person_their_own_group_mode(tmp_path_factory):
    first, second = (read_hub_config(tmp_path_factory.mktemp("hub")) for _ in range(2))
    keys = []
    for config in (first, second):
        key = config.Spawner.environment["FAIRE_AVEC_CALCUL_CLE"]
        (calcul,) = [s for s in config.JupyterHub.services if s["name"] == "calcul"]
        assert calcul["environment"]["FAIRE_AVEC_CALCUL_CLE"] == key and len(key) >= 32
        assert key not in " ".join(calcul["command"]), "jamais sur une ligne de commande"
        keys.append(key)
    assert keys[0] != keys[1]

    class User:
        def __init__(self, name: str) -> None:
            self.name = self.escaped_name = name

    class Spawner:
        def __init__(self, name: str, home: str) -> None:
            self.user, self.home_dir = User(name), home

    data = first.Spawner.environment["FAIRE_AVEC_DATA_DIR"]
    home = str(first.SimpleLocalProcessSpawner.home_dir_template)
    folders = [data(Spawner(name, home.format(username=name))) for name in ("formatrice-a", "formateur-b")]
    assert folders[0] != folders[1] and all(Path(f).name == "salle" for f in folders)
    assert [Path(f).parent.name for f in folders] == ["formatrice-a", "formateur-b"]


def test_make_hub_deletes_a_participants_folder_untouched_for_twelve_hours(tmp_path):
    spec = importlib.util.spec_from_file_location("hub_start", DEPLOY / "jupyterhub" / "start.py")
    assert spec and spec.loader
    start = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(start)
    now = time.time()
    old, recent, touched = (tmp_path / name for name in ("ancien", "recent", "ancien-mais-touche"))
    for folder in (old, recent, touched):
        (folder / "salle").mkdir(parents=True)
        (folder / "salle" / "salle.sqlite3").write_bytes(b"x")
    for path in (old, old / "salle", old / "salle" / "salle.sqlite3", touched, touched / "salle"):
        os.utime(path, (now - 13 * 3600, now - 13 * 3600))
    assert start.sweep_participants(tmp_path, now=now) == [old]
    assert not old.exists() and recent.exists() and touched.exists()
    assert start.sweep_participants(tmp_path / "absent", now=now) == []
