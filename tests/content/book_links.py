"""Check the built book's internal links: every local target exists, every #anchor exists in its page.

Why: Sphinx warns about a broken cross-reference it resolves, but not about a raw HTML link, a link
written in Markdown to a renamed heading, or a citation number whose anchor moved. A learner who
clicks such a link lands on a missing page or at the top of the wrong one. External addresses are
left to ``make linkcheck`` (it needs the network).

Usage: ``python tests/content/book_links.py _build/html`` (``make test-book`` runs it); prints each
broken link in French and exits with status 1 if there is any.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Folders of theme assets: their HTML files are templates, not pages of the book.
ASSET_FOLDERS = ("_static", "_sources", "_images")
#: Addresses the course's server answers itself, not files of the book: the light face of the
#: exercises (widgets/leger), checked here by name.
SERVED = "leger"
#: Attributes that point to another file of the site.
LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src"}


@dataclass(frozen=True)
class BrokenLink:
    page: str
    target: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page} : lien « {self.target} » — {self.problem}"


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(values[name] or "")
        wanted = LINK_ATTRIBUTES.get(tag)
        if wanted and values.get(wanted):
            self.links.append(values[wanted] or "")


def _parse(page: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parser


def is_external(target: str) -> bool:
    parts = urlsplit(target)
    return bool(parts.scheme) or target.startswith("//")


def check_site(root: Path) -> list[BrokenLink]:
    """Every broken internal link and anchor of the HTML files under ``root``."""
    root = root.resolve()
    pages = {
        page.resolve(): _parse(page)
        for page in sorted(root.rglob("*.html"))
        if page.relative_to(root).parts[0] not in ASSET_FOLDERS
    }
    broken: list[BrokenLink] = []
    for page, parsed in pages.items():
        where = str(page.relative_to(root))
        for target in parsed.links:
            if is_external(target):
                continue
            parts = urlsplit(target)
            path = unquote(parts.path)
            destination = page if not path else (page.parent / path).resolve()
            if path.endswith("/") or destination.is_dir():
                destination = destination / "index.html"
            if root not in destination.parents and destination != root:
                broken.append(BrokenLink(where, target, "sort du livre"))
                continue
            if destination.relative_to(root).parts[:1] == (SERVED,):
                from widgets.leger import find

                name = destination.relative_to(root).as_posix().removeprefix(f"{SERVED}/")
                if find(name) is None:
                    broken.append(BrokenLink(where, target, "aucun exercice en version légère de ce nom"))
                continue
            if not destination.exists():
                broken.append(BrokenLink(where, target, "la page ou le fichier n'existe pas"))
                continue
            anchor = unquote(parts.fragment)
            if anchor and destination.suffix == ".html":
                ids = pages[destination].ids if destination in pages else _parse(destination).ids
                if anchor not in ids:
                    broken.append(BrokenLink(where, target, f"l'ancre « #{anchor} » n'existe pas dans la page"))
    return broken


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage : python tests/content/book_links.py _build/html", file=sys.stderr)
        return 2
    broken = check_site(Path(argv[0]))
    for link in broken:
        print(link, file=sys.stderr)
    pages = sum(1 for page in Path(argv[0]).rglob("*.html") if page.relative_to(argv[0]).parts[0] not in ASSET_FOLDERS)
    if broken:
        print(f"{len(broken)} lien(s) interne(s) cassé(s) dans le livre.", file=sys.stderr)
        return 1
    print(f"Liens internes du livre vérifiés : {pages} pages, aucun lien cassé.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
