"""Sphinx extension: re-execute the chapters when ``data/`` or ``widgets/`` change, not only their text.

Why: the book executes each chapter (``execute_notebooks: cache``) and jupyter-cache keys a chapter's
outputs on its code cells only. A chapter's code is one line (``quiz.static("savoirs")``) while what
it shows comes from ``data/`` and ``widgets/``: without this extension, a corrected quiz answer in
``data/quiz/savoirs.yml`` would leave the old answer in the book until someone deleted the cache.

On each build, the extension hashes every file of ``data/`` and every Python file of ``widgets/``.
When the hash differs from the one stored next to the cache, it empties the execution cache and
asks Sphinx to re-read every notebook page; otherwise it does nothing, so a prose-only edit still
rebuilds in seconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from widgets.data import REPO_ROOT

STAMP_NAME = "faire-avec-inputs.sha256"
logger = logging.getLogger(__name__)


def input_files(root: Path | None = None) -> list[Path]:
    """The files whose content can change what a chapter's code cell prints."""
    root = root or REPO_ROOT
    data = [p for p in (root / "data").rglob("*") if p.is_file()]
    code = [p for p in (root / "widgets").rglob("*.py") if "__pycache__" not in p.parts]
    return sorted(data + code)


def inputs_hash(root: Path | None = None) -> str:
    root = root or REPO_ROOT
    digest = hashlib.sha256()
    for path in input_files(root):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def notebook_docnames(env: BuildEnvironment) -> list[str]:
    """Pages that are executed notebooks (MyST Markdown with code cells, or .ipynb)."""
    names = []
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        if path.suffix == ".ipynb" or (path.suffix == ".md" and "```{code-cell}" in path.read_text(encoding="utf-8")):
            names.append(docname)
    return names


def clear_execution_cache(cache_path: Path) -> None:
    from jupyter_cache import get_cache

    get_cache(str(cache_path)).clear_cache()


def outdated_notebooks(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> Iterable[str]:
    """``env-get-outdated`` handler: every notebook page when the inputs changed since the last build."""
    config = getattr(env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache" or not config.execution_cache_path:
        return []
    cache_path = Path(config.execution_cache_path)
    stamp = cache_path / STAMP_NAME
    current = inputs_hash()
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == current:
        return []
    if cache_path.exists():
        clear_execution_cache(cache_path)
    cache_path.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n", encoding="utf-8")
    names = notebook_docnames(env)
    logger.info("data/ ou widgets/ ont changé : les %d chapitres seront ré-exécutés.", len(names))
    return names


def setup(app: Sphinx) -> dict[str, bool]:
    app.connect("env-get-outdated", outdated_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
