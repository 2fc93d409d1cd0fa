"""Book build times: a full build from clean, then rebuilds after small edits. Prints figures, tests nothing.

    .venv/bin/python bench/bench_book.py [--keep]

Everything happens in a temporary copy of the repository (the files git tracks plus the untracked
ones it does not ignore), so the working tree, its ``_build/`` and its execution cache are not
touched. The copy is built with the repository's ``.venv`` and ``PYTHONPATH`` pointing at the copy,
so the kernels that execute the chapters import the copy's ``widgets/`` and read its ``data/``.

Steps, each timed from the command's start to its end (wall clock):

1. full build from clean: ``python -m widgets.glossary`` then ``python -m widgets.book build
   --warningiserror`` (Jupyter Book, as ``make book`` runs it) with no ``_build/`` (every chapter executed, every page written) — what ``make book`` costs on a
   fresh clone;
2. rebuild with nothing changed;
3. rebuild after a one-line prose edit in a chapter (the execution cache answers: no kernel);
4. rebuild after a one-word edit in a quiz file (``data/``): the chapters are executed again
   (``widgets/sphinx_freshness.py``), and the script checks the new word is in the built page.

Targets (issue 7): full build ≤ 60 s and one-line rebuild ≤ 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
FULL_TARGET_S = 60.0
EDIT_TARGET_S = 10.0


def copy_repository(destination: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        source = REPO / raw.decode()
        if source.is_file():
            target = destination / raw.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


@dataclass
class Timing:
    """Wall-clock seconds, and CPU seconds of the command and of everything it started (kernels)."""

    wall: float = 0.0
    cpu: float = 0.0

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.wall + other.wall, self.cpu + other.cpu)

    def __str__(self) -> str:
        return f"{self.wall:6.1f} s  (processeur {self.cpu:5.1f} s)"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], cwd: Path, env: dict[str, str]) -> Timing:
    cpu_before, start = _children_cpu(), time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    timing = Timing(time.perf_counter() - start, _children_cpu() - cpu_before)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"échec : {' '.join(command)} (code {result.returncode})")
    return timing


def build(copy: Path, env: dict[str, str], with_glossary: bool = True) -> Timing:
    timing = Timing()
    if with_glossary:
        timing += run([str(VENV_BIN / "python"), "-m", "widgets.glossary"], copy, env)
    # As make book: Jupyter Book through widgets/book.py (same command line, one useless import less).
    book = [str(VENV_BIN / "python"), "-m", "widgets.book", "build", ".", "--warningiserror", "--quiet"]
    return timing + run(book, copy, env)


def edit_one_prose_line(copy: Path) -> str:
    """Append a word to the first long paragraph of a chapter; return the chapter's name."""
    chapter = copy / "chapters" / "02-savoirs.md"
    lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(
        i for i, line in enumerate(lines) if len(line) > 80 and line[0].isalpha() and line.rstrip().endswith(".")
    )
    lines[index] = lines[index].rstrip("\n") + " Mesure.\n"
    chapter.write_text("".join(lines), encoding="utf-8")
    return chapter.stem


def edit_one_quiz_word(copy: Path) -> tuple[str, str]:
    """Change one word of the first question of data/quiz/savoirs.yml; return (new word, chapter)."""
    quiz = copy / "data" / "quiz" / "savoirs.yml"
    text = quiz.read_text(encoding="utf-8")
    question = yaml.safe_load(text)[0]["question"]
    word = next(w for w in re.findall(r"[A-Za-zÀ-ÿ]{6,}", question) if len(re.findall(rf"\b{w}\b", text)) >= 1)
    new_word = word + "zz"
    quiz.write_text(re.sub(rf"\b{re.escape(word)}\b", new_word, text, count=1), encoding="utf-8")
    return new_word, "02-savoirs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="garder la copie temporaire (chemin affiché)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="faire-avec-bench-book-"))
    copy = workdir / "repo"
    copy.mkdir()
    try:
        copy_repository(copy)
        env = dict(os.environ, PYTHONPATH=str(copy), PYDEVD_DISABLE_FILE_VALIDATION="1")
        load = os.getloadavg()[0]
        print(f"Copie du dépôt : {copy}")

        full = build(copy, env)
        print(f"1. construction complète depuis zéro       : {full}   objectif ≤ {FULL_TARGET_S:.0f} s")
        nothing = build(copy, env, with_glossary=False)
        print(f"2. reconstruction sans changement          : {nothing}")
        chapter = edit_one_prose_line(copy)
        prose = build(copy, env, with_glossary=False)
        print(f"3. après une ligne de prose ({chapter})   : {prose}   objectif ≤ {EDIT_TARGET_S:.0f} s")
        new_word, page = edit_one_quiz_word(copy)
        data = build(copy, env, with_glossary=False)
        shown = new_word in (copy / "_build" / "html" / "chapters" / f"{page}.html").read_text(encoding="utf-8")
        print(
            f"4. après un mot de data/quiz/savoirs.yml    : {data}   nouveau mot dans la page : {'oui' if shown else 'NON'}"
        )
        print(
            f"Rapports : complète / objectif = {full.wall / FULL_TARGET_S:.2f} ; "
            f"prose / objectif = {prose.wall / EDIT_TARGET_S:.2f} ; prose / complète = {prose.wall / full.wall:.2f} ; "
            f"exécution des chapitres ≈ étape 4 − étape 3 = {data.wall - prose.wall:.1f} s"
        )
        print(
            f"Machine : nproc {os.cpu_count()}, Python {platform.python_version()}, "
            f"charge moyenne au départ {load:.2f}, à la fin {os.getloadavg()[0]:.2f} "
            "(processeur = temps de calcul, noyaux compris : il dépend peu de la charge)"
        )
    finally:
        if args.keep:
            print(f"Copie gardée : {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
