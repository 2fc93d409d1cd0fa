"""The course's bibliography (``references.bib``) as data files and tests need it: keys and URLs.

Why here: the book cites with ``{cite:p}`key``` (sphinxcontrib-bibtex reads the file itself), but
data files also point to sources, either by URL (the glossary's « source » column) or by key (the
simulator's profiles). Each such pointer must name an entry of the bibliography, so that every
source shown to a learner has its validity note (and a consultation date only when somebody really
read the page that day), and nothing points outside the repository. A small reader is enough because ``references.bib`` keeps one field per line;
``tests/content`` checks that it agrees with pybtex, the parser the book uses.

It imports nothing from ``widgets``, so that :mod:`widgets.data` can check that every source key of
``data/droit.yml`` is an entry of the bibliography while it loads that file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BIB_FILE = Path(__file__).resolve().parent.parent / "references.bib"

#: An address in prose or in a data file (stops before spaces, quotes, brackets and backquotes).
URL = re.compile(r"https?://[^\s)\]>\"'`]+")
_ENTRY = re.compile(r"^@(\w+)\{([^,\s]+),\s*$")
_FIELD = re.compile(r"^\s+(\w+)\s*=\s*\{(.*)\},?\s*$")


@dataclass(frozen=True)
class Entry:
    key: str
    kind: str
    fields: dict[str, str]

    @property
    def url(self) -> str | None:
        return self.fields.get("url")


def read_entries(path: Path = BIB_FILE) -> dict[str, Entry]:
    """Entries of a ``.bib`` file written one field per line (the format of ``references.bib``)."""
    entries: dict[str, Entry] = {}
    current: Entry | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := _ENTRY.match(line):
            current = Entry(key=match.group(2), kind=match.group(1).lower(), fields={})
            entries[current.key] = current
        elif current is not None and (match := _FIELD.match(line)):
            current.fields[match.group(1).lower()] = match.group(2)
        elif line.startswith("}"):
            current = None
    return entries


@lru_cache(maxsize=1)
def entries() -> dict[str, Entry]:
    return read_entries()


def keys() -> frozenset[str]:
    return frozenset(entries())


def key_of_url() -> dict[str, str]:
    """Each entry's URL → its key."""
    return {entry.url: key for key, entry in entries().items() if entry.url}


def clean_url(url: str) -> str:
    """An address as found in text, without the punctuation that ends a sentence."""
    return url.rstrip(".,;:")


def unknown_urls(text: str) -> list[str]:
    """The addresses in ``text`` that are the URL of no entry of the bibliography."""
    known = key_of_url()
    return [clean_url(url) for url in URL.findall(text) if clean_url(url) not in known]


def check_source_urls(text: str) -> str | None:
    """A French problem for a data file when a source address is not in the bibliography, else None."""
    unknown = unknown_urls(text)
    if not unknown:
        return None
    return (
        f"l'adresse « {unknown[0]} » n'est pas dans la bibliographie du cours : ajoutez à references.bib "
        "une entrée avec cette adresse (champ url), son titre et, s'il le faut, une note sur sa validité "
        "(voir docs/regles-de-contenu.md)."
    )
