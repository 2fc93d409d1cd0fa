"""French formatting of numbers and amounts, shared by every view and by static tables.

Why a module of its own: learners read « 1 228,78 € », not « 1228.78 »; one function per format
keeps the whole course consistent and keeps models free of presentation code.
"""

from __future__ import annotations

NBSP = "\u202f"  # narrow no-break space, the French thousands separator


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
