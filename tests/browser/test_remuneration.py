"""The benefit simulator in Voilà: a preset draws figures; changing the offer changes chart and totals;
bad input gets a French message next to the field and keeps everything else."""

from __future__ import annotations

from playwright.sync_api import expect

from widgets.remuneration.model import load_profiles


def summary_text(page) -> str:
    return page.locator("h4:has-text('Résultat') + ul").inner_text()


def chart_signature(page) -> str:
    return page.locator(".js-plotly-plot .barlayer").first.inner_html()


def wait_for_chart_change(page, before: str) -> None:
    page.wait_for_function(
        "before => document.querySelector('.js-plotly-plot .barlayer').innerHTML !== before", arg=before
    )


def test_changing_the_offer_redraws_chart_and_totals(page, voila_base):
    profiles = load_profiles()
    page.goto(f"{voila_base}/remuneration.ipynb")
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=90_000)
    expect(page.get_by_text("Législation connue jusqu'au")).to_be_visible()
    expect(page.locator("table.faire-table").first).to_contain_text("janv. 2026")
    first_summary = summary_text(page)
    first_chart = chart_signature(page)
    assert profiles[0].offer.form_label in first_summary

    # Another preset: other figures.
    page.get_by_label("Choisir un cas").select_option(label=profiles[-1].label)
    expect(page.locator("h4:has-text('Résultat') + ul")).not_to_have_text(first_summary)
    assert profiles[-1].offer.form_label in summary_text(page)
    wait_for_chart_change(page, first_chart)

    # Typing other hours redraws the chart and changes the yearly total.
    before_summary, before_chart = summary_text(page), chart_signature(page)
    hours = page.get_by_label("… ou tapez les heures").first
    hours.fill("20")
    hours.press("Enter")
    expect(page.locator("h4:has-text('Résultat') + ul")).not_to_have_text(before_summary)
    assert "20 h par mois" in summary_text(page)
    wait_for_chart_change(page, before_chart)


def test_bad_input_gets_a_french_message_and_loses_nothing(page, voila_base):
    page.goto(f"{voila_base}/remuneration.ipynb")
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=90_000)
    before = summary_text(page)
    hours = page.get_by_label("… ou tapez les heures").first
    hours.fill("400")
    hours.press("Enter")
    alert = page.get_by_role("alert").filter(has_text="400").first
    expect(alert).to_contain_text("entre 0 et 200")
    assert summary_text(page) == before  # nothing computed from the bad value
    rent = page.get_by_label("Loyer par mois (€)").first
    rent.fill("")
    rent.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="Loyer").first).to_contain_text("la case est vide")
    expect(hours).to_have_value("400")  # the other entries are kept
    expect(page.get_by_text("Traceback")).to_have_count(0)


def test_a_custom_case_shows_a_progress_cue_then_its_figures(page, voila_base):
    """A case that was not prepared in advance (another commune) takes OpenFisca a few seconds:
    the learner sees « Calcul en cours » meanwhile, then the new figures."""
    page.goto(f"{voila_base}/remuneration.ipynb")
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=90_000)
    table_before = page.locator("table.faire-table").first.inner_text()
    page.get_by_label("Commune").first.select_option(label="Grenoble")
    expect(page.get_by_text("Calcul en cours avec OpenFisca")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("Calcul en cours avec OpenFisca")).to_have_count(0, timeout=90_000)
    expect(page.locator("table.faire-table").first).not_to_have_text(table_before)
