"""One SCORM 1.2 zip per numbered chapter: ``_build/scorm/NN-nom.zip``.

A package holds five files and needs nothing else: ``index.html`` (the chapter, its easy-to-read
summary, its self-check, its sources and its words; see :mod:`widgets.scorm.myst`), the course's
stylesheet ``faire-avec.css`` (the same file as the book and the live exercises), ``scorm.css``,
``scorm.js`` (the self-check and the SCORM API, see its header) and ``imsmanifest.xml``. The page's
Content-Security-Policy allows only the package's own files: no request leaves it, even in an LMS.

The zip is the same byte for byte when nothing changed (fixed dates and order), so a maintainer sees
at once whether a package must be uploaded again.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from widgets.data import REPO_ROOT
from widgets.fr import typography
from widgets.scorm.manifest import manifest_xml
from widgets.scorm.myst import fold, render_chapter

OUT_DIR = REPO_ROOT / "_build" / "scorm"
STATIC = Path(__file__).with_name("static")
COURSE_CSS = (
    REPO_ROOT / "widgets" / "voila_templates" / "voila" / "templates" / "faire-avec" / "static" / "faire-avec.css"
)
COURSE = "Faire avec — participation et travail pair"
LAUNCH = "index.html"
FOOTER = f"Cours libre « {COURSE} ». Ce module marche sans connexion : il ne charge rien d'ailleurs."
ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # every entry gets this date: the same chapter gives the same zip
#: Only the package's own files, no inline script; the self-check's data is JSON, not run.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class Package:
    path: Path
    chapter: str  # « 01-pairite »
    title: str
    files: tuple[str, ...]


def chapter_title(path: Path) -> str:
    from widgets.kit.chapters import plain

    match = re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), re.M)
    return plain(match.group(1)) if match else path.stem


def public_voila_url() -> str | None:
    """The live exercises' address when it is a public one (``faire_avec_voila_url`` of ``_config.yml``);
    None for the default ``127.0.0.1``, which means nothing to a learner in an LMS."""
    from urllib.parse import urlsplit

    from widgets.serve import voila_url

    url = voila_url()
    return None if urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1") else url


def glossary() -> dict[str, tuple[str, str, str]]:
    from widgets.glossary import load_glossary

    return {fold(row["terme"]): (row["terme"], row["definition"], row["source"] or "") for row in load_glossary()}


def page_html(number: int, count: int, title: str, body: str, links: list[tuple[str, str]]) -> str:
    """The launch page around the chapter: header (course, what the LMS records, in-page links), footer."""
    nav = "".join(f'<li><a href="#{html.escape(target)}">{html.escape(label)}</a></li>' for target, label in links)
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{number}. {html.escape(typography(title))} — Faire avec</title>\n"
        '<link rel="stylesheet" href="faire-avec.css">\n<link rel="stylesheet" href="scorm.css">\n'
        '<script src="scorm.js" defer></script>\n</head>\n<body>\n'
        '<a class="sco-skip" href="#contenu">Aller au chapitre</a>\n'
        '<header class="sco-header">\n'
        f'<p class="sco-course">{html.escape(COURSE)} · chapitre {number} sur {count}</p>\n'
        '<p id="sco-lms" class="sco-lms" role="status">Recherche de la plateforme de formation…</p>\n'
        f'<nav aria-label="Dans ce chapitre"><ul class="sco-nav">{nav}</ul></nav>\n</header>\n'
        f'<main id="contenu" class="fa-page" tabindex="-1">\n{body}</main>\n'
        f'<footer class="sco-footer"><p>{html.escape(typography(FOOTER))}</p></footer>\n'
        '<div id="sco-annonce" class="fa-visually-hidden" aria-live="polite"></div>\n'
        "</body>\n</html>\n"
    )


def _section_links(body: str, quiz: bool) -> list[tuple[str, str]]:
    wanted = [("en-bref", "En bref (facile à lire)")]
    if quiz:
        match = re.search(r'<section id="([^"]+)">\s*<h2>Je vérifie mes connaissances', body)
        if match:
            wanted.append((match.group(1), "Je vérifie mes connaissances"))
    wanted += [("sources", "Sources"), ("mots", "Les mots de ce chapitre")]
    return [(target, label) for target, label in wanted if f'id="{target}"' in body]


def build_package(path: Path, out_dir: Path = OUT_DIR, count: int = 7) -> Package:
    """Write ``out_dir/NN-nom.zip`` for one chapter file."""
    title = chapter_title(path)
    number = int(path.stem[:2])
    body, context = render_chapter(path, glossary(), public_voila_url())
    page = page_html(number, count, title, body, _section_links(body, context.quiz_key is not None))
    files: dict[str, bytes] = {
        LAUNCH: page.encode("utf-8"),
        "faire-avec.css": COURSE_CSS.read_bytes(),
        "scorm.css": (STATIC / "scorm.css").read_bytes(),
        "scorm.js": (STATIC / "scorm.js").read_bytes(),
    }
    identifier = f"faire-avec-{path.stem}"
    files["imsmanifest.xml"] = manifest_xml(identifier, f"{number}. {title} — Faire avec", LAUNCH, list(files))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{path.stem}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ["imsmanifest.xml", *sorted(n for n in files if n != "imsmanifest.xml")]:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return Package(target, path.stem, title, tuple(files))


def build_all(out_dir: Path = OUT_DIR, paths: tuple[Path, ...] | None = None) -> list[Package]:
    """One package per numbered chapter, in reading order."""
    from widgets.kit.chapters import chapter_paths

    chapters = paths or chapter_paths()
    count = len(chapter_paths())
    return [build_package(path, out_dir, count) for path in chapters]
