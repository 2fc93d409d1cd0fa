"""One inclusive-writing convention for the whole course (docs/regles-de-contenu.md, « Écriture inclusive »).

Why: three spellings of the same job (« travailleur·ses pair·es », « travailleurs et travailleuses
pairs », « travailleuse pair·e ») and chapters written in the masculine alone told readers that the
course had no rule. The convention is: the doublet in full in headings and at the first mention in a
chapter, then one short form with a single median point; the forms below are refused everywhere a
learner reads — the chapters, every file of ``data/`` and the strings that ``widgets/`` shows (labels,
titles, messages, in Python and JavaScript) — outside « » quotations. A generic plural job name
(« les formateurs », « des médiateurs de santé pairs ») needs its feminine in the same sentence. The
statements of « Suis-je prêt·e ? », the self-check quizzes and the widgets' strings are read one by
one, often aloud: there, « travailleur pair » never stands alone in a sentence, unless it names a real
person (REAL_PEOPLE).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from widgets.data import REPO_ROOT
from widgets.quiz.content import quiz_chapters

from .test_course_content import URL, chapter_markdown, strings_of, teaching_chapters, toc_files

QUOTATION = re.compile(r"«[^»]*»")
FORBIDDEN = {
    "« travailleur·se(s) » (écrire « travailleur·euse(s) »)": re.compile(r"travailleur·ses?\b", re.I),
    "un mélange des deux genres (« travailleuse pair·e »)": re.compile(r"travailleuses? pair·", re.I),
    "le masculin pluriel seul « travailleurs pairs »": re.compile(r"travailleurs pairs", re.I),
    "le point bas (« prêt.e »)": re.compile(r"[a-zà-ÿ]{2,}\.(?:e|es|s)\b(?![./])"),
    "le tiret (« travailleurs-pairs »)": re.compile(r"travailleu(?:r|se)s?-pair", re.I),
    "deux points médians (« salarié·e·s »)": re.compile(r"·[a-zà-ÿ]+·"),
    "« s'en sortir » (écrire « se rétablir »)": re.compile(r"s['’]en sortir", re.I),
}
DOUBLET = re.compile(
    r"travailleurs et (?:des |les )?travailleuses pairs|travailleur pair ou (?:une |d'une )?travailleuse paire",
    re.I,
)
SHORT_FORM = re.compile(r"travailleur·euses? pair·es?", re.I)
ROLE = re.compile(r"\{term\}`([^`<]*?)(?:\s*<[^>]*>)?`")
#: The statements of « Suis-je prêt·e ? » (and whatever else that exercise reads from data/pret/).
PRET_FILES = sorted(p for p in (REPO_ROOT / "data" / "pret").iterdir() if p.suffix in (".yml", ".yaml", ".csv"))
#: The self-check quizzes (widgets/quiz): each question, answer and explanation is read on its own.
QUIZ_FILES = sorted((REPO_ROOT / "data" / "quiz").glob("*.yml"))
#: Sentences of the quizzes that keep « travailleur pair » alone because they designate a real person,
#: by his own gender (docs/regles-de-contenu.md: « une personne réelle, désignée selon son genre »), as (file, fragment,
#: why). Each fragment must match exactly one reported sentence of its file, so the list cannot grow
#: stale or hide a new generic mention.
REAL_PEOPLE: tuple[tuple[str, str, str], ...] = (
    (
        "data/quiz/pairite.yml",
        "un travailleur pair d'Un chez-soi d'abord du Rhône (69)",
        "le travailleur pair de la table ronde (Un chez-soi d'abord 69), qui se présente ainsi",
    ),
    ("data/quiz/pairite.yml", "Il est travailleur pair, donc payé.", "le même intervenant, dans l'explication"),
    (
        "data/quiz/pairite.yml",
        "la phrase dite par un travailleur pair à la table ronde",
        "le même intervenant, auteur de « On ne fait rien pour nous sans nous »",
    ),
    (
        "data/quiz/conclusion.yml",
        "l'a dit un travailleur pair à la table ronde",
        "le même intervenant, auteur de « On ne fait rien pour nous sans nous »",
    ),
)
#: A generic plural job name, and the feminine that must stand in the same sentence (« les formateurs et
#: formatrices », « des médiateurs et médiatrices de santé pairs », or the short forms « formateur·ices »).
GENERIC_PLURALS = {
    "formateurs": "formatrices",
    "animateurs": "animatrices",
    "médiateurs": "médiatrices",
    "éducateurs": "éducatrices",
    "travailleurs sociaux": "travailleuses sociales",
    "professionnels": "professionnelles",
    "salariés": "salariées",
    "intervenants": "intervenantes",
}
#: Problems in files that another engineer's branch rewrites (issue 15, the simulator): (file, fragment of
#: the reported line, why it is not fixed here). Each must match exactly one problem; remove the line when
#: that branch lands (the test then says the allowance matches nothing).
MASCULINE = re.compile(r"\btravailleurs? pairs?\b", re.I)
FEMININE = re.compile(r"\btravailleuses? paires?\b", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def readable(text: str) -> str:
    """What the learner reads, without quotations, addresses or glossary-link markup."""
    return QUOTATION.sub(" ", ROLE.sub(r"\1", URL.sub(" ", text)))


def data_files() -> list[Path]:
    """Every content file of ``data/`` (CSV and YAML): all of them end up in front of a learner or a trainer."""
    return sorted(p for p in (REPO_ROOT / "data").rglob("*") if p.suffix in (".csv", ".yml", ".yaml"))


def learner_texts() -> list[str]:
    """Chapters (by name) and every data file (by path)."""
    pages = [name for name in toc_files() if not name.endswith("glossaire")]
    return pages + [str(p.relative_to(REPO_ROOT)) for p in data_files()]


def text_of(where: str) -> str:
    """What ``where`` says; a YAML file is parsed, so a form folded over two lines is still seen."""
    if not where.startswith("data/"):
        return chapter_markdown(where)
    raw = (REPO_ROOT / where).read_text(encoding="utf-8")
    return "\n".join(strings_of(yaml.safe_load(raw))) if where.endswith((".yml", ".yaml")) else raw


def form_problems(text: str) -> list[str]:
    """The forbidden forms and the generic masculine plurals of ``text``, one message each, with its sentence."""
    found = []
    for line in readable(text).splitlines():
        for sentence in SENTENCE_END.split(line):
            found += [
                f"{label} : {match.group(0)!r} dans « {sentence.strip()[:120]} »"
                for label, pattern in FORBIDDEN.items()
                for match in pattern.finditer(sentence)
            ]
            found += [
                f"masculin pluriel seul « {masculine} » (écrire aussi « {feminine} ») dans « {sentence.strip()[:120]} »"
                for masculine, feminine in GENERIC_PLURALS.items()
                if re.search(rf"\b{masculine}\b", sentence, re.I) and not re.search(rf"\b{feminine}\b", sentence, re.I)
            ]
    return found


@pytest.mark.parametrize("where", learner_texts())
def test_no_form_outside_the_convention(where):
    found = form_problems(text_of(where))
    assert not found, f"{where} :\n" + "\n".join(found)


def test_the_generic_plural_check_can_fail():
    old = "Il a mené le programme des médiateurs de santé pairs. Le pool de formateurs et formatrices se réunit."
    assert form_problems(old) == [
        "masculin pluriel seul « médiateurs » (écrire aussi « médiatrices ») dans "
        "« Il a mené le programme des médiateurs de santé pairs. »"
    ]


#: A string literal in JavaScript (single, double or back quotes).
JS_STRING = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|`(?:[^`\\]|\\.)*`")


def python_strings(path: Path) -> list[str]:
    """The string literals of a Python file that a user may see: every one but the docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def widget_sources() -> list[Path]:
    widgets = REPO_ROOT / "widgets"
    return sorted(p for p in widgets.rglob("*") if p.suffix in (".py", ".js") and "__pycache__" not in p.parts)


def widget_strings(path: Path) -> list[str]:
    """What ``path`` may show a user: its string literals (Python docstrings and comments excluded)."""
    if path.suffix == ".py":
        return python_strings(path)
    return [literal[1:-1] for literal in JS_STRING.findall(path.read_text(encoding="utf-8"))]


def widget_problems(path: Path) -> list[str]:
    """Forbidden forms, generic masculine plurals, and « travailleur pair » alone in a sentence of a string."""
    found = []
    for text in widget_strings(path):
        found += form_problems(text)
        found += [
            f"« travailleur pair » sans « travailleuse paire » dans « {sentence.strip()[:120]} »"
            for sentence in SENTENCE_END.split(readable(text))
            if MASCULINE.search(sentence) and not FEMININE.search(sentence)
        ]
    return found


def test_the_widget_strings_are_read():
    """The check sees Python strings (not docstrings) and JavaScript strings."""
    names = {p.name for p in widget_sources()}
    assert {"model.py", "memory.js", "salle.js"} <= names
    pret = REPO_ROOT / "widgets" / "pret" / "report.py"
    assert any("prêt·e" in text for text in widget_strings(pret))
    assert not any(text.startswith("Tests of") or text.startswith("Printable") for text in widget_strings(pret))


def test_the_widget_check_can_fail(tmp_path):
    sample = tmp_path / "vue.py"
    sample.write_text(
        '"""Le travailleur pair : une docstring, jamais montrée."""\n'
        'TITRE = "Suis-je prêt·e à accueillir un travailleur pair ?"\n'
        "AIDE = 'Demandez aux formateurs.'\n",
        encoding="utf-8",
    )
    script = tmp_path / "vue.js"
    script.write_text(
        "const t = `Les travailleur·ses pair·es`; // travailleur pair dans un commentaire\n", encoding="utf-8"
    )
    assert len(widget_problems(sample)) == 2 and len(widget_problems(script)) == 1


@pytest.mark.parametrize("path", widget_sources(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_widget_strings_follow_the_convention(path):
    where = str(path.relative_to(REPO_ROOT))
    found = widget_problems(path)
    assert not found, (
        f"{where} : textes affichés hors de la convention d'écriture inclusive (docs/regles-de-contenu.md) :\n"
        + "\n".join(found)
    )


def masculine_alone(path: Path) -> list[str]:
    """Sentences of ``path`` naming « travailleur(s) pair(s) » with no « travailleuse(s) paire(s) » beside it.

    Why per sentence: each statement of « Suis-je prêt·e ? » is read on its own, aloud, by a team; the
    doublet in a chapter's first lines does not reach it. So the masculine may appear only inside its
    own doublet (« un travailleur pair ou une travailleuse paire »); otherwise the statement says
    « la personne paire ». Quotations stay as written. YAML is parsed, so a value folded over several
    lines is still one text.
    """
    raw = path.read_text(encoding="utf-8")
    texts = strings_of(yaml.safe_load(raw)) if path.suffix in (".yml", ".yaml") else raw.splitlines()
    return [
        sentence
        for text in texts
        for sentence in SENTENCE_END.split(readable(text))
        if MASCULINE.search(sentence) and not FEMININE.search(sentence)
    ]


def about_no_real_person(path: Path, where: str) -> list[str]:
    """The sentences of ``masculine_alone(path)`` not allowed by REAL_PEOPLE for the file ``where``.

    Why ``where`` apart from ``path``: an old version of a file, copied elsewhere, is judged with the
    allowances of the file it came from.
    """
    allowed = [fragment for file, fragment, _ in REAL_PEOPLE if file == where]
    return [sentence for sentence in masculine_alone(path) if not any(f in sentence for f in allowed)]


def test_the_masculine_alone_check_can_fail(tmp_path):
    sample = tmp_path / "items.yml"
    sample.write_text(
        "- affirmation: Le travailleur pair est écouté. Une travailleuse paire aussi.\n"
        "  force: >-\n    L'embauche d'un travailleur pair\n    ou d'une travailleuse paire se prépare.\n"
        "  vigilance: Les travailleurs pairs d'autres structures.\n"
        "  action: Citez « le travailleur pair » tel quel, avec la personne paire.\n",
        encoding="utf-8",
    )
    assert masculine_alone(sample) == ["Le travailleur pair est écouté.", "Les travailleurs pairs d'autres structures."]


def test_the_pret_exercise_has_data_to_check():
    assert REPO_ROOT / "data" / "pret" / "items.yml" in PRET_FILES


@pytest.mark.parametrize("path", PRET_FILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_the_pret_statements_never_use_the_masculine_alone(path):
    found = masculine_alone(path)
    assert not found, (
        f"{path.relative_to(REPO_ROOT)} : « travailleur pair » sans « travailleuse paire » dans la même phrase "
        "(écrire « la personne paire » ou « un travailleur pair ou une travailleuse paire ») :\n" + "\n".join(found)
    )


def test_the_quizzes_have_data_to_check():
    assert [p.stem for p in QUIZ_FILES] == list(quiz_chapters()) and len(QUIZ_FILES) >= 7


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_the_quizzes_never_use_the_masculine_alone(path):
    where = str(path.relative_to(REPO_ROOT))
    found = about_no_real_person(path, where)
    assert not found, (
        f"{where} : « travailleur pair » sans « travailleuse paire » dans la même phrase (écrire « la personne "
        "paire » ou « un travailleur pair ou une travailleuse paire » ; une personne réelle va dans REAL_PEOPLE) :\n"
        + "\n".join(found)
    )


@pytest.mark.parametrize("entry", REAL_PEOPLE, ids=lambda e: f"{e[0]}:{e[1]}")
def test_each_real_person_allowance_matches_one_sentence(entry):
    where, fragment, why = entry
    assert why.strip(), f"{where} : « {fragment} » sans raison"
    matching = [s for s in masculine_alone(REPO_ROOT / where) if fragment in s]
    assert len(matching) == 1, f"{where} : « {fragment} » couvre {len(matching)} phrase(s) au lieu d'une : {matching}"


def test_the_quiz_check_catches_generic_mentions_but_not_the_real_speaker(tmp_path):
    """Old wording of pairite-5 (before the convention): the speaker stays, the generic mentions are caught."""
    old = tmp_path / "pairite.yml"
    old.write_text(
        "- chapitre: pairite\n  id: pairite-5\n"
        "  question: Votre équipe veut changer le règlement de fonctionnement du centre. Comment appliquer la phrase\n"
        "    dite par un travailleur pair à la table ronde, « On ne fait rien pour nous sans nous » ?\n"
        "  reponses:\n"
        "  - texte: Demander seulement l'avis du travailleur pair, qui parle pour toutes les personnes accompagnées.\n"
        "    juste: false\n"
        "    explication: Le travailleur pair apporte un regard précieux, mais il ne remplace pas la parole de\n"
        "      toutes les personnes concernées. Il faut ouvrir les espaces à toutes et tous.\n",
        encoding="utf-8",
    )
    assert about_no_real_person(old, "data/quiz/pairite.yml") == [
        "Demander seulement l'avis du travailleur pair, qui parle pour toutes les personnes accompagnées.",
        "Le travailleur pair apporte un regard précieux, mais il ne remplace pas la parole de toutes les personnes "
        "concernées.",
    ]
    assert len(about_no_real_person(old, "data/quiz/animer.yml")) == 3, "the allowance is for its own file only"


@pytest.mark.parametrize("name", teaching_chapters())
def test_the_doublet_comes_before_the_first_short_form(name):
    text = readable(chapter_markdown(name))
    short = SHORT_FORM.search(text)
    if short is None:
        return
    doublet = DOUBLET.search(text)
    assert doublet and doublet.start() < short.start(), (
        f"{name} : « {short.group(0)} » apparaît avant le doublet en entier (« travailleurs et travailleuses pairs »)"
    )


@pytest.mark.parametrize("name", [n for n in toc_files() if not n.endswith("glossaire")])
def test_headings_write_the_doublet_not_the_short_form(name):
    headings = [line for line in chapter_markdown(name).splitlines() if line.startswith("#")]
    short = [line for line in headings if "·" in QUOTATION.sub(" ", line)]
    assert not short, f"{name} : point médian dans un titre : {short}"


def test_the_maintainers_pages_state_the_convention():
    rules = (REPO_ROOT / "docs" / "regles-de-contenu.md").read_text(encoding="utf-8")
    assert "## Écriture inclusive" in rules
    section = rules.split("## Écriture inclusive", 1)[1].split("\n## ", 1)[0]
    assert "travailleur·euses pair·es" in section and "travailleurs et travailleuses pairs" in section


def test_the_chapters_exist():
    assert all(Path(REPO_ROOT / f"{name}.md").exists() for name in toc_files())
