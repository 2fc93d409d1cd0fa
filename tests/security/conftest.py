"""Fixtures for the security probes: the course as `make serve` runs it, and a Voilà on a temporary
folder of small notebooks written to misbehave (a failing cell, secrets in the source).

Every server listens on a free port of 127.0.0.1 and is stopped at the end of the session; probes
are plain HTTP and websocket clients (no browser), with explicit timeouts for a loaded 2-core machine.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from widgets import serve

TIMEOUT_S = 120  # one request, including a notebook executed by a new kernel on a loaded machine
SOURCE_MARKER = "SOURCE-MARKER-5d41402a"  # only in the notebooks' code: must never reach a learner
ERROR_MARKER = "ERROR-MARKER-7c6a180b"  # only in an exception's message: likewise
SECRET = "SECRET-OUTSIDE-ROOT-9f86d081"  # the content of a file beside (not inside) a served folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((serve.HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


def raw_get(port: int, target: str, headers: dict[str, str] | None = None) -> Response:
    """GET with the target sent byte for byte (no client-side ``..`` or ``%2e`` normalisation)."""
    connection = http.client.HTTPConnection(serve.HOST, port, timeout=TIMEOUT_S)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


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
    book_port, voila_port = free_port(), free_port()
    env = {
        **os.environ,
        "FAIRE_AVEC_PORT": str(book_port),
        "FAIRE_AVEC_VOILA_PORT": str(voila_port),
        "FAIRE_AVEC_LOGS": str(tmp_path_factory.mktemp("logs")),
    }
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


def notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


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
    port = free_port()
    process = serve.start_voila(port, root=root)
    yield Probe(process, port, root, outside)
    serve.stop(process)


def kernel_id(page: str) -> str:
    """The kernel a rendered Voilà page talks to (Voilà writes it in the page's configuration)."""
    match = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page)
    assert match, "pas d'identifiant de noyau dans la page"
    return match.group(1)


def jupyter_message(msg_type: str, content: dict, channel: str = "shell") -> str:
    """A Jupyter message as a client sends it on the kernel websocket (JSON protocol)."""
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "username": "sonde",
        "session": uuid.uuid4().hex,
        "date": datetime.now(UTC).isoformat(),
        "version": "5.3",
    }
    return json.dumps(
        {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}
    )
