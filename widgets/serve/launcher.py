"""``make serve``: the book and every live exercise on 127.0.0.1, one start address, Ctrl-C stops all.

Why one launcher: a trainer types one command and reads one address. What it does, in order:

1. checks that every port it needs is free, BEFORE anything starts or any log is touched, and says
   in French which variable changes a busy one (``FAIRE_AVEC_PORT``, ``FAIRE_AVEC_VOILA_PORT``…);
2. with ``--build`` (what ``make serve`` passes): builds the book (``make book``) and prepares the
   simulator (``make warm``), each with a French progress line; the tools' own (English) output goes
   to ``.cache/*.log``, never to the terminal;
3. starts Voilà (``widgets/voila_app.py``), the group mode's server and the book's web server;
4. prints the start address last, alone on its line.

The Voilà address comes from ``faire_avec_voila_url`` in ``_config.yml`` (the same value the book's
« Faire l'exercice en direct » links use). ``FAIRE_AVEC_VOILA_PORT`` moves Voilà to another port
without rebuilding the book: the book's server rewrites those links as it serves each page.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

from .book_server import book_server, serve_book_for_hub
from .build import build
from .ports import busy_port_messages, ports, wait_for_port
from .processes import open_log, shown, stop, stop_on_signal
from .settings import BOOK_DIR, HOST, LOG_DIR, REPO_ROOT, SALLE_LOG, VOILA_LOG, voila_url
from .voila import exec_voila_only, preheat_args, start_voila


def start_salle(port: int, room: bool, log: Path = SALLE_LOG) -> subprocess.Popen[bytes] | None:
    """Start the group mode's participants' server (``widgets/salle/server.py``); None if it cannot.

    Why apart from Voilà: 30 phones load a light page from it instead of costing 30 kernels. Without
    ``room`` it listens on 127.0.0.1 only; ``FAIRE_AVEC_SALLE=1`` (``room``) opens it to the room's network.
    """
    output = open_log(log, f"Mode groupe, port {port}")
    command = [sys.executable, "-m", "widgets.salle.server", f"--port={port}", *(["--salle"] if room else [])]
    # S603: the argument list is this Python and the course's own module, never what a user typed; no shell.
    process = subprocess.Popen(command, cwd=REPO_ROOT, start_new_session=True, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lance le cours : le livre et les exercices en direct.")
    parser.add_argument("--build", action="store_true", help="construire le livre et préparer le simulateur avant")
    parser.add_argument("--hub-book", action="store_true", help="le livre seul, comme service de JupyterHub")
    parser.add_argument("--voila-only", action="store_true", help="Voilà seul (conteneur, JupyterHub)")
    args = parser.parse_args(argv)
    if args.voila_only:
        return exec_voila_only()
    if args.hub_book:
        signal.signal(signal.SIGTERM, stop_on_signal)
        return serve_book_for_hub()
    # Ctrl-C, a closed terminal or a plain `kill` all stop the book AND Voilà (started in its own
    # session, Voilà would otherwise outlive us). SIGINT is reset because a shell may start us with
    # it ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)
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
