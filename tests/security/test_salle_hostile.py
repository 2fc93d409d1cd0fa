"""The group mode against a hostile participant with a laptop: minted tokens, replays, code walking,
floods, hostile statements, and a property-based fuzz of every phone and trainer endpoint.

Each test starts ``python -m widgets.salle.server`` as ``make serve`` does (private SQLite directory,
free port of 127.0.0.1) and talks plain HTTP to it. The attacker and the honest phones come from
different source addresses (any 127.x.y.z reaches the server on Linux), as in a room where each
device has its own, so that the per-client limits are what they are in a room. Nothing here waits a
fixed time: limits are reached by counting requests, not by sleeping.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.support.salle_client import Phone, trainer_request
from tests.support.salle_server import SalleServer
from widgets.salle import limits, report, tokens
from widgets.salle.model import Activity
from widgets.salle.store import Store
from widgets.salle.trainer import Trainer

ENGLISH = ("Traceback", "Not Found", "Forbidden", "Bad Request", "Internal Server Error", "Too Many Requests")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Room:
    server: SalleServer
    store: Store
    trainer: Trainer

    @property
    def code(self) -> str:
        return self.trainer.code


def open_room(data) -> Room:
    server = SalleServer(data).start()
    store = Store(None, data)
    return Room(server, store, Trainer(store, *store.open_session()))


def close_room(room: Room) -> None:
    room.server.stop()
    room.store.close()


@pytest.fixture
def room(tmp_path):
    opened = open_room(tmp_path)
    yield opened
    close_room(opened)
    assert_clean_log(opened)


def assert_clean_log(room: Room) -> None:
    """Never a traceback, a session code or an address in what the server wrote."""
    logged = room.server.messages()
    assert "Traceback" not in logged, logged[-2000:]
    assert room.code not in logged
    assert not re.search(r"\b127\.\d+\.\d+\.\d+\b", logged), logged[-2000:]


def request(
    room: Room, method: str, path: str, body: str | bytes | None = None, headers: dict | None = None, address=None
) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection(
        "127.0.0.1", room.server.port, timeout=30, source_address=(address, 0) if address else None
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def french_refusal(status: int, text: str) -> bool:
    return (
        400 <= status < 500 and not any(word in text for word in ENGLISH) and ('lang="fr"' in text or "erreur" in text)
    )


def test_minted_altered_and_borrowed_tokens_are_refused(room):
    current = room.trainer.ask(Activity.ABAQUE, "Un jeton inventé ne vote pas.")
    other_code, _ = room.store.open_session()
    honest = Phone(room.server.url, address="127.0.10.1")
    honest.open(room.code)
    signed = honest.cookies["salle_jeton"]
    nonce, mac = signed.split(".")
    forged = [
        secrets.token_urlsafe(18),  # what the server accepted until now: any token of the right shape
        f"{secrets.token_urlsafe(12)}.{secrets.token_urlsafe(16)[:22]}",  # the new shape, made up
        f"{nonce}.{mac[::-1]}",  # altered
        tokens.issue(room.store.session(other_code).participant_key, other_code),  # signed for another session
    ]
    for index, token in enumerate(forged):
        phone = Phone(room.server.url, address=f"127.0.11.{index + 1}")
        phone.open(room.code)
        phone.cookies["salle_jeton"] = token
        status, page = phone.vote(room.code, current.id, "abaque-rouge")
        assert status == 403 and "pas de jeton valable pour cette séance" in page, (token, page[-300:])
    assert room.trainer.snapshot().votes == () and room.trainer.snapshot().session.participants == 0
    assert honest.vote(room.code, current.id, "abaque-vert-clair")[0] == 200
    assert [v.value for v in room.trainer.snapshot().votes] == ["abaque-vert-clair"]


def test_a_replayed_vote_counts_once_and_a_token_does_not_travel_to_another_session(room):
    current = room.trainer.ask(Activity.FEUX, "Rejouer une requête ne double pas un vote.")
    phone = Phone(room.server.url, address="127.0.20.1")
    phone.open(room.code)
    body, headers = phone.vote_form(current.id, "feux-orange")
    statuses = {request(room, "POST", f"/s/{room.code}/vote", body, headers, "127.0.20.1")[0] for _ in range(25)}
    assert statuses == {303}
    snapshot = room.trainer.snapshot()
    assert [(v.participant, v.value) for v in snapshot.votes] == [
        (1, "feux-orange")
    ] and snapshot.session.participants == 1
    other = Trainer(room.store, *room.store.open_session())
    elsewhere = other.ask(Activity.FEUX, "Une autre séance.")
    body, headers = phone.vote_form(elsewhere.id, "feux-vert")  # the same phone, in another session
    status, _, text = request(room, "POST", f"/s/{other.code}/vote", body, headers, "127.0.20.1")
    assert status == 403 and french_refusal(status, text) and other.snapshot().votes == ()


def test_reloading_without_cookies_mints_no_crowd(room):
    """A script that drops its cookies gets a few tokens, then a French 429 with Retry-After."""
    current = room.trainer.ask(Activity.ABAQUE, "Remplir la grille à soi seul ?")
    phones = [Phone(room.server.url, address="127.0.30.1") for _ in range(12)]
    statuses = [phone.open(room.code)[0] for phone in phones]
    allowed = limits.RULES["jeton-client"].capacity
    assert statuses.count(200) == allowed and statuses[int(allowed) :] == [429] * (12 - int(allowed))
    status, headers, text = request(room, "GET", f"/s/{room.code}", address="127.0.30.1")
    assert status == 429 and int(headers["Retry-After"]) >= 1 and "Trop de nouvelles connexions" in text
    for phone in phones:
        if "salle_jeton" in phone.cookies and phone.status == 200:
            phone.vote(room.code, current.id, "abaque-rouge")
    assert room.trainer.snapshot().session.participants == allowed
    newcomer = Phone(room.server.url, address="127.0.31.1")  # someone else in the room is not affected
    assert newcomer.open(room.code)[0] == 200 and newcomer.vote(room.code, current.id, "abaque-blanc")[0] == 200


def test_walking_the_codes_runs_out_of_guesses_per_client_then_for_the_server(room):
    wrong = [f"{n:06d}" for n in range(0, 1000) if f"{n:06d}" != room.code]
    per_client = int(limits.RULES["code-client"].capacity)
    answers = [request(room, "GET", f"/s/{code}", address="127.0.40.1") for code in wrong[: per_client + 3]]
    assert [a[0] for a in answers] == [404] * per_client + [429] * 3
    assert "Trop de codes faux" in answers[-1][2] and int(answers[-1][1]["Retry-After"]) >= 1
    # Out of guesses, the walker cannot even test the right code (it would learn that it exists).
    assert request(room, "GET", f"/s/{room.code}", address="127.0.40.1")[0] == 429
    assert request(room, "GET", f"/api/s/{room.code}/etat", address="127.0.40.1")[0] == 429
    # The trainer's API tells nobody which codes exist: an unknown code and a wrong key read the same.
    unknown = trainer_request(room.server.url, "GET", f"/api/formateur/{wrong[-1]}", "cle")
    wrong_key = trainer_request(room.server.url, "GET", f"/api/formateur/{room.code}", "cle")
    assert unknown == wrong_key and unknown[0] == 403
    # Many addresses at once: the server-wide budget runs out too, for wrong codes only.
    server_wide = int(limits.RULES["code-serveur"].capacity)
    refused = 0
    for index, code in enumerate(wrong[per_client + 3 : per_client + 3 + server_wide + 5]):
        refused += request(room, "GET", f"/s/{code}", address=f"127.0.41.{index % 250 + 1}")[0] == 429
    assert refused >= 5
    status, _, text = request(room, "GET", f"/s/{wrong[-2]}", address="127.0.42.1")
    assert status == 429 and "sur ce serveur" in text


def test_a_vote_flood_is_refused_while_the_room_votes_on(room):
    current = room.trainer.ask(Activity.ABAQUE, "Trois cents votes d'un coup ?")
    flooder = Phone(room.server.url, address="127.0.50.1")
    flooder.open(room.code)
    body, headers = flooder.vote_form(current.id, "abaque-rouge")
    connection = http.client.HTTPConnection("127.0.0.1", room.server.port, timeout=30, source_address=("127.0.50.1", 0))
    statuses = []
    try:
        for _ in range(300):
            connection.request("POST", f"/s/{room.code}/vote", body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            statuses.append(response.status)
            if response.status == 429:
                assert "Trop de demandes" in text and response.getheader("Retry-After")
    finally:
        connection.close()
    accepted = statuses.count(303)
    assert statuses.count(429) >= 300 - limits.RULES["vote-client"].capacity - 10
    assert accepted <= limits.RULES["vote-client"].capacity + 10 and set(statuses) <= {303, 429}
    honest = Phone(room.server.url, address="127.0.51.1")
    honest.open(room.code)
    assert honest.vote(room.code, current.id, "abaque-vert-fonce")[0] == 200
    assert sorted(v.value for v in room.trainer.snapshot().votes) == ["abaque-rouge", "abaque-vert-fonce"]


def test_an_evaluation_flood_is_refused_and_hostile_answers_stay_text_in_every_export(room):
    """The evaluations' form shares the votes' limits; a questionnaire's free text is data everywhere."""
    from widgets.salle import eval_trainer

    quiz = eval_trainer.start(room.store, room.code, room.trainer.secret, "quiz", "pairite", "pairite-1", "avant")
    flooder = Phone(room.server.url, address="127.0.80.1")
    flooder.open(room.code)
    found = re.search(r'name="_xsrf" value="([^"]+)"', flooder.page)
    assert found is not None
    xsrf = found.group(1)
    body = urlencode({"tour": quiz.id, "q-": "r1", "_xsrf": xsrf})
    headers = {**FORM, "Cookie": "; ".join(f"{k}={v}" for k, v in flooder.cookies.items())}
    statuses = [request(room, "POST", f"/s/{room.code}/evaluation", body, headers, "127.0.80.1")[0] for _ in range(150)]
    assert set(statuses) <= {303, 429} and statuses.count(429) >= 150 - limits.RULES["vote-client"].capacity - 10
    assert len(room.store.evaluation_answers(room.code)) == 1  # one phone, one answer, however many posts
    hostile = [HOSTILE[2], HOSTILE[0], "\u202eà l'envers\u202c مرحبا 🙂"]
    asked = eval_trainer.start(room.store, room.code, room.trainer.secret, "questionnaire", "")
    for index, text in enumerate(hostile):
        phone = Phone(room.server.url, address=f"127.0.81.{index + 1}")
        status, page = phone.open(room.code)
        assert status == 200 and 'name="q-appris"' in page
        found = re.search(r'name="_xsrf" value="([^"]+)"', page)
        assert found is not None
        xsrf = found.group(1)
        fields = urlencode({"tour": asked.id, "q-appris": text, "q-rythme": "un-peu", "_xsrf": xsrf})
        headers = {**FORM, "Cookie": "; ".join(f"{k}={v}" for k, v in phone.cookies.items())}
        status, answer_headers, _ = request(
            room, "POST", f"/s/{room.code}/evaluation", fields, headers, f"127.0.81.{index + 1}"
        )
        assert status == 303, answer_headers
        page = phone.open(room.code)[1]
        assert "<script>window" not in page and "<img src=x" not in page
    key = room.trainer.secret
    connection = http.client.HTTPConnection("127.0.0.1", room.server.port, timeout=30)
    connection.request(
        "GET", f"/api/formateur/{room.code}/evaluation-questionnaire.csv", headers={"X-Cle-Formateur": key}
    )
    exported = connection.getresponse().read().decode("utf-8-sig")
    connection.close()
    texts = {
        row["reponse"]
        for row in csv.DictReader(io.StringIO(exported), delimiter=";")
        if row["question"].startswith("Une chose")
    }
    assert texts == {'\'=HYPERLINK("http://pirate.example", "cliquez")', HOSTILE[0], "à l'envers مرحبا 🙂"}
    assert room.code not in exported
    from widgets.salle import eval_report

    page = eval_report.questionnaire_html(eval_report.read(room.store, room.code))
    assert "<script>window.__pirate" not in page and "&lt;script&gt;window.__pirate = 1&lt;/script&gt;" in page


HOSTILE = [
    "<script>window.__pirate = 1</script> Le travail pair doit être payé.",
    '<img src=x onerror="window.__pirate = 2"> Être pair·e, c\'est un métier.',
    '=HYPERLINK("http://pirate.example", "cliquez")',
    "\u202eLe texte à l'envers\u202c, puis la suite. مرحبا 🙂👩🏽‍🦱",
    "x" * 400,
]


def test_hostile_statements_are_text_on_phones_in_the_csv_and_in_the_report(room):
    key = room.trainer.secret
    path = f"/api/formateur/{room.code}/tour"
    too_long = trainer_request(room.server.url, "POST", path, key, {"activite": "abaque", "question": "é" * 2000})
    assert too_long[0] == 400 and "trop longue (2000 caractères)" in too_long[1]["erreur"]
    for number, statement in enumerate(HOSTILE, start=1):
        status, answer = trainer_request(
            room.server.url, "POST", path, key, {"activite": "abaque", "question": statement}
        )
        assert status == 201 and answer["numero"] == number
        phone = Phone(room.server.url, address=f"127.0.60.{number}")
        status, page = phone.open(room.code)
        assert status == 200 and "<script>window" not in page and "<img src=x" not in page
        shown = statement.replace("\u202e", "").replace("\u202c", "")
        heading = re.search(r'<h1 class="question"><bdi>(.*?)</bdi></h1>', page, re.S)
        assert heading, "pas de question isolée (<bdi>) dans la page"
        assert html_text(heading.group(1)) == shown
        phone.vote(room.code, answer["tour"], "abaque-jaune")
    snapshot = room.trainer.snapshot()
    connection = http.client.HTTPConnection("127.0.0.1", room.server.port, timeout=30)
    connection.request("GET", f"/api/formateur/{room.code}/export.csv", headers={"X-Cle-Formateur": key})
    exported = connection.getresponse().read().decode("utf-8-sig")
    connection.close()
    questions = {row["question"] for row in csv.DictReader(io.StringIO(exported), delimiter=";")}
    assert '\'=HYPERLINK("http://pirate.example", "cliquez")' in questions  # text, not a formula
    assert HOSTILE[0] in questions and HOSTILE[4] in questions
    page = report.report_html(snapshot)
    assert "<script>window.__pirate" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__pirate = 1&lt;/script&gt;" in page  # the grid, escaped; charts below


def html_text(fragment: str) -> str:
    import html

    return html.unescape(fragment)


# ---------------------------------------------------------------- the fuzz

NASTY = [
    "²",
    "1" * 31,
    "٣",
    "-1",
    "0",
    "99999999999999999999",
    "1e999",
    "<script>alert(1)</script>",
    "\u202e",
    "🙂",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "x" * 3000,
    "",
    "abaque-rouge",
    "feux-vert",
    "cvs-cada",
]
EVALUATION_PAYLOADS = [
    {"type": "quiz", "source": "pairite", "question": "pairite-1", "moment": "avant"},
    {"type": "pret", "question": "equite", "moment": "apres"},
    {"type": "questionnaire", "source": "plan:trois-heures"},
    {"type": "questionnaire", "source": ""},
    {"tour": "ROUND", "reponses": {"rythme": "un-peu", "appris": "<script>alert(1)</script>"}},
    {"tour": "ROUND", "reponses": {"rythme": "beaucoup"}},
]
ENDPOINTS = [
    ("GET", "/"),
    ("GET", "/rejoindre"),
    ("POST", "/rejoindre"),
    ("GET", "/s/{code}"),
    ("POST", "/s/{code}/vote"),
    ("POST", "/s/{code}/vote"),
    ("POST", "/s/{code}/vote"),
    ("GET", "/api/s/{code}/etat"),
    ("GET", "/sante"),
    ("GET", "/api/formateur/{code}"),
    ("POST", "/api/formateur/{code}/tour"),
    ("POST", "/api/formateur/{code}/reveler"),
    ("POST", "/api/formateur/{code}/fermer"),
    ("GET", "/api/formateur/{code}/export.csv"),
    ("GET", "/static/salle.css"),
    ("POST", "/s/{code}/evaluation"),
    ("POST", "/s/{code}/evaluation"),
    ("POST", "/api/formateur/{code}/evaluation"),
    ("POST", "/api/formateur/{code}/evaluation"),
    ("POST", "/api/formateur/{code}/papier"),
    ("GET", "/api/formateur/{code}/evaluation-avant-apres.csv"),
    ("GET", "/api/formateur/{code}/evaluation-questionnaire.csv"),
    ("PUT", "/s/{code}"),
    ("DELETE", "/api/formateur/{code}"),
    ("GET", "/{junk}"),
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str))
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=True),
        st.sampled_from(NASTY),
        st.text(max_size=30),
        st.sampled_from(["abaque", "feux", "meteo", "continuum", "arrivee", "depart"]),
        st.sampled_from(
            ["quiz", "pret", "questionnaire", "pairite", "pairite-1", "plan:trois-heures", "avant", "apres"]
        ),
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def attacks(draw):
    method, template = draw(st.sampled_from(ENDPOINTS))
    code = draw(
        st.one_of(st.just("REAL"), st.just("REAL"), st.just("REAL"), st.from_regex(r"[0-9]{6}", fullmatch=True))
    )
    junk = quote(draw(values), safe="")
    path = template.format(code=code, junk=junk)
    query = draw(st.dictionaries(st.sampled_from(["code", "n", "ok", "v"]), values, max_size=2))
    if query:
        path += "?" + urlencode(query)
    trainer = "/api/formateur/" in template
    if trainer and method == "POST" and template.endswith(("/evaluation", "/papier")):
        payload = draw(st.sampled_from(EVALUATION_PAYLOADS))
        payload |= draw(
            st.one_of(
                st.just({}),
                st.dictionaries(
                    st.sampled_from(["type", "source", "question", "moment", "tour", "reponses"]),
                    json_values,
                    max_size=2,
                ),
            )
        )
        body = draw(st.one_of(st.just(json.dumps(payload)), st.just(json.dumps(payload)), st.sampled_from(["{", "[]"])))
    elif trainer and method == "POST":
        payload = {"tour": "ROUND"} if template.endswith("/reveler") and draw(st.booleans()) else {}
        payload |= draw(
            st.dictionaries(
                st.sampled_from(["activite", "question", "elements", "reformule", "etiquette", "tour"]),
                json_values,
                max_size=5,
            )
        )
        body = draw(
            st.one_of(
                st.just(json.dumps(payload)), st.sampled_from(["{", "[]", "null", '{"tour": 1e999}', b"\xff\xfe{"])
            )
        )
    elif template.endswith("/evaluation"):  # often a real answer (or questionnaire), so that it goes deep too
        fields = {"tour": draw(st.one_of(st.just("ROUND"), st.just("ROUND"), values))}
        for name in draw(st.lists(st.sampled_from(["q-", "q-rythme", "q-appris", "q-objectif-1", "q-x"]), max_size=3)):
            fields[name] = draw(st.one_of(st.sampled_from(["r1", "r2", "passe", "un-peu", "oui"]), values))
        body = urlencode(fields)
    elif template.endswith("/vote"):  # often a real vote, so that the deep paths are reached too
        fields = {
            "tour": draw(st.one_of(st.just("ROUND"), st.just("ROUND"), values)),
            "element": draw(st.sampled_from(["cvs-cada", "chez-soi-dabord", "NASTY"])),
            "valeur": draw(st.sampled_from(["1", "3", "6", "NASTY"])),
        }
        fields = {k: draw(values) if v == "NASTY" else v for k, v in fields.items()}
        body = urlencode({k: v for k, v in fields.items() if draw(st.integers(0, 9))})
    else:
        fields = draw(st.dictionaries(st.sampled_from(["tour", "element", "valeur", "code"]), values, max_size=4))
        body = urlencode(fields) if method == "POST" else None
    usual = "application/json" if trainer else "application/x-www-form-urlencoded"  # mostly what a client sends
    kinds = [
        "application/json",
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x",
        "",
    ]
    headers = {
        "Content-Type": draw(st.one_of(st.just(usual), st.just(usual), st.just(usual), st.sampled_from(kinds))),
        "Origin": draw(st.sampled_from(["", "null", "http://pirate.example", "SELF"])),
        "X-Cle-Formateur": draw(st.sampled_from(["", "KEY", "pas-la-cle", "\u00e9" * 5])),
    }
    cookie = draw(
        st.sampled_from(["", "VALID", "VALID", "VALID", "MINTED", "salle_jeton=%%%; _xsrf=1", "_xsrf=2|00|11|22"])
    )
    if template.endswith(("/evaluation", "/papier")) and draw(st.integers(0, 2)):
        # Mostly what the trainer's script or a phone really sends, so that the answers are written
        # and the pages drawn (not only refused at the door).
        headers.update({"Origin": "SELF", "X-Cle-Formateur": "KEY", "Content-Type": usual})
        cookie = "VALID"
        path = path.replace(code, "REAL", 1)
    with_xsrf = draw(st.integers(0, 4)) > 0
    address = f"127.{draw(st.integers(100, 250))}.{draw(st.integers(0, 255))}.{draw(st.integers(1, 254))}"
    return method, path, body, headers, cookie, with_xsrf, address


class FuzzRoom:
    """The session the fuzz attacks; when an example closes it (the real key on « fermer »), the next
    example gets a new one, with a round open and a phone's valid cookies, so votes stay reachable."""

    def __init__(self, room: Room):
        self.room = room
        self.refresh()

    def refresh(self) -> None:
        self.trainer = Trainer(self.room.store, *self.room.store.open_session())
        self.trainer.ask(Activity.CONTINUUM, "Où ?", ["cvs-cada", "chez-soi-dabord"])
        phone = Phone(self.room.server.url, address=f"127.0.70.{secrets.randbelow(250) + 1}")
        phone.open(self.trainer.code)
        self.cookies = dict(phone.cookies)
        self.xsrf = phone.xsrf()

    def current(self) -> FuzzRoom:
        if self.trainer.snapshot().session.closed:
            self.refresh()
        return self

    def fill(self, text: str) -> str:
        session = self.trainer.snapshot().session
        return (
            text.replace("REAL", self.trainer.code)
            .replace("ROUND", str(session.current_round))
            .replace("KEY", self.trainer.secret)
            .replace("SELF", f"http://127.0.0.1:{self.room.server.port}")
        )


@pytest.fixture(scope="module")
def fuzz_room(tmp_path_factory):
    opened = open_room(tmp_path_factory.mktemp("fuzz"))
    target = FuzzRoom(opened)
    yield target
    close_room(opened)
    logged = opened.server.messages()
    assert "Traceback" not in logged, logged[-2000:]
    assert not re.search(r"\b127\.\d+\.\d+\.\d+\b", logged) and not re.search(r"(?<![0-9])[0-9]{6}(?![0-9])", logged)


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(attack=attacks())
def test_fuzz_every_endpoint_never_a_5xx_never_a_traceback(fuzz_room, attack):
    target = fuzz_room.current()
    method, path, body, headers, cookie, with_xsrf, address = attack
    path = target.fill(path)
    body = target.fill(body) if isinstance(body, str) else body
    headers = {name: target.fill(value) for name, value in headers.items() if value}
    minted = {"salle_jeton": secrets.token_urlsafe(18), "_xsrf": target.cookies["_xsrf"]}
    jar = {"VALID": target.cookies, "MINTED": minted}.get(cookie)
    if jar is not None:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
    elif cookie:
        headers["Cookie"] = cookie
    if with_xsrf and method == "POST" and isinstance(body, str) and "/api/" not in path:
        body = f"{body}&_xsrf={target.xsrf}" if body else f"_xsrf={target.xsrf}"
    sent = body.encode("utf-8") if isinstance(body, str) else body
    status, _, text = request(target.room, method, path, sent, headers, address)
    event(
        f"{method} {re.sub(r'[0-9]{6}', '{code}', path.split('?')[0])[:40]} → {status}"
    )  # --hypothesis-show-statistics
    assert status < 500, (method, path, body, status, text[-500:])
    assert "Traceback" not in text and target.trainer.secret not in text
    if status >= 400:
        assert french_refusal(status, text), (method, path, status, text[-300:])
