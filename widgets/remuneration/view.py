"""The page « Et si on me payait pour participer ? »: a case type or the learner's own case, and its figures.

Every figure comes from the model (:class:`~widgets.remuneration.model.Simulator`, handed in by
:func:`widgets.remuneration.show`): the page never touches the cache. The inputs are components of
:mod:`.form`, the figures go into :class:`~widgets.remuneration.panel.ResultsPanel`. A typo in a
field gives a French message next to that field; nothing is computed from it and no other input is
lost. A prepared case is drawn at once; a new one is computed in a background thread
(:class:`~widgets.remuneration.worker.Latest`) while the page stays usable.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
from IPython.display import HTML, display

from widgets.controls import BrowserMemory, RadioGroup, ResetControl, restored_part
from widgets.errors import InputError
from widgets.ui import display_exercise

from .content import Profile, load_profiles, situation_of
from .form import HouseholdControls, OfferControls, set_shown
from .inputs import DEFAULT_RULES, Offer, Scenario, split_field
from .model import Result, Simulator
from .panel import ResultsPanel
from .results import preview_html
from .worker import Latest

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
CUSTOM = "Cas personnalisé (vos propres valeurs)"
#: An output with this metadata is written into the page by the course's Voilà template itself
#: (widgets/voila_templates/…/faire-avec/index.html.j2), before any widget: the first figures.
SERVER_RENDERED = "faire-avec/serveur"


class RemunerationView:
    """The simulator's page: wires the inputs, the model and the figures, and what the browser keeps."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator
        self.profiles = load_profiles()
        self._loading = True
        self.preset = RadioGroup([(p.label, p.id) for p in self.profiles] + [(CUSTOM, "")], "Choisir un cas", "")
        self.preset_text = w.HTML()
        self.household = HouseholdControls(self._on_change)
        self.offers = (OfferControls(1, self._on_change), OfferControls(2, self._on_change))
        self.compare = w.Checkbox(value=False, description="Comparer avec une deuxième offre", indent=False)
        self.offer2_box = w.VBox([self.offers[1].root], layout=w.Layout(display="none"))
        self.panel = ResultsPanel()
        self.memory = BrowserMemory("remuneration")
        self.reset = ResetControl(self._on_reset, "les informations saisies")
        self.worker: Latest[Scenario] = Latest(self._draw, self.panel.failed, "remuneration-case")
        self._wanted: Scenario | None = None  # the newest valid inputs: only their figures are drawn
        head = [w.HTML(f"<p>{OFFICIAL}</p><p>{html.escape(PRIVACY)}</p>"), self.preset, self.preset_text]
        inputs = [self.household.root, self.offers[0].root, self.compare, self.offer2_box]
        # overflow visible: the status line sticks to the screen, not to this box (widgets/controls/status.js)
        self.root = w.VBox(
            [*head, *inputs, *self.panel.children, self.reset, self.memory], layout=w.Layout(overflow="visible")
        )
        self.root.add_class("fa-simulateur")
        self.preset.on_value(self._on_preset)
        self.compare.observe(lambda change: self._on_compare(bool(change["new"])), names="value")
        self.memory.on_restore(self.restore)
        self._loading = False
        self.preset.value = self.profiles[0].id

    @property
    def last(self) -> Result | None:
        """The figures on the screen (None while hidden)."""
        return self.panel.last

    # ------------------------------------------------------------------ memory
    def state(self) -> dict[str, Any]:
        """What the learner entered, as typed (kept in this browser only, see :data:`PRIVACY`)."""
        return {
            "cas": self.preset.value,
            **self.household.state(),
            "comparer": bool(self.compare.value),
            "offres": [offer.state() for offer in self.offers],
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Put back what this browser kept; anything that no longer fits a control is left as is."""
        self._loading = True
        try:
            if isinstance(state.get("cas"), str) and state["cas"] in [v for _label, v in self.preset.options]:
                self.preset.value = state["cas"]
            self.household.restore(state)
            if isinstance(state.get("comparer"), bool):
                self.compare.value = state["comparer"]
            for controls, saved in zip(self.offers, restored_part(state, "offres", list), strict=False):
                if isinstance(saved, dict):
                    controls.restore(saved)
        finally:
            self._loading = False
        set_shown(self.offer2_box, bool(self.compare.value))
        self._forget_changed_preset()
        self._show_preset_text()
        self.recompute()

    def _on_reset(self) -> None:
        """« Tout recommencer »: the first case type, as when the page opened, and nothing kept."""
        self._loading = True
        try:
            self.household.reset()
            self.compare.value = False
            set_shown(self.offer2_box, False)
            self.offers[1].load(Offer())
            self.preset.value = ""
        finally:
            self._loading = False
        self.memory.clear()
        self.preset.value = self.profiles[0].id

    # ------------------------------------------------------------------ events
    def _profile(self) -> Profile | None:
        return next((p for p in self.profiles if p.id == self.preset.value), None)

    def _on_preset(self, _value: Any) -> None:
        profile = self._profile()
        if profile is None or self._loading:  # restoring: the fields come from the browser, not the profile
            self._show_preset_text()
            return
        self._loading = True
        self.household.situation.value = situation_of(profile.household()) or "RSA + aide au logement"
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

    def _on_compare(self, compare: bool) -> None:
        set_shown(self.offer2_box, compare)
        self._on_change()

    def _on_change(self) -> None:
        if not self._loading:
            self._forget_changed_preset()
            self.recompute()

    def _forget_changed_preset(self) -> None:
        """Once the situation or offer 1 no longer is the chosen case type's, the page shows a
        « cas personnalisé »: the case's title and description would describe another case."""
        profile = self._profile()
        if profile is None:
            return
        same = self.household.situation.value == situation_of(profile.household()) and self.offers[0].matches(
            profile.offer
        )
        if not same:
            loading, self._loading = self._loading, True
            self.preset.value = ""
            self._loading = loading
            self.preset_text.value = ""

    # ------------------------------------------------------------------ compute
    def scenario(self) -> Scenario:
        count = 2 if self.compare.value else 1
        return Scenario(
            self.household.household(),
            tuple(o.offer() for o in self.offers[:count]),
            rules=DEFAULT_RULES,
            declaration_month=int(self.household.declaration.value),
        )

    def recompute(self) -> None:
        """Figures for the current inputs. A prepared case is drawn at once. A new case is computed
        in the background (only the asked hours, so the first figures come fast) while the page
        stays usable, and only the newest inputs are drawn. Then the slider's other levels are filled
        in the background and the page is drawn again with the cliffs explained."""
        self.household.clear_errors()
        for offer in self.offers:
            offer.clear_errors()
        self.memory.save(self.state())  # what was typed is kept, even a value still to correct
        try:
            scenario = self.scenario()
            self.simulator.validate(scenario)
        except InputError as error:
            self._show_input_error(error)
            return
        self._wanted = scenario
        if self.simulator.is_ready(scenario):
            self._draw(scenario)
            return
        self.panel.computing()
        self.worker.submit(scenario)

    def _show_input_error(self, error: InputError) -> None:
        self._wanted = None  # a case still computing must not draw figures under a wrong entry
        offer_index, name = split_field(error.field)
        if offer_index is not None:
            self.offers[offer_index].show_error(name, error)
            shown = True
        else:
            shown = self.household.show_error(name, error)
        self.panel.input_error(None if shown else str(error))

    def _draw(self, scenario: Scenario) -> None:
        """Simulate and draw ``scenario`` unless the learner has asked for another case meanwhile
        (in the kernel's thread for a prepared case, in the background thread otherwise)."""
        try:
            result = self.simulator.simulate(scenario, complete=False)
        except InputError as error:
            with self.panel.lock:
                if self._wanted == scenario:
                    self._show_input_error(error)
            return
        with self.panel.lock:
            if self._wanted != scenario:
                return  # a newer case is being computed; it will draw itself
            self.panel.show(result)
        if not result.complete:
            self.simulator.complete_later(scenario, lambda: self._grids_ready(scenario))

    def _grids_ready(self, scenario: Scenario) -> None:
        """Called from the background thread: redraw if the learner still looks at this case."""
        with self.panel.lock:
            if self.last is None or self.last.scenario != scenario:
                return
            self.panel.show(self.simulator.simulate(scenario))  # instant now: every level is in memory

    # ------------------------------------------------------------------ the page's first figures
    def preview(self) -> str:
        """The first figures, as HTML the page carries before its widgets (empty if none yet)."""
        profile = self._profile()
        if self.last is None or profile is None:
            return ""
        return preview_html(self.last, profile.label)


def show(simulator: Simulator) -> None:
    """Display the simulator on ``simulator`` (the model on the figures its caller chose); a data
    problem is shown as a French message, not a traceback. The first case's figures go first, as
    HTML the course's Voilà writes into the page itself (:data:`SERVER_RENDERED`): a phone shows
    them seconds before the widgets are ready."""

    def build() -> w.VBox:
        view = RemunerationView(simulator)
        first = view.preview()
        if first:
            display(HTML(first), metadata={SERVER_RENDERED: True})
        return view.root

    display_exercise(build, (InputError,), "Le simulateur ne peut pas s'ouvrir :")
