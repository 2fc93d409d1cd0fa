"""The book re-executes its chapters when data/ or widgets/ change (widgets/sphinx_freshness.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from widgets import sphinx_freshness


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "data" / "quiz").mkdir(parents=True)
    (root / "widgets" / "__pycache__").mkdir(parents=True)
    (root / "chapters").mkdir()
    (root / "data" / "quiz" / "savoirs.yml").write_text("- question: Qui ?\n", encoding="utf-8")
    (root / "widgets" / "quiz.py").write_text("X = 1\n", encoding="utf-8")
    (root / "widgets" / "__pycache__" / "quiz.pyc").write_bytes(b"compiled")
    (root / "chapters" / "01-un.md").write_text("# Un\n\n```{code-cell} ipython3\nprint(1)\n```\n", encoding="utf-8")
    (root / "chapters" / "accueil.md").write_text("# Accueil\n", encoding="utf-8")
    monkeypatch.setattr(sphinx_freshness, "REPO_ROOT", root)
    cache = tmp_path / "_build" / ".jupyter_cache"
    env = SimpleNamespace(
        mystnb_config=SimpleNamespace(execution_mode="cache", execution_cache_path=str(cache)),
        found_docs={"chapters/01-un", "chapters/accueil"},
        doc2path=lambda name: str(root / f"{name}.md"),
    )
    return SimpleNamespace(root=root, cache=cache, env=env)


def outdated(env: Any) -> list[str]:
    app: Any = None  # the handler never reads Sphinx's application
    return list(sphinx_freshness.outdated_notebooks(app, env, set(), set(), set()))


def test_the_hash_follows_data_and_python_files_only(project):
    before = sphinx_freshness.inputs_hash()
    (project.root / "widgets" / "__pycache__" / "quiz.pyc").write_bytes(b"recompiled")
    assert sphinx_freshness.inputs_hash() == before
    (project.root / "data" / "quiz" / "savoirs.yml").write_text("- question: Quoi ?\n", encoding="utf-8")
    assert sphinx_freshness.inputs_hash() != before


def test_notebook_pages_are_reexecuted_only_when_inputs_change(project):
    assert outdated(project.env) == ["chapters/01-un"]  # first build: no stamp yet
    assert outdated(project.env) == []  # nothing changed: the cache answers
    stale = project.cache / "executed" / "old" / "base.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    (project.root / "widgets" / "quiz.py").write_text("X = 2\n", encoding="utf-8")
    assert outdated(project.env) == ["chapters/01-un"]
    assert not stale.exists(), "the execution cache must be emptied"
    assert outdated(project.env) == []


def test_nothing_happens_when_the_book_does_not_use_the_cache(project):
    project.env.mystnb_config.execution_mode = "off"
    assert outdated(project.env) == []
    assert not Path(project.cache).exists()
