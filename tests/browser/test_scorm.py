"""A chapter's SCORM package in Chromium, against a real SCORM 1.2 run-time playing the LMS.

The LMS here is a small page that does what Moodle's player does: it sets ``window.API`` to a
``Scorm12API`` of scorm-again (vendored in ``tests/browser/vendor/scorm-again``, see its README) and
opens the package's launch page in an iframe, from a local server that serves the unzipped package.
The test answers the self-check as a learner would (mouse and keyboard) and reads what the run-time
stored: lesson status, score, suspend data, session time. A second test opens the package from disk,
outside any LMS, as a trainer would from a USB stick; a third frames the book from another site.
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import os
import re
import shutil
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from widgets import framing, serve
from widgets.kit.chapters import chapter_paths
from widgets.quiz.content import load_questions
from widgets.quiz.model import QuizAttempt
from widgets.quiz.view import feedback_markup
from widgets.scorm import package
from widgets.ui import status_html

from .checks import WIDTHS, axe_problems, overlaps

VENDOR = Path(__file__).with_name("vendor") / "scorm-again"
SHOTS = os.environ.get("FAIRE_AVEC_SCREENSHOTS")  # a folder: the test also saves what it saw
CHAPTER, QUIZ = "06-animer", "animer"  # its fifth question takes several answers (check boxes)

LMS_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Plateforme d'essai</title><link rel="icon" href="data:,">
<script src="scorm12.min.js"></script>
<script>
  window.lms = { events: [], written: {} };
  window.API = new Scorm12API({ logLevel: 5 });
  if (window.location.hash === "#reprise") {
    window.API.loadFromJSON(JSON.parse(sessionStorage.getItem("previous")));
  }
  ["LMSInitialize", "LMSCommit", "LMSFinish"].forEach(function (name) {
    window.API.on(name, function () { window.lms.events.push(name); });
  });
  // cmi.core.exit and cmi.core.session_time are write-only for a SCO: the LMS keeps what was written
  window.API.on("LMSSetValue.cmi.*", function (element, value) { window.lms.written[element] = value; });
</script></head>
<body><h1>Plateforme d'essai</h1>
<iframe id="sco" title="Module du cours" src="package/index.html" style="width:100%;height:640px"></iframe>
</body></html>
"""

CMI = """() => {
  const c = window.API.cmi.core;
  const written = window.lms.written;
  return { status: c.lesson_status, raw: c.score.raw, min: c.score.min, max: c.score.max,
           exit: written["cmi.core.exit"], session: written["cmi.core.session_time"],
           suspend: window.API.cmi.suspend_data, events: window.lms.events.slice() };
}"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


def text_of(markup: str) -> str:
    """What a card's ``textContent`` is once ``markup`` is its ``innerHTML``."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.fixture(scope="module")
def lms(tmp_path_factory):
    """The unzipped package under ``/package/`` beside the LMS page, on 127.0.0.1."""
    root = tmp_path_factory.mktemp("lms")
    built = package.build_package(next(p for p in chapter_paths() if p.stem == CHAPTER), root / "zip")
    with zipfile.ZipFile(built.path) as archive:
        archive.extractall(root / "package")
    shutil.copy(VENDOR / "scorm12.min.js", root / "scorm12.min.js")
    (root / "lms.html").write_text(LMS_PAGE, encoding="utf-8")
    server = ThreadingHTTPServer((serve.HOST, 0), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://{serve.HOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def watch(page) -> tuple[list[str], list[str]]:
    """Every URL the page asks for, and every console error or uncaught exception."""
    urls: list[str] = []
    errors: list[str] = []
    page.context.on("request", lambda request: urls.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return urls, errors


def answer(frame, question, chosen: set[int]) -> None:
    card = frame.locator(f"#q-{question.id}")
    for index in sorted(chosen):
        card.locator("label.fa-choice").nth(index).click()
    card.locator(".sco-validate").click()


def right_and_wrong(question) -> tuple[set[int], set[int]]:
    right = {i for i, a in enumerate(question.answers) if a.correct}
    return right, {next(i for i, a in enumerate(question.answers) if not a.correct)}


def test_a_package_reports_completion_and_score_to_a_scorm_runtime(browser, lms):
    _root, base = lms
    questions = load_questions(QUIZ)
    assert any(q.multiple for q in questions) and len(questions) >= 3
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    urls, errors = watch(page)
    page.goto(f"{base}/lms.html")
    frame = page.frame_locator("#sco")
    expect(frame.locator("#sco-lms")).to_contain_text("Vous êtes sur votre plateforme de formation")
    stored = page.evaluate(CMI)
    assert (
        stored["status"] == "incomplete" and stored["events"][0] == "LMSInitialize" and "LMSCommit" in stored["events"]
    )

    expected_results = {}
    for number, question in enumerate(questions):
        right, wrong = right_and_wrong(question)
        chosen = wrong if number == 0 else right
        card = frame.locator(f"#q-{question.id}")
        if number == 1 and not question.multiple:  # by keyboard: Space checks, arrows move, Tab, Enter
            card.locator("input").first.focus()
            page.keyboard.press("Space")
            for _ in range(min(right)):
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")
            expect(card.locator(".sco-validate")).to_be_focused()
            page.keyboard.press("Enter")
        else:
            answer(frame, question, chosen)
        feedback = QuizAttempt(questions).answer(question.id, chosen)
        expected_results[question.id] = feedback.correct
        expect(card.locator(".sco-feedback")).to_have_text(text_of(feedback_markup(feedback)))
        if number < len(questions) - 1:
            stored = page.evaluate(CMI)
            assert stored["status"] == "incomplete" and stored["raw"] == "", stored

    attempt = QuizAttempt(questions)
    for question in questions:
        right, wrong = right_and_wrong(question)
        attempt.answer(question.id, right if expected_results[question.id] else wrong)
    expect(frame.locator(".sco-score")).to_have_text(text_of(status_html(attempt.score_text())))
    good = sum(expected_results.values())
    assert good == len(questions) - 1
    stored = page.evaluate(CMI)
    assert stored["status"] == "completed"
    assert (stored["raw"], stored["min"], stored["max"]) == (str(round(100 * good / len(questions))), "0", "100")
    expect(frame.locator("#sco-lms")).to_contain_text(f"{good} bonnes réponses sur {len(questions)}")
    kept = json.loads(stored["suspend"])
    assert sorted(kept["valide"]) == sorted(q.id for q in questions)

    # The learner leaves (Moodle unloads the frame): session time, exit, LMSFinish.
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    page.wait_for_function("window.lms.events.includes('LMSFinish')")
    stored = page.evaluate(CMI)
    assert re.fullmatch(r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?", stored["session"]), stored["session"]
    assert stored["exit"] == "" and stored["status"] == "completed"

    # Coming back: the LMS gives the package what it stored; the answers and feedback are there again.
    previous = {"core": {"lesson_status": "completed", "entry": "resume"}, "suspend_data": stored["suspend"]}
    page.evaluate("(data) => sessionStorage.setItem('previous', JSON.stringify(data))", previous)
    page.goto(f"{base}/lms.html#reprise")  # only the address's end changes: the page is not loaded again…
    page.reload()  # …until now, with what the LMS kept
    frame = page.frame_locator("#sco")
    expect(frame.locator(".sco-score")).to_have_text(text_of(status_html(attempt.score_text())))
    first = questions[0]
    _, wrong = right_and_wrong(first)
    expect(frame.locator(f"#q-{first.id} input").nth(min(wrong))).to_be_checked()
    expect(frame.locator(f"#q-{first.id} .sco-feedback")).to_have_text(
        text_of(feedback_markup(QuizAttempt(questions).answer(first.id, wrong)))
    )
    assert page.evaluate(CMI)["status"] == "completed"

    outside = [
        url for url in urls if not url.startswith(base) and url not in ("about:blank",) and not url.startswith("data:")
    ]
    assert outside == [], outside
    assert errors == [], errors
    context.close()


def test_a_package_opened_outside_an_lms_works_and_is_accessible(browser, lms):
    root, _base = lms
    questions = load_questions(QUIZ)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    urls, errors = watch(page)
    page.goto((root / "package" / "index.html").as_uri())
    expect(page.locator("#sco-lms")).to_contain_text("en dehors d'une plateforme de formation")
    # What comes back from the browser (or an LMS) is not trusted: a forged state shows nothing.
    forged = {
        "choix": {questions[0].id: [7, "x", -1], "__proto__": [0]},
        "valide": {questions[0].id: "__proto__", questions[1].id: "<img src=x onerror=alert(1)>"},
    }
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)", [f"faire-avec-scorm:{QUIZ}", json.dumps(forged)]
    )
    page.reload()
    expect(page.locator("#sco-lms")).to_contain_text("en dehors")
    assert page.locator(".sco-feedback:not(:empty)").count() == 0 and page.locator("input:checked").count() == 0
    expect(page.locator(".sco-score")).to_have_text(text_of(status_html(QuizAttempt(questions).score_text())))
    several = next(q for q in questions if q.multiple)
    page.locator(f"#q-{several.id} .sco-validate").click()
    alert = page.locator(f"#q-{several.id} .sco-feedback [role=alert]")
    expect(alert).to_contain_text("Choisissez au moins une réponse")
    right, _ = right_and_wrong(several)
    answer(page, several, right)
    expected = text_of(feedback_markup(QuizAttempt(questions).answer(several.id, right)))
    expect(page.locator(f"#q-{several.id} .sco-feedback")).to_have_text(expected)
    page.reload()  # kept in this browser, as in the live exercises
    expect(page.locator(f"#q-{several.id} .sco-feedback")).to_have_text(expected)

    assert errors == [], errors  # (axe, below, fetches the style sheets itself: the page's CSP refuses it)
    problems = axe_problems(page, "paquet SCORM hors plateforme")
    for name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("window.scrollTo(0, 0)")
        problems += [f"{name}: {p}" for p in overlaps(page, "body")]
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/scorm-{name}.png")
            page.locator(f"#q-{several.id}").screenshot(path=f"{SHOTS}/scorm-{name}-question.png")
    assert problems == [], "\n".join(problems)

    # Keyboard: from the top, Tab reaches the skip link first, then every control with a visible ring,
    # one stop per group of radio buttons, down the page.
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()  # the focus starts from the top of a fresh page
    expect(page.locator("#sco-lms")).to_contain_text("en dehors")
    stops: list[dict[str, Any]] = []
    for _ in range(600):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_JS)
        if stop is None or (stops and stop["key"] == stops[0]["key"]):
            break
        stops.append(stop)
    assert stops and stops[0]["text"] == "Aller au chapitre" and stops[0]["onScreen"]
    bad = [s for s in stops if s["ring"] < 2 or not s["onScreen"]]
    assert bad == [], bad[:5]
    radios = [s["group"] for s in stops if s["group"]]
    assert len(radios) == len(set(radios)) == sum(not q.multiple for q in questions)
    assert sum(s["text"] == "Valider" for s in stops) == len(questions)
    downs = [(a["text"], b["text"]) for a, b in itertools.pairwise(stops) if b["top"] < a["top"] - 24]
    assert downs == [], downs[:5]
    assert all(url.startswith("file://") for url in urls), urls
    context.close()


FOCUS_JS = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.classList.contains('fa-choice-input') ? el.closest('.fa-choice') : el;
  const s = getComputedStyle(box);
  const r = box.getBoundingClientRect();
  return {
    key: (el.id || '') + el.tagName + (el.getAttribute('href') || el.name || '') + el.value + r.top,
    text: (el.innerText || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 40),
    group: el.type === 'radio' ? el.name : '',
    ring: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth || '0'),
    top: Math.round(r.top + window.scrollY),
    onScreen: r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth,
  };
}
"""


@pytest.mark.parametrize("allowed", [True, False], ids=["lms-named", "lms-not-named"])
def test_another_site_may_frame_the_course_only_when_named(browser, lms, monkeypatch, allowed):
    """The LMS page on ``localhost`` (another site for the browser) frames the book on 127.0.0.1."""
    _root, base = lms
    lms_origin = base.replace(serve.HOST, "localhost")
    monkeypatch.setenv(framing.LMS_ORIGIN_ENV, lms_origin if allowed else "")
    book = serve.book_server(serve.free_port())
    threading.Thread(target=book.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        page.goto(f"{lms_origin}/lms.html")
        target = f"http://{serve.HOST}:{book.server_address[1]}/nexiste-pas"  # the book's French page
        with page.expect_event(
            "framenavigated", predicate=lambda f: f.url.startswith(("http://127", "chrome-error"))
        ) as navigated:
            page.evaluate(
                """(url) => { const f = document.createElement('iframe');
                   f.id = 'livre'; f.title = 'Le livre'; f.src = url; document.body.append(f); }""",
                target,
            )
        frame = navigated.value
        frame.wait_for_load_state()
        if allowed:
            assert frame.url == target
            expect(page.frame_locator("#livre").locator("h1")).to_contain_text("Cette page n'existe pas")
        else:  # Chromium refuses to show the page and puts its own error page in the frame
            assert frame.url.startswith("chrome-error://"), frame.url
            assert "Cette page n'existe pas" not in frame.locator("body").inner_text()
    finally:
        page.close()
        book.shutdown()
        book.server_close()
