"""Fingerprint of the study day's report, so that « rephrased, not pasted » can be tested without it.

Why: the course is written from the report of the 20 December 2023 study day, which the repository
does not contain (it is not ours to publish). The promise is that the chapters rephrase it. We keep
only a fingerprint: the hashes of every run of ``RUN`` consecutive words of the report, after the
normalisation below. A run of the same words in a chapter or a data file has the same hash.

Normalisation rule (the test applies the same one to the course):
  1. Unicode NFC, then ``casefold()`` (lower case, « ß » → « ss »…);
  2. typographic apostrophes (U+2019, U+2018, U+02BC) become ``'``;
  3. words are the maximal runs of letters, digits, ``_`` and ``'`` (regex ``[\\w']+``);
  4. a run is ``RUN`` consecutive words joined by one space; its fingerprint is the first 16 hex
     digits of the SHA-256 of its UTF-8 bytes.

To refresh the fingerprint when the report changes (whoever holds the report):
``python tests/content/seed_fingerprint.py PATH/TO/REPORT.txt [...]`` rewrites
``tests/content/seed_fingerprint.txt``.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from pathlib import Path

RUN = 14
FINGERPRINT_FILE = Path(__file__).with_name("seed_fingerprint.txt")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})  # noqa: RUF001 - these very signs
_WORD = re.compile(r"[\w']+")


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold().translate(_APOSTROPHES))


def run_hash(run: list[str]) -> str:
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()[:16]


def runs(tokens: list[str]) -> list[tuple[str, str]]:
    """Every run of ``RUN`` words of ``tokens``: (its text, its hash)."""
    return [(" ".join(tokens[i : i + RUN]), run_hash(tokens[i : i + RUN])) for i in range(len(tokens) - RUN + 1)]


def load_fingerprint(path: Path = FINGERPRINT_FILE) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def write_fingerprint(report_texts: list[str], path: Path = FINGERPRINT_FILE) -> int:
    hashes = sorted({digest for text in report_texts for _, digest in runs(words(text))})
    header = [
        "# Empreinte du compte rendu de la journée du 20 décembre 2023 (voir seed_fingerprint.py) :",
        f"# SHA-256 tronqué à 16 caractères de chaque suite de {RUN} mots normalisés. Aucun texte du compte rendu.",
    ]
    path.write_text("\n".join(header + hashes) + "\n", encoding="utf-8")
    return len(hashes)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage : python tests/content/seed_fingerprint.py COMPTE_RENDU.txt [...]")
    count = write_fingerprint([Path(arg).read_text(encoding="utf-8") for arg in sys.argv[1:]])
    print(f"{FINGERPRINT_FILE} : {count} empreintes.")
