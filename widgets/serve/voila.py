"""Voilà as the course runs it: one command line for ``make serve``, the tests, the benchmarks, the
container and every JupyterHub participant, and the kernels it runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .ports import ports, wait_for_port
from .processes import open_log, stop
from .settings import EXERCISES_DIR, HOST, REPO_ROOT, TEMPLATES_DIR

# Voilà's preheated kernels (bench/README.md). For every exercise (FAIRE_AVEC_PREHEAT=1): about 20 %
# less waiting for one learner, but ~1.3 GB kept idle and slower gestures when a room opens at once.
# By default only the simulator, the slowest page to open, keeps one kernel ready (~160 MB);
# FAIRE_AVEC_PREHEAT=0 turns preheating off.
PREHEAT_ARGS = ("--preheat_kernel=True", "--pool_size=1")
SIMULATOR_PREHEAT_ARGS = ("--CourseVoila.preheat_notebooks=remuneration.ipynb",)


def preheat_args() -> tuple[str, ...]:
    """What ``make serve`` passes to Voilà for ``FAIRE_AVEC_PREHEAT`` (empty: the simulator only)."""
    choice = os.environ.get("FAIRE_AVEC_PREHEAT", "").strip()
    return {"1": PREHEAT_ARGS, "0": ()}.get(choice, SIMULATOR_PREHEAT_ARGS)


def voila_command(port: int, root: Path = EXERCISES_DIR, extra_args: tuple[str, ...] = ()) -> list[str]:
    """The one way the course starts Voilà (serve, browser tests and benchmarks all use it);
    ``extra_args`` adds Voilà options or replaces the ones below with the same name (the benchmarks
    try preheated kernels and other cull timeouts this way)."""
    replaced = {arg.split("=", 1)[0] for arg in extra_args}
    command = [
        sys.executable,
        "-m",
        "widgets.voila_app",  # Voilà plus the course's handlers: kernel freed on tab close, cap, no tree
        str(root),
        "--no-browser",
        f"--port={port}",
        "--Voila.port_retries=0",  # never drift to another port: the book's links name this one
        f"--Voila.ip={HOST}",
        "--show_tracebacks=False",
        "--VoilaConfiguration.allow_template_override=NO",  # no ?template=… from a URL
        "--VoilaConfiguration.allow_theme_override=NO",
        "--theme=light",
        "--template=faire-avec",
        "--HTMLExporter.language_code=fr",  # <html lang="fr">: screen readers then speak French
        # The page loads only the front-end extensions an exercise uses (widgets, anywidget, plotly):
        # not jupytext's, Voilà's JupyterLab preview or pygments' (fewer requests before the widgets).
        "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext",
        "--VoilaConfiguration.extension_denylist=@voila-dashboards/jupyterlab-preview",
        "--VoilaConfiguration.extension_denylist=jupyterlab_pygments",
        "--Voila.log_level=WARN",
        # A closed tab shuts its kernel down at once (widgets/voila_app.py). Safety net for a tab
        # that could not say so (browser killed, phone asleep, network cut): cull kernels idle for
        # 10 min with no page attached.
        # On a loaded machine (a room opening exercises at once) a cell's outputs can arrive more
        # than nbclient's default 4 s after the cell ends: Voilà would then show the page without
        # them (no widget). Waiting longer costs nothing when they arrive sooner.
        "--VoilaExecutor.iopub_timeout=60",
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
    ]
    return [arg for arg in command if arg.split("=", 1)[0] not in replaced] + list(extra_args)


def voila_env() -> dict[str, str]:
    """Environment for Voilà: finds the course's template beside Jupyter's own data paths."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(TEMPLATES_DIR), env.get("JUPYTER_PATH", "")) if p)
    return env


def start_voila(
    port: int,
    root: Path = EXERCISES_DIR,
    log: Path | None = None,
    extra_env: dict[str, str] | None = None,
    extra_args: tuple[str, ...] = (),
) -> subprocess.Popen[bytes]:
    """Start Voilà and wait until it answers; with ``log``, its messages are appended to that file."""
    output = open_log(log, f"Voilà, port {port}") if log is not None else None
    # S603: voila_command is this Python, Voilà's module and the course's settings; no shell.
    process = subprocess.Popen(  # noqa: S603
        voila_command(port, root, extra_args),
        cwd=REPO_ROOT,
        env={**voila_env(), **(extra_env or {})},
        start_new_session=True,
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
    )
    if output is not None:
        output.close()  # the child keeps its own descriptor
    try:
        wait_for_port(port, process=process, label="Le serveur Voilà")
    except BaseException:
        stop(process)
        raise
    return process


def kernel_processes(process: subprocess.Popen[Any]) -> list[Any]:
    """The kernels a Voilà started by :func:`start_voila` is running (``psutil.Process`` objects):
    what the room's memory actually holds, whatever Voilà believes."""
    import psutil  # a dependency of ipykernel, so always installed with Voilà

    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    kernels = []
    for child in children:
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                kernels.append(child)
        except psutil.Error:
            continue  # ended while we looked
    return kernels


def exec_voila_only() -> int:
    """Voilà alone, as ``make serve`` starts it, in place of this process: what a container runs
    (``deploy/Dockerfile``, the Kubernetes values) and what JupyterHub spawns per participant.
    Behind JupyterHub, Voilà takes its address from the hub's environment; otherwise
    ``FAIRE_AVEC_VOILA_PORT`` and ``FAIRE_AVEC_VOILA_IP`` (127.0.0.1 unless told otherwise)."""
    port = next(p for p in ports() if p.variable == "FAIRE_AVEC_VOILA_PORT").value()
    ip = os.environ.get("FAIRE_AVEC_VOILA_IP", "").strip() or HOST
    command = voila_command(port, extra_args=(f"--Voila.ip={ip}",))
    os.chdir(REPO_ROOT)
    os.execve(command[0], command, voila_env())  # noqa: S606 - this process becomes Voilà, by design
    return 1  # not reached
