"""``make serve``: the book and every live exercise on 127.0.0.1, one start address, Ctrl-C stops all.

Why one launcher: a trainer types one command and reads one address. What it does, in order:

1. checks that every port it needs is free, BEFORE anything starts or any log is touched, and says
   in French which variable changes a busy one (``FAIRE_AVEC_PORT``, ``FAIRE_AVEC_VOILA_PORT``…);
2. with ``--build`` (what ``make serve`` passes): builds the book (``make book``) and prepares the
   simulator (``make warm``), each with a French progress line; the tools' own (English) output goes
   to ``.cache/*.log``, never to the terminal;
3. starts Voilà (``widgets/voila_app.py``) and the book's web server;
4. prints the start address last, alone on its line.

The Voilà address comes from ``faire_avec_voila_url`` in ``_config.yml`` (the same value the book's
« Faire l'exercice en direct » links use). ``FAIRE_AVEC_VOILA_PORT`` moves Voilà to another port
without rebuilding the book: the book's server rewrites those links as it serves each page.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse, urlsplit

import yaml

from widgets.data import REPO_ROOT

BOOK_DIR = REPO_ROOT / "_build" / "html"
EXERCISES_DIR = REPO_ROOT / "chapters" / "exercices"
TEMPLATES_DIR = REPO_ROOT / "widgets" / "voila_templates"  # the French « faire-avec » Voilà template
# The tools' own (English) messages, kept out of the trainer's terminal; FAIRE_AVEC_LOGS moves them.
LOG_DIR = Path(os.environ.get("FAIRE_AVEC_LOGS") or REPO_ROOT / ".cache")
VOILA_LOG = LOG_DIR / "voila.log"
SALLE_LOG = LOG_DIR / "salle.log"  # the group mode's participants' server (no addresses in it)
HOST = "127.0.0.1"
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


HEARTBEAT_S = 15  # a step that prints nothing for this long gets a « toujours en cours » line


def voila_url() -> str:
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["sphinx"]["config"]["faire_avec_voila_url"]


@dataclass(frozen=True)
class Port:
    """A port ``make serve`` listens on, and the environment variable that changes it."""

    label: str  # French, what listens there
    variable: str
    default: int

    def value(self) -> int:
        raw = os.environ.get(self.variable, "").strip()
        if not raw:
            return self.default
        if not raw.isdigit() or not 0 < int(raw) < 65536:
            raise SystemExit(f"{self.variable} doit être un numéro de port entre 1 et 65535 (reçu : « {raw} »).")
        return int(raw)


def ports() -> list[Port]:
    """Every port the launcher needs, checked together before anything starts."""
    wanted = [
        Port("le livre", "FAIRE_AVEC_PORT", 8000),
        Port("les exercices en direct (Voilà)", "FAIRE_AVEC_VOILA_PORT", urlparse(voila_url()).port or 80),
    ]
    try:
        from widgets.salle.server import DEFAULT_PORT as salle_port
    except ImportError:
        return wanted
    return [*wanted, Port("le mode groupe", "FAIRE_AVEC_SALLE_PORT", salle_port)]


def port_is_free(port: int, host: str = HOST) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers themselves bind
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = HOST) -> int:
    """A port nobody listens on right now (the system picks it): where tests and benchmarks start
    their own servers, beside any ``make serve`` already running."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def free_launcher_ports() -> dict[str, str]:
    """A distinct free port for every port of :func:`ports`, as the environment variables that move
    them (``FAIRE_AVEC_PORT``…): to run a second launcher, e.g. in a test, without any clash."""
    chosen: dict[str, str] = {}
    for port in ports():
        number = free_port()
        while str(number) in chosen.values():
            number = free_port()
        chosen[port.variable] = str(number)
    return chosen


def busy_port_messages(wanted: list[Port]) -> list[str]:
    """French sentences, one per port that cannot be used (taken, or asked twice)."""
    messages = []
    seen: dict[int, Port] = {}
    taken = {port.value() for port in wanted}
    for port in wanted:
        number = port.value()
        if number in seen:
            messages.append(
                f"Le port {number} est demandé deux fois ({seen[number].label} et {port.label}) : "
                f"changez {port.variable}."
            )
            continue
        seen[number] = port
        if port_is_free(number):
            continue
        suggestion = next(p for p in range(number + 1, number + 200) if p not in taken and port_is_free(p))
        messages.append(
            f"Le port {number} ({port.label}) est déjà utilisé, peut-être par un autre « make serve ». "
            f"Arrêtez-le, ou choisissez un autre port : {port.variable}={suggestion} make serve"
        )
    return messages


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


def wait_for_port(port: int, timeout: float = 120.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"Le serveur Voilà s'est arrêté (code {process.returncode}).")
        with socket.socket() as sock:
            if sock.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"Le port {port} ne répond pas après {timeout:.0f} s.")


def shown(path: Path) -> str:
    """A path as a trainer types it: relative to the repository when inside it."""
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def open_log(path: Path, title: str):
    """Append to ``path`` (never truncate: another launcher may be writing its own run there)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    log = path.open("a", encoding="utf-8")
    log.write(f"\n===== {datetime.now():%Y-%m-%d %H:%M:%S} {title} (pid {os.getpid()}) =====\n")
    log.flush()
    return log


def start_voila(
    port: int,
    root: Path = EXERCISES_DIR,
    log: Path | None = None,
    extra_env: dict[str, str] | None = None,
    extra_args: tuple[str, ...] = (),
) -> subprocess.Popen:
    """Start Voilà and wait until it answers; with ``log``, its messages are appended to that file."""
    output = open_log(log, f"Voilà, port {port}") if log is not None else None
    process = subprocess.Popen(
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
        wait_for_port(port, process=process)
    except BaseException:
        stop(process)
        raise
    return process


def start_salle(port: int, room: bool, log: Path = SALLE_LOG) -> subprocess.Popen | None:
    """Start the group mode's participants' server (``widgets/salle/server.py``); None if it cannot.

    Why apart from Voilà: 30 phones load a light page from it instead of costing 30 kernels. Without
    ``room`` it listens on 127.0.0.1 only; ``FAIRE_AVEC_SALLE=1`` (``room``) opens it to the room's network.
    """
    output = open_log(log, f"Mode groupe, port {port}")
    command = [sys.executable, "-m", "widgets.salle.server", f"--port={port}", *(["--salle"] if room else [])]
    process = subprocess.Popen(command, cwd=REPO_ROOT, start_new_session=True, stdout=output, stderr=subprocess.STDOUT)
    output.close()
    try:
        wait_for_port(port, timeout=60, process=process)
    except RuntimeError:
        stop(process)
        return None
    return process


def salle_lines(port: int, room: bool) -> str:
    """What the trainer reads about the group mode, before the course's start address (kept last)."""
    if not room:
        return (
            "Mode groupe prêt sur cet ordinateur. Pour que les téléphones de la salle votent, "
            "relancez avec : FAIRE_AVEC_SALLE=1 make serve\n"
        )
    from widgets.salle import network

    address = network.lan_address()
    if address is None:
        return (
            "Mode groupe : aucun réseau trouvé. Branchez l'ordinateur au Wi-Fi de la salle (ou au partage "
            "de connexion d'un téléphone), puis relancez « FAIRE_AVEC_SALLE=1 make serve ».\n"
        )
    url = network.participant_url(address, port)
    return (
        "Mode groupe ouvert au réseau de la salle. Les téléphones rejoignent la séance à l'adresse\n"
        f"\n    {url}\n\n"
        "ou en scannant ce QR code (le code de la séance est affiché par la page « en salle » du cours) :\n"
        f"{network.qr_terminal(url)}"
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


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


def run_step(title: str, command: list[str], log_path: Path, relay_output: bool) -> bool:
    """Run one preparation step with a French progress line; the tool's messages go to ``log_path``.

    With ``relay_output``, the lines the tool prints on its standard output are shown (indented):
    the simulator's preparation prints French progress there; warnings go to standard error, which
    only the log receives. A step silent for ``HEARTBEAT_S`` seconds gets a « toujours en cours »
    line so that nobody thinks it froze."""
    print(f"{title}…", flush=True)
    started = time.monotonic()
    log = open_log(log_path, title)
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    last_output = started
    try:
        while True:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if time.monotonic() - last_output >= HEARTBEAT_S:
                    print(f"  … toujours en cours ({time.monotonic() - started:.0f} s)", flush=True)
                    last_output = time.monotonic()
                continue
            if line is None:
                break
            log.write(line)
            if relay_output and line.strip():
                print(f"  {line.rstrip()}", flush=True)
                last_output = time.monotonic()
        process.wait()
    except BaseException:
        stop(process)
        raise
    finally:
        log.close()
    elapsed = time.monotonic() - started
    if process.returncode != 0:
        print(
            f"  Échec après {elapsed:.0f} s (code {process.returncode}). Détails techniques dans {shown(log_path)}.",
            file=sys.stderr,
            flush=True,
        )
        return False
    print(f"  fait en {elapsed:.0f} s", flush=True)
    return True


def build(make: str = "make") -> bool:
    """``make book`` then ``make warm``: the book's HTML and the simulator's cached figures."""
    steps = [
        ("Construction du livre (la première fois, quelques minutes)", "book", LOG_DIR / "book.log", False),
        (
            "Préparation du simulateur de rémunération (la première fois, environ une minute)",
            "warm",
            LOG_DIR / "warm.log",
            True,
        ),
    ]
    for title, target, log, relay in steps:
        if not run_step(title, [make, "--silent", "--no-print-directory", target], log, relay):
            return False
    return True


class BookHandler(SimpleHTTPRequestHandler):
    """The built book, with what a public page needs: no directory listing, no framing by other
    sites, French error pages; and the live-exercise links pointed at the Voilà actually running."""

    # (URL written in the book, then the port Voilà listens on beside the book, or the URL to use)
    voila_links: tuple[bytes, int | str] | None = None
    prefix = ""  # behind a proxy that keeps its path prefix (JupyterHub's /services/livre/)
    error_message_format = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Page introuvable</title></head>'
        "<body><h1>Cette page n'existe pas (erreur %(code)d)</h1>"
        '<p><a href="/">Revenir à l\'accueil du cours</a></p></body></html>'
    )
    error_content_type = "text/html; charset=utf-8"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (signature of the base class)
        pass

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.send_header("Content-Security-Policy", "frame-ancestors 'self'")
        self.send_header("Referrer-Policy", "same-origin")
        super().end_headers()

    def list_directory(self, path):
        self.send_error(404)
        return None

    def translate_path(self, path: str) -> str:
        if self.prefix and path.startswith(self.prefix):
            path = "/" + path[len(self.prefix) :].lstrip("/")
        return super().translate_path(path)

    def voila_target(self) -> str:
        """Where the live-exercise links lead: Voilà beside the book, on the host the browser used."""
        if self.voila_links is None:
            return voila_url()
        target = self.voila_links[1]
        if isinstance(target, int):
            host = urlsplit(f"//{self.headers.get('Host', HOST)}").hostname or HOST
            if ":" in host:
                host = f"[{host}]"
            target = f"http://{host}:{target}/voila/render"
        return target

    def send_head(self):
        from widgets.leger import web as leger  # the light face of the exercises, at /leger/ (widgets/leger)

        light = leger.respond(
            self.path.removeprefix(self.prefix.rstrip("/")),
            self.headers.get("Accept-Encoding", ""),
            self.voila_target(),
        )
        if light is not None:
            self.send_response(light.status)
            for header, value in light.headers:
                self.send_header(header, value)
            self.end_headers()
            return io.BytesIO(light.body)
        path = self.translate_path(self.path)
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        if self.voila_links is None or not path.endswith(".html") or not os.path.isfile(path):
            return super().send_head()
        written = self.voila_links[0]
        body = Path(path).read_bytes().replace(written, self.voila_target().encode())
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def book_server(
    port: int, voila_port: int | str | None = None, prefix: str = "", host: str = HOST
) -> ThreadingHTTPServer:
    """The book on ``port``; with ``voila_port``, its live-exercise links point to that Voilà port
    (or, given a string, to that URL: behind JupyterHub, ``/hub/user-redirect/voila/render``);
    ``prefix`` is a path prefix the proxy in front keeps."""
    links = None
    if voila_port is not None:
        links = (voila_url().rstrip("/").encode(), voila_port)
    attributes = {"voila_links": links, "prefix": prefix}
    handler = functools.partial(type("Book", (BookHandler,), attributes), directory=str(BOOK_DIR))
    return ThreadingHTTPServer((host, port), handler)


def serve_book_for_hub() -> int:
    """The book as a JupyterHub service (``deploy/jupyterhub``): on the address the hub gives, its
    live-exercise links sent to each participant's own Voilà through the hub's user-redirect."""
    service = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    hub_prefix = os.environ.get("JUPYTERHUB_BASE_URL", "/").rstrip("/") + "/hub"
    # the address the hub gives (127.0.0.1 on one machine; 0.0.0.0 in a Kubernetes sidecar)
    host = service.hostname or HOST
    server = book_server(service.port or 80, f"{hub_prefix}/user-redirect/voila/render", prefix, host)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def exec_voila_only() -> int:
    """Voilà alone, as ``make serve`` starts it, in place of this process: what a container runs
    (``deploy/Dockerfile``, the Kubernetes values) and what JupyterHub spawns per participant.
    Behind JupyterHub, Voilà takes its address from the hub's environment; otherwise
    ``FAIRE_AVEC_VOILA_PORT`` and ``FAIRE_AVEC_VOILA_IP`` (127.0.0.1 unless told otherwise)."""
    port = next(p for p in ports() if p.variable == "FAIRE_AVEC_VOILA_PORT").value()
    ip = os.environ.get("FAIRE_AVEC_VOILA_IP", "").strip() or HOST
    command = voila_command(port, extra_args=(f"--Voila.ip={ip}",))
    os.chdir(REPO_ROOT)
    os.execve(command[0], command, voila_env())
    return 1  # not reached


def _stop_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lance le cours : le livre et les exercices en direct.")
    parser.add_argument("--build", action="store_true", help="construire le livre et préparer le simulateur avant")
    parser.add_argument("--hub-book", action="store_true", help="le livre seul, comme service de JupyterHub")
    parser.add_argument("--voila-only", action="store_true", help="Voilà seul (conteneur, JupyterHub)")
    args = parser.parse_args(argv)
    if args.voila_only:
        return exec_voila_only()
    if args.hub_book:
        signal.signal(signal.SIGTERM, _stop_on_signal)
        return serve_book_for_hub()
    # Ctrl-C, a closed terminal or a plain `kill` all stop the book AND Voilà (started in its own
    # session, Voilà would otherwise outlive us). SIGINT is reset because a shell may start us with
    # it ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    parsed = urlparse(voila_url())
    if parsed.hostname not in (HOST, "localhost"):
        print(f"faire_avec_voila_url pointe vers {parsed.hostname} : ce serveur n'est pas lancé ici.", file=sys.stderr)
        return 1
    wanted = ports()
    problems = busy_port_messages(wanted)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    book_port, voila_port = (port.value() for port in wanted[:2])
    voila = None
    salle = None
    try:
        if args.build and not build():
            return 1
        if not (BOOK_DIR / "index.html").exists():
            print("Le livre n'est pas construit : lancez « make serve » (il le construit).", file=sys.stderr)
            return 1
        try:
            server = book_server(book_port, voila_port)
        except OSError:
            print(f"Le port {book_port} vient d'être pris : relancez « make serve ».", file=sys.stderr)
            return 1
        print("Démarrage des exercices en direct (Voilà)…", flush=True)
        try:
            voila = start_voila(voila_port, log=VOILA_LOG, extra_args=preheat_args())
        except RuntimeError as error:
            server.server_close()
            print(f"{error} Détails dans {shown(VOILA_LOG)}.", file=sys.stderr)
            return 1
        salle_port = wanted[2].value() if len(wanted) > 2 else None
        if salle_port is not None:
            room = os.environ.get("FAIRE_AVEC_SALLE", "").strip() == "1"
            print("Démarrage du mode groupe (votes en salle)…", flush=True)
            salle = start_salle(salle_port, room)
            if salle is None:
                print(
                    f"Le mode groupe n'a pas pu démarrer (le reste du cours fonctionne). Détails dans {shown(SALLE_LOG)}.",
                    flush=True,
                )
            else:
                print(salle_lines(salle_port, room).rstrip("\n"), flush=True)
        logs = shown(LOG_DIR)
        print(
            f"\nLe cours est prêt. Pour l'arrêter : Ctrl-C dans ce terminal (messages techniques : {logs}/).\n"
            "Ouvrez cette adresse dans votre navigateur :\n"
            f"\n    http://{HOST}:{book_port}/\n",
            flush=True,
        )
        try:
            server.serve_forever()
        finally:
            server.server_close()
    except KeyboardInterrupt:
        print("\nArrêt du cours…", flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave Voilà running
        if voila is not None:
            stop(voila)
        if salle is not None:
            stop(salle)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
