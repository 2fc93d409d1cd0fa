"""The group mode's participants' server in a process of its own, for tests and benchmarks.

Why one helper: the unit tests, the browser tests, the security probes and the benchmark all need
``python -m widgets.salle.server`` started as ``make serve`` starts it, on a private data directory
(or a given PostgreSQL database), on a free port of 127.0.0.1, then ready (``/sante`` answers), then
stopped or killed and started again on the same port. Its messages go to a file that the tests read
(no address, no session code may ever appear there).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from widgets.data import REPO_ROOT
from widgets.serve import free_port


class SalleServer:
    """``python -m widgets.salle.server`` in its own process group, its messages in ``log``."""

    def __init__(self, data: Path, port: int | None = None, database_url: str | None = None, room: bool = False):
        self.data = Path(data)
        self.port = port or free_port()
        self.database_url = database_url
        self.room = room
        self.log = self.data / f"serveur-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError("le serveur n'est pas lancé")
        return self.process.pid

    def environment(self) -> dict[str, str]:
        env = {**os.environ, "FAIRE_AVEC_DATA_DIR": str(self.data)}
        env.pop("FAIRE_AVEC_DATABASE_URL", None)
        if self.database_url:
            env["FAIRE_AVEC_DATABASE_URL"] = self.database_url
        return env

    def start(self, timeout: float = 60.0) -> SalleServer:
        """Start the server and return once ``/sante`` answers (or fail with the server's messages)."""
        self.data.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "widgets.salle.server", "--port", str(self.port)]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [*command, *(["--salle"] if self.room else [])],
                cwd=REPO_ROOT,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"le serveur s'est arrêté au démarrage : {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/sante", timeout=5) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop(signal.SIGKILL)
        raise RuntimeError(f"le serveur ne répond pas après {timeout:.0f} s : {self.log.read_text()[-2000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server (SIGTERM: a clean stop; SIGKILL: a crash) and wait for its end."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def restart(self, sig: int = signal.SIGTERM) -> SalleServer:
        self.stop(sig)
        return self.start()

    def messages(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
