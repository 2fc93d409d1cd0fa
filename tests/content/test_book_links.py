"""The internal-link checker of the built book finds what it must find (make test-book runs it on _build/html)."""

from __future__ import annotations

from pathlib import Path

from .book_links import check_site, main


def write(root: Path, name: str, body: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")


def sound_site(root: Path) -> None:
    write(root, "index.html", '<a href="chapters/un.html#sources">Sources</a><a href="#haut" id="haut">haut</a>')
    write(
        root,
        "chapters/un.html",
        '<section id="sources"><a href="../index.html">accueil</a><a href="deux.html#id3">[3]</a>'
        '<a href="https://example.org/absent.html#nulle-part">externe</a><a href="mailto:x@example.org">m</a>'
        '<img src="../_static/logo.png"><a href="../_static/">dossier</a></section>',
    )
    write(root, "chapters/deux.html", '<div class="citation" id="id3">[3]</div><a name="ancien">a</a>')
    (root / "_static").mkdir()
    (root / "_static" / "logo.png").write_bytes(b"png")
    write(root, "_static/index.html", "")
    # A theme template copied as a static file is not a page: its Jinja « links » are not checked.
    write(root, "_static/macros.html", "<link href=\"{{ pathto('_static/x.css', 1) }}\">")


def test_a_sound_site_has_no_broken_link(tmp_path):
    sound_site(tmp_path)
    assert check_site(tmp_path) == []
    assert main([str(tmp_path)]) == 0


def test_missing_pages_anchors_and_files_are_reported(tmp_path):
    sound_site(tmp_path)
    write(
        tmp_path,
        "chapters/trois.html",
        '<a href="quatre.html">page absente</a><a href="deux.html#id9">ancre absente</a>'
        '<a href="#ici">ancre absente ici</a><img src="../_static/absent.png"><a href="deux.html#ancien">ok</a>'
        '<a href="../../dehors.html">hors du livre</a>',
    )
    broken = {(link.page, link.target) for link in check_site(tmp_path)}
    assert broken == {
        ("chapters/trois.html", "quatre.html"),
        ("chapters/trois.html", "deux.html#id9"),
        ("chapters/trois.html", "#ici"),
        ("chapters/trois.html", "../_static/absent.png"),
        ("chapters/trois.html", "../../dehors.html"),
    }
    assert main([str(tmp_path)]) == 1


def test_encoded_anchors_and_paths_are_decoded(tmp_path):
    write(tmp_path, "a b.html", '<h2 id="équipe">x</h2>')
    write(tmp_path, "index.html", '<a href="a%20b.html#%C3%A9quipe">ok</a><a href="a%20b.html#%C3%A9quip">cassé</a>')
    assert [link.target for link in check_site(tmp_path)] == ["a%20b.html#%C3%A9quip"]


def test_links_to_the_light_face_name_an_exercise_that_has_one(tmp_path):
    """« ../leger/<exercice> » is answered by the course's server (widgets/leger), not a file of the book."""
    sound_site(tmp_path)
    write(
        tmp_path, "chapters/cinq.html", '<a href="../leger/continuum">ok</a><a href="../leger/remuneration">absent</a>'
    )
    assert [link.target for link in check_site(tmp_path)] == ["../leger/remuneration"]
