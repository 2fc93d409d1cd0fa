"""``make hub``: JupyterHub for several rooms on one machine (see jupyterhub_config.py).

Like ``make serve``: ports checked before anything starts (French message naming the variable),
the book built and the simulator prepared with French progress lines, JupyterHub's own (English)
messages in ``.cache/hub/hub.log``, the address to give participants printed last, Ctrl-C stops
everything (the hub, the proxy, every participant's Voilà).

While it runs, a participant's folder (their group-mode sessions, keys and exports) in which nothing
changed for 12 hours is deleted: the sessions in it have expired, and nobody would open that
database again to erase them.

    .venv/bin/python deploy/jupyterhub/start.py [--no-build]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402

from widgets import serve  # noqa: E402
from widgets.salle.model import SESSION_HOURS  # noqa: E402

CONFIG = Path(__file__).with_name("jupyterhub_config.py")
SWEEP_EVERY_S = 600


def latest_change(folder: Path) -> float:
    """The newest modification time of ``folder`` and everything in it."""
    times = [folder.stat().st_mtime]
    for path in folder.rglob("*"):
        try:
            times.append(path.stat().st_mtime)
        except OSError:
            continue  # deleted meanwhile
    return max(times)


def sweep_participants(folder: Path, max_age_s: float = SESSION_HOURS * 3600, now: float | None = None) -> list[Path]:
    """Delete the participants' folders untouched for ``max_age_s``; returns those deleted."""
    now = time.time() if now is None else now
    deleted = []
    for participant in sorted(folder.iterdir()) if folder.is_dir() else []:
        if participant.is_dir() and now - latest_change(participant) > max_age_s:
            shutil.rmtree(participant, ignore_errors=True)
            deleted.append(participant)
    return deleted


def hub_ports() -> list[serve.Port]:
    base = serve.Port("JupyterHub (l'adresse à donner)", "FAIRE_AVEC_HUB_PORT", 8800).value()
    names = [
        "JupyterHub (l'adresse à donner)",
        "l'API de JupyterHub",
        "l'API du proxy",
        "le livre (service du hub)",
        "le calcul partagé du simulateur (service du hub)",
    ]
    return [serve.Port(name, "FAIRE_AVEC_HUB_PORT", base + i) for i, name in enumerate(names)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="JupyterHub : un Voilà par participant·e.")
    parser.add_argument("--no-build", action="store_true", help="sans construire le livre ni préparer le simulateur")
    args = parser.parse_args(argv)
    wanted = hub_ports()
    busy = [port for port in wanted if not serve.port_is_free(port.value())]
    if busy:
        numbers = ", ".join(str(port.value()) for port in busy)
        print(
            f"Port(s) déjà utilisé(s) : {numbers} ({', '.join(port.label for port in busy)}). JupyterHub utilise "
            f"cinq ports à la suite à partir de FAIRE_AVEC_HUB_PORT : choisissez-en un autre, "
            f"par exemple FAIRE_AVEC_HUB_PORT={wanted[0].value() + 10} make hub",
            file=sys.stderr,
        )
        return 1
    if not args.no_build and not serve.build():
        return 1
    if not (serve.BOOK_DIR / "index.html").exists():
        print("Le livre n'est pas construit : lancez « make hub » (il le construit).", file=sys.stderr)
        return 1
    state = Path(os.environ.get("FAIRE_AVEC_HUB_STATE") or REPO / ".cache" / "hub")
    log_path = state / "hub.log"
    log = serve.open_log(log_path, "JupyterHub")
    print("Démarrage de JupyterHub…", flush=True)
    # S603: this Python, JupyterHub's module and the course's config file; no shell.
    hub = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    children: list[psutil.Process] = []
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, serve.stop_on_signal)
    try:
        serve.wait_for_port(wanted[0].value(), timeout=180, process=hub)
        ip = os.environ.get("FAIRE_AVEC_HUB_IP", serve.HOST)
        print(
            f"\nJupyterHub est prêt : chaque participant·e a son propre Voilà. Pour l'arrêter : Ctrl-C "
            f"(messages techniques : {serve.shown(log_path)}).\nAdresse à donner aux participant·es :\n"
            f"\n    http://{ip}:{wanted[0].value()}/\n",
            flush=True,
        )
        swept = time.monotonic()
        sweep_participants(state / "participants")
        while hub.poll() is None:
            children = psutil.Process(hub.pid).children(recursive=True) or children
            if time.monotonic() - swept > SWEEP_EVERY_S:
                sweep_participants(state / "participants")
                swept = time.monotonic()
            time.sleep(2)
        print(
            f"JupyterHub s'est arrêté (code {hub.returncode}). Détails dans {serve.shown(log_path)}.", file=sys.stderr
        )
        return 1
    except (KeyboardInterrupt, RuntimeError) as error:
        if isinstance(error, RuntimeError):
            print(f"{error} Détails dans {serve.shown(log_path)}.", file=sys.stderr)
        print("\nArrêt de JupyterHub…", flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop_all(hub, children)
    return 0


def stop_all(hub: subprocess.Popen, known: list[psutil.Process]) -> None:
    """The hub first (it stops the participants' servers and the proxy), then whatever outlived it."""
    with_children = {*known}
    try:
        with_children |= set(psutil.Process(hub.pid).children(recursive=True))
    except psutil.NoSuchProcess:
        pass
    if hub.poll() is None:
        hub.send_signal(signal.SIGTERM)
        try:
            hub.wait(timeout=60)
        except subprocess.TimeoutExpired:
            hub.kill()
    for process in with_children:
        try:
            process.terminate()
            process.wait(timeout=15)
        except psutil.NoSuchProcess:
            continue
        except psutil.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    raise SystemExit(main())
