"""Loading the group mode's content from ``data/salle/`` (answers, colours, statements).

Why through :mod:`widgets.data`: trainers edit these files in a spreadsheet; a typo in a colour or
a missing word must stop the course at load time with the file, the row and the column named.
Colours are checked for contrast with their text (WCAG AA, 4.5:1), so a new colour cannot make a
button unreadable; every answer must have a word and a symbol, never colour alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from widgets.data import Column, DataFileError, Record, Schema, load_csv
from widgets.salle.model import Activity, Choice, Scale, Statement

SCALES_FILE = "salle/echelles.csv"
STATEMENTS_FILE = "salle/affirmations.csv"
MIN_CONTRAST = 4.5
SCALE_OF = {
    Activity.ABAQUE: "abaque",
    Activity.FEUX: "feux",
    Activity.METEO: "meteo",
}


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _check_choice(record: Record) -> str | None:
    for name in ("couleur", "couleur_texte"):
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", record[name]):
            return f"colonne « {name} » : « {record[name]} » n'est pas une couleur de la forme #1b5e20."
    ratio = contrast(record["couleur"], record["couleur_texte"])
    if ratio < MIN_CONTRAST:
        return (
            f"le texte {record['couleur_texte']} sur le fond {record['couleur']} se lit mal "
            f"(contraste {ratio:.1f} pour 1, il faut au moins {MIN_CONTRAST} pour 1)."
        )
    if not re.fullmatch(r"[a-z0-9-]+", record["id"]):
        return f"colonne « id » : « {record['id']} » doit n'avoir que des minuscules sans accent, des chiffres et des tirets."
    return None


SCALE_SCHEMA = Schema(
    columns=(
        Column("id"),
        Column("echelle", choices=tuple(SCALE_OF.values())),
        Column("ordre", int, minimum=1, maximum=12),
        Column("libelle"),
        Column("symbole"),
        Column("couleur"),
        Column("couleur_texte"),
        Column("abstention", bool),
        Column("source"),
    ),
    unique=("id",),
    checks=(_check_choice,),
)


def _check_statement(record: Record) -> str | None:
    if len(record["affirmation"]) > 200:
        return "colonne « affirmation » : 200 caractères au plus, pour qu'elle se lise sur un téléphone."
    return None


STATEMENT_SCHEMA = Schema(
    columns=(Column("id"), Column("theme"), Column("affirmation"), Column("origine")),
    unique=("id", "affirmation"),
    checks=(_check_statement,),
)


@lru_cache(maxsize=1)
def load_scales() -> dict[str, Scale]:
    """The answer scales by id (``abaque``, ``feux``, ``meteo``), each in its ``ordre``."""
    rows = load_csv(SCALES_FILE, SCALE_SCHEMA)
    scales: dict[str, Scale] = {}
    for name in SCALE_OF.values():
        mine = sorted((r for r in rows if r["echelle"] == name), key=lambda r: r["ordre"])
        if len(mine) < 2:
            raise DataFileError(
                f"data/{SCALES_FILE}", None, "echelle", f"l'échelle « {name} » doit avoir au moins deux réponses."
            )
        if len({r["ordre"] for r in mine}) != len(mine):
            raise DataFileError(
                f"data/{SCALES_FILE}", None, "ordre", f"deux réponses de l'échelle « {name} » ont le même ordre."
            )
        if sum(r["abstention"] for r in mine) != 1:
            raise DataFileError(
                f"data/{SCALES_FILE}",
                None,
                "abstention",
                f"l'échelle « {name} » doit avoir exactement une réponse « abstention » (le blanc) : "
                "chacun·e doit pouvoir ne pas répondre.",
            )
        scales[name] = Scale(
            name,
            tuple(
                Choice(r["id"], r["libelle"], r["symbole"], r["couleur"], r["couleur_texte"], r["abstention"])
                for r in mine
            ),
        )
    return scales


@lru_cache(maxsize=1)
def load_statements() -> tuple[Statement, ...]:
    rows = load_csv(STATEMENTS_FILE, STATEMENT_SCHEMA)
    return tuple(Statement(r["id"], r["theme"], r["affirmation"], r["origine"]) for r in rows)


def continuum_scale() -> Scale:
    """The continuum's steps as a scale: the answer to « where is this situation? » is a step.

    Read through :mod:`widgets.continuum.content` (the one loader of those files), so the group
    version and the individual exercise always share the same steps and situations.
    """
    from widgets.continuum.content import load_steps

    palette = ("#e3f2fd", "#bbdefb", "#90caf9", "#64b5f6", "#1e88e5", "#0d47a1", "#0a3570", "#06214a")
    choices = []
    for index, step in enumerate(load_steps()):
        colour = palette[min(index, len(palette) - 1)]
        text = "#000000" if contrast(colour, "#000000") >= MIN_CONTRAST else "#ffffff"
        choices.append(Choice(str(step.position), step.label, str(step.position), colour, text))
    return Scale("continuum", tuple(choices))


def scale_for(scale_id: str) -> Scale | None:
    if scale_id == "continuum":
        return continuum_scale()
    return load_scales().get(scale_id)
