"""``make serve``: the book and every live exercise on 127.0.0.1, one start URL, Ctrl-C stops all.

Why one launcher: a trainer types one command and reads one address. The Voilà address comes from
``faire_avec_voila_url`` in ``_config.yml`` (the same value the book's « Faire l'exercice en direct »
links use), so the links and the server can never disagree.
"""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import yaml

from widgets.data import REPO_ROOT

BOOK_DIR = REPO_ROOT / "_build" / "html"
EXERCISES_DIR = REPO_ROOT / "chapters" / "exercices"
TEMPLATES_DIR = REPO_ROOT / "widgets" / "voila_templates"  # the French « faire-avec » Voilà template
VOILA_LOG = REPO_ROOT / ".cache" / "voila.log"  # Voilà's own (English) messages, kept out of the trainer's terminal
HOST = "127.0.0.1"


def voila_url() -> str:
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["sphinx"]["config"]["faire_avec_voila_url"]


def voila_command(port: int, root: Path = EXERCISES_DIR) -> list[str]:
    """The one way the course starts Voilà (serve, browser tests and benchmarks all use it)."""
    return [
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
        "--Voila.log_level=WARN",
        # A closed tab shuts its kernel down at once (widgets/voila_app.py). Safety net for a tab
        # that could not say so (browser killed, phone asleep, network cut): cull kernels idle for
        # 10 min with no page attached.
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
    ]


def voila_env() -> dict[str, str]:
    """Environment for Voilà: finds the course's template beside Jupyter's own data paths."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(TEMPLATES_DIR), env.get("JUPYTER_PATH", "")) if p)
    return env


def wait_for_port(port: int, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"Le serveur Voilà s'est arrêté (code {process.returncode}).")
        with socket.socket() as sock:
            if sock.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"Le port {port} ne répond pas après {timeout:.0f} s.")


def start_voila(
    port: int, root: Path = EXERCISES_DIR, log: Path | None = None, extra_env: dict[str, str] | None = None
) -> subprocess.Popen:
    """Start Voilà and wait until it answers; with ``log``, its messages go to that file."""
    output = None
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        output = log.open("w", encoding="utf-8")
    process = subprocess.Popen(
        voila_command(port, root),
        cwd=REPO_ROOT,
        env={**voila_env(), **(extra_env or {})},
        start_new_session=True,
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
    )
    wait_for_port(port, process=process)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def kernel_processes(process: subprocess.Popen) -> list:
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


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 (signature of the base class)
        pass


def book_server(port: int) -> ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(BOOK_DIR))
    return ThreadingHTTPServer((HOST, port), handler)


def _stop_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C, a closed terminal or a plain `kill` all stop the book AND Voilà (started in its own
    # session, Voilà would otherwise outlive us). SIGINT is reset because a shell may start us with
    # it ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    if not (BOOK_DIR / "index.html").exists():
        print("Le livre n'est pas construit : lancez « make serve » (il le construit).", file=sys.stderr)
        return 1
    parsed = urlparse(voila_url())
    if parsed.hostname not in (HOST, "localhost"):
        print(f"faire_avec_voila_url pointe vers {parsed.hostname} : ce serveur n'est pas lancé ici.", file=sys.stderr)
        return 1
    book_port = int(os.environ.get("FAIRE_AVEC_PORT", "8000"))
    try:
        server = book_server(book_port)
    except OSError:
        print(
            f"Le port {book_port} est déjà utilisé. Choisissez-en un autre : FAIRE_AVEC_PORT=8010 make serve",
            file=sys.stderr,
        )
        return 1
    print("Démarrage des exercices en direct (Voilà)…", flush=True)
    try:
        voila = start_voila(parsed.port or 80, log=VOILA_LOG)
    except RuntimeError as error:
        server.server_close()
        print(f"{error} Détails dans {VOILA_LOG.relative_to(REPO_ROOT)}.", file=sys.stderr)
        return 1
    print(
        f"\n  Le cours est prêt. Ouvrez dans votre navigateur : http://{HOST}:{book_port}/\n"
        f"  (Ctrl-C pour arrêter ; messages techniques de Voilà : {VOILA_LOG.relative_to(REPO_ROOT)})\n",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nArrêt du cours…")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave Voilà running
        server.server_close()
        stop(voila)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
