"""Group mode in two browsers: the trainer's Voilà page and a participant's phone.

Real servers (Voilà as ``make serve`` starts it, and ``python -m widgets.salle.server``) share a
private data directory; Debian's Chromium plays both people. A vote made on the phone must reach
the trainer's chart; the phone must see the group's answers only after the trainer shows them.
Timeouts are generous (60 s): the machine running the tests may be a loaded 2-core laptop.
"""

from __future__ import annotations

import pytest

from tests.support.salle_server import SalleServer
from widgets import serve

from . import checks
from .conftest import free_port

TIMEOUT_MS = 60_000
HOSTILE = '<img src=x onerror="window.__pirate = 1"> Animer en binôme rassure 🙂'


@pytest.fixture(scope="module")
def salle(tmp_path_factory):
    """(Voilà base URL, participants' base URL) sharing one data directory."""
    data = tmp_path_factory.mktemp("salle")
    server = SalleServer(data).start()
    voila = None
    try:
        voila_port = free_port()
        voila = serve.start_voila(voila_port, log=data / "voila.log", extra_env={"FAIRE_AVEC_DATA_DIR": str(data)})
        yield f"http://127.0.0.1:{voila_port}/voila/render", server.url
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
    voila, participants = salle
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
        title = trainer.locator(".salle-vue .js-plotly-plot .gtitle").text_content()
        assert title.startswith(HOSTILE[:40]), title  # plotly would drop an unknown tag: it is escaped
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
            " return d && d.data && d.data[0].y[5] === 1; }",
            timeout=TIMEOUT_MS,
        )
    finally:
        trainer_context.close()
        phone_context.close()


def test_wrong_code_and_closed_session_answer_in_french(browser, salle):
    _, participants = salle
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
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.set_content(html_page, wait_until="load")
        page.wait_for_function("Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d._fullLayout)")
        assert page.evaluate("window.__pirate") is None
        assert statement in page.locator(".salle-grille").inner_text()
        labels = " ".join(page.locator(".plotly-graph-div .ytick text").all_text_contents())
        assert "<script>window.__pirate = 2</script>" in labels, labels
    finally:
        page.close()
