"""The build runner of ``make serve`` and ``make hub``: ``make book`` then ``make warm``, each with a
French progress line, the tools' own (English) output kept in ``.cache/*.log``."""

from __future__ import annotations

import queue
import sys
import time
from pathlib import Path

from .processes import open_log, shown, start_reading, stop
from .settings import LOG_DIR

HEARTBEAT_S = 15  # a step that prints nothing for this long gets a « toujours en cours » line


def run_step(title: str, command: list[str], log_path: Path, relay_output: bool) -> bool:
    """Run one preparation step with a French progress line; the tool's messages go to ``log_path``.

    With ``relay_output``, the lines the tool prints on its standard output are shown (indented):
    the simulator's preparation prints French progress there; warnings go to standard error, which
    only the log receives. A step silent for ``HEARTBEAT_S`` seconds gets a « toujours en cours »
    line so that nobody thinks it froze."""
    print(f"{title}…", flush=True)
    started = time.monotonic()
    log = open_log(log_path, title)
    process, output = start_reading(command, stderr=log)
    last_output = started
    try:
        while True:
            try:
                line = output.next(timeout=1)
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
