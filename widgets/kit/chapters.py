"""Reading each chapter's own teaching metadata: its « Fiche pédagogique » and « Pour animer cette séquence ».

Why read the chapter text instead of a second file: the trainer's boxes are written once, in the
chapter, by the people who write the chapter. The session plans, the planner and the trainer's
handouts read them from there, so a change in a chapter reaches every plan at the next build and no
copy drifts. The price is a small, documented format (checked by ``tests/unit/test_kit_chapters.py``):

```
:::{admonition} Fiche pédagogique
- **Objectifs** : à la fin, vous saurez :
  - premier objectif ;
  - deuxième objectif.
- **Durée** : 1 h 30 en groupe, 30 min en lecture seule.
- **Public** : …
- **Matériel** : …
:::

:::{admonition} Pour animer cette séquence
- **Durée** : 1 h 30.
- **Question pour lancer** : « … »
- **Déroulé** :
  1. Tour de parole sur la question de départ (10 min).
  2. (15 min) Vote avec les feux tricolores.
- **Pièges à éviter** :
  - …
:::
```

Rules the parser follows (and nothing more clever):

* a field is a top-level bullet ``- **Nom** : texte``; its sub-items are the indented lines below it;
* the steps of « Déroulé » are its numbered sub-items (``1.`` or ``1)``); when the steps are written
  on one line (``1) … 2) …``) they are cut at each number in sequence; when there is no number they
  are cut at each « ; »;
* a step's duration is the first ``(N min)`` or ``(N h M)`` in it; it is removed from the text;
* steps without a duration share what is left of the « Pour animer » duration equally, rounded to
  5 minutes, and are marked *estimated* (the views show « ≈ »);
* a step's tools are those of ``data/kit/outils.yml`` whose ``mots_cles`` appear in it (whole words).

A chapter that breaks these rules stops the kit with a French message naming the file and the line,
like a malformed data file (:class:`widgets.data.DataFileError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from widgets import droit
from widgets.data import REPO_ROOT, DataFileError
from widgets.kit.model import Phase, Tool

CHAPTERS_DIR = REPO_ROOT / "chapters"
CHAPTER_GLOB = "[0-9][0-9]-*.md"
FICHE_TITLE = "Fiche pédagogique"
ANIMER_TITLE = "Pour animer cette séquence"

_FIELD = re.compile(r"^- \*\*(?P<name>[^*]+)\*\*\s*:?\s*(?P<text>.*)$")
_SUBITEM = re.compile(r"^\s+(?:[-*]|\d+[.)])\s+(?P<text>.*)$")
_NUMBERED = re.compile(r"^\s+\d+[.)]\s+")
_DURATION = re.compile(r"(\d+)\s*h(?:\s*(\d{1,2})(?!\s*min))?|(\d+)\s*min")
_STEP_DURATION = re.compile(r"\(\s*(?:(\d+)\s*h(?:\s*(\d{1,2}))?|(\d+)\s*min)\s*\)\s*")
_ROLE = re.compile(r"\{\w+\}`([^`<]*?)(?:\s*<[^>]*>)?`")


def plain(text: str) -> str:
    """MyST text as a person reads it: figures (``{droit}`rsa_base```) their value (« 651,69 € »), other
    roles (``{term}`CVS```) their words; emphasis goes."""
    text = _ROLE.sub(r"\1", droit.render(text))
    text = re.sub(r"\*\*([^*]+)\*\*", r"\1", text)
    text = re.sub(r"(?<!\w)\*([^*]+)\*(?!\w)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def minutes_in(text: str) -> int | None:
    """The first duration written in ``text`` (« 1 h 30 », « 2 h », « 45 min »), in minutes."""
    match = _DURATION.search(text)
    if not match:
        return None
    if match.group(3):
        return int(match.group(3))
    return int(match.group(1)) * 60 + int(match.group(2) or 0)


@dataclass(frozen=True)
class Step:
    """One step of a chapter's « Déroulé »."""

    number: int
    text: str
    minutes: int | None
    tools: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()
    estimated: bool = False


@dataclass(frozen=True)
class Chapter:
    """A chapter's teaching metadata, in plain text (no MyST roles)."""

    id: str
    path: Path
    title: str
    objectives: tuple[str, ...]
    group_minutes: int | None
    duration_text: str
    audience: str
    material: str
    session_minutes: int
    opening_question: str
    steps: tuple[Step, ...]
    pitfalls: tuple[str, ...]

    @property
    def number(self) -> int:
        return int(self.id[:2])

    @property
    def short_title(self) -> str:
        return f"Chapitre {self.number} — {self.title}"

    def step(self, number: int) -> Step:
        for step in self.steps:
            if step.number == number:
                return step
        raise KeyError(number)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _block(lines: list[str], title: str, shown: str) -> tuple[int, list[str]]:
    """The lines inside ``:::{admonition} title`` … ``:::`` and the line number of the opening."""
    for number, line in enumerate(lines, start=1):
        if line.strip().startswith(":::{admonition}") and line.split("}", 1)[1].strip() == title:
            body: list[str] = []
            for inner in lines[number:]:
                if inner.strip().startswith(":::"):
                    return number, body
                body.append(inner)
            raise DataFileError(shown, number, None, f"l'encadré « {title} » n'est pas fermé par « ::: ».")
    raise DataFileError(shown, None, None, f"il manque l'encadré « {title} » (:::{{admonition}} {title}).")


def _fields(body: list[str], first_line: int) -> dict[str, tuple[int, str, list[str]]]:
    """``{name: (line, inline text, sub-item lines)}`` for each ``- **Name** : text`` bullet."""
    fields: dict[str, tuple[int, str, list[str]]] = {}
    current: str | None = None
    for offset, line in enumerate(body, start=1):
        match = _FIELD.match(line)
        if match:
            current = match.group("name").strip().rstrip(":").strip()
            fields[current] = (first_line + offset, match.group("text").strip(), [])
        elif current and line.strip() and line[:1].isspace():
            fields[current][2].append(line)
        elif line.strip() and not line.startswith(":"):
            current = None
    return fields


def _require(fields: dict, name: str, title: str, shown: str, line: int) -> tuple[int, str, list[str]]:
    if name not in fields:
        raise DataFileError(shown, line, None, f"l'encadré « {title} » n'a pas de ligne « - **{name}** : … ».")
    return fields[name]


def _items(sub: list[str]) -> list[str]:
    """Sub-items, a continuation line joined to the item above it."""
    items: list[str] = []
    for line in sub:
        match = _SUBITEM.match(line)
        if match:
            items.append(match.group("text"))
        elif items:
            items[-1] += " " + line.strip()
    return [plain(i).rstrip(" ;.").strip() for i in items if plain(i)]


def _split_inline_steps(text: str) -> list[str]:
    """« 1) Ouvrir. 2) Faire. » → ["Ouvrir.", "Faire."], cutting only at numbers in sequence
    (so that « 2024) » inside a step is not taken for a step number); without numbers, at « ; »."""
    starts: list[tuple[int, int]] = []
    for match in re.finditer(r"(?:(?<=\s)|^)(\d+)\)\s", text):
        if int(match.group(1)) == len(starts) + 1:
            starts.append((match.start(), match.end()))
    if len(starts) < 2:
        return [part for part in (p.strip() for p in text.split(" ; ")) if part]
    ends = [start for start, _ in starts[1:]] + [len(text)]
    return [text[body:end].strip() for (_, body), end in zip(starts, ends, strict=True)]


def _word_in(keyword: str, text: str) -> int:
    """Position of ``keyword`` as whole words in ``text`` (lower case), or -1."""
    match = re.search(r"(?<!\w)" + re.escape(keyword) + r"(?!\w)", text)
    return match.start() if match else -1


def tools_in(text: str, tools: tuple[Tool, ...]) -> tuple[str, ...]:
    """Ids of the tools named in ``text``, in the order they appear."""
    lowered = text.lower()
    found = []
    for tool in tools:
        positions = [p for p in (_word_in(k.lower(), lowered) for k in tool.keywords) if p >= 0]
        if positions:
            found.append((min(positions), tool.id))
    return tuple(tool_id for _, tool_id in sorted(found))


def _shares(total: int, count: int) -> list[int]:
    """``total`` minutes cut into ``count`` shares of whole 5 minutes (the first ones get the extra)."""
    units, rest = divmod(max(total, 5 * count), 5)
    base, extra = divmod(units, count)
    shares = [5 * (base + (1 if i < extra else 0)) for i in range(count)]
    shares[-1] += rest
    return shares


def _estimate(steps: list[Step], session_minutes: int, by_id: dict[str, Tool]) -> list[Step]:
    """Fill the durations a chapter does not give (see the module's docstring): a step naming tools
    gets their usual durations; the other steps share what is left. If the tools alone would not fit,
    every untimed step gets an equal share."""
    missing = [s for s in steps if s.minutes is None]
    if not missing:
        return steps
    left = session_minutes - sum(s.minutes or 0 for s in steps)
    with_tools = {s.number: sum(by_id[t].minutes for t in s.tools) for s in missing if s.tools}
    others = [s for s in missing if s.number not in with_tools]
    if with_tools and sum(with_tools.values()) + 5 * len(others) <= left:
        estimates = dict(with_tools)
        if others:
            estimates.update(
                zip((s.number for s in others), _shares(left - sum(with_tools.values()), len(others)), strict=True)
            )
    else:
        estimates = dict(zip((s.number for s in missing), _shares(left, len(missing)), strict=True))
    return [replace(s, minutes=estimates[s.number], estimated=True) if s.minutes is None else s for s in steps]


def _steps(raw: list[str], session_minutes: int, tools: tuple[Tool, ...]) -> tuple[Step, ...]:
    by_id = {t.id: t for t in tools}
    parsed = []
    for number, text in enumerate(raw, start=1):
        match = _STEP_DURATION.search(text)
        minutes = None
        if match:
            if match.group(3):
                minutes = int(match.group(3))
            else:
                minutes = int(match.group(1)) * 60 + int(match.group(2) or 0)
            text = (text[: match.start()] + " " + text[match.end() :]).strip()
            text = re.sub(r"\s+([.,])", r"\1", text).strip()
        text = plain(text).rstrip(" ;").strip()
        if text and text[-1] not in ".?!»":
            text += "."
        found = tools_in(text, tools)
        phases: list[Phase] = []
        for tool_id in found:
            if by_id[tool_id].phase not in phases:
                phases.append(by_id[tool_id].phase)
        parsed.append(Step(number, text[:1].upper() + text[1:], minutes, found, tuple(phases)))
    return tuple(_estimate(parsed, session_minutes, by_id))


def parse_chapter(path: Path, tools: tuple[Tool, ...]) -> Chapter:
    """Read a chapter file's two boxes (see the module's docstring for the format)."""
    shown = _display(path)
    if not path.exists():
        raise DataFileError(shown, None, None, "le fichier est introuvable.")
    lines = path.read_text(encoding="utf-8").splitlines()
    title = next((plain(line[2:]) for line in lines if line.startswith("# ")), None)
    if not title:
        raise DataFileError(shown, None, None, "le chapitre n'a pas de titre « # … ».")

    fiche_line, fiche = _block(lines, FICHE_TITLE, shown)
    fields = _fields(fiche, fiche_line)
    line, inline, sub = _require(fields, "Objectifs", FICHE_TITLE, shown, fiche_line)
    objectives = tuple(_items(sub)) or tuple(
        p.strip() for p in plain(inline).split(";") if p.strip() and not p.strip().endswith(":")
    )
    if not objectives:
        raise DataFileError(shown, line, "Objectifs", "aucun objectif n'est écrit sous « Objectifs ».")
    _, duration_text, _ = _require(fields, "Durée", FICHE_TITLE, shown, fiche_line)
    audience = plain(fields.get("Public", (0, "", []))[1])
    material = plain(fields.get("Matériel", (0, "", []))[1])

    animer_line, animer = _block(lines, ANIMER_TITLE, shown)
    fields = _fields(animer, animer_line)
    line, inline, _ = _require(fields, "Durée", ANIMER_TITLE, shown, animer_line)
    session_minutes = minutes_in(inline)
    if not session_minutes:
        raise DataFileError(
            shown, line, "Durée", f"« {plain(inline)} » ne donne pas de durée (par exemple « 1 h 30 »)."
        )
    question = plain(fields.get("Question pour lancer", (0, "", []))[1])
    line, inline, sub = _require(fields, "Déroulé", ANIMER_TITLE, shown, animer_line)
    numbered = [s for s in sub if _NUMBERED.match(s)]
    raw = [plain(i) for i in _items(sub)] if numbered else _split_inline_steps(plain(inline))
    if len(raw) < 2:
        raise DataFileError(shown, line, "Déroulé", "il faut au moins deux étapes numérotées (1. … 2. …).")
    steps = _steps(raw, session_minutes, tools)
    pitfalls_line = fields.get("Pièges à éviter")
    pitfalls: tuple[str, ...] = ()
    if pitfalls_line:
        pitfalls = tuple(_items(pitfalls_line[2])) or tuple(
            p.strip().rstrip(".") for p in plain(pitfalls_line[1]).split(" ; ") if p.strip()
        )
    return Chapter(
        id=path.stem,
        path=path,
        title=title,
        objectives=objectives,
        group_minutes=minutes_in(duration_text.split(",")[0]) if "groupe" in duration_text else None,
        duration_text=plain(duration_text),
        audience=audience,
        material=material,
        session_minutes=session_minutes,
        opening_question=question,
        steps=steps,
        pitfalls=pitfalls,
    )


def chapter_paths(directory: Path | None = None) -> tuple[Path, ...]:
    """The numbered chapters (``NN-nom.md``), in reading order."""
    return tuple(sorted((directory or CHAPTERS_DIR).glob(CHAPTER_GLOB)))


@lru_cache(maxsize=4)
def load_chapters(directory: Path | None = None) -> tuple[Chapter, ...]:
    """Every numbered chapter's metadata (cached: chapters do not change while the course runs)."""
    from widgets.kit.content import load_tools

    tools = load_tools()
    return tuple(parse_chapter(path, tools) for path in chapter_paths(directory))
