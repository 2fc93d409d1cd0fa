"""Loading the trainer's kit from ``data/kit/`` through the one schema layer (:mod:`widgets.data`).

Why here and not in the model: the model works on typed objects that tests build by hand; this
module turns the trainers' YAML files into those objects, and any typo stops the kit at load time
with the file, the entry and the field named in French.

Files:

* ``outils.yml`` — each facilitation tool (EPIC phase, purpose, duration, group, material, what the
  study day's report says of it, source). The one description of the tools: nothing else repeats it.
* ``seances.yml`` — the ready sessions (3 hours, one day, two days): which chapters' steps, tools and
  breaks, in which order. Their timing, objectives and material are computed (:mod:`widgets.kit.plans`).
* ``metiers.yml``, ``abaque.yml`` — what the printable cards show besides the continuum situations
  and the remuneration cases (read from their own files).
* ``notes.yml``, ``numeros.yml``, ``questionnaire.yml`` — the facilitation notes, the numbers to give
  when someone is in distress, and the end-of-session questionnaire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from widgets.data import Column, DataFileError, Record, Schema, load_yaml
from widgets.kit.model import Phase, Tool

PHASE_IDS = tuple(p.name.lower() for p in Phase)
ORIGINS = ("compte rendu", "source", "conseil du cours", "non précisé")


def _check_range(record: Record) -> str | None:
    if not record["duree_min"] <= record["duree"] <= record["duree_max"]:
        return (
            f"la durée conseillée ({record['duree']} min) doit être entre duree_min ({record['duree_min']}) "
            f"et duree_max ({record['duree_max']})."
        )
    low, high = record["groupe_min"], record["groupe_max"]
    if low is not None and high is not None and low > high:
        return f"groupe_min ({low}) est plus grand que groupe_max ({high})."
    if record["groupe_origine"] == "non précisé" and (low is not None or high is not None):
        return "une taille de groupe chiffrée doit dire d'où elle vient (groupe_origine)."
    if record["phase"] in record["autres_phases"]:
        return "autres_phases ne doit pas répéter la phase principale."
    return None


TOOL_SCHEMA = Schema(
    columns=(
        Column("id"),
        Column("nom"),
        Column("phase", choices=PHASE_IDS),
        Column("autres_phases", list, required=False),
        Column("but"),
        Column("consigne"),
        Column("duree", int, minimum=1, maximum=480),
        Column("duree_min", int, minimum=1, maximum=480),
        Column("duree_max", int, minimum=1, maximum=480),
        Column("duree_origine", choices=ORIGINS[:3]),
        Column("groupe"),
        Column("groupe_min", int, required=False, minimum=1, maximum=500),
        Column("groupe_max", int, required=False, minimum=1, maximum=500),
        Column("groupe_origine", choices=ORIGINS),
        Column("materiel", list, min_items=1),
        Column("compte_rendu"),
        Column("accessibilite"),
        Column("source"),
        Column("mots_cles", list, min_items=1),
    ),
    unique=("id", "nom"),
    checks=(_check_range,),
)
TOOLS_FILE = "kit/outils.yml"

Entry = TypeVar("Entry")


def _entries(file: str, schema: Schema, make: Callable[..., Entry], *columns: str) -> tuple[Entry, ...]:
    """Each entry of ``data/<file>``, validated by :mod:`widgets.data` (a typo stops the kit with the
    file, the entry and the field named in French), built as ``make(entry[column], …)``.

    Why one loader: the kit's flat files (jobs, notes, numbers, questionnaire) differ only by their
    schema, their type and which column feeds which field; naming the columns at each call keeps that
    mapping explicit, so reordering a schema cannot shift a value into the wrong field.
    """
    return tuple(make(*(record[column] for column in columns)) for record in load_yaml(file, schema))


def _strings(path: str, row: str, column: str, values: list) -> tuple[str, ...]:
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise DataFileError(path, row, column, "chaque élément de la liste doit être un texte.")
    return tuple(v.strip() for v in values)


@lru_cache(maxsize=1)
def load_tools() -> tuple[Tool, ...]:
    """The facilitation tools of ``data/kit/outils.yml``, in file order."""
    tools = []
    for index, r in enumerate(load_yaml(TOOLS_FILE, TOOL_SCHEMA), start=1):
        row = f"entrée n° {index}"
        others = _strings(f"data/{TOOLS_FILE}", row, "autres_phases", r["autres_phases"])
        for other in others:
            if other not in PHASE_IDS:
                allowed = ", ".join(f"« {p} »" for p in PHASE_IDS)
                raise DataFileError(
                    f"data/{TOOLS_FILE}", row, "autres_phases", f"« {other} » n'est pas une étape ({allowed})."
                )
        tools.append(
            Tool(
                id=r["id"],
                name=r["nom"],
                phase=Phase.from_id(r["phase"]),
                other_phases=tuple(Phase.from_id(p) for p in others),
                purpose=r["but"],
                instruction=r["consigne"],
                minutes=r["duree"],
                min_minutes=r["duree_min"],
                max_minutes=r["duree_max"],
                minutes_origin=r["duree_origine"],
                group=r["groupe"],
                group_min=r["groupe_min"],
                group_max=r["groupe_max"],
                group_origin=r["groupe_origine"],
                material=_strings(f"data/{TOOLS_FILE}", row, "materiel", r["materiel"]),
                report=r["compte_rendu"],
                accessibility=r["accessibilite"],
                source=r["source"],
                keywords=tuple(k.lower() for k in _strings(f"data/{TOOLS_FILE}", row, "mots_cles", r["mots_cles"])),
            )
        )
    return tuple(tools)


def tools_by_id() -> dict[str, Tool]:
    return {tool.id: tool for tool in load_tools()}


# --- Ready sessions -------------------------------------------------------------------------------

KINDS = ("chapitre", "outil", "activite", "pause", "repas", "evaluation", "jour")


def _check_entry(record: Record) -> str | None:
    kind = record["type"]
    needs = {
        "chapitre": ("chapitre",),
        "outil": ("outil",),
        "activite": ("titre", "minutes"),
        "pause": ("minutes",),
        "repas": ("minutes",),
        "evaluation": ("minutes",),
        "jour": (),
    }[kind]
    for name in needs:
        if record[name] in (None, [], ""):
            return f"une ligne de type « {kind} » doit avoir le champ « {name} »."
    if record["etapes"] and kind != "chapitre":
        return "le champ « etapes » ne sert que pour une ligne de type « chapitre »."
    if kind == "jour" and record["minutes"] is not None:
        return "un changement de jour n'a pas de durée."
    return None


ENTRY_SCHEMA = Schema(
    columns=(
        Column("type", choices=KINDS),
        Column("chapitre", required=False),
        Column("etapes", list, required=False),
        Column("outil", required=False),
        Column("titre", required=False),
        Column("minutes", int, required=False, minimum=1, maximum=480),
        Column("detail", required=False),
    ),
    checks=(_check_entry,),
)

SESSION_SCHEMA = Schema(
    columns=(
        Column("id"),
        Column("titre"),
        Column("duree_minutes", int, minimum=15, maximum=2400),
        Column("jours", int, minimum=1, maximum=5),
        Column("debut"),
        Column("public"),
        Column("objectif"),
        Column("evaluation"),
        Column("materiel", list, required=False),
        Column("deroule", list, items=ENTRY_SCHEMA, min_items=1),
    ),
    unique=("id", "titre"),
)
SESSIONS_FILE = "kit/seances.yml"


@dataclass(frozen=True)
class SessionEntry:
    kind: str
    chapter: str | None
    steps: tuple[int, ...]
    tool: str | None
    title: str | None
    minutes: int | None
    detail: str | None


@dataclass(frozen=True)
class SessionSpec:
    """A ready session as written in ``data/kit/seances.yml`` (before timing)."""

    id: str
    title: str
    length: int
    days: int
    start: str
    audience: str
    aim: str
    evaluation: str
    material: tuple[str, ...]
    entries: tuple[SessionEntry, ...]
    row: str


@lru_cache(maxsize=1)
def load_session_specs() -> tuple[SessionSpec, ...]:
    specs = []
    path = f"data/{SESSIONS_FILE}"
    for index, r in enumerate(load_yaml(SESSIONS_FILE, SESSION_SCHEMA), start=1):
        row = f"entrée n° {index} ({r['id']})"
        entries = []
        for number, e in enumerate(r["deroule"], start=1):
            steps = []
            for value in e["etapes"]:
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise DataFileError(
                        path, row, f"deroule[{number}].etapes", f"« {value} » n'est pas un numéro d'étape."
                    )
                steps.append(value)
            entries.append(
                SessionEntry(e["type"], e["chapitre"], tuple(steps), e["outil"], e["titre"], e["minutes"], e["detail"])
            )
        specs.append(
            SessionSpec(
                id=r["id"],
                title=r["titre"],
                length=r["duree_minutes"],
                days=r["jours"],
                start=r["debut"],
                audience=r["public"],
                aim=r["objectif"],
                evaluation=r["evaluation"],
                material=_strings(path, row, "materiel", r["materiel"]),
                entries=tuple(entries),
                row=row,
            )
        )
    return tuple(specs)


# --- Job titles of chapter 1 (cards) --------------------------------------------------------------

JOB_SCHEMA = Schema(
    columns=(Column("titre"), Column("precision", required=False), Column("source")),
    unique=("titre",),
)
JOBS_FILE = "kit/metiers.yml"


@dataclass(frozen=True)
class Job:
    title: str
    detail: str
    source: str


@lru_cache(maxsize=1)
def load_jobs() -> tuple[Job, ...]:
    """The peer job titles chapter 1 cites, with who cites each (``data/kit/metiers.yml``)."""
    return _entries(
        JOBS_FILE,
        JOB_SCHEMA,
        lambda title, detail, source: Job(title, detail or "", source),
        "titre",
        "precision",
        "source",
    )


# --- Facilitation notes, numbers to give, end-of-session questionnaire ---------------------------

NOTE_ORIGINS = ("compte rendu", "source", "conseil du cours")


def _check_point(record: Record) -> str | None:
    if record["origine"] in ("compte rendu", "source") and not record["source"]:
        return "un point qui vient d'une source ou du compte rendu doit dire laquelle (champ « source »)."
    return None


POINT_SCHEMA = Schema(
    columns=(Column("texte"), Column("origine", choices=NOTE_ORIGINS), Column("source", required=False)),
    checks=(_check_point,),
)
NOTE_SCHEMA = Schema(
    columns=(Column("id"), Column("titre"), Column("points", list, items=POINT_SCHEMA, min_items=1)),
    unique=("id", "titre"),
)
NOTES_FILE = "kit/notes.yml"


@dataclass(frozen=True)
class NotePoint:
    text: str
    origin: str
    source: str


@dataclass(frozen=True)
class Note:
    id: str
    title: str
    points: tuple[NotePoint, ...]


@lru_cache(maxsize=1)
def load_notes() -> tuple[Note, ...]:
    """The facilitation notes (pair, group and room, right not to share, distress)."""
    return _entries(
        NOTES_FILE,
        NOTE_SCHEMA,
        lambda key, title, points: Note(
            key, title, tuple(NotePoint(p["texte"], p["origine"], p["source"] or "") for p in points)
        ),
        "id",
        "titre",
        "points",
    )


NUMBER_SCHEMA = Schema(
    columns=(
        Column("numero"),
        Column("nom"),
        Column("pour_qui"),
        Column("quand"),
        Column("verifie", bool),
        Column("source"),
    ),
    unique=("numero",),
    checks=(
        lambda r: (
            None
            if r["verifie"] or "vérifier" in r["quand"]
            else "un numéro non vérifié doit dire « à vérifier » dans le champ « quand »."
        ),
        lambda r: (
            None
            if not r["verifie"] or "://" in r["source"]
            else "un numéro vérifié doit donner l'adresse de la page qui le dit (champ « source »)."
        ),
    ),
)
NUMBERS_FILE = "kit/numeros.yml"


@dataclass(frozen=True)
class HelpNumber:
    number: str
    name: str
    for_whom: str
    when: str
    checked: bool
    source: str


@lru_cache(maxsize=1)
def load_numbers() -> tuple[HelpNumber, ...]:
    """The numbers to give when someone is in distress, each with the page that says what it is."""
    return _entries(NUMBERS_FILE, NUMBER_SCHEMA, HelpNumber, "numero", "nom", "pour_qui", "quand", "verifie", "source")


QUESTION_SCHEMA = Schema(
    columns=(
        Column("id"),
        Column("partie", choices=("apprentissage", "satisfaction")),
        Column("type", choices=("echelle", "texte")),
        Column("question"),
    ),
    unique=("id", "question"),
)
QUESTIONS_FILE = "kit/questionnaire.yml"
SCALE = ("Pas du tout", "Un peu", "Plutôt oui", "Tout à fait", "Je ne sais pas")


@dataclass(frozen=True)
class Question:
    id: str
    part: str
    kind: str
    text: str


@lru_cache(maxsize=1)
def load_questions() -> tuple[Question, ...]:
    """The end-of-session questionnaire (learning, then satisfaction)."""
    return _entries(QUESTIONS_FILE, QUESTION_SCHEMA, Question, "id", "partie", "type", "question")
