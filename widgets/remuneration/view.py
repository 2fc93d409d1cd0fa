"""Thin ipywidgets view of « Et si on me payait pour participer ? »: reads inputs, shows results.

Every figure comes from :func:`widgets.remuneration.model.simulate` (OpenFisca-France). A typo in a
field gives a French message next to that field; nothing is computed from it and no other input is
lost. Presets and hour changes are instant (precomputed grids); a new custom case shows a cue.
"""

from __future__ import annotations

import html

import ipywidgets as w

from widgets.errors import InputError
from widgets.fr import MONTH_NAMES, format_euros, parse_number
from widgets.ui import STYLE, ChartArea, display_exercise, html_table, message_html

from .chart import resources_figure
from .content import load_communes, load_profiles
from .explain import COLUMN_LABELS_FR, LAG_RULES_FR, MONTH_LABELS_FR, lag_summary
from .inputs import (
    DEFAULT_DEPCOM,
    FORMS,
    MAX_HOURS,
    SITUATIONS,
    Household,
    Offer,
    Scenario,
    offer_field,
    split_field,
)
from .model import Result, is_ready, simulate

OFFICIAL = (
    "Simulation pédagogique faite avec OpenFisca-France : ce n'est pas une décision sur les droits de quelqu'un. "
    "Pour une vraie situation, utilisez les simulateurs officiels : "
    "<a href='https://www.mesdroitssociaux.gouv.fr' target='_blank' rel='noopener'>mesdroitssociaux.gouv.fr</a> et "
    "<a href='https://www.caf.fr' target='_blank' rel='noopener'>caf.fr</a>."
)
WIDE = {"description_width": "14em"}


def _field_error() -> w.HTML:
    return w.HTML(layout=w.Layout(margin="0 0 0 14.5em"))


class OfferControls:
    """The inputs of one offer; ``offer()`` returns a model Offer or raises a French error."""

    def __init__(self, number: int):
        self.number = number
        self.form = w.Dropdown(
            options=[(label, key) for key, label in FORMS.items()],
            description="Forme de paiement",
            style=WIDE,
            layout=w.Layout(width="100%", max_width="40em"),
        )
        self.hours = w.IntSlider(
            value=0,
            min=0,
            max=int(MAX_HOURS),
            step=1,
            description="Heures par mois",
            style=WIDE,
            layout=w.Layout(width="100%", max_width="40em"),
            continuous_update=False,
        )
        self.hours_text = w.Text(
            value="0", description="… ou tapez les heures", style=WIDE, layout=w.Layout(width="100%", max_width="22em")
        )
        self.hours_error = _field_error()
        self.rate = w.Text(
            value="",
            placeholder="vide = SMIC",
            description="Taux horaire brut (€)",
            style=WIDE,
            layout=w.Layout(width="100%", max_width="22em"),
        )
        self.rate_error = _field_error()
        months = [(f"{name} 2026", i) for i, name in enumerate(MONTH_NAMES, start=1)]
        self.start = w.Dropdown(options=months, value=1, description="Mois de début", style=WIDE)
        self.duration = w.Dropdown(
            options=[(f"{n} mois", n) for n in range(1, 13)], value=12, description="Durée", style=WIDE
        )
        self.root = w.VBox(
            [
                w.HTML(f"<h4>Offre {number}</h4>"),
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
        self.hours.observe(self._slider_to_text, names="value")
        self.hours_text.observe(self._text_to_slider, names="value")

    def _slider_to_text(self, change) -> None:
        if not self._syncing:
            self._syncing = True
            self.hours_text.value = str(change["new"])
            self._syncing = False

    def _text_to_slider(self, change) -> None:
        if self._syncing:
            return
        try:
            hours = parse_number(change["new"], "Heures")
        except ValueError:
            return  # the message is shown when the offer is read
        if 0 <= hours <= MAX_HOURS and hours == int(hours):
            self._syncing = True
            self.hours.value = int(hours)
            self._syncing = False

    def load(self, offer: Offer) -> None:
        self._syncing = True
        self.form.value = offer.form
        self.hours.value = int(round(offer.hours_per_month))
        self.hours_text.value = f"{offer.hours_per_month:g}".replace(".", ",")
        self.rate.value = "" if offer.hourly_rate is None else f"{offer.hourly_rate:g}".replace(".", ",")
        self.start.value = offer.start_month
        self.duration.value = offer.duration_months
        self._syncing = False

    def offer(self) -> Offer:
        self.hours_error.value = self.rate_error.value = ""
        label = f"Offre {self.number}"
        try:
            hours = parse_number(self.hours_text.value, f"{label} — Heures par mois")
        except ValueError as error:
            self.hours_error.value = message_html(str(error), "error")
            raise InputError(str(error), offer_field(self.number - 1, "hours_per_month")) from None
        try:
            rate = (
                None if not self.rate.value.strip() else parse_number(self.rate.value, f"{label} — Taux horaire brut")
            )
        except ValueError as error:
            self.rate_error.value = message_html(str(error), "error")
            raise InputError(str(error), offer_field(self.number - 1, "hourly_rate")) from None
        return Offer(
            form=self.form.value,
            hours_per_month=hours,
            hourly_rate=rate,
            start_month=self.start.value,
            duration_months=self.duration.value,
            label=label,
        )

    def show_error(self, error: InputError) -> None:
        target = self.rate_error if split_field(error.field)[1] == "hourly_rate" else self.hours_error
        target.value = message_html(str(error), "error")

    def widgets(self):
        """The controls whose change triggers a new result; the slider is left out because it always
        writes its value into the hours box, which is listed (one change, one computation)."""
        return (self.form, self.hours_text, self.rate, self.start, self.duration)


class RemunerationView:
    def __init__(self):
        self.profiles = load_profiles()
        self.preset = w.Dropdown(
            options=[("— Cas personnalisé —", "")] + [(p.label, p.id) for p in self.profiles],
            description="Choisir un cas",
            style=WIDE,
            layout=w.Layout(width="100%", max_width="40em"),
        )
        self.preset_text = w.HTML()
        self.couple = w.ToggleButtons(options=[("Seul·e", False), ("En couple", True)], description="Foyer", style=WIDE)
        self.children = w.Dropdown(
            options=[(str(n), n) for n in range(0, 5)], value=0, description="Enfants", style=WIDE
        )
        self.situation = w.Dropdown(
            options=list(SITUATIONS),
            value="RSA + aide au logement",
            description="Aujourd'hui, je reçois",
            style=WIDE,
            layout=w.Layout(width="100%", max_width="40em"),
        )
        self.commune = w.Dropdown(options=load_communes(), value=DEFAULT_DEPCOM, description="Commune", style=WIDE)
        self.rent = w.Text(
            value="450", description="Loyer par mois (€)", style=WIDE, layout=w.Layout(width="100%", max_width="22em")
        )
        self.rent_error = _field_error()
        self.asylum = w.Checkbox(value=False, description="Je suis demandeur·se d'asile", indent=False)
        self.offers = [OfferControls(1), OfferControls(2)]
        self.compare = w.Checkbox(value=False, description="Comparer avec une deuxième offre", indent=False)
        self.status = w.HTML()
        self.summary = w.HTML()
        self.chart = ChartArea("Le graphique apparaîtra dès que le calcul sera fait.")
        self.details = w.HTML()
        self.last: Result | None = None
        self._loading = False

        household = w.VBox(
            [
                w.HTML("<h4>La personne</h4>"),
                self.couple,
                self.children,
                self.situation,
                self.commune,
                self.rent,
                self.rent_error,
                self.asylum,
            ]
        )
        self.offer2_box = w.VBox([self.offers[1].root], layout=w.Layout(display="none"))
        self.root = w.VBox(
            [
                w.HTML(STYLE + f"<p>{OFFICIAL}</p>"),
                self.preset,
                self.preset_text,
                household,
                self.offers[0].root,
                self.compare,
                self.offer2_box,
                self.status,
                self.summary,
                self.chart.root,
                self.details,
            ],
            layout=w.Layout(max_width="64rem"),
        )
        self.preset.observe(self._on_preset, names="value")
        self.compare.observe(self._on_compare, names="value")
        for control in (self.couple, self.children, self.situation, self.commune, self.rent, self.asylum):
            control.observe(self._on_change, names="value")
        for offer in self.offers:
            for control in offer.widgets():
                control.observe(self._on_change, names="value")
        self.preset.value = self.profiles[0].id

    # ------------------------------------------------------------------ events
    def _on_preset(self, change) -> None:
        profile = next((p for p in self.profiles if p.id == change["new"]), None)
        if profile is None:
            self.preset_text.value = ""
            return
        self._loading = True
        self.situation.value = profile.situation
        self.offers[0].load(profile.offer)
        self._loading = False
        note = f"<p><em>Hypothèses : {html.escape(profile.assumptions)}</em></p>" if profile.assumptions else ""
        self.preset_text.value = f"<p>{html.escape(profile.description)}</p>{note}"
        self.recompute()

    def _on_compare(self, change) -> None:
        self.offer2_box.layout.display = "flex" if change["new"] else "none"
        self.recompute()

    def _on_change(self, _change) -> None:
        if not self._loading:
            self.recompute()

    # ------------------------------------------------------------------ compute
    def scenario(self) -> Scenario:
        self.rent_error.value = ""
        try:
            rent = parse_number(self.rent.value, "Loyer par mois")
        except ValueError as error:
            self.rent_error.value = message_html(str(error), "error")
            raise InputError(str(error), "rent") from None
        household = Household(
            couple=self.couple.value,
            children=self.children.value,
            situation=self.situation.value,
            rent=rent,
            depcom=self.commune.value,
            commune=self.commune.label,
            asylum_seeker=self.asylum.value,
            asylum_months_at_start=0,
        )
        count = 2 if self.compare.value else 1
        return Scenario(household, tuple(o.offer() for o in self.offers[:count]))

    def recompute(self) -> None:
        try:
            scenario = self.scenario()
            if not is_ready(scenario):
                self.status.value = message_html("Calcul en cours avec OpenFisca… (quelques secondes)", "info")
            result = simulate(scenario)
        except InputError as error:
            offer_index, name = split_field(error.field)
            if name == "rent":
                self.rent_error.value = message_html(str(error), "error")
            elif offer_index is not None:
                self.offers[offer_index].show_error(error)
            kept = " Les résultats affichés sont ceux de la dernière saisie correcte." if self.last else ""
            self.status.value = message_html(f"{error}{kept}", "error", "À corriger :")
            return
        self.status.value = ""
        self.last = result
        self.render(result)

    # ------------------------------------------------------------------ render
    def render(self, result: Result) -> None:
        lines = []
        for index, offer in enumerate(result.offers, start=1):
            gain = offer.yearly_gain
            verb = "gagne" if gain >= 0 else "perd"
            lines.append(
                f"<li><strong>Offre {index}</strong> ({html.escape(offer.offer.form_label)}, "
                f"{offer.offer.hours_per_month:g} h par mois) : sur l'année 2026, la personne {verb} "
                f"<strong>{format_euros(abs(gain))}</strong> de ressources au total par rapport à sans l'offre.</li>"
            )
        self.summary.value = (
            f"<h4>Résultat</h4><ul style='font-size:1.1rem'>{''.join(lines)}</ul>"
            f"<p>Législation connue jusqu'au {html.escape(result.legislation_date)} "
            f"(OpenFisca-France {html.escape(result.openfisca_version)}).</p>"
        )
        self.chart.draw(resources_figure(result))
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
            lag = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in lag_summary(offer.lag))
            parts.append(f"<h4>Le décalage, en clair (offre {index})</h4><ul style='font-size:1.05rem'>{lag}</ul>")
            warnings = "".join(f"<li>⚠ {html.escape(text)}</li>" for text in offer.warnings + offer.explained_cases)
            if warnings:
                parts.append(f"<h4>Points d'attention (offre {index})</h4><ul>{warnings}</ul>")
            rights = offer.rights
            parts.append(
                f"<h4>Droits ouverts (offre {index})</h4><ul><li>{html.escape(rights.pension_note)}</li>"
                f"<li>{html.escape(rights.unemployment_note)}</li></ul>"
            )
        rules = "".join(
            f"<li><strong>{html.escape(COLUMN_LABELS_FR[k])}</strong> : {html.escape(v)}</li>"
            for k, v in LAG_RULES_FR.items()
        )
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
        parts.append(
            "<h4>Pourquoi l'effet arrive avec un décalage</h4>"
            "<p>Une paie reçue un mois donné ne change pas le RSA ni la prime d'activité du même mois : "
            "ces aides sont calculées sur les mois d'avant. Voici les règles du modèle :</p>"
            f"<ul>{rules}</ul><h4>À savoir sur cette simulation</h4><ul>{notes}</ul>"
        )
        self.details.value = STYLE + "".join(parts)


def show() -> None:
    """Display the simulator; a data problem is shown as a French message, not a traceback."""
    display_exercise(lambda: RemunerationView().root, (InputError,), "Le simulateur ne peut pas s'ouvrir :")
