"""Fixtures for the security probes: the course as `make serve` runs it, and a Voilà on a temporary
folder of small notebooks written to misbehave (a failing cell, secrets in the source).

Every server listens on a free port of 127.0.0.1 and is stopped at the end of the session; probes
are plain HTTP and websocket clients (no browser), with explicit timeouts for a loaded 2-core machine.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from probes import ERROR_MARKER, SECRET, SOURCE_MARKER, free_port, notebook

from widgets import serve


@dataclass
class Course:
    """`python -m widgets.serve` running: the book and the exercises' Voilà, as a trainer starts them."""

    process: subprocess.Popen
    book_port: int
    voila_port: int


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    if not (serve.BOOK_DIR / "index.html").exists():
        pytest.fail("Le livre n'est pas construit : lancez « make book » avant les tests de sécurité.")
    chosen = serve.free_launcher_ports()  # every port the launcher checks (book, Voilà, and any other)
    book_port, voila_port = int(chosen["FAIRE_AVEC_PORT"]), int(chosen["FAIRE_AVEC_VOILA_PORT"])
    env = {**os.environ, **chosen, "FAIRE_AVEC_LOGS": str(tmp_path_factory.mktemp("logs"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "widgets.serve"],
        cwd=serve.REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        printed = []
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            printed.append(line)
            if not line or "Le cours est prêt" in line:
                break
        if "Le cours est prêt" not in "".join(printed):
            pytest.fail("make serve n'a pas démarré :\n" + "".join(printed))
        serve.wait_for_port(book_port, timeout=60)
        yield Course(process, book_port, voila_port)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@dataclass
class Probe:
    """A Voilà (started exactly as `make serve` starts it) on a folder of test notebooks."""

    process: subprocess.Popen
    port: int
    root: Path
    outside: Path  # a file beside the served folder, holding SECRET


@pytest.fixture(scope="session")
def probe(tmp_path_factory):
    base = tmp_path_factory.mktemp("probe")
    root = base / "served"
    root.mkdir()
    outside = base / "secret.txt"
    outside.write_text(SECRET, encoding="utf-8")
    (root / "donnees.csv").write_text(f"colonne\n{SECRET}\n", encoding="utf-8")
    (root / "module.py").write_text(f"# {SECRET}\n", encoding="utf-8")
    nbformat.write(
        notebook(f"# {SOURCE_MARKER}\nprint('sortie-visible')", f"raise ValueError('{ERROR_MARKER}')"),
        root / "echec.ipynb",
    )
    nbformat.write(notebook(f"# {SOURCE_MARKER}\nx = 1"), root / "calme.ipynb")
    nbformat.write(
        notebook(
            "import ipywidgets as w\n"
            "out = w.Output()\n"
            "def boom(_):\n"
            "    with out:\n"
            f"        raise ValueError('{ERROR_MARKER}')\n"
            "button = w.Button(description='Valider')\n"
            "button.on_click(boom)\n"
            "button",
            "out",
        ),
        root / "bouton.ipynb",
    )
    port = free_port()
    process = serve.start_voila(port, root=root)
    yield Probe(process, port, root, outside)
    serve.stop(process)
