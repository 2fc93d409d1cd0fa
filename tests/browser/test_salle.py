"""Group mode in two browsers: the trainer's Voilà page and a participant's phone.

Real servers (Voilà as ``make serve`` starts it, and ``python -m widgets.salle.server``) share a
private data directory; Debian's Chromium plays both people. A vote made on the phone must reach
the trainer's chart; the phone must see the group's answers only after the trainer shows them.
Timeouts are generous (60 s): the machine running the tests may be a loaded 2-core laptop.
"""

from __future__ import annotations

import itertools
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.salle_server import SalleServer
from widgets import serve
from widgets.salle.model import Activity
from widgets.salle.store import Store
from widgets.salle.trainer import Trainer

from . import checks
from .conftest import free_port

TIMEOUT_MS = 60_000
HOSTILE = '<img src=x onerror="window.__pirate = 1"> Animer en binôme rassure 🙂'
LONG = "Quand une personne concernée participe à une réunion de l'équipe, elle devrait être payée comme les autres."


@dataclass
class Room:
    voila: str  # Voilà's base address (the trainer's pages)
    phones: str  # the participants' server
    data: Path  # the data directory both share
    server: SalleServer

    def trainer(self) -> Trainer:
        """A trainer acting through the store, as the Voilà page does (quicker than driving it)."""
        store = Store(None, self.data)
        return Trainer(store, *store.open_session())


@pytest.fixture(scope="module")
def salle(tmp_path_factory):
    """Voilà and the participants' server sharing one data directory."""
    data = tmp_path_factory.mktemp("salle")
    server = SalleServer(data).start()
    voila = None
    try:
        voila_port = free_port()
        voila = serve.start_voila(voila_port, log=data / "voila.log", extra_env={"FAIRE_AVEC_DATA_DIR": str(data)})
        yield Room(f"http://127.0.0.1:{voila_port}/voila/render", server.url, data, server)
    finally:
        if voila is not None:
            serve.stop(voila)
        server.stop()


def chart_counts(page) -> list[int] | None:
    return page.evaluate(
        "() => { const d = document.querySelector('.salle-vue .js-plotly-plot');"
        " return d && d.data ? Array.from(d.data[0].x) : null; }"
    )


def test_a_phone_vote_reaches_the_trainer_chart_and_results_show_only_when_revealed(browser, salle):
    voila, participants = salle.voila, salle.phones
    trainer_context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="fr-FR")
    phone_context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR", has_touch=True)
    try:
        trainer = trainer_context.new_page()
        trainer.set_default_timeout(TIMEOUT_MS)
        trainer.goto(f"{voila}/salle-abaque.ipynb")
        trainer.get_by_role("button", name="Ouvrir une séance").click()
        code = trainer.locator(".salle-code").inner_text(timeout=TIMEOUT_MS).replace("\u00a0", "").replace(" ", "")
        assert len(code) == 6 and code.isdigit()
        trainer.get_by_label("Affirmation posée au groupe").fill("Animer à deux aide à se sentir à l'aise.")
        trainer.get_by_role("button", name="Lancer le vote").click()
        trainer.get_by_text("Vote en cours").wait_for()

        phone = phone_context.new_page()
        phone.set_default_timeout(TIMEOUT_MS)
        phone.goto(participants)
        phone.get_by_label("Code de la séance").fill(f"{code[:3]} {code[3:]}")
        phone.get_by_role("button", name="Rejoindre").click()
        phone.get_by_role("heading", name="Animer à deux aide à se sentir à l'aise.").wait_for()
        # Every answer is a word and a symbol as well as a colour; white is abstention.
        buttons = phone.locator("button[name=valeur]")
        assert buttons.count() == 6
        assert "Je ne sais pas, je m'abstiens" in buttons.nth(5).inner_text()
        assert [buttons.nth(i).locator(".pastille").inner_text() for i in range(6)] == ["++", "+", "±", "−", "−−", "○"]
        for i in range(6):
            assert buttons.nth(i).bounding_box()["height"] >= 44  # a finger-sized target
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360

        # What a phone shows passes the same checks as the course's pages: axe, nothing overlapping.
        problems = checks.axe_problems(phone, "téléphone, vote") + checks.overlaps(phone, "main")
        assert not problems, problems

        # Keyboard: Tab to « Plutôt d'accord », then Enter.
        phone.locator("button[name=valeur]").first.focus()
        phone.keyboard.press("Tab")
        assert "Plutôt d'accord" in phone.evaluate("document.activeElement.innerText")
        phone.keyboard.press("Enter")
        phone.get_by_text("Votre réponse est enregistrée : + Plutôt d'accord").wait_for()
        focused = phone.evaluate(
            "[document.activeElement.getAttribute('aria-pressed'), document.activeElement.innerText]"
        )
        assert focused[0] == "true" and "Plutôt d'accord" in focused[1], focused  # not back at the top
        assert phone.get_by_text("Les réponses du groupe").count() == 0

        trainer.wait_for_function(
            "() => { const d = document.querySelector('.salle-vue .js-plotly-plot');"
            " return d && d.data && d.data[0].x[1] === 1; }",
            timeout=TIMEOUT_MS,
        )
        assert chart_counts(trainer) == [0, 1, 0, 0, 0, 0]
        trainer.get_by_text("1 réponse").first.wait_for()
        assert trainer.locator(".salle-grille td.case").count() == 1  # the colour grid has its first cell

        trainer.get_by_role("button", name="Montrer les résultats au groupe").click()
        phone.get_by_role("heading", name="Les réponses du groupe").wait_for(timeout=TIMEOUT_MS)  # no reload by hand
        assert "1 personne a répondu." in phone.inner_text("main")
        assert "(✔ votre réponse)" in phone.inner_text("main")

        problems = checks.axe_problems(phone, "téléphone, résultats") + checks.overlaps(phone, "main")
        problems += checks.axe_problems(trainer, "écran formateur") + checks.overlaps(trainer)
        assert not problems, problems

        # Reword and vote again: the first wording stays in the grid's history. The new wording is
        # hostile (a tag that would run a script, an emoji): every screen shows it as typed, runs nothing.
        trainer.get_by_role("button", name="Reformuler et revoter").click()
        trainer.get_by_label("Affirmation posée au groupe").fill(HOSTILE)
        trainer.get_by_role("button", name="Lancer le vote").click()
        phone.get_by_role("heading", name=HOSTILE).wait_for(timeout=TIMEOUT_MS)
        phone.get_by_role("button", name="Tout à fait d'accord").click()
        trainer.wait_for_function(
            "() => document.querySelectorAll('.salle-grille tbody tr').length === 2"
            " && document.querySelectorAll('.salle-grille td.case').length === 2",
            timeout=TIMEOUT_MS,
        )
        assert "(reformulée)" in trainer.locator(".salle-grille").inner_text()
        assert trainer.locator(".salle-question").inner_text() == HOSTILE
        assert HOSTILE in trainer.locator(".salle-grille").inner_text()
        assert trainer.locator(".salle-vue .js-plotly-plot .gtitle").count() == 0  # the question is above, once
        for page in (phone, trainer):
            assert page.evaluate("window.__pirate") is None and page.locator("img[src=x]").count() == 0

        # Another « en salle » page (or the same page reloaded) takes the session back in one click.
        meteo = trainer_context.new_page()
        meteo.set_default_timeout(TIMEOUT_MS)
        meteo.goto(f"{voila}/salle-meteo.ipynb")
        meteo.get_by_role("button", name=f"Reprendre la séance {code[:3]}\u00a0{code[3:]}").click()
        assert meteo.locator(".salle-code").inner_text().replace("\u00a0", "").replace(" ", "") == code
        meteo.get_by_role("button", name="Lancer la météo d'arrivée").click()
        phone.get_by_role("button", name="Je préfère ne pas le dire").click(timeout=TIMEOUT_MS)
        meteo.wait_for_function(
            "() => { const d = document.querySelector('.salle-vue .js-plotly-plot');"
            " return d && d.data && d.data[0].x[5] === 1; }",
            timeout=TIMEOUT_MS,
        )
    finally:
        trainer_context.close()
        phone_context.close()


def test_wrong_code_and_closed_session_answer_in_french(browser, salle):
    participants = salle.phones
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(participants)
        page.get_by_label("Code de la séance").fill("12 34")
        page.get_by_role("button", name="Rejoindre").click()
        alert = page.get_by_role("alert")
        assert "n'est pas un code de séance" in alert.inner_text()
        assert page.get_by_label("Code de la séance").input_value() == "12 34"  # what was typed is kept
        response = page.goto(f"{participants}/s/000000")
        assert response.status == 404 and "Ce code ne correspond à aucune séance ouverte" in page.inner_text("main")
    finally:
        context.close()


def report_page(browser, html_page: str):
    """The session's report as Chromium draws it for the PNG (``report.render_png``), charts drawn."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_content(html_page, wait_until="load")
    page.wait_for_function("Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d._fullLayout)")
    return page


def test_the_report_png_shows_a_hostile_statement_as_text(browser, tmp_path):
    """The page Chromium turns into the PNG export: the statement is in the grid and in the chart's
    labels as typed, and nothing runs (the same Chromium, the same HTML as ``report.render_png``)."""
    from widgets.salle import report
    from widgets.salle.model import Activity
    from widgets.salle.store import Store
    from widgets.salle.tokens import issue
    from widgets.salle.trainer import Trainer

    store = Store(None, tmp_path)
    try:
        trainer = Trainer(store, *store.open_session())
        statement = "<script>window.__pirate = 2</script> Le travail pair doit être payé. مرحبا"
        current = trainer.ask(Activity.ABAQUE, statement)
        store.vote(
            trainer.code,
            issue(store.session(trainer.code).participant_key, trainer.code),
            current.id,
            "",
            "abaque-jaune",
        )
        html_page = report.report_html(trainer.snapshot())
    finally:
        store.close()
    page = report_page(browser, html_page)
    try:
        assert page.evaluate("window.__pirate") is None
        assert statement in page.locator(".salle-grille").inner_text()
        labels = " ".join(page.locator(".plotly-graph-div .ytick text").all_text_contents())
        assert "<script>window.__pirate = 2</script>" in labels, labels
    finally:
        page.close()


def votes_of(room: Room, code: str) -> list[tuple[int, str]]:
    store = Store(None, room.data)
    try:
        return [(v.participant, v.value) for v in store.snapshot(code).votes]
    finally:
        store.close()


def focused_answer(page) -> list:
    return page.evaluate("[document.activeElement.getAttribute('aria-pressed'), document.activeElement.innerText]")


def test_a_phone_without_connection_says_so_at_once_keeps_the_tap_and_sends_it_once(browser, salle):
    """Wi-Fi lost, then the participants' server killed and started again: the page says it at the top
    at once, never shows the browser's error page, keeps the tap, sends it when it can — counted once."""
    trainer = salle.trainer()
    trainer.ask(Activity.ABAQUE, "Animer à deux aide à se sentir à l'aise.")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR", has_touch=True)
    try:
        phone = context.new_page()
        phone.set_default_timeout(TIMEOUT_MS)
        phone.goto(f"{salle.phones}/s/{trainer.code}")
        heading = phone.get_by_role("heading", name="Animer à deux aide à se sentir à l'aise.")
        banner = phone.locator("#connexion")

        context.set_offline(True)
        expect(banner).to_contain_text("Pas de connexion avec la salle", timeout=3_000)  # at once, not after a poll
        top, title = banner.bounding_box(), heading.bounding_box()
        assert top["y"] < 80 and top["y"] + top["height"] <= title["y"], (top, title)  # at the top, above the question
        phone.get_by_role("button", name="Plutôt d'accord").click()
        expect(banner).to_contain_text("votre réponse « Plutôt d'accord » n'est pas encore envoyée")
        assert phone.url.endswith(f"/s/{trainer.code}") and heading.is_visible()  # not « This site can't be reached »
        assert votes_of(salle, trainer.code) == []

        context.set_offline(False)  # the tap leaves by itself
        phone.get_by_text("Votre réponse est enregistrée : + Plutôt d'accord").wait_for()
        expect(banner).to_contain_text("votre réponse est envoyée")
        assert votes_of(salle, trainer.code) == [(1, "abaque-vert-clair")]
        assert focused_answer(phone)[0] == "true" and "Plutôt d'accord" in focused_answer(phone)[1]

        salle.server.stop(signal.SIGKILL)  # the room's server crashes
        expect(banner).to_contain_text("Pas de connexion avec la salle", timeout=15_000)
        phone.get_by_role("button", name="Oui et non").click()
        expect(banner).to_contain_text("« Oui et non » n'est pas encore envoyée")
        salle.server.start()
        phone.get_by_text("Votre réponse est enregistrée : ± Oui et non").wait_for()
        assert votes_of(salle, trainer.code) == [(1, "abaque-jaune")]  # replaced, never doubled
        assert phone.evaluate("sessionStorage.length") == 0  # nothing left waiting
    finally:
        context.close()
        trainer.store.close()
        if salle.server.process is None or salle.server.process.poll() is not None:
            salle.server.start()


def test_answers_keep_their_words_whole_at_200_percent_and_all_fit_on_a_phone(browser, salle):
    trainer = salle.trainer()
    trainer.ask(Activity.ABAQUE, LONG)
    try:
        for width, height in ((360, 740), (180, 370)):  # a phone, then the same phone zoomed to 200 %
            context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
            page = context.new_page()
            page.goto(f"{salle.phones}/s/{trainer.code}")
            buttons = page.locator("button[name=valeur]")
            assert buttons.count() == 6
            broken = page.evaluate(
                """() => Array.from(document.querySelectorAll('.choix .libelle')).flatMap(label => {
                     const text = label.firstChild; const words = []; let at = 0;
                     for (const word of text.textContent.split(' ')) {
                       const range = document.createRange(); range.setStart(text, at); range.setEnd(text, at + word.length);
                       if (range.getClientRects().length > 1) words.push(word);
                       at += word.length + 1;
                     }
                     return words; })"""
            )
            assert broken == [], f"{width} px : mots coupés {broken}"
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            if width == 360:  # the abstention, last, is whole on the first screen
                box = buttons.nth(5).bounding_box()
                assert box["y"] + box["height"] <= height, box
            context.close()
    finally:
        trainer.store.close()


def on_screen(page, selector: str, height: int) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_projected_the_code_and_the_chart_stay_on_screen_and_paper_votes_count(browser, salle):
    """« Mode projecteur » at 1920 × 1080: answers hidden until shown, the code and the chart on screen
    while the trainer works below, a paper vote typed in, marked in the grid; then the session closes."""
    from tests.support.salle_client import Phone

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    context.add_init_script("window.localStorage.setItem('faire-avec:projecteur', 'oui')")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{salle.voila}/salle-abaque.ipynb")
        page.get_by_role("button", name="Ouvrir une séance").click()
        code = page.locator(".salle-code").inner_text().replace("\u00a0", "").replace(" ", "")
        hide = page.get_by_role("checkbox", name="Cacher les réponses jusqu'à ce que je les montre", exact=False)
        expect(hide).to_be_checked()  # projected: the room does not watch colours arrive one by one
        page.get_by_label("Affirmation posée au groupe").fill("Animer à deux aide à se sentir à l'aise.")
        page.get_by_role("button", name="Lancer le vote").click()
        page.get_by_text("Vote en cours").wait_for()
        for number, answer in enumerate(("abaque-vert-fonce", "abaque-rouge"), start=1):
            phone = Phone(salle.phones, address=f"127.0.9.{number}")
            phone.open(code)
            current = phone.current_round()
            assert current is not None
            assert phone.vote(code, current, answer)[0] == 200
        page.get_by_role("button", name="Ajouter une personne qui vote sur papier").click()
        page.get_by_label("P3 (papier)").select_option(label="− Plutôt pas d'accord")
        page.get_by_text("Réponses cachées : 3 reçues").wait_for()
        assert page.locator(".salle-vue .js-plotly-plot").count() == 0 and page.locator(".salle-grille").count() == 0
        # The trainer worked low in the controls: the code and the question are still on screen.
        assert on_screen(page, ".salle-code", 1080) and on_screen(page, ".salle-scene .salle-question", 1080)

        page.get_by_role("button", name="Montrer les résultats au groupe").click()
        page.wait_for_function(
            "() => { const d = document.querySelector('.salle-scene .js-plotly-plot');"
            " return d && d.data && d.data[0].x.reduce((a, b) => a + b, 0) === 3; }"
        )
        page.evaluate("document.querySelector('#rendered_cells').scrollTop = 0")
        assert on_screen(page, ".salle-code", 1080) and on_screen(page, ".salle-scene .js-plotly-plot", 1080)
        bars = page.evaluate("Array.from(document.querySelector('.salle-scene .js-plotly-plot').data[0].text)")
        assert "1 vote (1 sur papier)" in bars, bars
        assert "✎" in page.locator(".salle-grille thead").inner_text()  # the paper column says so
        problems = checks.overlaps(page) + checks.axe_problems(page, "écran formateur projeté")
        assert not problems, problems

        page.get_by_role("button", name="Mode projecteur").click()  # back on the laptop: one column, answers shown
        expect(page.locator(".salle-projecteur")).to_have_count(0)
        expect(hide).not_to_be_checked()

        page.get_by_role("button", name="Fermer la séance").click()
        page.get_by_role("button", name="Oui, fermer").click()
        badge = page.locator(".salle-badge")
        expect(badge).to_contain_text("fermée à")
        assert "plus personne ne peut répondre" in page.locator(".salle-vue").inner_text()
        assert "scanner" not in page.locator(".salle-vue").inner_text()
    finally:
        context.close()


def test_the_report_png_wraps_long_statements_counts_whole_people_and_shows_tags_as_typed(browser, tmp_path):
    """The page Chromium turns into the PNG (``report.render_png``): long statements, a tag, a paper vote."""
    from widgets.salle import report
    from widgets.salle.tokens import issue

    store = Store(None, tmp_path)
    try:
        trainer = Trainer(store, *store.open_session())
        key = store.session(trainer.code).participant_key
        statements = ["<b>Gras</b> ou pas ?", LONG * 3, "Court.", LONG]
        for text in statements:
            current = trainer.ask(Activity.ABAQUE, text)
            store.vote(trainer.code, issue(key, trainer.code), current.id, "", "abaque-jaune")
        person = trainer.add_paper_person()
        trainer.paper_vote(current.id, person, "", "abaque-rose")
        html_page = report.report_html(trainer.snapshot())
    finally:
        store.close()
    page = report_page(browser, html_page)
    try:
        labels = page.evaluate(
            """() => Array.from(document.querySelectorAll('.plotly-graph-div .ytick text')).map(t => {
                 const r = t.getBoundingClientRect(); return [t.textContent, r.top, r.bottom]; })"""
        )
        labels.sort(key=lambda label: label[1])  # top to bottom (plotly writes a reversed axis from the bottom)
        assert len(labels) == len(statements)
        for (_, _, bottom), (text, top, _) in itertools.pairwise(labels):
            assert bottom <= top, f"« {text[:40]} » chevauche l'étiquette du dessus"
        assert labels[0][0].startswith("Tour 1 : <b>Gras</b> ou pas ?")  # the tag as typed…
        assert page.locator(".plotly-graph-div .ytick tspan[style*='bold']").count() == 0  # …not bold
        ticks = page.locator(".plotly-graph-div .xtick text").all_text_contents()
        assert ticks and all(t.isdigit() for t in ticks), ticks  # never « 0,5 » person
        assert "5 personnes ont voté, dont 1 sur papier." in page.inner_text("body")
        assert "✎" in page.locator(".salle-grille thead").inner_text()
    finally:
        page.close()
