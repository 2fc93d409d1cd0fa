"""The simulator's inputs: the person (:class:`HouseholdControls`) and each offer (:class:`OfferControls`).

Why components (issue 17): each one builds its controls, reads them into the model's dataclasses
(a French :class:`~widgets.errors.InputError` naming the field otherwise), shows a message next to
the field at fault, and gives and takes back what the learner typed (kept in this browser). Phone
first (issue 18): typed numbers are :class:`~widgets.controls.TextField` with the keyboard they need
and a help line saying what they expect (:mod:`.fields`); a choice whose options are sentences is a
:class:`~widgets.controls.RadioGroup`, whose options wrap instead of being cut.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets as t

from widgets import droit
from widgets.controls import RadioGroup, TextField
from widgets.errors import InputError
from widgets.fr import format_hours, format_month, parse_number
from widgets.ui import message_html

from . import fields
from .content import SITUATIONS, in_situation, load_communes
from .fields import FieldSpec
from .inputs import (
    DEFAULT_AGE,
    DEFAULT_DEPCOM,
    DEFAULT_RENT,
    FORMS,
    HOUSING,
    MAX_HOURS,
    SALARY_FORMS,
    SIM_YEAR,
    Household,
    Offer,
    offer_field,
)

HERE = Path(__file__).resolve().parent
FIELD = {"description_width": "initial"}
FULL = w.Layout(width="100%", max_width="40em")
#: Which months the CAF counts (the declaration is pre-filled since March 2025).
WINDOWS = (
    ("Les 4e, 3e et 2e mois avant (depuis mars 2025)", True),
    ("Les 3 mois juste avant (avant mars 2025)", False),
)
#: The month of the household's first quarterly declaration, and the next ones.
DECLARATIONS = (
    ("janvier, avril, juillet, octobre", 1),
    ("février, mai, août, novembre", 2),
    ("mars, juin, septembre, décembre", 3),
)
DECLARATION_HELP = (
    "La CAF fixe le RSA et la prime d'activité pour trois mois à chaque déclaration trimestrielle, en comptant "
    "des mois déjà passés. Les mois des déclarations dépendent du dossier du foyer."
)
SITUATION_LABELS = {
    "RSA + aide au logement": "Le RSA et, pour un locataire, l'aide au logement",
    "RSA": "Le RSA, sans aide au logement",
    "AAH": f"L'AAH (taux d'incapacité de {droit.text('aah_taux_incapacite')})",
    "aucune prestation": "Aucune prestation",
}


def number_text(value: float) -> str:
    """« 75,83 », « 450 »: how a number is written back into a field."""
    return format_hours(value).removesuffix("\u00a0h")


def field(spec: FieldSpec, value: str = "") -> TextField:
    """The control of a typed field: its label, help line, phone keyboard and width come from ``spec``."""
    return TextField(
        spec.label, value, hint=spec.hint, placeholder=spec.placeholder, inputmode=spec.inputmode, width=spec.width
    )


def put(control: Any, value: Any, kind: type) -> None:
    """Give ``control`` a value kept by the browser, unless it no longer fits (type, or not an option)."""
    if not isinstance(value, kind):
        return
    options = getattr(control, "options", None)
    if options is not None and value not in [v for _label, v in options]:
        return
    control.value = value


def set_shown(box: w.Widget, shown: bool) -> None:
    box.layout.display = "flex" if shown else "none"


class HoursSlider(anywidget.AnyWidget):
    """A native range input with a real label (an accessible name) and a French spoken value."""

    _esm = (HERE / "hours_slider.js").read_text(encoding="utf-8")
    value = t.Float(0.0).tag(sync=True)
    max = t.Float(MAX_HOURS).tag(sync=True)
    label = t.Unicode("Heures par mois").tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)


class OfferControls:
    """The inputs of one offer; :meth:`offer` returns a model Offer or raises a French error."""

    def __init__(self, number: int, on_change: Callable[[], None]) -> None:
        self.number = number
        self._on_change = on_change
        self.form = w.Dropdown(
            options=[(label, key) for key, label in FORMS.items()],
            description="Forme de paiement",
            style=FIELD,
            layout=FULL,
        )
        self.hours = HoursSlider(label=f"Heures par mois (offre {number})")
        self.hours_text = field(fields.HOURS, "0")
        self.rate = field(fields.RATE)
        months = [(format_month(i, SIM_YEAR), i) for i in range(1, 13)]
        self.start = w.Dropdown(options=months, value=1, description="Mois de début", style=FIELD)
        self.duration = w.Dropdown(
            options=[(f"{n} mois", n) for n in range(1, 13)], value=12, description="Durée", style=FIELD
        )
        controls = [self.form, self.hours, self.hours_text, self.rate, self.start, self.duration]
        self.root = w.VBox([w.HTML(f"<h2>Offre {number}</h2>"), *controls])
        self._syncing = False
        self.cdd_usage = False
        self.hours.observe(self._slider_to_text, names="value")
        for control in (self.form, self.hours_text, self.rate, self.start, self.duration):
            control.observe(self._changed, names="value")

    def _changed(self, _change: Any) -> None:
        if not self._syncing:
            self._on_change()

    def _slider_to_text(self, change: dict[str, Any]) -> None:
        """The slider writes its value into the hours box, which triggers ONE computation."""
        if not self._syncing:
            self.hours_text.value = number_text(change["new"])

    def _set_slider(self, hours: float) -> None:
        if 0 <= hours <= MAX_HOURS:
            self._syncing = True
            self.hours.value = hours
            self._syncing = False

    def load(self, offer: Offer) -> None:
        # A case type's CDD d'usage (one contract per session) has no field of its own: it is kept with
        # the offer, so the page computes and warns as the command does for the same case type.
        self.cdd_usage = bool(offer.cdd_usage)
        self._syncing = True
        self.form.value = offer.form
        self.hours.value = float(offer.hours_per_month)
        self.hours_text.value = number_text(offer.hours_per_month)
        self.rate.value = "" if offer.hourly_rate is None else number_text(offer.hourly_rate)
        self.start.value = offer.start_month
        self.duration.value = offer.duration_months
        self._syncing = False

    def sync_slider(self) -> None:
        """Put the slider where the typed hours are (after a reload): the two never disagree."""
        try:
            self._set_slider(parse_number(self.hours_text.value, ""))
        except ValueError:
            return

    def matches(self, offer: Offer) -> bool:
        """True if the fields, as typed, describe ``offer`` (a preset's offer): no message is shown."""
        try:
            return self.offer() == dataclasses.replace(offer, label=f"Offre {self.number}")
        except InputError:
            return False

    def offer(self) -> Offer:
        label = f"Offre {self.number} — "
        try:
            hours = fields.number(fields.HOURS, self.hours_text.value, label)
            rate = None if not self.rate.value.strip() else fields.number(fields.RATE, self.rate.value, label)
        except InputError as error:
            raise InputError(str(error), offer_field(self.number - 1, error.field or "")) from None
        self._set_slider(hours)
        return Offer(
            form=self.form.value,
            hours_per_month=hours,
            hourly_rate=rate,
            start_month=self.start.value,
            duration_months=self.duration.value,
            cdd_usage=self.cdd_usage and self.form.value in SALARY_FORMS,
            label=f"Offre {self.number}",
        )

    def clear_errors(self) -> None:
        self.hours_text.show_error(None)
        self.rate.show_error(None)

    def show_error(self, name: str | None, error: InputError) -> None:
        (self.rate if name == "hourly_rate" else self.hours_text).show_error(str(error))

    def state(self) -> dict[str, Any]:
        return {
            "forme": self.form.value,
            "heures": self.hours_text.value,
            "taux": self.rate.value,
            "debut": self.start.value,
            "duree": self.duration.value,
            "cdd_usage": self.cdd_usage,
        }

    def restore(self, saved: dict[str, Any]) -> None:
        self._syncing = True
        put(self.form, saved.get("forme"), str)
        put(self.hours_text, saved.get("heures"), str)
        put(self.rate, saved.get("taux"), str)
        put(self.start, saved.get("debut"), int)
        put(self.duration, saved.get("duree"), int)
        self.cdd_usage = saved.get("cdd_usage") is True
        self._syncing = False
        self.sync_slider()


class HouseholdControls:
    """The person: household, ages, current benefits, housing, commune, declarations."""

    def __init__(self, on_change: Callable[[], None]) -> None:
        self._on_change = on_change
        self._quiet = False
        self.couple = RadioGroup(
            [("Seul ou seule", False), ("En couple", True)], "Foyer", False, orientation="horizontal"
        )
        self.age = field(fields.AGE, str(DEFAULT_AGE))
        self.partner_age = field(fields.PARTNER_AGE, str(DEFAULT_AGE))
        self.children = field(fields.CHILDREN)
        self.situation = RadioGroup(
            [(SITUATION_LABELS[s], s) for s in SITUATIONS], "Aujourd'hui, je reçois", "RSA + aide au logement"
        )
        self.housing = RadioGroup([(label, code) for code, label in HOUSING.items()], "Logement", "locataire")
        self.commune = w.Dropdown(options=load_communes(), value=DEFAULT_DEPCOM, description="Commune", style=FIELD)
        self.commune_error = w.HTML()
        self.rent = field(fields.RENT, number_text(DEFAULT_RENT))
        self.asylum = w.Checkbox(
            value=False, description="Demande d'asile en cours (hébergement en CADA ou en HUDA)", indent=False
        )
        self.window = RadioGroup(list(WINDOWS), "Mois comptés", True)
        self.declaration = w.Dropdown(
            options=list(DECLARATIONS), value=1, description="Déclarations trimestrielles en", style=FIELD, layout=FULL
        )
        self.root = w.VBox(self._layout())
        self.couple.on_value(lambda _value: self._changed())
        self.housing.on_value(lambda _value: self._changed())
        self.asylum.observe(self._on_asylum, names="value")
        for control in (self.age, self.partner_age, self.children, self.commune, self.rent, self.declaration):
            control.observe(lambda _change: self._changed(), names="value")
        for group in (self.situation, self.window):
            group.on_value(lambda _value: self._changed())
        self.refresh()

    def _layout(self) -> list[w.Widget]:
        help_line = f"<p class='fa-aide' style='margin:0 0 0.5em'>{html.escape(DECLARATION_HELP)}</p>"
        return [
            w.HTML("<h2>La personne</h2>"),
            self.couple,
            self.age,
            self.partner_age,
            self.children,
            self.situation,
            self.housing,
            self.commune,
            self.commune_error,
            self.rent,
            self.asylum,
            self.window,
            self.declaration,
            w.HTML(help_line),
        ]

    def refresh(self) -> None:
        """Show the fields that apply: the partner's age for a couple, the rent for a tenant."""
        set_shown(self.partner_age, bool(self.couple.value))
        set_shown(self.rent, self.housing.value == "locataire")
        self.housing.disabled = bool(self.asylum.value)

    def _changed(self) -> None:
        self.refresh()
        if not self._quiet:
            self._on_change()

    def _on_asylum(self, change: dict[str, Any]) -> None:
        """An asylum seeker is described hosted in a CADA or a HUDA: the housing follows."""
        if change["new"]:
            self._quiet = True
            self.housing.value = "heberge"
            self._quiet = False
        self._changed()

    def household(self) -> Household:
        """The household as typed, in its current situation, or a French error naming the field."""
        couple = bool(self.couple.value)
        tenant = self.housing.value == "locataire"
        base = Household(
            couple=couple,
            age=fields.whole_years(fields.AGE, self.age.value),
            partner_age=fields.whole_years(fields.PARTNER_AGE, self.partner_age.value) if couple else DEFAULT_AGE,
            children=fields.children_ages(self.children.value),
            housing=self.housing.value,
            rent=fields.number(fields.RENT, self.rent.value) if tenant else 0.0,
            depcom=self.commune.value,
            commune=self.commune.label,
            asylum_seeker=self.asylum.value,
            asylum_months_at_start=0,
            prefilled_declaration=self.window.value,
        )
        return in_situation(self.situation.value, base)

    def clear_errors(self) -> None:
        for control in (self.age, self.partner_age, self.children, self.rent):
            control.show_error(None)
        self.commune_error.value = ""

    def show_error(self, name: str | None, error: InputError) -> bool:
        """Put the message next to its field; False when no field of the person shows it."""
        boxes = {"age": self.age, "partner_age": self.partner_age, "children": self.children, "rent": self.rent}
        if name in boxes:
            boxes[name].show_error(str(error))
        elif name in ("depcom", "commune"):
            self.commune_error.value = message_html(str(error), "error")
        else:
            return False
        return True

    def state(self) -> dict[str, Any]:
        return {
            "couple": bool(self.couple.value),
            "age": self.age.value,
            "age_conjoint": self.partner_age.value,
            "enfants": self.children.value,
            "situation": self.situation.value,
            "logement": self.housing.value,
            "commune": self.commune.value,
            "loyer": self.rent.value,
            "asile": bool(self.asylum.value),
            "mois": bool(self.window.value),
            "declaration": int(self.declaration.value),
        }

    def restore(self, state: dict[str, Any]) -> None:
        self._quiet = True
        self.couple.value = bool(state.get("couple", False))
        for control, key in ((self.age, "age"), (self.partner_age, "age_conjoint"), (self.children, "enfants")):
            put(control, state.get(key), str)
        for control, key in (
            (self.situation, "situation"),
            (self.housing, "logement"),
            (self.commune, "commune"),
            (self.rent, "loyer"),
        ):
            put(control, state.get(key), str)
        put(self.asylum, state.get("asile"), bool)
        put(self.window, state.get("mois"), bool)
        put(self.declaration, state.get("declaration"), int)
        self._quiet = False
        self.refresh()

    def reset(self) -> None:
        """The household the page opens with."""
        self._quiet = True
        self.couple.value = False
        self.age.value = self.partner_age.value = str(DEFAULT_AGE)
        self.children.value = ""
        self.asylum.value = False
        self.housing.value = "locataire"
        self.rent.value = number_text(DEFAULT_RENT)
        self.commune.value = DEFAULT_DEPCOM
        self.window.value = True
        self.declaration.value = 1
        self._quiet = False
        self.refresh()
