"""Fixtures for the security probes: the course as `make serve` runs it, and a Voilà on a temporary
folder of small notebooks written to misbehave (a failing cell, secrets in the source).

Every server listens on a free port of 127.0.0.1 and is stopped at the end of the session; probes
are plain HTTP and websocket clients (no browser), with explicit timeouts for a loaded 2-core machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from widgets import serve

from .probes import ERROR_MARKER, SECRET, SOURCE_MARKER, free_port, notebook


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
    try:
        started = serve.start_and_read(
            [sys.executable, "-m", "widgets.serve"],
            ready=lambda printed: any("Le cours est prêt" in line for line in printed),
            timeout=180,
            env=env,
        )
    except serve.StartFailed as failure:
        pytest.fail(f"make serve n'a pas démarré : {failure}")
    try:
        serve.wait_for_port(book_port, timeout=60)
        yield Course(started.process, book_port, voila_port)
    finally:
        serve.interrupt(started.process)


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
