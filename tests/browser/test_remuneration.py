"""The benefit simulator in Voilà, used as a learner would: presets, typing, the keyboard, a phone, a projector.

Every wait is on a condition, with an explicit timeout suited to a loaded 2-core machine: a page
opens a kernel, and a case not prepared in advance runs OpenFisca. The phone and projector checks
are those of issue 18: the « calcul en cours » cue where the learner looks, the keyboard a number
field opens, whole labels at 360 px, what changes before the table, the table using a projector's
width, and first figures that need no front-end.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from widgets.remuneration.content import load_profiles
from widgets.remuneration.view import CUSTOM

from .conftest import close_like_a_person

OPEN = 180_000  # ms: Voilà starts a kernel, imports the simulator and draws the first case (server side)
COMPUTE = 180_000  # ms: a case not prepared in advance runs OpenFisca (slow on a loaded 2-core machine)
QUICK = 30_000  # ms: anything read from the prepared grids
RESULT = "h2:has-text('Résultat') + ul"
STORED = "() => Object.keys(localStorage).filter(k => k.includes('remuneration')).map(k => localStorage.getItem(k))"


def open_simulator(page, voila_base) -> None:
    page.goto(f"{voila_base}/remuneration.ipynb", timeout=OPEN, wait_until="domcontentloaded")
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=OPEN)
    expect(page.locator(RESULT)).to_be_visible(timeout=QUICK)


def phone(browser, width: int = 360, height: int = 740, projector: bool = False):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    if projector:
        context.add_init_script("localStorage.setItem('faire-avec:projecteur', 'oui')")
    return context, context.new_page()


def summary(page) -> str:
    return page.locator(RESULT).inner_text(timeout=QUICK)


def chart_signature(page) -> str:
    return page.locator(".js-plotly-plot .barlayer").first.inner_html(timeout=QUICK)


def wait_for_chart_change(page, before: str) -> None:
    page.wait_for_function(
        "before => document.querySelector('.js-plotly-plot .barlayer').innerHTML !== before", arg=before, timeout=QUICK
    )


def record_summaries(page) -> None:
    """From now on, every text the result's summary shows is kept in ``window.__summaries``."""
    page.evaluate(
        """sel => {
            window.__summaries = [];
            const keep = () => {
                const el = document.querySelector(sel);
                const text = el ? el.innerText : '';
                if (window.__summaries[window.__summaries.length - 1] !== text) window.__summaries.push(text);
            };
            keep();
            new MutationObserver(keep).observe(document.getElementById('rendered_cells'),
                {subtree: true, childList: true, characterData: true});
        }""",
        ".fa-simulateur ul.fa-result",  # the list RESULT finds, as a CSS selector
    )


def test_presets_and_hours_redraw_in_french(page, voila_base):
    profiles = load_profiles()
    open_simulator(page, voila_base)
    expect(page.get_by_text("Législation connue jusqu'au 1er octobre 2026")).to_be_visible(timeout=QUICK)
    expect(page.locator("table.faire-table").first).to_contain_text("janvier 2026", timeout=QUICK)
    first_summary, first_chart = summary(page), chart_signature(page)
    assert profiles[0].offer.form_label in first_summary

    # Another case type: other figures, hours written the French way (75,83 h, never 75.83).
    page.get_by_role("radio", name=profiles[-1].label).check(timeout=QUICK)
    expect(page.get_by_text(profiles[-1].description[:40])).to_be_visible(timeout=QUICK)
    expect(page.locator(RESULT)).not_to_have_text(first_summary, timeout=QUICK)
    assert profiles[-1].offer.form_label in summary(page)
    assert "75,83\u00a0h par mois" in summary(page)
    wait_for_chart_change(page, first_chart)
    body = page.locator("#rendered_cells").inner_text(timeout=QUICK)
    assert "75.83" not in body and "2026-10-01" not in body and "(s)" not in body

    # The slider has an accessible name; the hours field says it takes 0 to 200 hours.
    slider = page.get_by_role("slider", name="Heures par mois (offre 1)")
    expect(slider).to_have_count(1, timeout=QUICK)
    hours = page.get_by_label("… ou tapez les heures par mois").first
    expect(hours).to_have_accessible_description(re.compile("Entre 0 et 200 heures par mois"), timeout=QUICK)

    # Typing « 120 » one key at a time computes nothing until the learner has finished.
    before_chart = chart_signature(page)
    record_summaries(page)
    hours.fill("", timeout=QUICK)
    hours.press_sequentially("120", delay=400, timeout=QUICK)
    hours.press("Enter", timeout=QUICK)
    expect(page.locator(RESULT)).to_contain_text("120\u00a0h par mois", timeout=QUICK)
    seen = page.evaluate("window.__summaries")
    assert not [text for text in seen if re.search(r"\b1\u00a0h par mois|\b12\u00a0h par mois", text)], seen
    wait_for_chart_change(page, before_chart)
    # 120 h is no longer the case type's offer: its title and description go, the case is the learner's.
    expect(page.get_by_role("radio", name=CUSTOM)).to_be_checked(timeout=QUICK)
    expect(page.get_by_text(profiles[-1].description[:40])).to_have_count(0, timeout=QUICK)

    # The keyboard moves the slider (arrow key) and the figures follow.
    before_summary = summary(page)
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(RESULT)).to_contain_text("121\u00a0h par mois", timeout=QUICK)
    assert summary(page) != before_summary


def test_bad_input_gets_a_french_message_saying_what_the_field_expects_and_loses_nothing(page, voila_base):
    open_simulator(page, voila_base)
    before = summary(page)
    hours = page.get_by_label("… ou tapez les heures par mois").first
    hours.fill("400", timeout=QUICK)
    hours.press("Enter", timeout=QUICK)
    alerts = page.get_by_role("alert").filter(has_text="400")
    expect(alerts.first).to_contain_text("entre 0 et 200", timeout=QUICK)
    expect(alerts).to_have_count(1, timeout=QUICK)  # next to the field only: announced once
    expect(hours).to_have_attribute("aria-invalid", "true", timeout=QUICK)
    # No figure of another entry stays on the screen: they are hidden, and the page says why.
    expect(page.get_by_text("Les chiffres sont cachés tant qu'une saisie est à corriger")).to_be_visible(timeout=QUICK)
    expect(page.locator(RESULT)).to_have_count(0, timeout=QUICK)
    expect(page.locator(".js-plotly-plot")).to_have_count(0, timeout=QUICK)
    # Each field says what it expects: an age in years, a rent in euros (never « 450 » for an age).
    age = page.get_by_label("Âge (au 1er janvier 2026)").first
    age.fill("trente", timeout=QUICK)
    age.press("Enter", timeout=QUICK)
    age_alert = page.get_by_role("alert").filter(has_text="trente")
    expect(age_alert).to_contain_text("un âge en années", timeout=QUICK)
    assert "450" not in age_alert.inner_text(timeout=QUICK)
    expect(age).to_have_accessible_description(re.compile("n'est pas un âge"), timeout=QUICK)
    age.fill("36", timeout=QUICK)
    age.press("Enter", timeout=QUICK)
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


def test_on_a_phone_a_new_case_says_it_is_computing_where_the_learner_looks_then_leaves_the_live_region(
    browser, voila_base
):
    """A 22-year-old in Grenoble, typed as a learner would on a 360 × 740 phone: not prepared in
    advance, so OpenFisca runs. The cue is on the screen the learner is looking at (it was 1 400 px
    below), and once the figures are there no live region still says « calcul en cours »; the page
    then says why there is no RSA under 25."""
    context, page = phone(browser)
    try:
        open_simulator(page, voila_base)
        commune = page.get_by_label("Commune").first
        commune.scroll_into_view_if_needed(timeout=QUICK)
        commune.select_option(label="Grenoble", timeout=QUICK)
        cue = page.locator(".fa-statusline", has_text="Calcul en cours avec OpenFisca")
        expect(cue).to_be_visible(timeout=QUICK)
        box = cue.bounding_box(timeout=QUICK)
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 740, box
        assert commune.bounding_box(timeout=QUICK)["y"] >= 0  # the field just changed is still in view
        # while it computes, no figure of the previous case stays on the screen
        expect(page.get_by_text("Les chiffres de ce cas arrivent dans quelques secondes").first).to_be_attached(
            timeout=QUICK
        )
        expect(cue).to_have_count(0, timeout=COMPUTE)
        expect(page.get_by_text("Logement : locataire à Grenoble (38185)")).to_be_attached(timeout=QUICK)
        live = page.evaluate(
            "() => [...document.querySelectorAll('[role=status], [aria-live]')].map(el => el.textContent).join(' | ')"
        )
        assert "Calcul en cours" not in live and "Les chiffres sont à jour." in live, live
        age = page.get_by_label("Âge (au 1er janvier 2026)").first
        age.fill("22", timeout=QUICK)
        age.press("Enter", timeout=QUICK)
        expect(page.get_by_text("Moins de 25 ans et sans enfant : pas de RSA")).to_be_attached(timeout=COMPUTE)
        # the reason comes first in the plain story, never « le RSA ne change pas »
        story = page.locator("h3:has-text('Le décalage, en clair') + ul li").first
        expect(story).to_have_text("Pas de RSA pour ce foyer, avec ou sans l'offre : moins de 25 ans et sans enfant.")
        expect(page.get_by_text("RSA ne change pas")).to_have_count(0)
    finally:
        close_like_a_person(context)


def test_on_a_phone_fields_open_the_right_keyboard_and_no_label_is_cut(browser, voila_base):
    """A number field opens a phone's number keyboard (``inputmode``), and every choice shows its
    whole label at 360 px (« Hébergé gratuitement (famille, amis, CADA… » was cut)."""
    context, page = phone(browser)
    try:
        open_simulator(page, voila_base)
        modes = page.evaluate(
            """() => [...document.querySelectorAll('.fa-simulateur input[type=text]')]
                  .filter(el => el.getClientRects().length)
                  .map(el => [el.labels[0] ? el.labels[0].textContent : '', el.getAttribute('inputmode')])"""
        )
        assert len(modes) >= 5 and all(mode in ("decimal", "numeric") for _label, mode in modes), modes
        assert dict(modes)["Âge (au 1er janvier 2026)"] == "numeric" and dict(modes)["Loyer mensuel (€)"] == "decimal"
        cut = page.evaluate(
            """() => {
                const canvas = document.createElement('canvas').getContext('2d');
                const cut = [];
                for (const select of document.querySelectorAll('.fa-simulateur select')) {
                    if (!select.getClientRects().length) continue;
                    const style = getComputedStyle(select);
                    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                    // the arrow sits in the right padding: what is left is the room for the label
                    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                    for (const option of select.options) {
                        if (canvas.measureText(option.text).width > room) cut.push(option.text);
                    }
                }
                for (const text of document.querySelectorAll('.fa-simulateur .fa-choice-text, .fa-simulateur label')) {
                    if (text.getClientRects().length && text.scrollWidth > text.clientWidth + 1) cut.push(text.textContent);
                }
                return cut;
            }"""
        )
        assert cut == [], cut
        expect(page.get_by_role("radio", name="Hébergement gratuit (famille, amis, CADA ou HUDA)")).to_be_visible(
            timeout=QUICK
        )
    finally:
        close_like_a_person(context)


def test_on_a_phone_what_changes_comes_first_and_the_table_on_demand(browser, voila_base):
    """At 360 px the months that differ and the year's total come right after the result; the
    month-by-month table (12 cards) waits behind « Le tableau mois par mois », and stays open when
    the figures change."""
    context, page = phone(browser)
    try:
        open_simulator(page, voila_base)
        result = page.get_by_role("heading", name="Résultat")
        changes = page.get_by_role("heading", name="Ce qui change en 2026")
        expect(changes).to_be_visible(timeout=QUICK)
        gap = changes.bounding_box(timeout=QUICK)["y"] - result.bounding_box(timeout=QUICK)["y"]
        assert 0 < gap < 740, f"« Ce qui change » is {gap} px below « Résultat »"
        expect(page.locator(".fa-changes li").first).to_contain_text("de plus", timeout=QUICK)
        expect(page.locator(".fa-simulateur").get_by_text(re.compile("^Sur l'année"))).to_be_visible(timeout=QUICK)
        table = page.locator("table.faire-table").first
        expect(table).to_be_hidden(timeout=QUICK)
        disclosure = page.get_by_text("Le tableau mois par mois", exact=False).first
        disclosure.click(timeout=QUICK)
        expect(table).to_be_visible(timeout=QUICK)
        expect(table.locator("tbody tr")).to_have_count(12, timeout=QUICK)
        before = table.inner_text(timeout=QUICK)
        hours = page.get_by_label("… ou tapez les heures par mois").first
        hours.fill("30", timeout=QUICK)
        hours.press("Enter", timeout=QUICK)
        expect(page.locator(RESULT)).to_contain_text("30\u00a0h par mois", timeout=QUICK)
        expect(table).not_to_have_text(before, timeout=QUICK)
        expect(table).to_be_visible(timeout=QUICK)  # redrawn, still open
    finally:
        close_like_a_person(context)


def test_projected_the_table_uses_the_width_and_nothing_wraps(browser, voila_base):
    """Projector mode at 1920 × 1080: the simulator takes the screen's width (400 px stayed empty)
    and the table's headings and months hold on one line each."""
    profiles = load_profiles()
    context, page = phone(browser, 1920, 1080, projector=True)
    try:
        open_simulator(page, voila_base)
        page.get_by_role("radio", name=profiles[-1].label).check(timeout=QUICK)  # paid: most columns
        expect(page.locator(RESULT)).to_contain_text("75,83\u00a0h par mois", timeout=QUICK)
        page.get_by_text("Le tableau mois par mois", exact=False).first.click(timeout=QUICK)
        table = page.locator("table.faire-table").first
        expect(table).to_be_visible(timeout=QUICK)
        layout = page.evaluate(
            """() => {
                const lines = (el) => { const r = document.createRange(); r.selectNodeContents(el);
                    return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; };
                const table = document.querySelector('table.faire-table');
                const cells = [...table.querySelectorAll('thead th, tbody td:first-child')];
                return {
                    right: document.querySelector('.fa-simulateur').getBoundingClientRect().right,
                    columns: table.querySelectorAll('thead th').length,
                    wrapped: cells.filter(c => lines(c) > 1).map(c => c.textContent),
                    overflow: table.parentElement.scrollWidth > table.parentElement.clientWidth,
                };
            }"""
        )
        assert layout["columns"] >= 7, layout
        assert layout["right"] >= 1920 - 120, f"the simulator stops at {layout['right']} px of 1920"
        assert layout["wrapped"] == [] and not layout["overflow"], layout
    finally:
        close_like_a_person(context)


def test_the_first_figures_come_with_the_page_before_any_script(browser, voila_base):
    """Issue 18, point 4: the preset's first figures are written into the page by the server, shown
    even when no script of Voilà's front-end arrives; with the front-end, the widgets replace them."""
    context, page = phone(browser)
    try:
        page.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
        page.goto(f"{voila_base}/remuneration.ipynb", timeout=OPEN, wait_until="domcontentloaded")
        preview = page.locator(".fa-apercu")
        expect(preview).to_be_visible(timeout=OPEN)
        expect(preview.get_by_role("heading", name=re.compile("^Premiers chiffres"))).to_be_visible(timeout=QUICK)
        expect(preview).to_contain_text(
            re.compile(r"Sur l'année : [\d\u202f]+,\d\d\u00a0€ avec l'offre"), timeout=QUICK
        )
        first = preview.locator(".fa-changes").inner_text(timeout=QUICK)
        expect(page.locator(".fa-simulateur")).to_have_count(0)  # no front-end: no widget, the figures anyway
        page.unroute(re.compile(r".*\.js(\?.*)?$"))
        open_simulator(page, voila_base)
        expect(page.locator(".fa-apercu")).to_be_hidden(timeout=QUICK)
        assert page.locator(".fa-simulateur .fa-changes").inner_text(timeout=QUICK) == first  # the same figures
    finally:
        close_like_a_person(context)


def test_couple_state_housing_and_two_offers(page, voila_base):
    open_simulator(page, voila_base)
    # « Seul ou seule / En couple » is a radio group: its state is exposed, the partner's age appears.
    alone = page.get_by_role("radio", name="Seul ou seule")
    couple = page.get_by_role("radio", name="En couple")
    expect(alone).to_be_checked(timeout=QUICK)
    partner = page.get_by_label("Âge du conjoint ou de la conjointe (au 1er janvier 2026)").first
    expect(partner).to_be_hidden(timeout=QUICK)
    couple.check(timeout=QUICK)
    expect(couple).to_be_checked(timeout=QUICK)
    expect(partner).to_be_visible(timeout=QUICK)
    expect(page.get_by_text("adultes de 36 et 36 ans").first).to_be_visible(timeout=COMPUTE)  # the couple's figures

    # Hosted free of charge: no rent field, and the page says the forfait logement applies.
    page.get_by_role("radio", name="Hébergement gratuit (famille, amis, CADA ou HUDA)").check(timeout=QUICK)
    expect(page.get_by_label("Loyer mensuel (€)")).to_be_hidden(timeout=COMPUTE)
    expect(page.get_by_text("forfait logement").first).to_be_visible(timeout=COMPUTE)

    # Two offers: the chart's title names offer 2.
    page.get_by_label("Comparer avec une deuxième offre").check(timeout=QUICK)
    title = page.get_by_role("heading", name=re.compile("^Ressources par mois"))
    expect(title).to_contain_text("offre 2", timeout=COMPUTE)
    expect(page.locator(".fa-chart-legend")).to_contain_text("Total avec l'offre 2", timeout=QUICK)
    expect(page.get_by_role("heading", name="Ce qui change en 2026 (offre 2)")).to_be_visible(timeout=QUICK)


def test_phone_chart_title_and_legend_are_whole(browser, voila_base):
    """At 360 px the chart's title is not cut, does not run into the chart, and the legend sits below
    the chart (never over the axis), inside the screen; the plot stays wide enough to read."""
    context, page = phone(browser)
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
        close_like_a_person(context)


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
    page.wait_for_function(  # the browser has kept the couple and the rent still to correct
        f'() => ({STORED})().some(v => v.includes(\'"couple":true\') && v.includes(\'"loyer":"abc"\'))',
        timeout=QUICK,
    )
    page.reload(timeout=OPEN, wait_until="domcontentloaded")
    expect(page.get_by_label("Loyer mensuel (€)").first).to_have_value("abc", timeout=OPEN)
    expect(page.get_by_role("radio", name="En couple")).to_be_checked(timeout=QUICK)
    expect(page.get_by_label("… ou tapez les heures par mois").first).to_have_value("111", timeout=QUICK)
    expect(page.get_by_role("slider", name="Heures par mois (offre 1)")).to_have_value("111", timeout=QUICK)
    expect(page.get_by_text("Les chiffres sont cachés tant qu'une saisie est à corriger")).to_be_visible(timeout=QUICK)
    expect(page.locator(RESULT)).to_have_count(0, timeout=QUICK)  # not the first case type's figures
    expect(page.get_by_role("radio", name=CUSTOM)).to_be_checked(timeout=QUICK)  # 111 h

    page.get_by_role("button", name="Tout recommencer").click(timeout=QUICK)
    page.get_by_role("button", name=re.compile("^Oui")).click(timeout=QUICK)
    expect(page.get_by_label("Loyer mensuel (€)").first).to_have_value("450", timeout=QUICK)
    expect(page.get_by_role("radio", name="Seul ou seule")).to_be_checked(timeout=QUICK)
    page.wait_for_function(  # the first case type is kept again, and nothing of the old entries
        f'() => {{ const v = ({STORED})(); return v.length > 0 && v.every(s => s.includes(\'"loyer":"450"\')); }}',
        timeout=QUICK,
    )
    stored = page.evaluate(STORED)
    assert stored and all('"loyer":"450"' in value and '"couple":false' in value for value in stored), stored


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
