"""French formatting of numbers, amounts, dates, hours and plurals, shared by every view and by static tables.

Why a module of its own: learners read « 1 228,78 € », not « 1228.78 »; one function per format
keeps the whole course consistent and keeps models free of presentation code.
"""

from __future__ import annotations

import re
from datetime import date

NBSP = "\u202f"  # narrow no-break space, the French thousands separator

_BEFORE = re.compile(r"[ \u00a0]+([?!:;»])")
_AFTER = re.compile(r"«[ \u00a0]+")


def format_number(value: float, decimals: int = 0) -> str:
    """Format ``value`` the French way: ``1 234,5`` (thousands with a narrow no-break space)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def format_euros(value: float, decimals: int = 2) -> str:
    """Format an amount in euros: ``1 228,78 €``."""
    return f"{format_number(value, decimals)}\u00a0€"


def parse_number(text: str, field: str) -> float:
    """Read a number typed the French way (« 450 », « 450,50 », « 1 200 »).

    Raises ValueError with a French message naming ``field``: learners type in text boxes, and a
    typo must become a sentence next to the field, not a traceback.
    """
    cleaned = str(text).strip().replace(NBSP, "").replace("\u00a0", "").replace(" ", "").replace("€", "")
    if not cleaned:
        raise ValueError(f"{field} : la case est vide. Indiquez un nombre.")
    try:
        return float(cleaned.replace(",", "."))
    except ValueError:
        raise ValueError(f"{field} : « {text} » n'est pas un nombre. Écrivez par exemple 450 ou 450,50.") from None


MONTH_NAMES: tuple[str, ...] = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
"""Month names in lower case, as French writes them inside a sentence; ``MONTH_NAMES[0]`` is janvier.

Why written out: the server's locale is not French everywhere, and ``strftime("%B")`` would then say
« October »."""


def plural_word(n: float, singular: str, plural: str | None = None) -> str:
    """The word agreed with ``n``: ``singular`` below 2 (French: « 0 affirmation », « 1,5 heure »),
    else ``plural`` (default: ``singular`` + « s »). Use it for agreements away from the number
    (« placées »); use :func:`plural` for « 3 affirmations »."""
    if abs(n) < 2:
        return singular
    return plural if plural is not None else f"{singular}s"


def plural(n: float, singular: str, plural: str | None = None) -> str:
    """The number and its agreed noun: « 1 affirmation », « 2 affirmations », « 3 trimestres validés »
    (pass ``plural`` when adding « s » is wrong: « 2 travaux »). Why: « affirmation(s) » is hard to read
    aloud and a screen reader spells the brackets."""
    shown = format_number(n, 0) if float(n).is_integer() else format_number(n, 2).rstrip("0").rstrip(",")
    return f"{shown} {plural_word(n, singular, plural)}"


def format_date(day: date) -> str:
    """« 1er octobre 2026 », « 20 décembre 2023 »: the first of the month is « 1er », never « 1 »
    nor « 2026-10-01 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTH_NAMES[day.month - 1]} {day.year}"


def format_month(month: int, year: int | None = None) -> str:
    """« octobre » or « octobre 2026 » for month 1–12."""
    name = MONTH_NAMES[month - 1]
    return name if year is None else f"{name} {year}"


def format_hours(hours: float) -> str:
    """Hours with a decimal comma and no useless zeros: « 75,83 h », « 12,5 h », « 151 h »."""
    text = format_number(round(hours, 2), 2)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}\u00a0h"


def sentence(text: str) -> str:
    """``text`` ending with exactly one full stop: « payée » → « payée. », and « payée. » or « ? » stay
    as they are. Why: answers written with or without a final stop are glued into sentences, and
    « payée.. » reads as a typo."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…", "»", ":")) else f"{text}."


def list_and(items: list[str] | tuple[str, ...]) -> str:
    """« 2 », « 2 et 3 », « 2, 3 et 5 »: a French enumeration (no comma before « et »)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"


def typography(text: str) -> str:
    """French spacing that never breaks a line: a narrow no-break space before « ? ! : ; » and after
    « «. Why: with an ordinary space, a lone « ? » wraps onto the next line of a narrow column."""
    return _AFTER.sub("«" + NBSP, _BEFORE.sub(NBSP + r"\1", text))
