"""The participants' server through real HTTP: join, vote, refusals in French, restart, privacy.

Why a real server process: what matters is what a phone receives (status, French page, cookies)
and what survives a restart; ``python -m widgets.salle.server`` is started as ``make serve`` starts
it, on a free port of 127.0.0.1, with a private data directory (SQLite).
"""

from __future__ import annotations

import html
import re
import signal
import socket
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.support.salle_client import Phone, trainer_request
from tests.support.salle_server import SalleServer
from widgets.salle.model import ROUND_CLOSED, SESSION_CLOSED, WRONG_CODE, Activity, RoundState
from widgets.salle.store import Store
from widgets.salle.trainer import Trainer, ask

ENGLISH = ("Traceback", "Exception", "Error", "HTTP 4", "Not Found", "Forbidden", "Bad Request", "Internal Server")


@pytest.fixture
def room(tmp_path):
    server = SalleServer(tmp_path).start()
    store = Store(None, tmp_path)
    trainer = Trainer(store, *store.open_session())
    yield server, store, trainer
    server.stop()
    store.close()


def assert_french_page(status: int, text: str, expected_status: int, sentence: str | None = None) -> None:
    assert status == expected_status, text[-500:]
    assert '<html lang="fr">' in text
    visible = re.sub(r"<[^>]+>", " ", text)
    for word in ENGLISH:
        assert word not in visible, (word, visible[-400:])
    if sentence:
        assert sentence in html.unescape(text)


def test_a_phone_joins_votes_changes_its_mind_and_sees_results_only_after_the_reveal(room):
    server, _store, trainer = room
    current = trainer.ask(Activity.ABAQUE, "Le travail pair doit être payé.")
    phone, other = Phone(server.url), Phone(server.url)
    status, page = phone.get(f"/?code={trainer.code[:3]}+{trainer.code[3:]}")  # typed with a space
    assert status == 200 and "Le travail pair doit être payé." in page
    assert page.count('name="valeur"') == 6 and "Je ne sais pas, je m'abstiens" in html.unescape(page)
    assert "salle_jeton" in phone.cookies and "_xsrf" in phone.cookies
    status, page = phone.vote(trainer.code, current.id, "abaque-vert-clair")
    assert status == 200 and "Votre réponse est enregistrée" in page and "✔ votre réponse" in page
    phone.vote(trainer.code, current.id, "abaque-vert-clair")
    phone.vote(trainer.code, current.id, "abaque-rose")
    other.open(trainer.code)
    other.vote(trainer.code, current.id, "abaque-rouge")
    assert sorted(v.value for v in trainer.snapshot().votes) == ["abaque-rose", "abaque-rouge"]
    status, page = other.open(trainer.code)
    assert "Les réponses du groupe" not in page and "1 vote" not in page
    before = phone.state(trainer.code)[1]["etat"]
    trainer.reveal(current.id)
    assert phone.state(trainer.code)[1]["etat"] != before
    status, page = other.open(trainer.code)
    assert "Les réponses du groupe" in page and "2 personnes ont répondu." in page
    assert page.count("1 vote<") == 2 and "(✔ votre réponse)" in page


def test_refusals_are_french_pages_with_4xx_never_a_traceback(room):
    server, _store, trainer = room
    current = trainer.ask(Activity.FEUX, "Animer à deux aide.")
    phone = Phone(server.url)
    phone.open(trainer.code)
    assert_french_page(*phone.get("/s/999999" if trainer.code != "999999" else "/s/111111"), 404, WRONG_CODE)
    assert_french_page(*phone.get("/?code=12ab"), 422, "n'est pas un code de séance")
    assert_french_page(*phone.get("/nulle/part"), 404)
    phone.open(trainer.code)
    status, _ = phone.vote(trainer.code, current.id, "feux-violet")
    assert_french_page(status, phone.page, 400, "Cette réponse n'existe pas")
    assert "Animer à deux aide." in phone.page  # the question is still there to answer
    forged = Phone(server.url)  # a post without the page's anti-CSRF field
    forged.cookies = dict(phone.cookies)
    forged.page = ""
    assert_french_page(*forged.vote(trainer.code, current.id, "feux-vert"), 403, "La page a expiré")
    status, text, _ = phone._request(
        "POST",
        f"/s/{trainer.code}/vote",
        "tour=abc&valeur=feux-vert",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_french_page(status, text, 403)
    phone.open(trainer.code)
    xsrf = phone.xsrf()
    # Numbers are read strictly: « ² » passes str.isdigit(), 31 digits pass int(); both once gave a 500.
    for odd in ("abc", "²", "1" * 31, "٣", "12 ", "-1", ""):
        status, text, _ = phone._request(
            "POST",
            f"/s/{trainer.code}/vote",
            urlencode({"_xsrf": xsrf, "tour": odd, "valeur": "feux-vert"}),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert_french_page(status, text, 400, "« tour » doit être un nombre entier")
    for odd in ("²", "9" * 31):
        assert_french_page(*phone.get(f"/s/{trainer.code}?{urlencode({'n': odd})}"), 400, "« n » doit être un nombre")
    status, text, _ = phone._request("PUT", f"/s/{trainer.code}")
    assert_french_page(status, text, 403)  # an unexpected method is refused like a forged form
    status, answer = phone.state("123")  # not a code: unknown address, French JSON
    assert status == 404 and "erreur" in answer
    phone.open(trainer.code)  # the phone shows the question…
    trainer.reveal(current.id)  # …when the trainer shows the results: a late tap is refused
    assert_french_page(*phone.vote(trainer.code, current.id, "feux-vert"), 409, ROUND_CLOSED)
    latest = trainer.ask(Activity.FEUX, "Une dernière affirmation.")
    phone.open(trainer.code)
    trainer.close()
    assert_french_page(*phone.vote(trainer.code, latest.id, "feux-vert"), 409, SESSION_CLOSED)
    assert "La séance est terminée" in phone.open(trainer.code)[1]
    assert [v.value for v in trainer.snapshot().votes] == []


def test_trainer_endpoints_need_the_key_and_speak_french_json(room):
    server, _store, trainer = room
    path = f"/api/formateur/{trainer.code}"
    for key in ("", "pas-la-cle"):
        status, answer = trainer_request(server.url, "GET", path, key)
        assert status == 403 and "réservée à la personne qui anime" in answer["erreur"]
    status, answer = trainer_request(
        server.url, "POST", f"{path}/tour", trainer.secret, {"activite": "abaque", "question": "Une affirmation."}
    )
    assert status == 201 and answer["numero"] == 1
    status, answer = trainer_request(
        server.url, "POST", f"{path}/tour", trainer.secret, {"activite": "sondage", "question": "?"}
    )
    assert status == 400 and "Activité inconnue" in answer["erreur"]
    status, answer = trainer_request(  # an evaluation has its own endpoint, content and checks
        server.url, "POST", f"{path}/tour", trainer.secret, {"activite": "quiz", "question": "?"}
    )
    assert status == 400 and "se lancent depuis leur page" in answer["erreur"]
    status, answer = trainer_request(
        server.url, "POST", f"{path}/tour", trainer.secret, {"activite": "abaque", "question": ""}
    )
    assert status == 400 and "Écrivez d'abord" in answer["erreur"]
    status, answer = trainer_request(server.url, "POST", f"{path}/reveler", trainer.secret, {"tour": "un"})
    assert status == 400 and "tour" in answer["erreur"]
    # Not JSON, or a page of another site: refused before anything happens.
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request(
        "POST",
        f"{path}/fermer",
        body="{",
        headers={"X-Cle-Formateur": trainer.secret, "Content-Type": "application/json"},
    )
    response = connection.getresponse()
    assert response.status == 400 and "JSON" in response.read().decode()
    connection.request(
        "POST", f"{path}/fermer", body="{}", headers={"X-Cle-Formateur": trainer.secret, "Content-Type": "text/plain"}
    )
    response = connection.getresponse()
    assert response.status == 415 and "JSON" in response.read().decode()
    connection.request(
        "POST",
        f"{path}/fermer",
        body="{}",
        headers={
            "X-Cle-Formateur": trainer.secret,
            "Content-Type": "application/json",
            "Origin": "http://ailleurs.example",
        },
    )
    response = connection.getresponse()
    assert response.status == 403 and "ne vient pas d'une page de ce serveur" in response.read().decode()
    connection.close()
    assert not trainer.snapshot().session.closed
    status, answer = trainer_request(server.url, "GET", path, trainer.secret)
    assert status == 200 and answer["tours"][0]["question"] == "Une affirmation."
    status, answer = trainer_request(server.url, "POST", f"{path}/fermer", trainer.secret, {})
    assert status == 200 and trainer.snapshot().session.closed


def test_restart_mid_session_keeps_everything_and_phones_carry_on(room, tmp_path):
    server, store, trainer = room
    current = ask(store, trainer.code, trainer.secret, Activity.CONTINUUM, "Où ?", ["cvs-cada", "chez-soi-dabord"])
    phone = Phone(server.url)
    phone.open(trainer.code)
    assert "Situation 1 sur 2" in phone.page
    phone.vote(trainer.code, current.id, "3", "cvs-cada")
    assert "Situation 2 sur 2" in phone.page  # the next situation not placed yet
    server.stop(signal.SIGKILL)  # a crash, not a clean stop
    with pytest.raises(OSError):
        phone.state(trainer.code)
    server.start()
    status, page = phone.open(trainer.code)  # same cookie: the same anonymous person
    assert status == 200 and "Situation 2 sur 2" in page and "1 placée" in page
    phone.vote(trainer.code, current.id, "6", "chez-soi-dabord")
    phone.vote(trainer.code, current.id, "3", "cvs-cada")  # placed again after the restart: still one
    votes = trainer.snapshot().votes
    assert sorted((v.item, v.participant, v.value) for v in votes) == [
        ("chez-soi-dabord", 1, "6"),
        ("cvs-cada", 1, "3"),
    ]
    assert trainer.snapshot().session.participants == 1


def test_no_address_is_logged_and_pages_ask_browsers_for_privacy(room):
    server, _store, trainer = room
    current = trainer.ask(Activity.METEO, "Météo ?", tag="arrivee")
    phone = Phone(server.url)
    phone.open(trainer.code)
    phone.vote(trainer.code, current.id, "meteo-nuages")
    phone.get("/nulle/part")
    phone._request("POST", "/s/123456/vote", "x=1", {"Content-Type": "application/x-www-form-urlencoded"})
    _status, _text, headers = phone._request("GET", f"/s/{trainer.code}")
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    server.stop()
    logged = server.log.read_text()
    assert "127.0.0.1" not in logged and trainer.code not in logged


def test_malformed_http_gets_no_traceback_and_the_server_survives(room):
    server, _store, _trainer = room
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GARBAGE \x00\x01 HTTP/9.9\r\n\r\n")
        answer = sock.recv(4096)
    assert b"Traceback" not in answer
    big = Phone(server.url)
    try:  # a body over the 64 kB limit: refused, or the connection is simply closed
        status, text, _ = big._request(
            "POST", "/rejoindre", "code=" + "1" * 100_000, {"Content-Type": "application/x-www-form-urlencoded"}
        )
    except ConnectionError:
        status, text = 400, ""
    assert status in (400, 403, 413) and "Traceback" not in text
    status, page = Phone(server.url).get("/")
    assert status == 200 and "Rejoindre la séance" in page


def test_revealed_continuum_shows_the_group_the_course_reference_and_the_question_to_discuss(room):
    server, store, trainer = room
    from widgets.continuum.content import load_situations

    situation = next(s for s in load_situations() if s.also_accepted and s.debate)
    current = ask(store, trainer.code, trainer.secret, Activity.CONTINUUM, "Où ?", [situation.id])
    phone = Phone(server.url)
    phone.open(trainer.code)
    assert situation.explanation not in html.unescape(phone.page)  # nothing given away while voting
    phone.vote(trainer.code, current.id, str(situation.reference), situation.id)
    trainer.reveal(current.id)
    status, page = phone.open(trainer.code)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert status == 200 and "Les réponses du groupe" in text
    assert "◆ repère du cours" in text and "✔ votre réponse" in text
    also = min(situation.also_accepted)
    assert f"◇ aussi défendable : étape {also}" in text, text[text.find("Repère") - 200 : text.find("Repère") + 300]
    assert situation.debate in text and "À discuter" in text


def test_every_trainer_endpoint_checks_the_key_then_acts(room):
    """Each endpoint goes through the one key check: refused in French JSON without it, done with it."""
    import http.client

    server, _store, trainer = room
    current = trainer.ask(Activity.ABAQUE, "Une affirmation à exporter.")
    path = f"/api/formateur/{trainer.code}"
    for method, endpoint, payload in (
        ("GET", "", None),
        ("POST", "/tour", {"activite": "abaque", "question": "Sans la clé."}),
        ("POST", "/reveler", {"tour": current.id}),
        ("POST", "/fermer", {}),
        ("GET", "/export.csv", None),
    ):
        status, answer = trainer_request(server.url, method, path + endpoint, "pas-la-cle", payload)
        assert status == 403 and "réservée à la personne qui anime" in answer["erreur"], endpoint
    snapshot = trainer.snapshot()
    assert len(snapshot.rounds) == 1 and snapshot.rounds[0].state is RoundState.VOTE and not snapshot.session.closed

    status, answer = trainer_request(server.url, "POST", f"{path}/reveler", trainer.secret, {"tour": current.id})
    assert status == 200 and answer == {"ok": True}
    assert trainer.snapshot().rounds[0].state is RoundState.REVEALED
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", f"{path}/export.csv", headers={"X-Cle-Formateur": trainer.secret})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 200 and response.getheader("Content-Type") == "text/csv; charset=utf-8"
    assert f'filename="seance-{trainer.code}.csv"' in response.getheader("Content-Disposition", "")
    assert body.startswith("\ufeff".encode()) and "Une affirmation à exporter." in body.decode("utf-8-sig")


def test_the_join_form_goes_to_the_session_or_keeps_what_was_typed_with_the_reason(room):
    server, _store, trainer = room
    phone = Phone(server.url)
    phone.get("/rejoindre")
    xsrf = phone.xsrf()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    typed = f"{trainer.code[:3]} {trainer.code[3:]}"
    status, _, headers = phone._request("POST", "/rejoindre", urlencode({"_xsrf": xsrf, "code": typed}), form)
    assert status == 303 and headers["Location"] == f"/s/{trainer.code}"
    status, text, _ = phone._request("POST", "/rejoindre", urlencode({"_xsrf": xsrf, "code": "12ab"}), form)
    assert_french_page(status, text, 422, "n'est pas un code de séance")
    assert 'value="12ab"' in text  # what the person typed is still in the box
    status, text, _ = phone._request(
        "POST",
        "/rejoindre",
        urlencode({"_xsrf": xsrf, "code": trainer.code}),
        {**form, "Origin": "http://ailleurs.example"},
    )
    assert_french_page(status, text, 403, "ne vient pas d'une page de ce serveur")


def test_a_phone_counts_from_its_first_vote_not_from_opening_the_page(room):
    server, _store, trainer = room
    current = trainer.ask(Activity.ABAQUE, "Compter les votes, pas les visites.")
    lookers = [Phone(server.url) for _ in range(3)]
    for phone in lookers:
        assert phone.open(trainer.code)[0] == 200 and "salle_jeton" in phone.cookies
    assert trainer.snapshot().session.participants == 0  # three visits, nobody counted
    lookers[1].vote(trainer.code, current.id, "abaque-jaune")
    assert trainer.snapshot().session.participants == 1
    assert [v.participant for v in trainer.snapshot().votes] == [1]


def test_origin_null_is_refused_on_the_trainer_api_but_not_on_the_phones_forms(room):
    """Browsers send « Origin: null » for a form posted from a no-referrer page (the phones' pages):
    tornado's anti-CSRF field protects those. No page of ours calls the trainer's API."""
    import http.client

    server, _store, trainer = room
    current = trainer.ask(Activity.FEUX, "Une affirmation.")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"X-Cle-Formateur": trainer.secret, "Content-Type": "application/json", "Origin": "null"}
    connection.request(
        "POST", f"/api/formateur/{trainer.code}/reveler", body=f'{{"tour": {current.id}}}', headers=headers
    )
    response = connection.getresponse()
    assert response.status == 403 and "ne vient pas d'une page de ce serveur" in response.read().decode()
    connection.close()
    assert trainer.snapshot().rounds[0].state is RoundState.VOTE
    phone = Phone(server.url)
    phone.open(trainer.code)
    status, page = phone.vote(trainer.code, current.id, "feux-vert", origin="null")
    assert status == 200 and "Votre réponse est enregistrée" in page


def test_a_busy_store_gets_a_french_503_and_stalls_nobody_else(room, tmp_path):
    """The SQLite file locked by another program: the vote waits ~2 s then gets « réessayez » (503),
    and meanwhile the server still answers everyone else (its event loop is never blocked)."""
    import sqlite3
    import threading

    server, _store, trainer = room
    current = trainer.ask(Activity.FEUX, "Une affirmation.")
    phone = Phone(server.url)
    phone.open(trainer.code)
    blocker = sqlite3.connect(tmp_path / "salle.sqlite3", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # nobody else can read or write the file now
    answers: dict[str, tuple[int, str]] = {}
    started = time.monotonic()
    voting = threading.Thread(target=lambda: answers.update(vote=phone.vote(trainer.code, current.id, "feux-vert")))
    voting.start()
    try:
        for _ in range(5):  # while the vote waits for the lock, the server answers at once
            moment = time.monotonic()
            status, _ = Phone(server.url).get("/sante")
            assert status == 200 and time.monotonic() - moment < 1.0
        voting.join(timeout=30)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    status, page = answers["vote"]
    assert_french_page(status, page, 503, "réessayez dans un instant")
    assert time.monotonic() - started < 10
    phone.open(trainer.code)  # the person reloads, as the message says, and taps again
    status, page = phone.vote(trainer.code, current.id, "feux-vert")
    assert status == 200 and [v.value for v in trainer.snapshot().votes] == ["feux-vert"]


def test_pages_are_compressed_and_static_files_cached_for_a_year_under_versioned_addresses(room):
    import gzip
    import http.client

    server, _store, trainer = room
    page = Phone(server.url).get("/")[1]
    addresses = re.findall(r'(?:href|src)="(/static/salle\.(?:css|js)\?v=[0-9a-f]{12})"', page)
    assert len(addresses) == 2
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        for address in addresses:
            connection.request("GET", address, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            body = gzip.decompress(response.read())
            assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
            assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
            assert (
                body == (Path(__file__).resolve().parents[2] / "widgets/salle" / address[1:].split("?")[0]).read_bytes()
            )
        connection.request("GET", "/static/salle.css")  # unversioned: always checked again
        response = connection.getresponse()
        response.read()
        assert response.getheader("Cache-Control") == "no-cache"
        connection.request("GET", f"/s/{trainer.code}", headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        assert response.getheader("Content-Encoding") == "gzip" and response.getheader("Cache-Control") == "no-store"
        assert response.status == 200 and "Faire avec · séance" in gzip.decompress(response.read()).decode()
    finally:
        connection.close()


def test_phones_in_the_room_find_the_light_exercises_on_the_participants_server(room):
    """In the room, phones reach this server and not the book's (which listens on the trainer's
    computer only): the light face is mounted here, linked from the join page, and offers no link
    to the Voilà face, which a phone could not open."""
    server, _store, _trainer = room
    phone = Phone(server.url)
    status, join = phone.get("/")
    assert_french_page(status, join, 200)
    assert 'href="/leger/"' in join
    status, index = phone.get("/leger/")
    assert_french_page(status, index, 200)
    assert 'href="pret"' in index or 'href="./pret"' in index, index[-800:]
    status, page = phone.get("/leger/pret?r1=2")
    assert_french_page(status, page, 200, "Suis-je prêt·e")
    assert '<a href="../">Rejoindre une séance</a>' in page  # « ../ » is the join page here, not the book
    assert "version complète" not in page and "voila/render" not in page
    status, missing = phone.get("/leger/inconnu")
    assert_french_page(status, missing, 404, "Cette page n'existe pas.")
