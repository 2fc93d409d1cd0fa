"""A throwaway PostgreSQL server for the group mode's tests and benchmark (never for the course itself).

Why: the store must behave the same on SQLite and on PostgreSQL, so its tests run on a real
server. On CI, ``.ci/run`` starts one and exports ``FAIRE_AVEC_TEST_DATABASE_URL``; on a
developer's machine with Debian's ``postgresql`` package, this module starts a private cluster in a
temporary directory (``initdb`` + ``pg_ctl``, a free port, trust authentication on 127.0.0.1 only,
no fsync) and erases it afterwards. As root, the cluster runs as the ``postgres`` user, because
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def binaries() -> Path | None:
    """The directory of ``initdb`` and ``pg_ctl`` (newest Debian version first), or None."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        if os.access(os.path.join(candidate, "initdb"), os.X_OK):
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    url: str
    directory: Path
    pg_ctl: Path
    as_postgres: bool

    def stop(self) -> None:
        command = [str(self.pg_ctl), "-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_owner(command, self.as_postgres), capture_output=True, timeout=60, check=False)
        shutil.rmtree(self.directory, ignore_errors=True)


def _as_owner(command: list[str], as_postgres: bool) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if as_postgres else command


def start(user: str = "salle") -> Cluster:
    """Start a private cluster and return its URL (database ``postgres``, user ``user``)."""
    folder = binaries()
    if folder is None:
        raise RuntimeError("PostgreSQL n'est pas installé (paquet Debian « postgresql »).")
    as_postgres = os.geteuid() == 0
    directory = Path(tempfile.mkdtemp(prefix="faire-avec-pg-"))
    if as_postgres:
        owner = pwd.getpwnam("postgres")
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    os.chmod(directory, 0o700)
    data = directory / "data"
    port = _free_port()
    init = [str(folder / "initdb"), "-D", str(data), "-A", "trust", "-U", user, "-E", "UTF8", "--locale=C", "--no-sync"]
    done = subprocess.run(_as_owner(init, as_postgres), capture_output=True, text=True, timeout=180, check=False)
    if done.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        raise RuntimeError(f"initdb a échoué : {done.stderr.strip()[-400:]}")
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    launch = [
        str(folder / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(directory / "log"),
        "-w",
        "-t",
        "120",
        "start",
    ]
    done = subprocess.run(_as_owner(launch, as_postgres), capture_output=True, text=True, timeout=180, check=False)
    if done.returncode != 0:
        log = (directory / "log").read_text(errors="replace")[-400:] if (directory / "log").exists() else ""
        shutil.rmtree(directory, ignore_errors=True)
        raise RuntimeError(f"pg_ctl n'a pas pu démarrer PostgreSQL : {done.stderr.strip()[-200:]} {log}")
    return Cluster(f"postgresql://{user}@127.0.0.1:{port}/postgres", directory, folder / "pg_ctl", as_postgres)
