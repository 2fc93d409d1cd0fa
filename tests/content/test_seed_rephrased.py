"""The study day's report is rephrased, not pasted — tested against its fingerprint.

Why: the report is a source of the course, not its text. The repository does not hold the report;
``seed_fingerprint.txt`` holds the hashes of its runs of 14 words (see seed_fingerprint.py for the
normalisation). No run of 14 words of a chapter or a data file may be a run of the report, except
inside « » quotations, which the course attributes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from widgets.data import REPO_ROOT

from .seed_fingerprint import RUN, load_fingerprint, run_hash, runs, words

QUOTATION = re.compile(r"«[^»]*»")
#: A 14-word title of the report, quoted by chapter 5 (so shipping it here copies nothing new).
REPORT_TITLE = "Accueillir un travailleur pair dans l'équipe : suis-je prêt·e à adapter mes pratiques ?"


def pasted_runs(text: str, fingerprint: frozenset[str]) -> list[str]:
    """Runs of the report found in ``text`` outside « » quotations."""
    return [run for run, digest in runs(words(QUOTATION.sub(" ", text))) if digest in fingerprint]


def course_texts() -> list[Path]:
    pages = sorted((REPO_ROOT / "chapters").glob("*.md"))
    data = sorted(p for p in (REPO_ROOT / "data").rglob("*") if p.suffix in (".csv", ".yml", ".yaml"))
    return pages + data


@pytest.fixture(scope="module")
def fingerprint() -> frozenset[str]:
    return load_fingerprint()


def test_the_fingerprint_covers_the_whole_report(fingerprint):
    """The report has about 3 900 words: one hash per run, none lost (a truncated file would pass anything)."""
    assert len(fingerprint) > 3000
    assert all(re.fullmatch(r"[0-9a-f]{16}", digest) for digest in fingerprint)


def test_the_fingerprint_recognises_the_report(fingerprint):
    """A run known to be in the report is found, pasted or quoted; the check is not blind."""
    assert len(words(REPORT_TITLE)) == RUN
    assert run_hash(words(REPORT_TITLE)) in fingerprint
    assert pasted_runs(f"Le titre était {REPORT_TITLE} et la suite.", fingerprint)
    assert not pasted_runs(f"Le titre était « {REPORT_TITLE} » et la suite.", fingerprint)


def test_the_normalisation_ignores_case_apostrophes_and_layout(fingerprint):
    variant = REPORT_TITLE.upper().replace("'", "’").replace(" ", "\n  ")
    assert pasted_runs(variant, fingerprint)


@pytest.mark.parametrize("path", course_texts(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_the_report_is_rephrased_not_pasted(path, fingerprint):
    pasted = pasted_runs(path.read_text(encoding="utf-8"), fingerprint)
    assert not pasted, f"{path.relative_to(REPO_ROOT)} : passages recopiés du compte rendu :\n" + "\n".join(pasted[:10])
