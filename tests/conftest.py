"""What every test folder shares when ``make test`` runs them in one pytest session on several
processes (pytest-xdist, ``--dist loadgroup``), and the time each part took.

Why groups: a worker is a separate process, so each one starts its own session servers (Voilà, the
book, Chromium: ``tests/browser/conftest.py``) on free ports, and tests spread freely between workers.
But a server or a computation started once for a whole folder or module must not be started twice:
the security probes share one ``make serve`` and one probing Voilà, the deployment tests one JupyterHub,
and a module with a module-scoped fixture (a group-mode room, OpenFisca's grids for the households,
the SCORM platform…) would pay its set-up on each worker. Those tests go to one worker together; the
others are shared one by one.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

# Folders whose session fixtures start servers every test of the folder uses (security, deploy).
ONE_WORKER_FOLDERS = ("security", "deploy")
PARTS = {
    "unit": "unitaires",
    "content": "contenu",
    "browser": "navigateur",
    "security": "sécurité",
    "deploy": "déploiement",
}


def worker_group(item: pytest.Item) -> str | None:
    """The group ``item`` runs in, or None when any worker may take it alone."""
    parts = Path(item.path).parts
    for folder in ONE_WORKER_FOLDERS:
        if "tests" in parts and folder in parts:
            return folder
    fixture_info = getattr(item, "_fixtureinfo", None)
    definitions = getattr(fixture_info, "name2fixturedefs", {})
    if any(defs and defs[-1].scope in ("module", "package") for defs in definitions.values()):
        return item.nodeid.split("::", 1)[0]  # the module: its fixture is set up once
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups on each worker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks the groups (a mark only ``--dist loadgroup`` reads: without it, or without xdist, the
    tests run as before). Runs on each worker (they collect for themselves), before xdist reads them."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        group = worker_group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


_spent: defaultdict[str, float] = defaultdict(float)


def _part(nodeid: str) -> str:
    parts = nodeid.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "tests" else parts[0]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Adds each test's set-up, run and tear-down time to its part (on the controlling process, with
    xdist: the workers send their reports there)."""
    _spent[_part(report.nodeid)] += report.duration


def french_duration(seconds: float) -> str:
    """« 1 min 05 s », « 42 s »."""
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s" if whole >= 60 else f"{whole} s"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if len(_spent) < 2:  # one folder (make check, a single file): pytest's own total says it all
        return
    workers = terminalreporter.config.getoption("numprocesses", None) or 1
    terminalreporter.write_sep("-", "Temps des tests par partie (additionné sur tous les processus)")
    for part, seconds in sorted(_spent.items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"  {PARTS.get(part, part)} : {french_duration(seconds)}")
    total = sum(_spent.values())
    terminalreporter.write_line(f"  en tout {french_duration(total)} de tests, répartis sur {workers} processus")
