"""The simulator's typed fields: what each one expects, and the French sentence when it gets something else.

Why a module of its own (issue 18): every field used to answer « Écrivez par exemple 450 ou 450,50 »
to a typo, even an age or a number of hours. Each field here says what it expects — an age in
years, hours between 0 and 200, a rent in euros — in its help line, in its error message and in the
keyboard a phone opens for it (``inputmode``). Pure: no ipywidgets import, so the wording is tested
without a browser; :mod:`.form` builds the controls from these specs.
"""

from __future__ import annotations

from dataclasses import dataclass

from widgets.errors import InputError
from widgets.fr import format_euros, parse_number

from .inputs import MAX_ADULT_AGE, MAX_CHILD_AGE, MAX_HOURS, MAX_RATE, MAX_RENT, MIN_ADULT_AGE, SIM_YEAR


@dataclass(frozen=True)
class FieldSpec:
    """One typed field: its label, what it expects (help line and error message) and its keyboard."""

    #: The :class:`~widgets.errors.InputError` field a message about it names (``"age"``, ``"hourly_rate"``).
    name: str
    label: str
    #: What a number here is, for « « abc » n'est pas … »: « un âge », « un montant ».
    noun: str
    #: What to write instead, a whole sentence with an example.
    expects: str
    #: The help line under the label.
    hint: str
    #: A phone's keyboard: ``"decimal"`` (a comma) or ``"numeric"`` (digits only).
    inputmode: str = "decimal"
    placeholder: str = ""
    width: str = "short"

    def error(self, text: str, prefix: str = "") -> InputError:
        """The French message for ``text``, which is not what this field expects."""
        if not text.strip():
            return InputError(f"{prefix}{self.label} : la case est vide. {self.expects}", self.name)
        return InputError(f"{prefix}{self.label} : « {text.strip()} » n'est pas {self.noun}. {self.expects}", self.name)


AGE_WORDS = f"un âge en années, de {MIN_ADULT_AGE} à {MAX_ADULT_AGE} ans"
AGE = FieldSpec(
    "age",
    f"Âge (au 1er janvier {SIM_YEAR})",
    "un âge",
    f"Écrivez {AGE_WORDS}, par exemple 36.",
    f"En années, de {MIN_ADULT_AGE} à {MAX_ADULT_AGE} ans.",
    inputmode="numeric",
)
PARTNER_AGE = FieldSpec(
    "partner_age",
    f"Âge du conjoint ou de la conjointe (au 1er janvier {SIM_YEAR})",
    "un âge",
    f"Écrivez {AGE_WORDS}, par exemple 36.",
    f"En années, de {MIN_ADULT_AGE} à {MAX_ADULT_AGE} ans.",
    inputmode="numeric",
)
CHILDREN = FieldSpec(
    "children",
    f"Âges des enfants (au 1er janvier {SIM_YEAR})",
    "un âge",
    f"Écrivez l'âge de chaque enfant en années, de 0 à {MAX_CHILD_AGE} ans, séparés par une virgule, "
    "par exemple 5, 9. Laissez la case vide s'il n'y a pas d'enfant.",
    "En années, séparés par une virgule. Vide : pas d'enfant.",
    placeholder="par exemple : 5, 9",
    width="long",
)
RENT = FieldSpec(
    "rent",
    "Loyer mensuel (€)",
    "un montant",
    f"Écrivez un loyer en euros par mois, d'au plus {format_euros(MAX_RENT, 0)}, par exemple 450 ou 450,50.",
    "En euros par mois.",
)
#: The two fields of an offer: their messages start with « Offre 1 — ».
HOURS = FieldSpec(
    "hours_per_month",
    "… ou tapez les heures par mois",
    "un nombre d'heures",
    f"Écrivez un nombre d'heures par mois entre 0 et {MAX_HOURS:g}, par exemple 20 ou 75,83.",
    f"Entre 0 et {MAX_HOURS:g} heures par mois.",
    placeholder="par exemple 75,83",
)
RATE = FieldSpec(
    "hourly_rate",
    "Taux horaire brut (€)",
    "un montant",
    f"Écrivez un taux en euros de l'heure, brut, d'au plus {format_euros(MAX_RATE, 0)}, par exemple 12 ou "
    "12,50, ou laissez la case vide pour le SMIC.",
    "En euros de l'heure, brut. Vide : le SMIC.",
    placeholder="vide = SMIC",
)


def number(spec: FieldSpec, text: str, prefix: str = "") -> float:
    """The number typed in ``spec``'s field (« 450 », « 450,50 », « 1 200 »), or its French error."""
    try:
        return parse_number(text, spec.label)
    except ValueError:
        raise spec.error(text, prefix) from None


def whole_years(spec: FieldSpec, text: str) -> int:
    """An age typed in ``spec``'s field, or a French :class:`InputError` naming the field."""
    years = number(spec, text)
    if years != int(years):
        raise InputError(
            f"{spec.label} : « {text.strip()} » n'est pas un nombre entier d'années. {spec.expects}", spec.name
        )
    return int(years)


def children_ages(text: str) -> tuple[int, ...]:
    """« 5, 9 », « 5 et 9 », « 5 9 » or « 5;9 » -> (5, 9); empty -> no child."""
    cleaned = text.replace(";", ",").replace(" et ", ",")
    parts = [part for chunk in cleaned.split(",") for part in chunk.split()]
    return tuple(whole_years(CHILDREN, part) for part in parts)
