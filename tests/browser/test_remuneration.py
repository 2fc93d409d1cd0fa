"""The benefit simulator in Voilà, used as a learner would: presets, typing, the keyboard, a phone.

Every wait has an explicit timeout suited to a loaded 2-core machine: a page opens a kernel, and a
case not prepared in advance runs OpenFisca.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from widgets.remuneration.content import load_profiles

OPEN = 180_000  # ms: Voilà starts a kernel, imports the simulator and draws the first case (server side)
COMPUTE = 180_000  # ms: a case not prepared in advance runs OpenFisca (slow on a loaded 2-core machine)
QUICK = 30_000  # ms: anything read from the prepared grids
RESULT = "h2:has-text('Résultat') + ul"


def open_simulator(page, voila_base) -> None:
    page.goto(f"{voila_base}/remuneration.ipynb", timeout=OPEN, wait_until="domcontentloaded")
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=OPEN)
    expect(page.locator(RESULT)).to_be_visible(timeout=QUICK)


def summary(page) -> str:
    return page.locator(RESULT).inner_text(timeout=QUICK)


def chart_signature(page) -> str:
    return page.locator(".js-plotly-plot .barlayer").first.inner_html(timeout=QUICK)


def wait_for_chart_change(page, before: str) -> None:
    page.wait_for_function(
        "before => document.querySelector('.js-plotly-plot .barlayer').innerHTML !== before", arg=before, timeout=QUICK
    )


def test_presets_and_hours_redraw_in_french(page, voila_base):
    profiles = load_profiles()
    open_simulator(page, voila_base)
    expect(page.get_by_text("Législation connue jusqu'au 1er octobre 2026")).to_be_visible(timeout=QUICK)
    expect(page.locator("table.faire-table").first).to_contain_text("janvier 2026", timeout=QUICK)
    first_summary, first_chart = summary(page), chart_signature(page)
    assert profiles[0].offer.form_label in first_summary

    # Another preset: other figures, hours written the French way (75,83 h, never 75.83).
    preset = page.get_by_label("Choisir un cas")
    preset.select_option(label=profiles[-1].label, timeout=QUICK)
    expect(page.get_by_text(profiles[-1].description[:40])).to_be_visible(timeout=QUICK)
    expect(page.locator(RESULT)).not_to_have_text(first_summary, timeout=QUICK)
    assert profiles[-1].offer.form_label in summary(page)
    assert "75,83\u00a0h par mois" in summary(page)
    wait_for_chart_change(page, first_chart)
    body = page.locator("#rendered_cells").inner_text(timeout=QUICK)
    assert "75.83" not in body and "2026-10-01" not in body and "(s)" not in body

    # The slider has an accessible name; the hours hint stays inside 0–200.
    slider = page.get_by_role("slider", name="Heures par mois (offre 1)")
    expect(slider).to_have_count(1, timeout=QUICK)
    hours = page.get_by_label("… ou tapez les heures par mois").first
    placeholder = hours.get_attribute("placeholder", timeout=QUICK) or ""
    assert "de 0 à 200" in placeholder
    assert all(0 <= float(n.replace(",", ".")) <= 200 for n in re.findall(r"\d+(?:,\d+)?", placeholder))

    # Typing « 120 » one key at a time computes nothing until the learner has finished.
    before_summary, before_chart = summary(page), chart_signature(page)
    hours.fill("", timeout=QUICK)
    hours.press_sequentially("120", delay=400, timeout=QUICK)
    page.wait_for_timeout(1500)
    assert summary(page) == before_summary  # not « 1 h », not « 12 h »
    hours.press("Enter", timeout=QUICK)
    expect(page.locator(RESULT)).to_contain_text("120\u00a0h par mois", timeout=QUICK)
    wait_for_chart_change(page, before_chart)
    # 120 h is no longer the case type's offer: its title and description go, the case is the learner's.
    expect(preset).to_have_value("— Cas personnalisé —", timeout=QUICK)
    expect(page.get_by_text(profiles[-1].description[:40])).to_have_count(0, timeout=QUICK)

    # The keyboard moves the slider (arrow key) and the figures follow.
    before_summary = summary(page)
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(RESULT)).to_contain_text("121\u00a0h par mois", timeout=QUICK)
    assert summary(page) != before_summary


def test_bad_input_gets_a_french_message_once_and_loses_nothing(page, voila_base):
    open_simulator(page, voila_base)
    before = summary(page)
    hours = page.get_by_label("… ou tapez les heures par mois").first
    hours.fill("400", timeout=QUICK)
    hours.press("Enter", timeout=QUICK)
    alerts = page.get_by_role("alert").filter(has_text="400")
    expect(alerts.first).to_contain_text("entre 0 et 200", timeout=QUICK)
    expect(alerts).to_have_count(1, timeout=QUICK)  # next to the field only: announced once
    # No figure of another entry stays on the screen: they are hidden, and the page says why.
    expect(page.get_by_text("Les chiffres sont cachés tant qu'une saisie est à corriger")).to_be_visible(timeout=QUICK)
    expect(page.locator(RESULT)).to_have_count(0, timeout=QUICK)
    expect(page.locator(".js-plotly-plot")).to_have_count(0, timeout=QUICK)
    assert before
    rent = page.get_by_label("Loyer mensuel (€)").first
    rent.fill("", timeout=QUICK)
    rent.press("Enter", timeout=QUICK)
    expect(page.get_by_role("alert").filter(has_text="Loyer mensuel").first).to_contain_text(
        "la case est vide", timeout=QUICK
    )
    expect(hours).to_have_value("400", timeout=QUICK)  # the other entries are kept
    expect(page.get_by_text("Traceback")).to_have_count(0)
    hours.fill("4", timeout=QUICK)
    hours.press("Enter", timeout=QUICK)
    rent.fill("450", timeout=QUICK)
    rent.press("Enter", timeout=QUICK)
    expect(page.locator(RESULT)).to_have_text(before, timeout=QUICK)  # corrected: the figures are back


def test_a_new_case_shows_a_cue_then_its_figures_and_the_page_says_why(page, voila_base):
    """A 22-year-old in Grenoble, typed as a learner would: not prepared in advance, so OpenFisca runs
    (with a cue), and the page says why there is no RSA under 25."""
    open_simulator(page, voila_base)
    page.get_by_label("Commune").first.select_option(label="Grenoble", timeout=QUICK)
    cue = page.locator(".faire-message", has_text="Calcul en cours avec OpenFisca")  # not the live region's copy
    expect(cue).to_be_visible(timeout=QUICK)
    # while it computes, no figure of the previous case stays on the screen
    expect(page.get_by_text("Les chiffres de ce cas arrivent dans quelques secondes")).to_be_visible(timeout=QUICK)
    expect(cue).to_have_count(0, timeout=COMPUTE)
    expect(page.locator("table.faire-table").first).to_be_visible(timeout=QUICK)
    expect(page.get_by_text("Logement : locataire à Grenoble (38185)")).to_be_visible(timeout=QUICK)
    age = page.get_by_label("Âge (au 1er janvier 2026)").first
    age.fill("22", timeout=QUICK)
    age.press("Enter", timeout=QUICK)
    expect(page.get_by_text("Moins de 25 ans et sans enfant : pas de RSA")).to_be_visible(timeout=COMPUTE)
    expect(page.get_by_text("dès 18 ans").first).to_be_visible(timeout=QUICK)
    # the reason comes first in the plain story, never « le RSA ne change pas »
    story = page.locator("h3:has-text('Le décalage, en clair') + ul li").first
    expect(story).to_have_text("Pas de RSA pour ce foyer, avec ou sans l'offre : moins de 25 ans et sans enfant.")
    expect(page.get_by_text("RSA ne change pas")).to_have_count(0)


def test_couple_state_housing_and_two_offers(page, voila_base):
    open_simulator(page, voila_base)
    # « Seul ou seule / En couple » is a radio group: its state is exposed, the partner's age appears.
    alone = page.get_by_role("radio", name="Seul ou seule")
    couple = page.get_by_role("radio", name="En couple")
    expect(alone).to_be_checked(timeout=QUICK)
    couple.check(timeout=QUICK)
    expect(couple).to_be_checked(timeout=QUICK)
    expect(page.get_by_label("Âge du conjoint ou de la conjointe (au 1er janvier 2026)").first).to_be_visible(
        timeout=QUICK
    )
    expect(page.get_by_text("adultes de 36 et 36 ans").first).to_be_visible(timeout=COMPUTE)  # the couple's figures

    # Hosted free of charge: no rent field, and the page says the forfait logement applies.
    page.get_by_label("Logement", exact=True).first.select_option(
        label="Hébergement gratuit (famille, amis, CADA ou HUDA)", timeout=QUICK
    )
    expect(page.get_by_label("Loyer mensuel (€)")).to_be_hidden(timeout=COMPUTE)
    expect(page.get_by_text("forfait logement").first).to_be_visible(timeout=COMPUTE)

    # Two offers: the chart's title names offer 2.
    page.get_by_label("Comparer avec une deuxième offre").check(timeout=QUICK)
    title = page.get_by_role("heading", name=re.compile("^Ressources par mois"))
    expect(title).to_contain_text("offre 2", timeout=COMPUTE)
    expect(page.locator(".fa-chart-legend")).to_contain_text("Total avec l'offre 2", timeout=QUICK)


def test_phone_chart_title_and_legend_are_whole(browser, voila_base):
    """At 360 px the chart's title is not cut, does not run into the chart, and the legend sits below
    the chart (never over the axis), inside the screen; the plot stays wide enough to read."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    page = context.new_page()
    try:
        open_simulator(page, voila_base)
        title = page.get_by_role("heading", name=re.compile("^Ressources par mois"))
        expect(title).to_be_visible(timeout=QUICK)
        box = title.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
        geometry = page.evaluate(
            """() => {
                const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
                return {
                    chart: box(document.querySelector('.js-plotly-plot')),
                    plot: box(document.querySelector('.js-plotly-plot .nsewdrag')),
                    legend: box(document.querySelector('.fa-chart-legend')),
                    width: document.documentElement.clientWidth,
                };
            }"""
        )
        chart, plot, legend, width = geometry["chart"], geometry["plot"], geometry["legend"], geometry["width"]
        assert legend[1] >= chart[3] - 1, f"legend {legend} over the chart {chart}"
        assert legend[0] >= -1 and legend[2] <= width + 1, f"legend cut at {width} px: {legend}"
        assert box["y"] + box["height"] <= chart[1] + 1, "the title runs into the chart"
        assert plot[2] - plot[0] >= 280, f"plot area only {plot[2] - plot[0]} px wide"
        expect(page.locator(".fa-chart-legend li").first).to_have_text("Paie nette (barre pleine)", timeout=QUICK)
    finally:
        context.close()


def test_a_reload_keeps_what_was_typed_and_tout_recommencer_erases_it(page, voila_base):
    """What the learner typed stays in this browser (nothing sent to the server), even a value still
    to correct; after a reload the page never shows figures that are not the learner's: with « abc »
    as the rent they stay hidden, and the slider says the typed hours. « Tout recommencer » asks once,
    then goes back to the first case type."""
    open_simulator(page, voila_base)
    page.get_by_label("… ou tapez les heures par mois").first.fill("111", timeout=QUICK)
    page.get_by_label("… ou tapez les heures par mois").first.press("Enter", timeout=QUICK)
    expect(page.locator(RESULT)).to_contain_text("111\u00a0h par mois", timeout=QUICK)
    rent = page.get_by_label("Loyer mensuel (€)").first
    rent.fill("abc", timeout=QUICK)
    rent.press("Enter", timeout=QUICK)
    expect(page.get_by_role("alert").filter(has_text="Loyer mensuel").first).to_be_visible(timeout=QUICK)
    page.get_by_role("radio", name="En couple").check(timeout=QUICK)
    page.wait_for_timeout(1000)
    page.reload(timeout=OPEN, wait_until="domcontentloaded")
    expect(page.get_by_label("Loyer mensuel (€)").first).to_have_value("abc", timeout=OPEN)
    expect(page.get_by_role("radio", name="En couple")).to_be_checked(timeout=QUICK)
    expect(page.get_by_label("… ou tapez les heures par mois").first).to_have_value("111", timeout=QUICK)
    expect(page.get_by_role("slider", name="Heures par mois (offre 1)")).to_have_value("111", timeout=QUICK)
    expect(page.get_by_text("Les chiffres sont cachés tant qu'une saisie est à corriger")).to_be_visible(timeout=QUICK)
    expect(page.locator(RESULT)).to_have_count(0, timeout=QUICK)  # not the first case type's figures
    expect(page.get_by_label("Choisir un cas")).to_have_value("— Cas personnalisé —", timeout=QUICK)  # 111 h

    page.get_by_role("button", name="Tout recommencer").click(timeout=QUICK)
    page.get_by_role("button", name=re.compile("^Oui")).click(timeout=QUICK)
    expect(page.get_by_label("Loyer mensuel (€)").first).to_have_value("450", timeout=QUICK)
    expect(page.get_by_role("radio", name="Seul ou seule")).to_be_checked(timeout=QUICK)
    stored = page.evaluate("() => Object.keys(localStorage).filter(k => k.includes('remuneration'))")
    page.wait_for_timeout(1000)
    stored = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.includes('remuneration')).map(k => localStorage.getItem(k))"
    )
    assert all('"loyer":"450"' in value for value in stored)  # the old entries are gone


def test_the_declaration_month_moves_the_quarters(page, voila_base):
    """The household's first quarterly declaration (January, February or March) moves the months where
    the RSA and the prime d'activité change; nothing is recomputed by OpenFisca for it."""
    open_simulator(page, voila_base)
    story = page.locator("h3:has-text('Le décalage, en clair') + ul")
    expect(story).to_contain_text("en janvier, avril, juillet et octobre", timeout=QUICK)
    page.get_by_label("Déclarations trimestrielles en").select_option(
        label="mars, juin, septembre, décembre", timeout=QUICK
    )
    expect(story).to_contain_text("en mars, juin, septembre et décembre", timeout=QUICK)
    expect(page.locator(".fa-chart-legend")).to_contain_text("Début d'un trimestre", timeout=QUICK)
