"""Thin ipywidgets view of « Et si on me payait pour participer ? »: reads inputs, shows results.

Every figure comes from :func:`widgets.remuneration.model.simulate` (OpenFisca-France). A typo in a
field gives a French message next to that field; nothing is computed from it and no other input is
lost. Typed fields are read when the learner has finished (Enter or leaving the field), never for a
partial number: typing 520 does not compute for 5, then 52.
"""

from __future__ import annotations

import html
import logging
import threading
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets as t

from widgets import droit
from widgets.controls import BrowserMemory, RadioGroup, ResetControl, restored_part
from widgets.errors import InputError
from widgets.fr import format_date, format_euros, format_hours, format_month, parse_number
from widgets.ui import ChartArea, display_exercise, html_table, message_html, status_html

from .cache import complete_in_background
from .chart import legend_items, resources_figure
from .content import SITUATIONS, Profile, in_situation, load_communes, load_profiles, situation_of
from .explain import COLUMN_LABELS_FR, MONTH_LABELS_FR, lag_rules
from .inputs import (
    DEFAULT_AGE,
    DEFAULT_DEPCOM,
    DEFAULT_RENT,
    DEFAULT_RULES,
    FORMS,
    HOUSING,
    MAX_HOURS,
    SALARY_FORMS,
    SIM_YEAR,
    Household,
    Offer,
    Scenario,
    offer_field,
    split_field,
)
from .model import Result, is_ready, simulate, validate

LOGGER = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
PRIVACY = (
    "Ce que vous saisissez reste dans ce navigateur, sur cet appareil : rien n'est envoyé ni enregistré ailleurs. "
    "Vous le retrouvez si vous rechargez la page ; « Tout recommencer » l'efface."
)
OFFICIAL = (
    "Simulation pour apprendre, faite avec OpenFisca-France : ce n'est pas une décision sur les droits de "
    "quelqu'un. Pour une vraie situation, utilisez les simulateurs officiels : "
    "<a href='https://www.mesdroitssociaux.gouv.fr' target='_blank' rel='noopener'>mesdroitssociaux.gouv.fr</a> et "
    "<a href='https://www.caf.fr' target='_blank' rel='noopener'>caf.fr</a>."
)
FIELD = {"description_width": "initial"}
FULL = w.Layout(width="100%", max_width="40em")
SHORT = w.Layout(width="100%", max_width="24em")
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
#: Said when no figure is shown: figures on the screen are always those of the inputs on the screen.
HIDDEN_WHILE_ERROR = (
    "Les chiffres sont cachés tant qu'une saisie est à corriger : ils ne correspondraient pas à ce qui est écrit."
)
HIDDEN_WHILE_COMPUTING = "Les chiffres de ce cas arrivent dans quelques secondes."
SITUATION_LABELS = {
    "RSA + aide au logement": "Le RSA et, pour un locataire, l'aide au logement",
    "RSA": "Le RSA, sans aide au logement",
    "AAH": f"L'AAH (taux d'incapacité de {droit.text('aah_taux_incapacite')})",
    "aucune prestation": "Aucune prestation",
}


def _number_text(value: float) -> str:
    """« 75,83 », « 450 »: how a number is written back into a field."""
    return format_hours(value).removesuffix("\u00a0h")


def _error_box() -> w.HTML:
    return w.HTML()


def _show_error(box: w.HTML, error: InputError | str | None) -> None:
    box.value = "" if error is None else message_html(str(error), "error")


def _text(description: str, value: str, placeholder: str = "", layout: w.Layout = SHORT) -> w.Text:
    """A typed field read when the learner has finished (Enter or leaving the field)."""
    return w.Text(
        value=value,
        placeholder=placeholder,
        description=description,
        style=FIELD,
        layout=layout,
        continuous_update=False,
    )


class HoursSlider(anywidget.AnyWidget):
    """A native range input with a real label (an accessible name) and a French spoken value."""

    _esm = (HERE / "hours_slider.js").read_text(encoding="utf-8")
    value = t.Float(0.0).tag(sync=True)
    max = t.Float(MAX_HOURS).tag(sync=True)
    label = t.Unicode("Heures par mois").tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)


class OfferControls:
    """The inputs of one offer; ``offer()`` returns a model Offer or raises a French error."""

    def __init__(self, number: int, on_change):
        self.number = number
        self._on_change = on_change
        self.form = w.Dropdown(
            options=[(label, key) for key, label in FORMS.items()],
            description="Forme de paiement",
            style=FIELD,
            layout=FULL,
        )
        self.hours = HoursSlider(label=f"Heures par mois (offre {number})")
        self.hours_text = _text(
            "… ou tapez les heures par mois", "0", f"de 0 à {MAX_HOURS:g}, par exemple 75,83", SHORT
        )
        self.hours_error = _error_box()
        self.rate = _text("Taux horaire brut (€)", "", "vide = SMIC")
        self.rate_error = _error_box()
        months = [(format_month(i, SIM_YEAR), i) for i in range(1, 13)]
        self.start = w.Dropdown(options=months, value=1, description="Mois de début", style=FIELD)
        self.duration = w.Dropdown(
            options=[(f"{n} mois", n) for n in range(1, 13)], value=12, description="Durée", style=FIELD
        )
        self.root = w.VBox(
            [
                w.HTML(f"<h2>Offre {number}</h2>"),
                self.form,
                self.hours,
                self.hours_text,
                self.hours_error,
                self.rate,
                self.rate_error,
                self.start,
                self.duration,
            ]
        )
        self._syncing = False
        self.cdd_usage = False
        self.hours.observe(self._slider_to_text, names="value")
        for control in (self.form, self.hours_text, self.rate, self.start, self.duration):
            control.observe(self._changed, names="value")

    def _changed(self, _change: Any) -> None:
        if not self._syncing:
            self._on_change()

    def _slider_to_text(self, change: dict) -> None:
        """The slider writes its value into the hours box, which triggers ONE computation."""
        if not self._syncing:
            self.hours_text.value = _number_text(change["new"])

    def load(self, offer: Offer) -> None:
        # A case type's CDD d'usage (one contract per session) has no field of its own: it is kept with
        # the offer, so the page computes and warns as the command does for the same case type.
        self.cdd_usage = bool(offer.cdd_usage)
        self._syncing = True
        self.form.value = offer.form
        self.hours.value = float(offer.hours_per_month)
        self.hours_text.value = _number_text(offer.hours_per_month)
        self.rate.value = "" if offer.hourly_rate is None else _number_text(offer.hourly_rate)
        self.start.value = offer.start_month
        self.duration.value = offer.duration_months
        self._syncing = False

    def sync_slider(self) -> None:
        """Put the slider where the typed hours are (after a reload): the two never disagree."""
        try:
            hours = parse_number(self.hours_text.value, "")
        except ValueError:
            return
        if 0 <= hours <= MAX_HOURS:
            self._syncing = True
            self.hours.value = hours
            self._syncing = False

    def matches(self, offer: Offer) -> bool:
        """True if the fields, as typed, describe ``offer`` (a preset's offer): no message is shown."""
        try:
            hours = parse_number(self.hours_text.value, "")
            rate = None if not self.rate.value.strip() else parse_number(self.rate.value, "")
        except ValueError:
            return False
        same_rate = (rate is None) == (offer.hourly_rate is None) and (
            rate is None or offer.hourly_rate is None or abs(rate - offer.hourly_rate) < 1e-9
        )
        return (
            self.form.value == offer.form
            and abs(hours - offer.hours_per_month) < 1e-9
            and same_rate
            and self.start.value == offer.start_month
            and self.duration.value == offer.duration_months
        )

    def offer(self) -> Offer:
        _show_error(self.hours_error, None)
        _show_error(self.rate_error, None)
        label = f"Offre {self.number}"
        try:
            hours = parse_number(self.hours_text.value, f"{label} — Heures par mois")
        except ValueError as error:
            raise InputError(str(error), offer_field(self.number - 1, "hours_per_month")) from None
        try:
            rate = (
                None if not self.rate.value.strip() else parse_number(self.rate.value, f"{label} — Taux horaire brut")
            )
        except ValueError as error:
            raise InputError(str(error), offer_field(self.number - 1, "hourly_rate")) from None
        if 0 <= hours <= MAX_HOURS:
            self._syncing = True
            self.hours.value = hours
            self._syncing = False
        return Offer(
            form=self.form.value,
            hours_per_month=hours,
            hourly_rate=rate,
            start_month=self.start.value,
            duration_months=self.duration.value,
            cdd_usage=self.cdd_usage and self.form.value in SALARY_FORMS,
            label=label,
        )

    def show_error(self, name: str | None, error: InputError) -> None:
        _show_error(self.rate_error if name == "hourly_rate" else self.hours_error, error)


class RemunerationView:
    def __init__(self) -> None:
        self.profiles = load_profiles()
        self._loading = True
        self.preset = w.Dropdown(
            options=[("— Cas personnalisé —", "")] + [(p.label, p.id) for p in self.profiles],
            description="Choisir un cas",
            style=FIELD,
            layout=FULL,
        )
        self.preset_text = w.HTML()
        self.couple = RadioGroup(
            [("Seul ou seule", False), ("En couple", True)], "Foyer", False, orientation="horizontal"
        )
        self.age = _text(f"Âge (au 1er janvier {SIM_YEAR})", str(DEFAULT_AGE), "de 18 à 64 ans")
        self.age_error = _error_box()
        self.partner_age = _text(
            f"Âge du conjoint ou de la conjointe (au 1er janvier {SIM_YEAR})", str(DEFAULT_AGE), "de 18 à 64 ans"
        )
        self.partner_age_error = _error_box()
        self.partner_box = w.VBox([self.partner_age, self.partner_age_error], layout=w.Layout(display="none"))
        self.children = _text(
            f"Âges des enfants (au 1er janvier {SIM_YEAR})", "", "par exemple : 5, 9 (vide sans enfant)", FULL
        )
        self.children_error = _error_box()
        self.situation = w.Dropdown(
            options=[(SITUATION_LABELS[name], name) for name in SITUATIONS],
            value="RSA + aide au logement",
            description="Aujourd'hui, je reçois",
            style=FIELD,
            layout=FULL,
        )
        self.housing = w.Dropdown(
            options=[(label, code) for code, label in HOUSING.items()],
            value="locataire",
            description="Logement",
            style=FIELD,
            layout=FULL,
        )
        self.commune = w.Dropdown(options=load_communes(), value=DEFAULT_DEPCOM, description="Commune", style=FIELD)
        self.commune_error = _error_box()
        self.rent = _text("Loyer mensuel (€)", _number_text(DEFAULT_RENT), "par exemple 450")
        self.rent_error = _error_box()
        self.rent_box = w.VBox([self.rent, self.rent_error])
        self.asylum = w.Checkbox(
            value=False, description="Demande d'asile en cours (hébergement en CADA ou en HUDA)", indent=False
        )
        self.window = w.Dropdown(
            options=list(WINDOWS),
            value=True,
            description="Mois comptés",
            style=FIELD,
            layout=FULL,
        )
        self.declaration = w.Dropdown(
            options=list(DECLARATIONS),
            value=1,
            description="Déclarations trimestrielles en",
            style=FIELD,
            layout=FULL,
        )
        self.offers = [OfferControls(1, self._on_change), OfferControls(2, self._on_change)]
        self.compare = w.Checkbox(value=False, description="Comparer avec une deuxième offre", indent=False)
        self.status = w.HTML()
        self.status.add_class("fa-statut")  # benchmarks follow « Calcul en cours » through it
        self.summary = w.HTML()
        self.chart_title = w.HTML()
        self.chart = ChartArea("Le graphique apparaîtra dès que le calcul sera fait.")
        self.chart_legend = w.HTML()
        self.details = w.HTML()
        self.last: Result | None = None
        self._wanted: Scenario | None = None  # the newest valid inputs: only their figures are drawn
        self._pending: Scenario | None = None  # a new case waiting for the background thread
        self._worker: threading.Thread | None = None
        self._worker_lock = threading.Lock()
        self._render_lock = threading.RLock()
        self.memory = BrowserMemory("remuneration")
        self.reset = ResetControl(self._on_reset, "les informations saisies")

        person = w.VBox(
            [
                w.HTML("<h2>La personne</h2>"),
                self.couple,
                self.age,
                self.age_error,
                self.partner_box,
                self.children,
                self.children_error,
                self.situation,
                self.housing,
                self.commune,
                self.commune_error,
                self.rent_box,
                self.asylum,
                self.window,
                self.declaration,
                w.HTML(f"<p class='fa-aide' style='margin:0 0 0.5em'>{html.escape(DECLARATION_HELP)}</p>"),
            ]
        )
        self.offer2_box = w.VBox([self.offers[1].root], layout=w.Layout(display="none"))
        self.root = w.VBox(
            [
                w.HTML(f"<p>{OFFICIAL}</p><p>{html.escape(PRIVACY)}</p>"),
                self.preset,
                self.preset_text,
                person,
                self.offers[0].root,
                self.compare,
                self.offer2_box,
                self.status,
                self.summary,
                self.chart_title,
                self.chart.root,
                self.chart_legend,
                self.details,
                self.reset,
                self.memory,
            ],
            layout=w.Layout(max_width="64rem"),
        )
        self.preset.observe(self._on_preset, names="value")
        self.compare.observe(self._on_compare, names="value")
        self.couple.on_value(self._on_couple)
        self.housing.observe(self._on_housing, names="value")
        self.asylum.observe(self._on_asylum, names="value")
        for control in (
            self.age,
            self.partner_age,
            self.children,
            self.situation,
            self.commune,
            self.rent,
            self.window,
            self.declaration,
        ):
            control.observe(lambda _change: self._on_change(), names="value")
        self.memory.on_restore(self.restore)
        self._loading = False
        self.preset.value = self.profiles[0].id

    # ------------------------------------------------------------------ memory
    def state(self) -> dict[str, Any]:
        """What the learner entered, as typed (kept in this browser only, see :data:`PRIVACY`)."""
        offers = [
            {
                "forme": o.form.value,
                "heures": o.hours_text.value,
                "taux": o.rate.value,
                "debut": o.start.value,
                "duree": o.duration.value,
                "cdd_usage": o.cdd_usage,
            }
            for o in self.offers
        ]
        return {
            "cas": self.preset.value,
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
            "comparer": bool(self.compare.value),
            "offres": offers,
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Put back what this browser kept; anything that no longer fits a control is left as is."""

        def put(control: Any, value: Any, kind: type) -> None:
            if not isinstance(value, kind):
                return
            options = getattr(control, "options", None)
            if options is not None and value not in [v for _label, v in options]:
                return
            control.value = value

        self._loading = True
        try:
            put(self.preset, state.get("cas"), str)
            self.couple.value = bool(state.get("couple", False))
            self.partner_box.layout.display = "flex" if self.couple.value else "none"
            for control, key in ((self.age, "age"), (self.partner_age, "age_conjoint"), (self.children, "enfants")):
                put(control, state.get(key), str)
            put(self.situation, state.get("situation"), str)
            put(self.housing, state.get("logement"), str)
            put(self.commune, state.get("commune"), str)
            put(self.rent, state.get("loyer"), str)
            put(self.asylum, state.get("asile"), bool)
            put(self.window, state.get("mois"), bool)
            put(self.declaration, state.get("declaration"), int)
            put(self.compare, state.get("comparer"), bool)
            for controls, saved in zip(self.offers, restored_part(state, "offres", list), strict=False):
                if not isinstance(saved, dict):
                    continue
                controls._syncing = True
                put(controls.form, saved.get("forme"), str)
                put(controls.hours_text, saved.get("heures"), str)
                put(controls.rate, saved.get("taux"), str)
                put(controls.start, saved.get("debut"), int)
                put(controls.duration, saved.get("duree"), int)
                controls.cdd_usage = saved.get("cdd_usage") is True
                controls._syncing = False
                controls.sync_slider()
        finally:
            self._loading = False
        self.rent_box.layout.display = "flex" if self.housing.value == "locataire" else "none"
        self.housing.disabled = bool(self.asylum.value)
        self.offer2_box.layout.display = "flex" if self.compare.value else "none"
        self._forget_changed_preset()
        self._show_preset_text()
        self.recompute()

    def _on_reset(self) -> None:
        """« Tout recommencer »: the first case type, as when the page opened, and nothing kept."""
        self._loading = True
        try:
            self.couple.value = False
            self.partner_box.layout.display = "none"
            self.age.value = self.partner_age.value = str(DEFAULT_AGE)
            self.children.value = ""
            self.housing.value = "locataire"
            self.housing.disabled = False
            self.rent.value = _number_text(DEFAULT_RENT)
            self.rent_box.layout.display = "flex"
            self.commune.value = DEFAULT_DEPCOM
            self.asylum.value = False
            self.window.value = True
            self.declaration.value = 1
            self.compare.value = False
            self.offer2_box.layout.display = "none"
            self.offers[1].load(Offer())
            self.preset.value = ""
        finally:
            self._loading = False
        self.memory.clear()
        self.preset.value = self.profiles[0].id

    # ------------------------------------------------------------------ events
    def _on_preset(self, change: dict) -> None:
        profile = next((p for p in self.profiles if p.id == change["new"]), None)
        if profile is None:
            self.preset_text.value = ""
            return
        if self._loading:  # restoring: the fields come from the browser, not from the profile
            return
        self._loading = True
        self.situation.value = situation_of(profile.household()) or "RSA + aide au logement"
        self.offers[0].load(profile.offer)
        self._loading = False
        self._show_preset_text()
        self.recompute()

    def _show_preset_text(self) -> None:
        profile = self._profile()
        if profile is None:
            self.preset_text.value = ""
            return
        note = f"<p><em>Hypothèses : {html.escape(profile.assumptions)}</em></p>" if profile.assumptions else ""
        self.preset_text.value = f"<p>{html.escape(profile.description)}</p>{note}"

    def _on_compare(self, change: dict) -> None:
        self.offer2_box.layout.display = "flex" if change["new"] else "none"
        self._on_change()

    def _on_couple(self, couple: Any) -> None:
        self.partner_box.layout.display = "flex" if couple else "none"
        self._on_change()

    def _on_housing(self, change: dict) -> None:
        self.rent_box.layout.display = "flex" if change["new"] == "locataire" else "none"
        self._on_change()

    def _on_asylum(self, change: dict) -> None:
        """An asylum seeker is described hosted in a CADA or a HUDA: the housing follows."""
        if change["new"]:
            self._loading = True
            self.housing.value = "heberge"
            self._loading = False
        self.housing.disabled = bool(change["new"])
        self._on_change()

    def _on_change(self) -> None:
        if not self._loading:
            self._forget_changed_preset()
            self.recompute()

    def _profile(self) -> Profile | None:
        return next((p for p in self.profiles if p.id == self.preset.value), None)

    def _forget_changed_preset(self) -> None:
        """Once the situation or offer 1 no longer is the chosen case type's, the page shows a
        « cas personnalisé »: the case's title and description would describe another case."""
        profile = self._profile()
        if profile is None:
            return
        same = self.situation.value == situation_of(profile.household()) and self.offers[0].matches(profile.offer)
        if not same:
            loading, self._loading = self._loading, True
            self.preset.value = ""
            self._loading = loading
            self.preset_text.value = ""

    # ------------------------------------------------------------------ compute
    def scenario(self) -> Scenario:
        couple = bool(self.couple.value)
        housing = self.housing.value
        rent = 0.0
        if housing == "locataire":
            try:
                rent = parse_number(self.rent.value, "Loyer mensuel")
            except ValueError as error:
                raise InputError(str(error), "rent") from None
        base = Household(
            couple=couple,
            age=whole_years(self.age.value, "age", "Âge"),
            partner_age=whole_years(self.partner_age.value, "partner_age", "Âge du conjoint ou de la conjointe")
            if couple
            else DEFAULT_AGE,
            children=children_ages(self.children.value),
            housing=housing,
            rent=rent,
            depcom=self.commune.value,
            commune=self.commune.label,
            asylum_seeker=self.asylum.value,
            asylum_months_at_start=0,
            prefilled_declaration=self.window.value,
        )
        household = in_situation(self.situation.value, base)
        count = 2 if self.compare.value else 1
        return Scenario(
            household,
            tuple(o.offer() for o in self.offers[:count]),
            rules=DEFAULT_RULES,
            declaration_month=int(self.declaration.value),
        )

    def _clear_errors(self) -> None:
        for box in (self.age_error, self.partner_age_error, self.children_error, self.rent_error, self.commune_error):
            _show_error(box, None)

    def _show_field_error(self, error: InputError) -> bool:
        """Put the message next to its field; False when no field shows it (the status line will)."""
        offer_index, name = split_field(error.field)
        boxes = {
            "age": self.age_error,
            "partner_age": self.partner_age_error,
            "children": self.children_error,
            "rent": self.rent_error,
            "depcom": self.commune_error,
            "commune": self.commune_error,
        }
        if offer_index is not None:
            self.offers[offer_index].show_error(name, error)
        elif name in boxes:
            _show_error(boxes[name], error)
        else:
            return False
        return True

    def recompute(self) -> None:
        """Figures for the current inputs. A prepared case is drawn at once. A new case is computed
        in a background thread (only the asked hours, so the first figures come fast) while the
        page stays usable: the learner can go on typing, and only the newest inputs are drawn.
        Then the slider's other levels are filled in the background and the page is drawn again
        with the cliffs explained and every hour instant."""
        self._clear_errors()
        self.memory.save(self.state())  # what was typed is kept, even a value still to correct
        try:
            scenario = self.scenario()
            validate(scenario)
        except InputError as error:
            self._show_input_error(error)
            return
        self._wanted = scenario
        if is_ready(scenario):
            self._draw(scenario)
            return
        self.status.value = message_html("Calcul en cours avec OpenFisca… (quelques secondes)", "info")
        self._hide_figures(HIDDEN_WHILE_COMPUTING)
        with self._worker_lock:
            self._pending = scenario
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="remuneration-case", daemon=True)
                self._worker.start()

    def _work(self) -> None:
        """One background thread computes new cases, the newest first: inputs typed while it
        computes replace each other, so a learner who types fast never waits for stale cases."""
        while True:
            with self._worker_lock:
                scenario, self._pending = self._pending, None
                if scenario is None:
                    self._worker = None
                    return
            try:
                self._draw(scenario)
            except Exception:  # never a traceback on the page; the status line says it failed
                LOGGER.exception("computing a case failed")
                self.status.value = message_html(
                    "Le calcul n'a pas abouti. Changez une valeur ou cliquez « Tout recommencer ».", "error"
                )

    def _show_input_error(self, error: InputError) -> None:
        self._wanted = None  # a case still computing must not draw figures under a wrong entry
        self._hide_figures(HIDDEN_WHILE_ERROR)
        if self._show_field_error(error):  # the alert next to the field is read once; no second alert
            self.status.value = status_html("Une saisie est à corriger (message sous le champ).")
        else:
            self.status.value = message_html(str(error), "error", "À corriger :")

    def _hide_figures(self, reason: str) -> None:
        """No figure of another case stays on the screen: they are replaced by ``reason``."""
        with self._render_lock:
            self.last = None
            self.summary.value = f"<h2>Résultat</h2><p class='fa-chiffres-caches'>{html.escape(reason)}</p>"
            self.chart_title.value = ""
            self.chart.draw(None)
            self.chart_legend.value = ""
            self.details.value = ""

    def _draw(self, scenario: Scenario) -> None:
        """Simulate and draw ``scenario`` unless the learner has asked for another case meanwhile
        (runs in the kernel's thread for a prepared case, in a background thread otherwise)."""
        try:
            result = simulate(scenario, complete=False)
        except InputError as error:
            with self._render_lock:
                if self._wanted == scenario:
                    self._show_input_error(error)
            return
        with self._render_lock:
            if self._wanted != scenario:
                return  # a newer case is being computed; it will draw itself
            self.status.value = ""
            self.last = result
            self.render(result)
        if not result.complete:
            pairs = [(scenario.household, offer) for offer in scenario.offers]
            complete_in_background(pairs, lambda: self._grids_ready(scenario))

    def _grids_ready(self, scenario: Scenario) -> None:
        """Called from the background thread: redraw if the learner still looks at this case."""
        with self._render_lock:
            if self.last is None or self.last.scenario != scenario:
                return
            result = simulate(scenario)  # instant now: every level is in memory
            self.last = result
            self.render(result)

    # ------------------------------------------------------------------ render
    def render(self, result: Result) -> None:
        from datetime import date

        lines = []
        for index, offer in enumerate(result.offers, start=1):
            gain = offer.yearly_gain
            verb = "gagne" if gain >= 0 else "perd"
            extra = "".join(f"<li>{html.escape(s)}</li>" for s in offer.neutralisation + offer.after_job)
            lines.append(
                f"<li><strong>Offre {index}</strong> ({html.escape(offer.offer.form_label)}, "
                f"{format_hours(offer.offer.hours_per_month)} par mois) : sur l'année {SIM_YEAR}, la personne {verb} "
                f"<strong>{format_euros(abs(gain))}</strong> de ressources au total par rapport à sans l'offre."
                + (f"<ul>{extra}</ul>" if extra else "")
                + "</li>"
            )
        legislation = format_date(date.fromisoformat(result.legislation_date))
        self.summary.value = (
            f"<h2>Résultat</h2><ul class='fa-result'>{''.join(lines)}</ul>"
            f"<p>Législation connue jusqu'au {legislation} "
            f"(OpenFisca-France {html.escape(result.openfisca_version)}).</p>"
        )
        self.chart_title.value = f"<h2>{html.escape(chart_title(result))}</h2>"
        self.chart.draw(resources_figure(result))
        self.chart_legend.value = legend_html(result)
        parts = []
        for index, offer in enumerate(result.offers, start=1):
            table = offer.with_offer.copy()
            table.insert(len(table.columns), "Total sans l'offre", result.baseline["total"])
            table.insert(len(table.columns), "Différence", offer.difference["total"])
            shown = table.loc[:, (table != 0).any(axis=0)]
            shown = shown.rename(columns=COLUMN_LABELS_FR)
            shown.index = [MONTH_LABELS_FR[m] for m in shown.index]
            shown = shown.map(format_euros).reset_index(names="Mois")
            parts.append(html_table(shown, f"Offre {index} : ressources par mois, en euros").data)
            lag = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in offer.story)
            parts.append(f"<h3>Le décalage, en clair (offre {index})</h3><ul>{lag}</ul>")
            pending = (
                ()
                if result.complete
                else (
                    "Recherche des mois où moins d'heures rapporteraient plus : calcul en cours, la page se complète seule.",
                )
            )
            warnings = "".join(
                f"<li>⚠ {html.escape(text)}</li>" for text in offer.warnings + offer.explained_cases + pending
            )
            if warnings:
                parts.append(f"<h3>Points d'attention (offre {index})</h3><ul>{warnings}</ul>")
            rights = offer.rights
            parts.append(
                f"<h3>Droits ouverts (offre {index})</h3><ul><li>{html.escape(rights.pension_note)}</li>"
                f"<li>{html.escape(rights.unemployment_note)}</li></ul>"
            )
        parts.append(explanations_html(result))
        self.details.value = "".join(parts)


def whole_years(text: str, name: str, label: str) -> int:
    """An age typed in a field, or a French :class:`InputError` naming the field ``name``."""
    try:
        number = parse_number(text, label)
    except ValueError as error:
        raise InputError(str(error), name) from None
    if number != int(number):
        raise InputError(f"{label} : « {text} » n'est pas un nombre entier d'années.", name)
    return int(number)


def children_ages(text: str) -> tuple[int, ...]:
    """« 5, 9 », « 5 et 9 » or « 5 9 » -> (5, 9); empty -> no child."""
    cleaned = text.replace(";", ",").replace(" et ", ",")
    parts = [part for chunk in cleaned.split(",") for part in chunk.split()]
    return tuple(whole_years(part, "children", "Âges des enfants") for part in parts)


def explanations_html(result: Result) -> str:
    """Why the effect comes late, what to know, and the texts behind it (« Pour aller plus loin »)."""
    rules = "".join(
        f"<li><strong>{html.escape(COLUMN_LABELS_FR[k])}</strong> : {html.escape(v)}</li>"
        for k, v in lag_rules(result.calendar).items()
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
    further = "".join(f"<li>{html.escape(text)}</li>" for text in result.further)
    return (
        "<h3>Pourquoi l'effet arrive plus tard</h3>"
        "<p>Une paie reçue un mois donné ne change pas le RSA ni la prime d'activité du même mois : "
        "ces aides sont calculées sur des mois déjà passés.</p>"
        f"<ul>{rules}</ul><h3>À savoir sur cette simulation</h3><ul>{notes}</ul>"
        "<details class='fa-plus-loin'><summary>Pour aller plus loin : les textes de loi</summary>"
        f"<ul>{further}</ul></details>"
    )


def legend_html(result: Result) -> str:
    """The chart's legend as a list under it: it wraps on a phone and is read by screen readers."""
    items = "".join(
        f"<li style='display:flex;align-items:center;gap:0.5em'>"
        f"<span aria-hidden='true' style='display:inline-block;width:1.2em;height:1.2em;flex:none;"
        f"background:{colour};border:1px solid #333'></span>"
        f"<span>{html.escape(label)} <small>({html.escape(drawn)})</small></span></li>"
        for label, colour, drawn in legend_items(result)
    )
    return (
        "<ul class='fa-chart-legend' aria-label='Légende du graphique' "
        "style='list-style:none;padding:0;margin:0.25em 0 1em;display:flex;flex-wrap:wrap;gap:0.4em 1.5em'>"
        f"{items}</ul>"
    )


def chart_title(result: Result) -> str:
    """The chart's title, above it as text (it wraps on a phone instead of being cut)."""
    if len(result.offers) > 1:
        return "Ressources par mois, en euros : offre 1 (barres), offre 2 (ligne pleine) et sans offre (tirets)"
    return "Ressources par mois, en euros : avec l'offre (barres) et sans l'offre (ligne en tirets)"


def show() -> None:
    """Display the simulator; a data problem is shown as a French message, not a traceback."""
    display_exercise(lambda: RemunerationView().root, (InputError,), "Le simulateur ne peut pas s'ouvrir :")
