"""Ports: which ones the launcher needs, whether they are free, and waiting until one answers.

Why checked before anything starts: a trainer whose second ``make serve`` fails after a two-minute
build, or whose first one's log was overwritten, loses more than a clear French sentence naming the
variable to change (``FAIRE_AVEC_PORT``, ``FAIRE_AVEC_VOILA_PORT``…).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from .settings import HOST, voila_url


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
        return int(sock.getsockname()[1])


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


def wait_for_port(
    port: int, timeout: float = 120.0, process: subprocess.Popen[Any] | None = None, label: str = "Le serveur"
) -> None:
    """Return once something accepts connections on ``port``; RuntimeError (French, starting with
    ``label``) if ``process`` ends first or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{label} s'est arrêté (code {process.returncode}).")
        with socket.socket() as sock:
            if sock.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"Le port {port} ne répond pas après {timeout:.0f} s.")
