"""Every package widgets/ imports is declared in the runtime requirements (requirements.txt), so that
the production image, which installs those only, never misses one that happened to come with a
test or development tool. Imports are read with ast from every module of widgets/; a module name is
mapped to the package that installs it by the installed packages' own metadata."""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

from widgets.data import REPO_ROOT

#: Imported only behind JupyterHub, inside a function: declared in requirements-hub.txt (the image
#: that serves a hub installs it), absent from make serve. Module → the only file allowed to import it.
HUB_ONLY = {"jupyterhub": "widgets/voila_app.py"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(path: Path) -> set[str]:
    """The packages a requirements file names itself (``-r`` lines and comments aside)."""
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(normalise(re.split(r"[\[=<>~! ]", line, maxsplit=1)[0]))
    return names


def imports(path: Path) -> list[tuple[str, bool]]:
    """(top-level module, imported at module level) for every absolute import of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], id(node) in top_level))
    return found


@functools.cache
def distributions() -> dict[str, list[str]]:
    return dict(importlib.metadata.packages_distributions())


@functools.cache
def third_party_imports() -> dict[str, list[tuple[str, bool]]]:
    """Module → [(file, at module level)] for every import of widgets/ outside the standard library."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for path in sorted((REPO_ROOT / "widgets").rglob("*.py")):
        for module, at_top in imports(path):
            if module not in sys.stdlib_module_names and module not in ("widgets", "__future__"):
                found.setdefault(module, []).append((path.relative_to(REPO_ROOT).as_posix(), at_top))
    return found


def undeclared(runtime: set[str], hub: set[str]) -> list[str]:
    """What widgets/ imports that ``runtime`` does not declare (French, one line per module)."""
    problems = []
    for module, places in sorted(third_party_imports().items()):
        packages = {normalise(name) for name in distributions().get(module, [])}
        if not packages:
            problems.append(f"{module} : importé par {places[0][0]}, installé par aucun paquet")
        elif module in HUB_ONLY:
            if not packages <= hub:
                problems.append(f"{module} : à déclarer dans requirements-hub.txt")
            if {place for place, _ in places} != {HUB_ONLY[module]} or any(at_top for _, at_top in places):
                problems.append(f"{module} : ne s'importe que dans une fonction de {HUB_ONLY[module]}")
        elif not packages & runtime:
            problems.append(f"{module} ({', '.join(sorted(packages))}) : importé par {places[0][0]}")
    return problems


def test_every_package_widgets_imports_is_a_runtime_requirement():
    assert {"numpy", "tornado", "yaml", "voila"} <= set(third_party_imports()), "the scan found too little"
    problems = undeclared(declared(REPO_ROOT / "requirements.txt"), declared(REPO_ROOT / "requirements-hub.txt"))
    assert not problems, "à déclarer dans requirements.txt : " + "; ".join(problems)


def test_an_undeclared_import_is_reported():
    """The check can fail: without numpy (or PyYAML) in the runtime requirements, it says so."""
    runtime, hub = declared(REPO_ROOT / "requirements.txt"), declared(REPO_ROOT / "requirements-hub.txt")
    assert [p for p in undeclared(runtime - {"numpy"}, hub) if p.startswith("numpy ")]
    assert [p for p in undeclared(runtime - {"pyyaml"}, hub) if p.startswith("yaml ")]
    assert [p for p in undeclared(runtime, hub - {"jupyterhub"}) if p.startswith("jupyterhub ")]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import numpy as np\nfrom tornado import web\n", [("numpy", True), ("tornado", True)]),
        ("def f():\n    import jupyterhub.auth\n", [("jupyterhub", False)]),
        ("from . import cache\nfrom .inputs import X\n", []),
    ],
)
def test_the_scan_sees_imports_at_module_level_and_inside_functions(tmp_path, source, expected):
    module = tmp_path / "module.py"
    module.write_text(source, encoding="utf-8")
    assert imports(module) == expected
