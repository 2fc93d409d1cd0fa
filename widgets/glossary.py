"""The glossary page of the book, generated from ``data/glossaire.csv``.

Why generated: the glossary is content (one CSV a trainer can edit in a spreadsheet), but Jupyter
Book needs a ``{glossary}`` directive in a page so that ``{term}`` roles link to it. Run
``python -m widgets.glossary`` (``make book`` does it) to rewrite ``chapters/glossaire.md``;
``--check`` fails when the page is out of date.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from functools import lru_cache

from widgets.bibliography import check_source_urls
from widgets.data import REPO_ROOT, Column, Schema, load_csv

GLOSSARY_FILE = "glossaire.csv"
PAGE = REPO_ROOT / "chapters" / "glossaire.md"

GLOSSARY_SCHEMA = Schema(
    columns=(Column("terme"), Column("definition"), Column("source", required=False)),
    unique=("terme",),
    checks=(
        lambda r: (
            "la définition doit finir par un point." if not r["definition"].rstrip().endswith((".", "»", ")")) else None
        ),
        # A source shown in the glossary is an entry of the course's bibliography (title, validity note).
        lambda r: check_source_urls(r["source"]) if r["source"] else None,
    ),
)


@lru_cache(maxsize=1)
def load_glossary() -> tuple[dict, ...]:
    return tuple(load_csv(GLOSSARY_FILE, GLOSSARY_SCHEMA))


def _sort_key(term: str) -> str:
    folded = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode()
    return folded.casefold()


def render_page() -> str:
    entries = sorted(load_glossary(), key=lambda r: _sort_key(r["terme"]))
    lines = [
        "% Fichier généré : ne le modifiez pas à la main. Il est écrit par « python -m widgets.glossary »",
        "% (lancé par make book) à partir de data/glossaire.csv : changez un terme dans ce fichier-là.",
        "",
        "# Glossaire",
        "",
        "Les sigles et les mots du cours, expliqués simplement. Dans les chapitres, un mot souligné",
        "renvoie ici. Ce glossaire suit un conseil de la journée du 20 décembre 2023 : faire la liste",
        "des sigles de l'équipe pour que tout le monde comprenne.",
        "",
        "```{glossary}",
    ]
    for entry in entries:
        lines.append(entry["terme"])
        definition = entry["definition"]
        if entry["source"]:
            definition += f" Source : {entry['source']}"
        lines.append(f"  {definition}")
        lines.append("")
    lines[-1:] = ["```", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit chapters/glossaire.md à partir de data/glossaire.csv.")
    parser.add_argument("--check", action="store_true", help="vérifie seulement que la page est à jour")
    args = parser.parse_args(argv)
    page = render_page()
    if args.check:
        if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != page:
            print("chapters/glossaire.md n'est pas à jour : lancez « python -m widgets.glossary ».", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(page, encoding="utf-8")
    print(f"Glossaire écrit : {len(load_glossary())} termes.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
