"""Process supervision: start a server in its own session, read what it prints, stop it for good.

Why one module: ``make serve``, ``make hub``, the build steps, the tests and the benchmarks all start
servers that start children of their own (Voilà its kernels, JupyterHub its proxy and participants'
servers). Each is started in a new session so that stopping it stops its whole process group, and
its output is read by a thread so that waiting for a line never blocks past a deadline.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import IO, Any

from .settings import REPO_ROOT


def shown(path: Path) -> str:
    """A path as a trainer types it: relative to the repository when inside it."""
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def open_log(path: Path, title: str) -> IO[str]:
    """Append to ``path`` (never truncate: another launcher may be writing its own run there)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    log = path.open("a", encoding="utf-8")
    log.write(f"\n===== {datetime.now():%Y-%m-%d %H:%M:%S} {title} (pid {os.getpid()}) =====\n")
    log.flush()
    return log


def stop(process: subprocess.Popen[Any]) -> None:
    """SIGTERM to the process group started by ``start_new_session``, SIGKILL if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def interrupt(process: subprocess.Popen[Any], timeout: float = 60.0) -> int:
    """What Ctrl-C in its terminal does (SIGINT: the launchers stop their children themselves);
    SIGKILL to its whole group if it has not ended after ``timeout``. Returns its exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait(timeout=10)


def stop_on_signal(signum: int, frame: FrameType | None) -> None:
    """A signal handler that turns SIGTERM/SIGHUP into the KeyboardInterrupt of a Ctrl-C, so that one
    ``finally`` stops every child whatever ended the launcher."""
    raise KeyboardInterrupt


class LineReader:
    """The lines a process prints, read by a thread: :meth:`next` waits at most a given time."""

    def __init__(self, stream: IO[str]) -> None:
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.ended = False
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put(None)

    def next(self, timeout: float) -> str | None:
        """The next line (with its newline); None once the process closed its output. Raises
        :class:`queue.Empty` if nothing came within ``timeout`` seconds."""
        if self.ended:
            return None
        line = self._lines.get(timeout=timeout)
        self.ended = line is None
        return line

    def rest(self, timeout: float) -> str:
        """Everything still to come until the output closes (or ``timeout`` passes)."""
        deadline = time.monotonic() + timeout
        collected = []
        while time.monotonic() < deadline:
            try:
                line = self.next(max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            collected.append(line)
        return "".join(collected)


def start_reading(
    command: Sequence[str], stderr: int | IO[str], env: Mapping[str, str] | None = None, cwd: Path = REPO_ROOT
) -> tuple[subprocess.Popen[str], LineReader]:
    """Start ``command`` in its own session, its standard output read as text (UTF-8) by a
    :class:`LineReader`; ``stderr`` goes where it says (a log file, or ``subprocess.STDOUT``)."""
    # S603: callers pass the course's own commands (argument lists, no shell), never what a user typed.
    process = subprocess.Popen(  # noqa: S603
        list(command),
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    )
    if process.stdout is None:  # not reached: stdout=PIPE
        raise RuntimeError("no output pipe")
    return process, LineReader(process.stdout)


class StartFailed(RuntimeError):
    """The process ended, or said nothing expected in time; ``printed`` is what it said."""

    def __init__(self, message: str, printed: list[str]) -> None:
        super().__init__(message + "\n" + "".join(printed))
        self.printed = printed


@dataclass
class Started:
    """A process started by :func:`start_and_read`, what it printed so far, and its reader."""

    process: subprocess.Popen[str]
    printed: list[str]
    output: LineReader = field(repr=False)


def start_and_read(
    command: Sequence[str],
    ready: Callable[[list[str]], bool],
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO_ROOT,
) -> Started:
    """Start ``command`` in its own session, its output (standard output and error) read as text,
    and wait until ``ready`` is true of the lines printed so far.

    The one start-up pattern of the launchers' tests (``make serve``, ``make hub``): what they print
    is what a trainer reads, so the test waits on it rather than on a port. Raises
    :class:`StartFailed` (after stopping the process) if it ends or ``timeout`` passes first."""
    process, output = start_reading(command, subprocess.STDOUT, env, cwd)
    printed: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        while not ready(printed):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StartFailed(f"rien d'attendu après {timeout:.0f} s :", printed)
            try:
                line = output.next(min(remaining, 1.0))
            except queue.Empty:
                continue
            if line is None:
                raise StartFailed(f"arrêté (code {process.wait(timeout=10)}) :", printed)
            printed.append(line)
    except BaseException:
        interrupt(process, timeout=30)
        raise
    return Started(process, printed, output)
