"""`make serve`'s launcher as a trainer uses it: ports checked before anything starts, French lines
only (the tools' English goes to logs), the start address last and alone, the book and the live
exercises answer, and Ctrl-C stops everything. Every server here listens on a free port."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from widgets import serve
from widgets.serve.book_server import in_thread

from .conftest import free_port

URL = re.compile(r"(?:https?|file)://\S+")
START_TIMEOUT_S = 180  # Voilà's first start on a loaded 2-core machine, plus the fake build steps


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((serve.HOST, port)) == 0


def environment(env: dict[str, str], path_prefix: str | None = None) -> dict[str, str]:
    environment = {**os.environ, **env}
    if path_prefix:
        environment["PATH"] = f"{path_prefix}{os.pathsep}{environment['PATH']}"
    return environment


def address_printed(printed: list[str]) -> bool:
    """True once the start address (the first address after « Le cours est prêt ») and the blank
    line after it are printed."""
    ready = next((i for i, line in enumerate(printed) if "Le cours est prêt" in line), None)
    if ready is None:
        return False
    addresses = [i for i, line in enumerate(printed) if i > ready and URL.search(line)]
    return bool(addresses) and len(printed) > addresses[0] + 1


def launch(env: dict[str, str], *args: str, path_prefix: str | None = None) -> serve.Started:
    """`python -m widgets.serve` as `make serve` runs it, until it has printed its start address."""
    return serve.start_and_read(
        [sys.executable, "-m", "widgets.serve", *args],
        ready=address_printed,
        timeout=START_TIMEOUT_S,
        env=environment(env, path_prefix),
    )


def stop_and_check(started: serve.Started, *ports: int) -> str:
    """Ctrl-C: the launcher exits with 0 and every port it opened stops answering."""
    assert serve.interrupt(started.process) == 0
    rest = started.output.rest(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(port_is_open(port) for port in ports):
        time.sleep(0.2)
    for port in ports:
        assert not port_is_open(port), f"le port {port} répond encore après Ctrl-C"
    return rest


@pytest.fixture
def ports(tmp_path):
    """A free port for each server of the launcher, and logs in a temporary directory (not .cache)."""
    return {**serve.free_launcher_ports(), "FAIRE_AVEC_LOGS": str(tmp_path / "logs")}


@pytest.fixture
def fake_make(tmp_path):
    """A `make` that prints like the real tools (English banners, a file:/// address, warnings on
    standard error, French progress for the simulator) and leaves a trace of each target it ran."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "make"
    script.write_text(
        "#!/bin/sh\n"
        'target="$3"\n'
        f'echo "$target" >> "{tmp_path}/ran"\n'
        'if [ "$target" = book ]; then\n'
        "  echo 'Finished generating HTML for book.'\n"
        "  echo 'Or paste this line directly into your browser bar: file:///tmp/_build/html/index.html'\n"
        "  echo 'WARNING: English warning from Sphinx' >&2\n"
        'elif [ "$target" = warm ]; then\n'
        "  echo 'Simulateur : grille 1 sur 2 calculée'\n"
        "  echo 'SetuptoolsDeprecationWarning: English noise' >&2\n"
        "  sleep 1\n"
        "  echo 'Simulateur : grille 2 sur 2 calculée'\n"
        "else exit 2; fi\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder, tmp_path / "ran"


def test_serve_prints_one_url_last_serves_both_and_stops_cleanly(ports):
    book_port, voila_port = int(ports["FAIRE_AVEC_PORT"]), int(ports["FAIRE_AVEC_VOILA_PORT"])
    started = launch(ports)
    process = started.process
    try:
        lines = [line.rstrip("\n") for line in started.printed]
        printed = "\n".join(lines)
        address = f"http://{serve.HOST}:{book_port}/"
        assert URL.findall(printed) == [address], printed
        assert [line for line in lines if line.strip()][-1].strip() == address, "l'adresse n'est pas la dernière ligne"
        assert lines[-1] == "" and lines[-2].strip() == address, printed

        with urllib.request.urlopen(address, timeout=30) as response:  # redirects to the welcome page
            assert "chapters/accueil.html" in response.read().decode("utf-8")
        with urllib.request.urlopen(f"{address}chapters/accueil.html", timeout=30) as response:
            assert "Faire avec — participation et travail pair" in response.read().decode("utf-8")
        # The book's live-exercise links point to the Voilà actually running (here on another port
        # than the one written in _config.yml), and that Voilà renders the exercise.
        live = f"http://{serve.HOST}:{voila_port}/voila/render/continuum.ipynb"
        chapters = sorted(serve.BOOK_DIR.glob("chapters/*.html"))
        linked = [p for p in chapters if "continuum.ipynb" in p.read_text(encoding="utf-8")]
        assert linked, "aucun chapitre ne renvoie vers l'exercice continuum"
        page = f"{address}chapters/{linked[0].name}"
        with urllib.request.urlopen(page, timeout=30) as response:
            assert live in response.read().decode("utf-8")
        with urllib.request.urlopen(live, timeout=120) as response:
            assert response.status == 200
        # Behind that Voilà: ONE shared computation service, and one kernel kept ready for the
        # simulator only (Voilà's preheating, where a page is slow to open).
        children = psutil.Process(process.pid).children(recursive=True)
        commands = {child.pid: " ".join(child.cmdline()) for child in children}
        assert len([c for c in commands.values() if "widgets.remuneration.service" in c]) == 1, commands
        deadline = time.monotonic() + 90
        ready: list[psutil.Process] = []
        while time.monotonic() < deadline and not ready:
            kernels = [
                c for c in psutil.Process(process.pid).children(recursive=True) if "ipykernel" in " ".join(c.cmdline())
            ]
            ready = [k for k in kernels if k.environ().get("VOILA_PREHEAT") == "True"]
            time.sleep(1)
        assert len(ready) == 1, "pas de noyau préchauffé pour le simulateur"
        assert ready[0].environ().get("FAIRE_AVEC_CALCUL_URL", "").startswith("http://127.0.0.1:")
        assert len(ready[0].environ().get("FAIRE_AVEC_CALCUL_CLE", "")) >= 32, "le noyau n'a pas la clé du calcul"
    finally:
        rest = stop_and_check(started, book_port, voila_port)
    assert "Arrêt du cours" in rest


def test_busy_port_is_named_with_its_variable_before_anything_starts(ports, fake_make):
    voila_port = int(ports["FAIRE_AVEC_VOILA_PORT"])
    log = Path(ports["FAIRE_AVEC_LOGS"]) / "voila.log"
    log.parent.mkdir()
    log.write_text("messages of the first make serve\n", encoding="utf-8")
    folder, ran = fake_make
    with socket.socket() as taken:  # another program (e.g. a first `make serve`) holds Voilà's port
        taken.bind((serve.HOST, voila_port))
        taken.listen()
        process = subprocess.Popen(
            [sys.executable, "-m", "widgets.serve", "--build"],
            cwd=serve.REPO_ROOT,
            env=environment(ports, str(folder)),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 1, output
    assert f"Le port {voila_port}" in output and "FAIRE_AVEC_VOILA_PORT=" in output, output
    assert not ran.exists(), f"la construction a commencé malgré le port pris : {ran.read_text()}"
    assert "Construction du livre" not in output and "Démarrage" not in output, output
    assert log.read_text(encoding="utf-8") == "messages of the first make serve\n", "journal de Voilà touché"


def test_build_steps_speak_french_and_keep_the_tools_english_in_logs(ports, fake_make):
    """`make serve` builds the book and prepares the simulator through `make`: none of the tools'
    English reaches the terminal, the simulator's French progress lines do, in that order."""
    folder, ran = fake_make
    book_port, voila_port = int(ports["FAIRE_AVEC_PORT"]), int(ports["FAIRE_AVEC_VOILA_PORT"])
    started = launch(ports, "--build", path_prefix=str(folder))
    try:
        lines = [line.rstrip("\n") for line in started.printed]
    finally:
        stop_and_check(started, book_port, voila_port)
    printed = "\n".join(lines)
    assert ran.read_text().split() == ["book", "warm"]
    assert printed.index("Construction du livre") < printed.index("Préparation du simulateur"), printed
    assert "Simulateur : grille 1 sur 2 calculée" in printed and "grille 2 sur 2" in printed, printed
    for english in ("Finished", "file://", "WARNING", "Warning", "paste this line"):
        assert english not in printed, f"« {english} » est arrivé dans le terminal :\n{printed}"
    assert URL.findall(printed) == [f"http://{serve.HOST}:{book_port}/"], printed
    logs = Path(ports["FAIRE_AVEC_LOGS"])
    assert "English warning from Sphinx" in (logs / "book.log").read_text(encoding="utf-8")
    assert "SetuptoolsDeprecationWarning" in (logs / "warm.log").read_text(encoding="utf-8")


def test_book_server_lists_no_directory_and_sends_protective_headers():
    with in_thread(serve.book_server(free_port())) as port:
        base = f"http://{serve.HOST}:{port}"
        static_dirs = [p for p in serve.BOOK_DIR.iterdir() if p.is_dir() and not (p / "index.html").exists()]
        assert static_dirs, "le livre n'a aucun dossier sans index.html à sonder"
        with pytest.raises(urllib.error.HTTPError) as listing:
            urllib.request.urlopen(f"{base}/{static_dirs[0].name}/", timeout=30)
        assert listing.value.code == 404
        assert "n'existe pas" in listing.value.read().decode("utf-8")
        with urllib.request.urlopen(f"{base}/chapters/accueil.html", timeout=30) as response:
            assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
            assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
