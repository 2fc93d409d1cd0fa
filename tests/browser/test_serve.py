"""`make serve`'s launcher as a trainer uses it: one start URL, the book and the live exercises
answer, and Ctrl-C stops everything (no Voilà left running on the configured port)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

from conftest import free_port

from widgets import serve


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((serve.HOST, port)) == 0


def test_serve_prints_one_url_serves_both_and_stops_cleanly():
    voila_port = urlparse(serve.voila_url()).port
    assert not port_is_open(voila_port), "le port de Voilà est déjà pris : un autre « make serve » tourne ?"
    book_port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "widgets.serve"],
        cwd=serve.REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "FAIRE_AVEC_PORT": str(book_port)},
    )
    try:
        lines = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Le cours est prêt" in line or not line:
                break
        printed = "".join(lines)
        urls = re.findall(r"https?://\S+", printed)
        assert urls == [f"http://{serve.HOST}:{book_port}/"], printed

        with urllib.request.urlopen(urls[0], timeout=30) as response:  # redirects to the welcome page
            assert "chapters/accueil.html" in response.read().decode("utf-8")
        with urllib.request.urlopen(f"{urls[0]}chapters/accueil.html", timeout=30) as response:
            assert "Faire avec — participation et travail pair" in response.read().decode("utf-8")
        with urllib.request.urlopen(f"{serve.voila_url()}/continuum.ipynb", timeout=60) as response:
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    assert "Arrêt du cours" in process.stdout.read()
    time.sleep(1)
    assert not port_is_open(voila_port), "Voilà tourne encore après Ctrl-C"
    assert not port_is_open(book_port)
