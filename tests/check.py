"""``make check``: the quick check a content maintainer runs after editing ``data/`` or ``chapters/``.

Why a separate command: ``make test`` runs everything (browsers, servers, OpenFisca) and takes minutes;
fixing a typo in a quiz should not. This runs, in about half a minute on a 2-core machine, what a content
or code edit can break without a browser: the code's style and types, every data file through its
schema (a malformed file is named with its row and column, in French), the glossary page, the content
rules (sources, dates, inclusive writing, easy-read boxes, timings, bibliography) and the unit tests of
what changed. It ends with one French line and its duration; the exit code is 0 only if all passed.

« What changed » is what git shows as not yet committed (edited, added or new files); with nothing
uncommitted, the files of the last commit. Unit tests are chosen by name: a change in ``data/quiz/``
runs ``tests/unit/test_quiz*.py``, one in ``widgets/salle/`` runs ``tests/unit/test_salle*.py``, and a
change in a shared module (``widgets/data.py``, ``widgets/fr.py``…) runs every quick unit test.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
UNIT = REPO / "tests" / "unit"

#: Changed path prefix → the names (tests/unit/test_<name>*.py) of the unit tests that cover it.
COVERS: dict[str, tuple[str, ...]] = {
    "data/quiz/": ("quiz", "scorm_package"),
    "data/continuum/": ("continuum", "data"),
    "data/pret/": ("pret",),
    "data/kit/": ("kit",),
    "data/salle/": ("salle_content", "salle_model"),
    "data/remuneration/": ("remuneration_model", "remuneration_structure"),
    "data/glossaire.csv": ("glossary",),
    "data/droit.yml": ("droit",),
    "chapters/": ("kit_chapters", "kit_plans", "kit_slides"),
    "references.bib": ("scorm_package",),
}
#: Shared modules: a change there runs every quick unit test.
SHARED = ("widgets/data.py", "widgets/fr.py", "widgets/errors.py", "widgets/ui.py", "pyproject.toml")
#: Unit tests that start servers or OpenFisca: left to ``make test``.
SLOW = (
    "remuneration_households",
    "remuneration_openfisca",
    "remuneration_service",
    "remuneration_cache",
    "remuneration_command",
    "salle_server",
    "salle_store",
)


def changed_files() -> list[str]:
    """Uncommitted changes (and new files); without any, the last commit's files."""
    status = _git("status", "--porcelain", "--untracked-files=all")
    files = [line[3:].split(" -> ")[-1] for line in status.splitlines() if line.strip()]
    return files or _git("diff", "--name-only", "HEAD~1", "HEAD").splitlines()


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else ""


def unit_tests_for(files: list[str]) -> list[Path]:
    """The quick unit test files that cover ``files`` (every quick one if a shared module changed)."""
    every = sorted(p for p in UNIT.glob("test_*.py") if not p.stem.removeprefix("test_").startswith(SLOW))
    if any(f in SHARED for f in files):
        return every
    names: set[str] = set()
    for file in files:
        path = Path(file)
        if file.startswith("tests/unit/test_") and file.endswith(".py"):
            names.add(path.stem.removeprefix("test_"))
        for prefix, covered in COVERS.items():
            if file.startswith(prefix):
                names.update(covered)
        if file.startswith("widgets/") and file.endswith((".py", ".js")):
            parts = path.relative_to("widgets").with_suffix("").parts
            names.add(parts[0])  # widgets/salle/model.py → salle, widgets/data.py → data
    return [p for p in every if any(p.stem.removeprefix("test_").startswith(name) for name in names)]


def load_every_data_file() -> None:
    """Read each file of data/ through its schema: the first malformed one raises a French DataFileError."""
    sys.path.insert(0, str(REPO))
    from widgets.continuum import content as continuum
    from widgets.kit import content as kit
    from widgets.kit import objectives
    from widgets.pret import content as pret
    from widgets.quiz import content as quiz
    from widgets.remuneration import content as remuneration
    from widgets.salle import content as salle

    loaders: list[Callable[[], object]] = [
        continuum.load_steps,
        continuum.load_situations,
        continuum.load_arnstein,
        kit.load_tools,
        kit.load_session_specs,
        kit.load_jobs,
        kit.load_notes,
        kit.load_numbers,
        kit.load_questions,
        objectives.load_objectives,
        pret.load_themes,
        pret.load_items,
        remuneration.load_profiles,
        remuneration.load_communes,
        salle.load_scales,
        salle.load_statements,
    ]
    loaders += [functools.partial(quiz.load_questions, p.stem) for p in sorted((REPO / "data" / "quiz").glob("*.yml"))]
    for load in loaders:
        load()


def step_data() -> bool:
    from widgets.data import DataFileError

    try:
        load_every_data_file()
    except DataFileError as error:
        print(f"  ✘ {error}")
        return False
    return True


def run(command: list[str]) -> bool:
    return subprocess.run(command, cwd=REPO, check=False).returncode == 0


def main() -> int:
    started = time.monotonic()
    files = changed_files()
    tests = unit_tests_for(files)
    steps: list[tuple[str, Callable[[], bool]]] = [
        (
            "Style du code (ruff)",
            lambda: (
                run([str(BIN / "ruff"), "check", "-q", "."])
                and run([str(BIN / "ruff"), "format", "--check", "-q", "."])
            ),
        ),
        ("Types (mypy)", lambda: run([sys.executable, "-m", "mypy"])),
        ("Fichiers de data/ (schémas)", step_data),
        ("Page du glossaire à jour", lambda: run([sys.executable, "-m", "widgets.glossary", "--check"])),
        (
            "Règles de contenu (sources, dates, écriture inclusive, FALC, durées, bibliographie)",
            lambda: run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/content"]),
        ),
    ]
    if tests:
        label = f"Tests unitaires de ce qui a changé ({len(tests)} fichiers)"
        steps.append(
            (label, lambda: run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *map(str, tests)]))
        )
    failed = []
    for label, step in steps:
        print(f"\n▶ {label}", flush=True)
        if not step():
            failed.append(label)
            if step is step_data:  # every later step reads data/: one clear message is enough
                break
    seconds = round(time.monotonic() - started)
    if failed:
        print(f"\n✘ make check : {len(failed)} vérification(s) en échec en {seconds} s : " + " ; ".join(failed) + ".")
        print("  Le message au-dessus de chaque étape dit quel fichier corriger (ligne et colonne pour data/).")
        return 1
    print(
        f"\n✔ make check : tout est bon en {seconds} s ({len(files)} fichier(s) modifié(s)). "
        "Avant de publier, « make test » vérifie tout (navigateurs, serveurs, simulateur)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
