"""Who may frame the course (``widgets/framing.py``): the course itself by default, plus the training
body's LMS when ``FAIRE_AVEC_LMS_ORIGIN`` names it — checked strictly, sent by the book's server and
by Voilà."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest

from widgets import framing, serve

LMS = "https://moodle.example.org"


def test_by_default_only_the_course_may_frame_its_pages():
    assert framing.policy("") == {"Content-Security-Policy": "frame-ancestors 'self'", "X-Frame-Options": "SAMEORIGIN"}
    assert framing.from_environment({}) == framing.SELF_ONLY == framing.policy("  ")


@pytest.mark.parametrize(
    ("value", "origins"),
    [
        (LMS, LMS),
        ("https://Moodle.Example.ORG/", LMS),  # pasted from the address bar: case and final slash do not matter
        ("https://moodle.example.org:443", LMS),
        ("https://formation.example.org:8443 https://moodle.example.org", f"https://formation.example.org:8443 {LMS}"),
        (f"{LMS} {LMS}/", LMS),
        ("http://localhost:8123", "http://localhost:8123"),  # this machine, in tests
        ("https://10.0.0.12", "https://10.0.0.12"),
    ],
)
def test_the_lms_address_is_added_and_x_frame_options_dropped(value, origins):
    headers = framing.policy(value)
    assert headers == {"Content-Security-Policy": f"frame-ancestors 'self' {origins}"}


@pytest.mark.parametrize(
    "value",
    [
        "*",
        "https://*.example.org",
        "https:",
        "moodle.example.org",
        "http://moodle.example.org",  # an LMS on the internet is reached in https
        "https://moodle.example.org/course/view.php?id=3",
        "https://moodle.example.org#x",
        "https://user:secret@moodle.example.org",
        "https://moodle.example.org; script-src 'unsafe-inline'",
        "https://moodle.example.org 'unsafe-inline'",
        "'none'",
        "data:",
        "javascript:alert(1)",
        "https://-moodle.example.org",
        "https://moodle..example.org",
        "https://moodle.example.org:0",
        "https://moodle.example.org:70000",
        "https://300.1.1.1",
        "https://moodlé.example.org",  # an internationalised name is written in its xn-- form
        " ".join(f"https://lms{i}.example.org" for i in range(framing.MAX_ORIGINS + 1)),
    ],
)
def test_anything_but_an_lms_origin_is_refused_in_french(value):
    with pytest.raises(framing.FramingError) as error:
        framing.policy(value)
    message = str(error.value)
    assert message.startswith(f"{framing.LMS_ORIGIN_ENV} : «") and framing.EXAMPLE in message
    with pytest.raises(SystemExit) as stop:
        framing.from_environment({framing.LMS_ORIGIN_ENV: value})
    assert str(stop.value) == message


def _book_headers(port: int) -> dict[str, str]:
    try:
        urllib.request.urlopen(f"http://{serve.HOST}:{port}/nexiste-pas", timeout=30)
    except urllib.error.HTTPError as error:  # a 404 page needs no built book and carries every header
        assert error.code == 404
        return dict(error.headers)
    raise AssertionError("la page inexistante a répondu 200")


@pytest.mark.parametrize("value", ["", LMS])
def test_the_book_server_sends_the_policy_of_its_environment(monkeypatch, value):
    monkeypatch.setenv(framing.LMS_ORIGIN_ENV, value)
    server = serve.book_server(serve.free_port())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        headers = _book_headers(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
    assert headers["Content-Security-Policy"] == framing.policy(value)["Content-Security-Policy"]
    assert headers.get("X-Frame-Options") == ("SAMEORIGIN" if not value else None)
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_wrong_value_stops_the_book_server_before_it_listens(monkeypatch):
    monkeypatch.setenv(framing.LMS_ORIGIN_ENV, "https://moodle.example.org/cours")
    with pytest.raises(SystemExit, match="sans chemin"):
        serve.book_server(serve.free_port())


def test_voila_sends_the_policy_of_its_environment(monkeypatch):
    """Voilà's handlers (jupyter_server) build their CSP from ``settings["headers"]``: the course's
    Voilà puts the policy there, and keeps whatever headers Voilà itself set."""
    from voila.app import Voila

    from widgets.voila_app import CourseVoila

    monkeypatch.setattr(Voila, "init_settings", lambda self: {"headers": {"X-Voila": "1"}})
    monkeypatch.setenv(framing.LMS_ORIGIN_ENV, LMS)
    app = CourseVoila()
    app.voila_configuration = SimpleNamespace(preheat_kernel=False)
    app.kernel_manager = SimpleNamespace()
    headers = app.init_settings()["headers"]
    assert headers == {"X-Voila": "1", "Content-Security-Policy": f"frame-ancestors 'self' {LMS}"}
    monkeypatch.setenv(framing.LMS_ORIGIN_ENV, "*")
    with pytest.raises(SystemExit, match="joker"):
        app.init_settings()
