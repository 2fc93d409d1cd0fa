"""Evaluating together in a real room: a trainer's Voilà page and three phones, then the exports read back.

Real servers (Voilà as ``make serve`` starts it, and ``python -m widgets.salle.server``) share a
private data directory; Debian's Chromium plays the trainer (1280 px) and three phones (360 px).

1. The quiz du groupe, « avant » then « après »: phones answer (one abstains), the trainer reveals,
   the « avant » results give no right answer away, the « après » ones give the course's
   explanation; the trainer's avant / après table shows the group's change; the CSV and the one-page
   PDF are downloaded and read (``pdftotext``): the change is there, no code, pseudonym or time.
2. The questionnaire: three phones (one types hostile text), one paper sheet typed in by the trainer,
   the aggregate and free texts on the trainer's screen (as text, nothing runs), closing, and the
   CSV and PDF (Qualiopi's two records said, paper marked, formulas neutralised).
3. A phone without connection: its quiz tap and its whole questionnaire are kept, said at the top,
   and sent once the connection is back, each counted once (the phones' offline queue).
4. Projected at 1920 × 1080: answers hidden until shown, the code and the question on screen while
   the trainer works below, then the distribution beside the code.
Timeouts are generous (60 s): the machine running the tests may be a loaded 2-core laptop.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.support.salle_server import SalleServer
from widgets import serve
from widgets.salle import eval_content, eval_trainer, tokens
from widgets.salle.store import Store
from widgets.salle.trainer import Trainer

from . import checks
from .conftest import free_port

TIMEOUT_MS = 60_000
HOSTILE = '<img src=x onerror="window.__pirate = 1"> =HYPERLINK("http://pirate.example") 🙂'


@pytest.fixture(scope="module")
def salle(tmp_path_factory):
    """(Voilà base URL, the participants' server) sharing one data directory."""
    data = tmp_path_factory.mktemp("salle-eval")
    server = SalleServer(data).start()
    voila = None
    try:
        voila_port = free_port()
        voila = serve.start_voila(voila_port, log=data / "voila.log", extra_env={"FAIRE_AVEC_DATA_DIR": str(data)})
        yield f"http://127.0.0.1:{voila_port}/voila/render", server
    finally:
        if voila is not None:
            serve.stop(voila)
        server.stop()


@pytest.fixture
def room(browser, salle):
    """A trainer's browser and three phones' (each its own cookies, as three people).

    All the phones reach the server from 127.0.0.1, so they share one device's limits (3 new tokens at
    once): the participants' server is restarted for each test (its limits live in memory)."""
    salle[1].restart()
    trainer = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="fr-FR", accept_downloads=True)
    phones = [
        browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR", has_touch=True) for _ in range(3)
    ]
    yield trainer, phones
    for context in (trainer, *phones):
        context.close()


def open_session(context, url: str, notebook: str) -> tuple:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{url}/{notebook}.ipynb")
    page.get_by_role("button", name="Ouvrir une séance").click()
    code = page.locator(".salle-code").inner_text().replace("\u00a0", "").replace(" ", "")
    assert len(code) == 6 and code.isdigit()
    return page, code


def join(contexts, participants: str, code: str) -> list:
    pages = []
    for context in contexts:
        phone = context.new_page()
        phone.set_default_timeout(TIMEOUT_MS)
        phone.goto(f"{participants}/?code={code}")
        pages.append(phone)
    return pages


def download(page, link_text: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(link_text)).click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def pdf_text(data: bytes, tmp_path, name: str) -> tuple[str, int]:
    path = tmp_path / name
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = re.search(r"Pages:\s+(\d+)", info)
    assert pages is not None, info
    return " ".join(text.split()), int(pages.group(1))


def resized_overlaps(page) -> list[str]:
    """The trainer's screen on a phone and projected: nothing overlapping or cut."""
    problems = []
    for width in ("phone", "projector"):
        page.set_viewport_size(dict(zip(("width", "height"), checks.WIDTHS[width], strict=True)))
        checks.settle(page)  # the widgets lay themselves out again
        problems += [f"{width}: {p}" for p in checks.overlaps(page)]
    page.set_viewport_size({"width": 1280, "height": 1000})
    return problems


def no_identifier(text: str, code: str) -> None:
    """Neither the session's code, a token or pseudonym (long hex or base64 runs), nor a time of day."""
    assert code not in text
    assert not re.search(r"[0-9a-f]{32}|[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{20}", text), text[:500]
    assert not re.search(r"\b\d{1,2} ?(h|:)\d{2}\b", text), text[:500]


def test_quiz_before_and_after_on_three_phones_then_the_exports(room, salle, tmp_path):
    voila, participants = salle[0], salle[1].url
    trainer_context, phone_contexts = room
    chapter, _label = eval_content.quiz_chapters()[0]
    items = eval_content.quiz_items(chapter)
    question = next(q for q in items if len(q.right) == 1)
    right = next(i for i, o in enumerate(question.options) if o.id in question.right)
    wrong = (right + 1) % len(question.options)
    letter = "ABCDE"

    trainer, code = open_session(trainer_context, voila, "salle-quiz")
    trainer.get_by_label("Avant (début de séance)").check()
    trainer.get_by_label("Question à poser").select_option(index=items.index(question))
    trainer.get_by_role("button", name="Poser cette question").click()
    phones = join(phone_contexts, participants, code)
    for phone in phones:
        expect(phone.get_by_role("heading", name=question.text[:40])).to_be_visible()
    # A phone, as a room sees it: big targets, nothing cut or overlapping at 360 px, axe satisfied.
    buttons = phones[0].locator("button[name=q-]")
    assert buttons.count() == len(question.options) + 1 and "Je passe" in buttons.last.inner_text()
    assert all(buttons.nth(i).bounding_box()["height"] >= 44 for i in range(buttons.count()))
    assert phones[0].evaluate("document.documentElement.scrollWidth") <= 360
    problems = checks.axe_problems(phones[0], "téléphone, quiz") + checks.overlaps(phones[0], "main")
    assert not problems, problems
    # Keyboard: Tab to the second answer, Enter.
    buttons.first.focus()
    phones[0].keyboard.press("Tab")
    phones[0].keyboard.press("Enter")
    expect(phones[0].get_by_text(f"Votre réponse est enregistrée : {letter[1]}")).to_be_visible()
    phones[0].locator("button[name=q-]").nth(right).click()  # changes their mind
    phones[1].locator("button[name=q-]").nth(wrong).click()
    phones[2].get_by_role("button", name="Je passe").click()
    expect(phones[2].get_by_text("Votre réponse est enregistrée : Je passe")).to_be_visible()
    expect(trainer.get_by_text("3 réponses")).to_be_visible()
    assert trainer.get_by_text(question.options[right].label[:30]).count() == 0  # nothing shown before « Montrer »

    trainer.get_by_role("button", name="Montrer les résultats au groupe").click()
    for phone in phones:  # no reload by hand: the page follows the trainer
        expect(phone.get_by_role("heading", name="Les réponses du groupe")).to_be_visible()
    assert "bonne réponse" not in phones[0].inner_text("main")  # « avant »: the answer is not given away
    assert "données en fin de séance" in phones[0].inner_text("main")

    trainer.get_by_label("Après (fin de séance)").check()
    trainer.get_by_label("Question à poser").select_option(index=items.index(question))
    trainer.get_by_role("button", name="Poser cette question").click()
    for phone in phones:
        expect(phone.get_by_role("heading", name=question.text[:40])).to_be_visible()
        phone.locator("button[name=q-]").nth(right).click()
        expect(phone.get_by_text(f"Votre réponse est enregistrée : {letter[right]}")).to_be_visible()
    expect(trainer.get_by_text("3 réponses")).to_be_visible()
    trainer.get_by_role("button", name="Montrer les résultats au groupe").click()
    expect(phones[0].get_by_text("◆ bonne réponse")).to_be_visible()
    assert question.explanations[right][:40] in phones[0].inner_text("main")  # the course's explanation
    expect(trainer.get_by_text("✔ bonne réponse")).to_be_visible()

    # The group's change, on the trainer's screen: 1 right of 2 who answered, then 3 of 3.
    table = trainer.locator("table", has_text="Au début")
    expect(table).to_contain_text("1 sur 2 (50\u00a0%)")
    expect(table).to_contain_text("3 sur 3 (100\u00a0%)")
    expect(table).to_contain_text("+50 points")
    problems = checks.axe_problems(trainer, "écran formateur, quiz") + checks.overlaps(trainer)
    problems += resized_overlaps(trainer)
    assert not problems, problems

    trainer.get_by_role("button", name="Exporter l'avant / après").click()
    exported = download(trainer, r"Télécharger evaluation-avant-apres-.*\.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported), delimiter=";"))
    justes = next(r for r in rows if r["ligne"] == "Réponses entièrement justes")
    people = next(r for r in rows if r["ligne"] == "Personnes qui ont répondu")
    assert (justes["avant"], justes["apres"], people["avant"], people["apres"]) == ("1", "3", "3", "3")
    no_identifier(exported, code)
    expect(trainer.get_by_role("link", name=re.compile(r"\.pdf"))).to_be_visible(timeout=TIMEOUT_MS)
    text, pages = pdf_text(download(trainer, r"Télécharger evaluation-avant-apres-.*\.pdf"), tmp_path, "aa.pdf")
    assert pages == 1 and "+50 points" in text and "3 sur 3 (100 %)" in text.replace("\u00a0", " ")
    no_identifier(text, code)


def test_questionnaire_on_phones_with_a_paper_sheet_then_the_exports(room, salle, tmp_path):
    voila, participants = salle[0], salle[1].url
    trainer_context, phone_contexts = room
    trainer, code = open_session(trainer_context, voila, "salle-questionnaire")
    sources = [key for _, key in eval_content.questionnaire_sources()]
    trainer.get_by_label("Objectifs ajoutés").select_option(index=sources.index("plan:trois-heures"))
    trainer.get_by_role("button", name="Lancer le questionnaire").click()
    first_goal = eval_content.questionnaire_items("plan:trois-heures")[0].text
    phones = join(phone_contexts, participants, code)
    for phone in phones:
        expect(phone.get_by_role("group", name=first_goal)).to_be_visible()

    phone = phones[0]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    problems = checks.axe_problems(phone, "téléphone, questionnaire") + checks.overlaps(phone, "main")
    assert not problems, problems
    # Keyboard: the first scale is reached with Tab and chosen with the arrow keys, like any radio group.
    phone.get_by_role("group", name=first_goal).get_by_role("radio").first.focus()
    phone.keyboard.press("ArrowDown")
    phone.keyboard.press("ArrowDown")
    assert phone.evaluate("document.activeElement.value") == "plutot-oui"
    phone.get_by_label("Une chose que j'ai apprise aujourd'hui").fill(HOSTILE)
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    expect(phone.get_by_text("Merci : vos réponses sont enregistrées")).to_be_visible()
    assert phone.get_by_label("Une chose que j'ai apprise aujourd'hui").input_value() == HOSTILE
    assert phone.evaluate("window.__pirate") is None and phone.locator("img[src=x]").count() == 0
    # A text too long is refused in French, and stays in its box.
    long_text = "Trop long. " * 70
    phones[1].get_by_label("Une idée pour améliorer la séance").fill(long_text)
    phones[1].get_by_role("group", name="Le rythme de la séance m'a convenu.").get_by_label("Tout à fait").check()
    phones[1].get_by_role("button", name="Envoyer mes réponses").click()
    expect(phones[1].get_by_role("alert")).to_contain_text("trop long")
    assert phones[1].get_by_label("Une idée pour améliorer la séance").input_value().strip() == long_text.strip()
    phones[1].get_by_label("Une idée pour améliorer la séance").fill("Plus de pauses.")
    phones[1].get_by_role("button", name="Envoyer mes réponses").click()
    expect(phones[1].get_by_text("Merci : vos réponses sont enregistrées")).to_be_visible()
    phones[2].get_by_role("group", name="Le rythme de la séance m'a convenu.").get_by_label("Un peu").check()
    phones[2].get_by_role("button", name="Envoyer mes réponses").click()
    expect(phones[2].get_by_text("Merci : vos réponses sont enregistrées")).to_be_visible()

    # One paper sheet, typed in by the trainer.
    numbers = {item.id: n for n, item in enumerate(eval_content.questionnaire_items("plan:trois-heures"), start=1)}
    trainer.get_by_label(f"Réponse {numbers['rythme']} :", exact=True).select_option(label="Tout à fait")
    trainer.get_by_label(f"Réponse {numbers['gene']} :", exact=True).fill("Écrit sur papier : la salle était froide.")
    trainer.get_by_role("button", name="Enregistrer ce questionnaire papier").click()
    expect(trainer.get_by_text("Questionnaire papier enregistré")).to_be_visible()
    expect(trainer.get_by_text("4 questionnaires reçus")).to_be_visible()
    expect(trainer.get_by_text("dont 1 sur papier")).to_be_visible()
    expect(trainer.locator(".salle-vue").get_by_text(HOSTILE)).to_be_visible()  # shown as typed, as text
    assert trainer.evaluate("window.__pirate") is None and trainer.locator("img[src=x]").count() == 0
    problems = checks.axe_problems(trainer, "écran formateur, questionnaire") + checks.overlaps(trainer)
    problems += resized_overlaps(trainer)
    assert not problems, problems

    trainer.get_by_role("button", name="Clore le questionnaire").click()
    for phone in phones:
        expect(phone.get_by_role("heading", name="Le questionnaire est terminé")).to_be_visible()

    trainer.get_by_role("button", name="Exporter le questionnaire").click()
    exported = download(trainer, r"Télécharger questionnaire-fin-de-seance-.*\.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported), delimiter=";"))
    came = next(r for r in rows if r["question"] == "Questionnaires reçus")
    assert (came["telephones"], came["papier"], came["total"]) == ("3", "1", "4")
    rythme = {r["reponse"]: r["total"] for r in rows if r["question"] == "Le rythme de la séance m'a convenu."}
    assert rythme["Tout à fait"] == "2" and rythme["Un peu"] == "1" and rythme["Pas de réponse"] == "1"
    texts = {
        r["reponse"]: (r["telephones"], r["papier"]) for r in rows if r["question"].startswith("Une chose que j'ai")
    }
    assert texts == {HOSTILE: ("1", "0")}
    paper = [r for r in rows if r["reponse"] == "Écrit sur papier : la salle était froide."]
    assert [(r["telephones"], r["papier"]) for r in paper] == [("0", "1")]
    no_identifier(exported, code)
    expect(trainer.get_by_role("link", name=re.compile(r"\.pdf"))).to_be_visible(timeout=TIMEOUT_MS)
    text, pages = pdf_text(download(trainer, r"Télécharger questionnaire-fin-de-seance-.*\.pdf"), tmp_path, "q.pdf")
    assert pages == 1
    for said in (
        "indicateur 11",
        "indicateur 30",
        "4 questionnaires (3 sur téléphone, 1 sur papier)",
        "Plus de pauses.",
    ):
        assert said in text, (said, text[:800])
    no_identifier(text, code)


def test_a_phone_offline_keeps_its_quiz_tap_and_its_questionnaire_and_each_counts_once(browser, salle):
    """The evaluation forms go through the phones' offline queue (static/salle.js): a tap or a whole
    questionnaire sent without connection is kept, said at the top, and sent once it is back."""
    participants = salle[1]
    participants.restart()
    store = Store(None, participants.data)
    trainer = Trainer(store, *store.open_session())
    chapter, _label = eval_content.quiz_chapters()[0]
    question = next(q for q in eval_content.quiz_items(chapter) if len(q.right) == 1)
    asked = eval_trainer.start(store, trainer.code, trainer.secret, "quiz", chapter, question.id)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR", has_touch=True)
    try:
        phone = context.new_page()
        phone.set_default_timeout(TIMEOUT_MS)
        phone.goto(f"{participants.url}/s/{trainer.code}")
        banner = phone.locator("#connexion")
        context.set_offline(True)
        expect(banner).to_contain_text("Pas de connexion avec la salle", timeout=3_000)
        phone.locator("button[name=q-]").first.click()
        label = question.options[0].label
        expect(banner).to_contain_text(f"votre réponse « {label[:30]}")
        expect(banner).to_contain_text("n'est pas encore envoyée")
        assert store.evaluation_answers(trainer.code) == ()
        context.set_offline(False)
        expect(phone.get_by_text("Votre réponse est enregistrée : A")).to_be_visible()
        expect(banner).to_contain_text("votre réponse est envoyée")
        assert [(a.round_id, a.value) for a in store.evaluation_answers(trainer.code)] == [(asked.id, "r1")]

        survey = eval_trainer.start(store, trainer.code, trainer.secret, "questionnaire", "")
        rhythm = phone.get_by_role("group", name="Le rythme de la séance m'a convenu.")
        expect(rhythm).to_be_visible()  # the page follows the trainer by itself
        context.set_offline(True)
        expect(banner).to_contain_text("Pas de connexion avec la salle", timeout=3_000)
        rhythm.get_by_label("Tout à fait").check()
        phone.get_by_label("Une chose que j'ai apprise aujourd'hui").fill("Écouter sans juger.")
        phone.get_by_role("button", name="Envoyer mes réponses").click()
        expect(banner).to_contain_text("vos réponses ne sont pas encore envoyées")
        assert store.evaluation_answers(trainer.code, survey.id) == ()
        context.set_offline(False)
        expect(phone.get_by_text("Merci : vos réponses sont enregistrées")).to_be_visible()
        expect(banner).to_contain_text("vos réponses sont envoyées")
        sent = store.evaluation_answers(trainer.code, survey.id)
        assert sorted((a.item, a.value) for a in sent) == [("appris", "Écouter sans juger."), ("rythme", "tout-a-fait")]
        assert len({a.voter for a in sent}) == 1 and phone.evaluate("sessionStorage.length") == 0
    finally:
        context.close()
        store.close()


def on_screen(page, selector: str, height: int) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_projected_the_code_and_the_question_stay_on_screen_and_the_answers_wait(browser, salle):
    """« Mode projecteur » at 1920 × 1080 on the quiz's page: answers hidden until shown (the « après »
    column of the avant / après table too), the code and the question on screen while the trainer works
    below, then the distribution with the right answer on the right."""
    voila, participants = salle[0], salle[1]
    participants.restart()
    chapter, _label = eval_content.quiz_chapters()[0]
    items = eval_content.quiz_items(chapter)
    question = next(q for q in items if len(q.right) == 1)
    [right] = question.right
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    context.add_init_script("window.localStorage.setItem('faire-avec:projecteur', 'oui')")
    store = Store(None, participants.data)
    try:
        page, code = open_session(context, voila, "salle-quiz")
        hide = page.get_by_role("checkbox", name="Cacher les réponses jusqu'à ce que je les montre", exact=False)
        expect(hide).to_be_checked()
        page.get_by_label("Après (fin de séance)").check()
        page.get_by_label("Question à poser").select_option(index=items.index(question))
        page.get_by_role("button", name="Poser cette question").click()
        page.locator(".salle-scene").get_by_text("Question ouverte").wait_for()
        asked = store.snapshot(code).current
        assert asked is not None
        for _ in range(2):
            phone = tokens.issue(store.session(code).participant_key, code)
            store.evaluation_answer(code, phone, asked.id, {"": right})
        expect(page.locator(".salle-scene")).to_contain_text("2 réponses")
        expect(page.locator(".salle-vue")).to_contain_text("Réponses cachées")
        assert page.locator("table", has_text="Au début").count() == 0
        page.get_by_role("button", name="Exporter l'avant / après").scroll_into_view_if_needed()
        assert on_screen(page, ".salle-code", 1080) and on_screen(page, ".salle-scene .salle-question", 1080)

        page.get_by_role("button", name="Montrer les résultats au groupe").click()
        expect(page.locator(".salle-scene")).to_contain_text("✔ bonne réponse")
        expect(page.locator("table", has_text="Au début")).to_contain_text("2 sur 2 (100\u00a0%)")
        page.evaluate("document.querySelector('#rendered_cells').scrollTop = 0")
        # Projected, the distribution is one line per answer, whole beside the code; the explanations go below.
        assert on_screen(page, ".salle-code", 1080) and on_screen(page, ".salle-scene li >> nth=-1", 1080)
        expect(page.locator(".salle-vue")).to_contain_text("Les explications du cours")
        problems = checks.overlaps(page) + checks.axe_problems(page, "écran formateur projeté, quiz")
        assert not problems, problems
    finally:
        context.close()
        store.close()
