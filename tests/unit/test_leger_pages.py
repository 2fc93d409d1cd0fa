"""The light face's pages through HTTP: what a phone receives from the book's server and from the
tornado routes (the same bytes), hostile addresses answered in French, nothing kept, nothing external.

Servers: the book's server as ``make serve`` starts it (``widgets.serve.book_server``, in a thread)
and the light face's tornado application (``widgets.leger.web.make_app``, in a thread), each on a
free port of 127.0.0.1; the pages need no built book and no kernel.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import re
import threading
from urllib.parse import urlencode

import pytest

from widgets import serve
from widgets.leger import exercises, pages, web
from widgets.pret.content import load_items
from widgets.quiz.content import load_questions

from .test_voila_static import running

ENGLISH = ("Traceback", "Exception", "Error", "Not Found", "Bad Request", "Internal Server", "undefined")


def fetch(port: int, target: str, gzip_ok: bool = False) -> tuple[int, dict[str, str], str]:
    """Status, headers (``_policies``: every Content-Security-Policy sent) and the text of the answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        if gzip_ok:
            connection.putheader("Accept-Encoding", "gzip, deflate, br")
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        headers = dict(response.getheaders())
        headers["_policies"] = " | ".join(response.msg.get_all("Content-Security-Policy") or [])
        if headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, headers, body.decode("utf-8")
    finally:
        connection.close()


@pytest.fixture(scope="module")
def book():
    """The book's server exactly as make serve builds it, with Voilà announced on port 8866."""
    server = serve.book_server(serve.free_port(), 8866)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def alone():
    with running(web.make_app("http://127.0.0.1:8866/voila/render")) as port:
        yield port


@pytest.mark.parametrize("exercise", [e.name for e in exercises()])
def test_every_exercise_opens_light_and_offers_the_other_face(book, exercise):
    status, headers, body = fetch(book, f"/leger/{exercise}", gzip_ok=True)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Encoding"] == "gzip" and headers["Cache-Control"] == "no-cache"
    assert '<html lang="fr">' in body and not any(word in body for word in ENGLISH)
    assert re.search(r'<input class="fa-choice-input" type="(radio|checkbox)"', body)  # something to answer at once
    assert 'href="http://127.0.0.1:8866/voila/render/' + exercise + '.ipynb"' in body
    # Nothing leaves the machine: every address is relative to this server, or data:.
    for address in re.findall(r'(?:href|src|action|formaction)="([^"]*)"', body):
        assert address.startswith(("static/", "../", "./", "#", "data:", exercise, "http://127.0.0.1:8866/")), address
    assert len(body.encode()) < 40_000  # a few kilobytes, for a phone


def test_the_book_server_and_the_tornado_routes_send_the_same_pages(book, alone):
    for target in ("/leger/", "/leger/continuum?choix=2&geste=valider", "/leger/pret?equite=Oui", "/leger/nope"):
        from_book = fetch(book, target, gzip_ok=True)
        from_tornado = fetch(alone, target, gzip_ok=True)
        assert from_book[0] == from_tornado[0] and from_book[2] == from_tornado[2], target
    assert fetch(alone, "/")[0] == 301 or fetch(alone, "/")[0] == 302


def test_static_files_are_cached_for_a_year_only_at_their_versioned_address(book):
    links = web.static_links()
    assert set(links) == {"faire-avec.css", "leger.css", "leger.js"}
    for name, address in links.items():
        status, headers, body = fetch(book, f"/leger/{address}", gzip_ok=True)
        assert status == 200 and headers["Cache-Control"] == web.IMMUTABLE and headers["Content-Encoding"] == "gzip"
        assert body == web.STATIC_FILES[name].read_text(encoding="utf-8")
        status, headers, _ = fetch(book, f"/leger/static/{name}?v=ancienne")
        assert status == 200 and headers["Cache-Control"] == "no-cache" and "Content-Encoding" not in headers
    # The course's variables come from its one stylesheet (the Voilà face and the book load it too).
    assert "--fa-primary:" in fetch(book, "/leger/" + links["faire-avec.css"])[2]


def test_the_inline_script_is_the_only_one_the_policy_allows(book):
    _status, headers, body = fetch(book, "/leger/continuum")
    policy = next(p for p in headers["_policies"].split(" | ") if "script-src" in p)
    inline = re.findall(r"<script>(.*?)</script>", body, re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "form-action 'self'" in policy and "default-src 'none'" in policy


@pytest.mark.parametrize(
    ("target", "status", "said"),
    [
        ("/leger/nexiste-pas", 404, "Cette page n'existe pas"),
        ("/leger/../pyproject.toml", 404, "Cette page n'existe pas"),
        ("/leger/static/../../pyproject.toml", 404, "Cette page n'existe pas"),
        ("/leger/static/web.py", 404, "Cette page n'existe pas"),
        ("/leger/autoeval-pairite?a=" + "1" * 9000, 414, "trop longue"),
        (
            "/leger/autoeval-pairite?pairite-1=9&valider=pairite-1",
            200,
            "Cette réponse n'existe pas pour cette question",
        ),
        (
            "/leger/autoeval-pairite?pairite-1=x&valider=pairite-1",
            200,
            "Cette réponse n'existe pas pour cette question",
        ),
        ("/leger/autoeval-pairite?pairite-1=0&pairite-1=1&valider=pairite-1", 200, "Une seule réponse est attendue"),
        ("/leger/autoeval-pairite?valider=inconnue&fait=%3Cscript%3E", 200, "Question 1 sur"),
        ("/leger/continuum?choix=99&geste=valider", 200, "L'étape « 99 » n'existe pas"),
        ("/leger/continuum?choix=%3Cb%3E&geste=valider", 200, "n'existe pas : choisissez une étape de 1 à 6"),
        ("/leger/continuum?s=-4&r-gem=zz&r-inconnue=3", 200, "Situation 1 sur"),
        ("/leger/pret?equite=Bof", 200, "La réponse « Bof » n'existe pas"),
    ],
)
def test_a_hostile_address_gets_french_never_a_traceback(book, target, status, said):
    got, _, body = fetch(book, target, gzip_ok=True)
    assert got == status, body[:500]
    assert said.replace("'", "&#39;") in body or said in body.replace("&#39;", "'").replace("\u202f", " ")
    assert not any(word in body for word in ENGLISH)
    assert "<script>alert" not in body and "<b>" not in body.split("<body")[1] and "%3Cscript" not in body


def test_thousands_of_fields_are_refused_by_the_server_itself_without_a_traceback(book):
    """Tornado refuses a query of more than a thousand fields before any handler (a bare 400, no body):
    nothing of the course runs, nothing is logged with the address."""
    got, _, body = fetch(book, "/leger/autoeval-pairite?" + "a=1&" * 2000)
    assert got == 400 and "Traceback" not in body


def test_the_address_keeps_the_answers_and_only_them():
    questions = load_questions("pairite")
    query = urlencode([(questions[0].id, "1"), ("valider", questions[0].id), ("inconnue", "x"), (questions[1].id, "9")])
    response = web.respond(f"/leger/autoeval-pairite?{query}")
    assert response is not None
    body = response.body.decode()
    state = re.search(r'data-etat="([^"]*)"', body)
    assert state, "pas d'attribut data-etat dans la page"
    kept = state.group(1).replace("&amp;", "&")
    assert kept == f"?{questions[0].id}=1&fait={questions[0].id}"  # nothing forged is kept
    # Reset asks first, and « Non » goes back to exactly these answers.
    confirming = web.respond(f"/leger/autoeval-pairite{kept}&recommencer=1")
    assert confirming is not None
    confirm = confirming.body.decode()
    assert "Effacer toutes vos réponses ?" in confirm.replace("\u202f", " ")
    assert f'href="autoeval-pairite{kept.replace("&", "&amp;")}"' in confirm
    assert 'href="autoeval-pairite?efface=1"' in confirm


def test_the_printable_review_is_made_from_the_address_and_stored_nowhere(book):
    items = load_items()
    query = urlencode([(items[0].id, "Oui"), (items[1].id, "Pas encore")])
    status, headers, body = fetch(book, f"/leger/pret/bilan?{query}")
    assert status == 200 and 'filename="bilan-pret.html"' in headers["Content-Disposition"]
    assert "2 affirmations sur" in body and items[0].statement.split()[0] in body
    assert "ni enregistré ni envoyé" in body
    # The page links to the review with the same answers.
    page = fetch(book, f"/leger/pret?{query}")[2]
    assert f'href="pret/bilan?{query.replace("&", "&amp;")}"' in page


def test_a_broken_data_file_is_said_in_french(monkeypatch):
    from widgets.data import DataFileError

    def broken(_chapter: str):
        raise DataFileError("data/quiz/pairite.yml", 3, "reponses", "la liste est vide.")

    monkeypatch.setattr(pages, "load_questions", broken)
    response = web.respond("/leger/autoeval-pairite")
    assert response is not None and response.status == 500
    body = response.body.decode()
    assert "L&#39;exercice ne peut pas s&#39;ouvrir" in body and "ligne 3" in body and "Traceback" not in body


def test_behind_a_prefix_the_book_server_still_finds_the_light_face():
    server = serve.book_server(serve.free_port(), "/hub/user-redirect/voila/render", prefix="/services/livre/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        status, _, body = fetch(server.server_address[1], "/services/livre/leger/continuum")
        assert status == 200 and "Situation 1 sur" in body
        assert "/hub/user-redirect/voila/render" in body  # the Voilà face offered where the hub sends it
    finally:
        server.shutdown()
        server.server_close()


def test_pages_are_pure_functions_of_their_address():
    first = web.respond("/leger/continuum?choix=3&geste=valider")
    web.respond("/leger/continuum?choix=1&geste=valider&s=4")
    again = web.respond("/leger/continuum?choix=3&geste=valider")
    assert first is not None and again is not None and first.body == again.body
