"""The simulator's shape: no import cycle in ``widgets/``, one simulated year, a cache that follows the rules.

Why these tests: a cycle between the model and the cache once made the import order decide what
worked, and a rule changed in a module the cache did not hash left stale figures on disk marked
valid. Both are structural, so they are checked on the source, and the cache is checked end to end
in fresh processes on a copy of the package.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from widgets.remuneration import cache

REPO = Path(__file__).resolve().parents[2]
WIDGETS = REPO / "widgets"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in WIDGETS.rglob("*.py") if "voila_templates" not in path.parts}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, module: str, known: set[str], top_level_only: bool = False) -> set[str]:
    """Modules of ``known`` that ``module`` imports, anywhere in the file (function bodies included,
    because a lazy import still makes a cycle), except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST, depth: int) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for branch in node.orelse:
                visit(branch, depth)
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            depth += 1
        if top_level_only and depth > 0:
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if candidate in known:
                    found.add(candidate)
                elif base in known:
                    found.add(base)
        for child in ast.iter_child_nodes(node):
            visit(child, depth)

    visit(tree, 0)
    found.discard(module)
    return found


def import_graph(top_level_only: bool = False) -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, name, known, top_level_only) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle as a list of modules (first = last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if state.get(target) is None:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The detector itself can fail: a small graph with a lazy back edge is a cycle."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    source = "from . import sibling\n\ndef later():\n    from .other import thing\n"
    path = tmp_path / "mod.py"
    path.write_text(source, encoding="utf-8")
    known = {"pkg.mod", "pkg.sibling", "pkg.other"}
    assert _imports(path, "pkg.mod", known) == {"pkg.sibling", "pkg.other"}
    assert _imports(path, "pkg.mod", known, top_level_only=True) == {"pkg.sibling"}


def test_no_import_cycle_anywhere_in_widgets() -> None:
    graph = import_graph()
    assert graph.get("widgets.remuneration.model")
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_the_simulated_year_is_defined_once() -> None:
    definitions = []
    for path in WIDGETS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "SIM_YEAR" for t in targets):
                    definitions.append(path.relative_to(REPO))
    assert definitions == [Path("widgets/remuneration/inputs.py")]


def test_the_cache_key_hashes_every_module_that_shapes_cached_figures() -> None:
    """Whatever the cache and the OpenFisca adapter import from the simulator (directly or not) at
    module level decides what is stored, so its source must be in the fingerprint."""
    graph = import_graph(top_level_only=True)
    prefix = "widgets.remuneration."
    reached: set[str] = set()
    todo = [f"{prefix}cache", f"{prefix}openfisca_adapter"]
    while todo:
        module = todo.pop()
        if module in reached:
            continue
        reached.add(module)
        todo.extend(target for target in graph[module] if target.startswith(prefix))
    hashed = {f"{prefix}{name}" for name in cache.RULE_MODULES}
    assert reached <= hashed, sorted(reached - hashed)
    assert f"{prefix}inputs" in hashed  # SALARY_FORMS, work_allowed: they decide which months are paid


# --------------------------------------------------------------------------- end to end
FAKE_RUN = """
import sys, numpy as np
from widgets.remuneration import cache, openfisca_adapter as adapter
from widgets.remuneration.inputs import Household, Offer

calls = []
def fake_run(household, rows, months=None, should_stop=None):
    calls.append(len(rows))
    return {key: np.zeros((len(rows), 12)) for key in adapter.OUTPUT_KEYS}

adapter.run = fake_run
adapter.versions = lambda: {"openfisca-france": "0", "openfisca-core": "0"}
adapter.smic_hourly = lambda month: 12.0
adapter.minimum_payments = lambda month: {"rsa": 6.0, "ppa": 15.0}
adapter.legislation_date = lambda: "2026-10-01"
adapter.rsa_base_amount = lambda month: 650.0
adapter.age_rules = lambda: {"rsa_min_age": 25.0, "rsa_young_hours": 3214.0, "ppa_min_age": 18.0}
computed = cache.warm_up([(Household(), Offer("micro_bnc", 10, 20.0, 1, 12))])
print(computed, cache.fingerprint(), len(calls))
"""


def _run_in(tree: Path, cache_dir: Path) -> tuple[int, str, int]:
    env = dict(os.environ, FAIRE_AVEC_CACHE=str(cache_dir), PYTHONPATH=str(tree))
    out = subprocess.run(
        [sys.executable, "-c", FAKE_RUN], cwd=tree, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), out[1], int(out[2])


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(WIDGETS, tree / "widgets", ignore=shutil.ignore_patterns("__pycache__"))
    return tree


def test_editing_a_rule_invalidates_the_disk_cache(package_copy: Path, tmp_path: Path) -> None:
    """A grid is stored, found again by a new process, then recomputed once ``SALARY_FORMS`` changes
    (micro-entreprise counted as a salary), and the stale file is deleted."""
    disk = tmp_path / "disk-cache"
    first, print_before, runs = _run_in(package_copy, disk)
    assert (first, runs) == (1, 1)
    grids = sorted(disk.glob("grid-*.npz"))
    assert len(grids) == 1
    again, print_again, runs = _run_in(package_copy, disk)
    assert (again, runs, print_again) == (0, 0, print_before)  # read from disk: no OpenFisca run

    inputs = package_copy / "widgets" / "remuneration" / "inputs.py"
    source = inputs.read_text(encoding="utf-8")
    rule = 'SALARY_FORMS = frozenset({"salaire", "cea"})'
    assert rule in source
    inputs.write_text(
        source.replace(rule, 'SALARY_FORMS = frozenset({"salaire", "cea", "micro_bnc"})'), encoding="utf-8"
    )
    after, print_after, runs = _run_in(package_copy, disk)
    assert print_after != print_before
    assert (after, runs) == (1, 1)  # the stale grid is not reused
    assert not grids[0].exists()
    assert len(list(disk.glob("grid-*.npz"))) == 1


@pytest.mark.parametrize("module", ["openfisca_adapter", "cache"])
def test_editing_any_rule_module_changes_the_fingerprint(package_copy: Path, tmp_path: Path, module: str) -> None:
    _, before, _ = _run_in(package_copy, tmp_path / "a")
    path = package_copy / "widgets" / "remuneration" / f"{module}.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a rule changed\n", encoding="utf-8")
    _, after, _ = _run_in(package_copy, tmp_path / "b")
    assert before != after


def test_a_wording_change_keeps_the_cache(package_copy: Path, tmp_path: Path) -> None:
    """Explanations do not change a figure: editing them must not throw prepared grids away."""
    _, before, _ = _run_in(package_copy, tmp_path / "a")
    path = package_copy / "widgets" / "remuneration" / "explain.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n# reworded\n", encoding="utf-8")
    _, after, _ = _run_in(package_copy, tmp_path / "b")
    assert before == after
