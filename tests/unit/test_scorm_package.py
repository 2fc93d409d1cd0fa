"""The chapters' SCORM 1.2 packages (``make scorm``): a valid manifest listing exactly the zip's files,
a page that loads nothing from elsewhere, the chapter's text, summary, sources and words kept, and a
self-check whose every feedback is the course's own."""

from __future__ import annotations

import html
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from widgets.data import REPO_ROOT
from widgets.fr import typography
from widgets.kit.chapters import chapter_paths, plain
from widgets.quiz.content import load_questions
from widgets.quiz.model import QuizAttempt
from widgets.quiz.view import feedback_markup
from widgets.scorm import myst, package, selfcheck
from widgets.scorm.manifest import ADLCP, IMSCP

NS = {"cp": IMSCP, "adlcp": ADLCP}
NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")  # an xsd:ID (the manifest's identifiers)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("scorm")
    return {p.chapter: p.path for p in package.build_all(out)}


def read(zip_path: Path, name: str) -> str:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.read(name).decode("utf-8")


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags(page: str) -> list[tuple[str, dict[str, str]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


def test_one_package_per_numbered_chapter(built):
    assert sorted(built) == [p.stem for p in chapter_paths()]
    assert all(path.name == f"{chapter}.zip" for chapter, path in built.items())


@pytest.mark.parametrize("chapter", [p.stem for p in chapter_paths()])
def test_manifest_is_scorm_12_and_lists_exactly_the_files_of_the_zip(built, chapter):
    with zipfile.ZipFile(built[chapter]) as archive:
        names = set(archive.namelist())
        # S314: the manifest this test's build just wrote, not outside data; well-formed, or this raises.
        root = ET.fromstring(archive.read("imsmanifest.xml"))  # noqa: S314
    assert root.tag == f"{{{IMSCP}}}manifest"
    assert root.findtext("cp:metadata/cp:schema", namespaces=NS) == "ADL SCORM"
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "1.2"
    ids = [identifier for element in root.iter() if (identifier := element.get("identifier"))]
    assert len(ids) == len(set(ids)) and all(NCNAME.match(i) for i in ids), ids
    organizations = root.find("cp:organizations", NS)
    assert organizations is not None, "pas d'élément organizations"
    default = organizations.get("default")
    organization = organizations.find(f"cp:organization[@identifier='{default}']", NS)
    assert organization is not None, "l'organisation par défaut n'existe pas"
    assert (organization.findtext("cp:title", namespaces=NS) or "").strip()
    items = organization.findall("cp:item", NS)
    assert len(items) == 1 and (items[0].findtext("cp:title", namespaces=NS) or "").strip()
    resource = root.find(f"cp:resources/cp:resource[@identifier='{items[0].get('identifierref')}']", NS)
    assert resource is not None, "l'item ne désigne aucune ressource"
    assert resource.get(f"{{{ADLCP}}}scormtype") == "sco"
    assert resource.get("type") == "webcontent"
    listed = [f.get("href") for f in resource.findall("cp:file", NS)]
    assert resource.get("href") == package.LAUNCH and package.LAUNCH in listed
    assert len(listed) == len(set(listed))
    assert set(listed) == names - {"imsmanifest.xml"}, "un fichier du zip n'est pas listé, ou l'inverse"
    assert "imsmanifest.xml" in names


def test_the_same_chapter_gives_the_same_zip(tmp_path):
    path = chapter_paths()[6]
    first = package.build_package(path, tmp_path / "a").path.read_bytes()
    second = package.build_package(path, tmp_path / "b").path.read_bytes()
    assert first == second


@pytest.mark.parametrize("chapter", [p.stem for p in chapter_paths()])
def test_the_page_loads_only_files_of_its_package(built, chapter):
    page = read(built[chapter], package.LAUNCH)
    with zipfile.ZipFile(built[chapter]) as archive:
        names = set(archive.namelist())
    found = tags(page)
    csp = [a["content"] for t, a in found if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "'unsafe-inline'" not in csp[0]
    loaded = [a.get("src") or a.get("href") for t, a in found if t in ("script", "link", "img", "iframe", "source")]
    loaded = [url for url in loaded if url]
    assert loaded and set(loaded) <= names, loaded
    assert not re.search(r"\bstyle\s*=", page), "un style en ligne serait refusé par la CSP de la page"
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert all('type="application/json"' in attrs for attrs in inline_scripts), inline_scripts
    for tag, attrs in found:  # a link to another site opens a tab: the LMS's session stays open
        if tag == "a" and re.match(r"https?://", attrs.get("href", "")):
            assert attrs.get("target") == "_blank" and "noopener" in attrs.get("rel", ""), attrs
    script = read(built[chapter], "scorm.js")
    assert not re.search(r"https?://|fetch\(|XMLHttpRequest|sendBeacon|import\(", script)
    assert "@import" not in read(built[chapter], "scorm.css") + read(built[chapter], "faire-avec.css")


def _box_lines(source: str, title: str) -> list[str]:
    match = re.search(r"^:::\{admonition\} " + re.escape(title) + r"\n(.*?)^:::\s*$", source, re.M | re.S)
    return [plain(line[2:]) for line in match.group(1).splitlines() if line.startswith("- ")] if match else []


def _visible(fragment: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", fragment))
    return re.sub(r"\s+", " ", text.replace("\u202f", " ")).strip()


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda p: p.stem)
def test_the_page_keeps_the_chapter_its_summary_sources_and_words(built, path):
    page = read(built[path.stem], package.LAUNCH)
    source = path.read_text(encoding="utf-8")
    text = _visible(page)
    assert f"<h1>{html.escape(typography(package.chapter_title(path)), quote=False)}</h1>" in page
    for heading in re.findall(r"^#{2,3} (.+)$", source, re.M):
        assert _visible(plain(heading)) in text, f"la partie « {heading} » manque"
    summary = re.search(r'<div class="admonition tip" id="en-bref" role="note">(.*?)</div>', page, re.S)
    assert summary, "pas d'encadré « En bref (facile à lire) »"
    for line in _box_lines(source, "En bref (facile à lire)"):
        assert _visible(line) in _visible(summary.group(1))
    assert "Pour animer cette séquence" not in page and "Pièges à éviter" not in page
    # every « [N] » points to source N, every source is cited, in order of first citation
    cited = [int(n) for n in re.findall(r'href="#source-(\d+)"', page)]
    listed = [int(n) for n in re.findall(r'<li id="source-(\d+)">', page)]
    assert listed == list(range(1, len(listed) + 1)) and listed
    assert sorted(set(cited)) == listed
    firsts = list(dict.fromkeys(cited))
    assert firsts == sorted(firsts), "les sources ne sont pas numérotées dans l'ordre de la première citation"
    # « consulté le » only for a source really read on a known date (references.bib's urldate)
    from widgets.scorm.sources import bibliography

    if not any("urldate" in entry.fields for entry in bibliography().entries.values()):
        assert "consulté le" not in page
    # every word link has its definition at the end, and nothing of MyST is left
    for anchor in set(re.findall(r'href="#(mot-[\w-]+)"', page)):
        assert f'<dt id="{anchor}">' in page, anchor
    assert not re.search(r"\{(term|cite|cite:p|doc|ref)\}|:::|```", page)


def test_french_spacing_before_double_punctuation(built):
    page = read(built["01-pairite"], package.LAUNCH)
    body = page.split('<main id="contenu"', 1)[1].split('<script type="application/json"', 1)[0]
    prose = html.unescape(re.sub(r"<[^>]+>", "", body))
    assert "\u202f?" in prose and "\u202f:" in prose
    assert not re.search(r"\w [?!:;]", prose), re.findall(r".{20}\w [?!:;].{5}", prose)[:3]


@pytest.mark.parametrize("key", ["animer", "participer"])
def test_every_possible_choice_has_the_course_feedback(key):
    data = selfcheck.selfcheck_data(key)
    questions = load_questions(key)
    assert [q["id"] for q in data["questions"]] == [q.id for q in questions]
    for item, question in zip(data["questions"], questions, strict=True):
        count = len(question.answers)
        expected = (2**count - 1) if question.multiple else count
        assert len(item["feedback"]) == expected and item["multiple"] == question.multiple
        for key_text, answer in item["feedback"].items():
            chosen = {int(i) for i in key_text.split(",")}
            feedback = QuizAttempt(questions).answer(question.id, chosen)
            assert answer == {"correct": feedback.correct, "html": feedback_markup(feedback)}
    total = len(questions)
    assert len(data["scores"]) == (total + 1) * (total + 2) // 2  # every (done, right) pair
    attempt = QuizAttempt(questions)
    attempt.answer(questions[0].id, {next(i for i, a in enumerate(questions[0].answers) if not a.correct)})
    assert _visible(data["scores"]["1,0"]) == _visible(attempt.score_text())
    assert "Choisissez au moins une réponse" in data["empty"] and 'role="alert"' in data["empty"]


def test_the_selfcheck_markup_and_its_data(built):
    page = read(built["03-participer"], package.LAUNCH)
    questions = load_questions("participer")
    cards = re.findall(r'<div class="fa-card sco-question" id="q-([\w-]+)"(.*?)<div class="sco-feedback">', page, re.S)
    assert [c[0] for c in cards] == [q.id for q in questions]
    for (_, card), question in zip(cards, questions, strict=True):
        kind = "checkbox" if question.multiple else "radio"
        assert card.count(f'type="{kind}"') == len(question.answers)
        assert "<legend" in card and ("aria-describedby" in card) == question.multiple
    data = re.search(r'<script type="application/json" id="sco-data">(.*?)</script>', page, re.S)
    assert data, "pas de données sco-data dans la page"
    raw = data.group(1)
    assert "</" not in raw  # the data cannot close its own element
    assert json.loads(raw)["chapter"] == "participer"


# ---------------------------------------------------------------------------- MyST → HTML, in one place


def _chapter(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "09-essai.md"
    path.write_text("---\njupytext:\n  formats: md:myst\n---\n\n# Essai\n\n" + body, encoding="utf-8")
    return path


def test_an_unknown_role_stops_the_build_naming_the_file_and_the_line(tmp_path):
    path = _chapter(tmp_path, "Un paragraphe.\n\nLe SMIC vaut {montant}`smic_horaire`.\n")
    with pytest.raises(myst.ChapterError) as error:
        myst.render_chapter(path, package.glossary())
    assert error.value.row == 10 and "09-essai.md" in str(error.value)
    assert "le rôle « {montant} » n'est pas connu" in str(error.value)


def test_legal_figures_are_read_from_the_figures_file(tmp_path):
    from widgets import droit

    path = _chapter(tmp_path, "Le SMIC vaut {droit}`smic_horaire` de l'heure ; {exemple}`600 × (1 − micro_bnc)`.\n")
    body, _ = myst.render_chapter(path, package.glossary())
    assert f"Le SMIC vaut {droit.text('smic_horaire').replace(chr(0xA0), ' ')} de l'heure" in body.replace(
        "\u202f", " "
    ).replace("\xa0", " ").replace("&nbsp;", " ")
    wrong = _chapter(tmp_path, "Le SMIC vaut {droit}`smic_inconnu`.\n")
    with pytest.raises(myst.ChapterError, match="smic_inconnu"):
        myst.render_chapter(wrong, package.glossary())


def test_a_glued_value_is_shown_even_above_the_cell_that_glues_it(tmp_path):
    code = "```{code-cell} ipython3\n:tags: [remove-input]\n\nfrom myst_nb import glue\nfrom IPython.display import HTML, display\nglue('montant', '1 234,56 €', display=False)\ndisplay(HTML('<p>tableau</p>'))\n```\n"
    path = _chapter(tmp_path, "Le montant : {glue:text}`montant`.\n\n" + code)
    body, _ = myst.render_chapter(path, package.glossary())
    assert "Le montant : 1 234,56 €." in body.replace("\u202f", " ").replace("\xa0", " ").replace("&nbsp;", " ")
    assert "<p>tableau</p>" in body
    wrong = _chapter(tmp_path, "Le montant : {glue:text}`inconnu`.\n\n" + code)
    with pytest.raises(myst.ChapterError, match="inconnu"):
        myst.render_chapter(wrong, package.glossary())


def test_chapter_4_shows_the_simulators_figures_not_their_names():
    from widgets.remuneration import example

    body, _ = myst.render_chapter(REPO_ROOT / "chapters" / "04-remunerer.md", package.glossary())
    assert "glue" not in body and "exemple_" not in body
    assert example.example().figures["exemple_gain"] in body


def test_a_new_role_is_one_registered_function(tmp_path, monkeypatch):
    from docutils import nodes

    monkeypatch.setitem(myst.ROLES, "montant", lambda text, context, line: [nodes.strong("", f"<{text}>")])
    path = _chapter(tmp_path, "Le SMIC vaut {montant}`smic-horaire` de l'heure.\n")
    body, _ = myst.render_chapter(path, package.glossary())
    assert "<strong>&lt;smic-horaire&gt;</strong> de l'heure" in body


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Un {term}`mot inconnu du cours`.", "glossaire"),
        ("Une source {cite:p}`cle-qui-n-existe-pas`.", "references.bib"),
        ("```{code-cell} ipython3\n1 + 1\n```", "HTML"),
        (
            "```{code-cell} ipython3\nfrom IPython.display import HTML\nHTML('<script>alert(1)</script>')\n```",
            "hors ligne",
        ),
        ("```{exercice-en-direct} nexiste-pas\n```", "introuvable"),
        (":::{nimporte} quoi\nbla\n:::", "la directive « {nimporte} » n'est pas connue"),
    ],
)
def test_what_a_package_cannot_show_stops_the_build_in_french(tmp_path, text, problem):
    path = _chapter(tmp_path, f"Avant.\n\n{text}\n")
    with pytest.raises(myst.ChapterError) as error:
        myst.render_chapter(path, package.glossary())
    assert problem in str(error.value) and error.value.row == 10


def test_a_live_exercise_links_to_the_course_server_only_when_it_has_a_public_address():
    path = next(p for p in chapter_paths() if p.stem == "03-participer")
    assert package.public_voila_url() is None  # _config.yml's 127.0.0.1 means nothing in an LMS
    offline, _ = myst.render_chapter(path, package.glossary(), None)
    online, _ = myst.render_chapter(path, package.glossary(), "https://cours.example.org/voila/render")
    assert 'href="https://cours.example.org' not in offline
    assert _visible(typography(myst.LIVE_ELSEWHERE)) in _visible(offline)
    assert 'href="https://cours.example.org/voila/render/continuum.ipynb" target="_blank"' in online
    assert "autoeval-participer" not in online  # the self-check is in the page itself
