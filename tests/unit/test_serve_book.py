"""The book's web server (widgets/serve/book_server.py) on a small book written here: links from
configuration (never from the request), gzip, cache headers and revalidation, protective headers
and French errors everywhere, no listing, no traversal, no body read, no address logged, and routes
added beside the book. A real server on a free port of 127.0.0.1, in a thread; plain HTTP clients."""

from __future__ import annotations

import gzip
import http.client
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from widgets.serve import HOST, free_port, voila_url
from widgets.serve.book_server import (
    CACHE_REVALIDATE,
    CACHE_THEME,
    CACHE_VERSIONED,
    MAX_BODY_BYTES,
    BookServer,
    BookSite,
    SitePage,
    in_thread,
    live_link_to,
    live_link_to_port,
    make_app,
)
from widgets.serve.compress import CompressOnce

HASHED = "mystnb." + "ab12" * 16 + ".css"
STYLE = "body { color: #1a1a1a; }\n" * 200  # 5 kB of text: worth compressing


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def ask(
    port: int, target: str, method: str = "GET", headers: dict[str, str] | None = None, body: bytes | None = None
) -> Answer:
    """One request sent byte for byte (no client-side normalisation, no automatic decompression)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.putrequest(method, target, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("html")
    live = voila_url().rstrip("/")
    (root / "chapters").mkdir()
    (root / "_static" / "vendor").mkdir(parents=True)
    (root / "_images").mkdir()
    (root / "index.html").write_text('<meta http-equiv="refresh" content="0; url=chapters/a.html">', encoding="utf-8")
    page = f'<!DOCTYPE html><html lang="fr"><body><a href="{live}/continuum.ipynb">Faire l\'exercice</a>{"é" * 3000}</body></html>'
    (root / "chapters" / "a.html").write_text(page, encoding="utf-8")
    (root / "_static" / "style.css").write_text(STYLE, encoding="utf-8")
    (root / "_static" / HASHED).write_text(STYLE, encoding="utf-8")
    (root / "_static" / "vendor" / "font.woff2").write_bytes(os.urandom(2048))
    (root / "searchindex.js").write_text("Search.setIndex({});" * 100, encoding="utf-8")
    (root.parent / "secret.txt").write_text("SECRET-BESIDE-THE-BOOK", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def voila_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def port(book, voila_port) -> Iterator[int]:
    with in_thread(
        BookServer(make_app(BookSite(root=book, live_link=live_link_to_port(voila_port))), free_port())
    ) as port:
        yield port


def test_live_links_point_at_the_configured_voila_whatever_the_host_header(port, voila_port):
    wanted = f"http://{HOST}:{voila_port}/voila/render/continuum.ipynb"
    for host in (f"{HOST}:{port}", "evil.example:666", "[::1]:80", "localhost"):
        answer = ask(port, "/chapters/a.html", headers={"Host": host})
        assert answer.status == 200
        text = answer.body.decode("utf-8")
        assert wanted in text and "evil" not in text, host
        assert f"{voila_url().rstrip('/')}/continuum.ipynb" not in text  # the address as built is gone
        assert int(answer.headers["content-length"]) == len(answer.body)
    forged = ask(port, "/chapters/a.html", headers={"Host": 'x"><script>alert(1)</script>'})
    assert forged.status == 400 and b"script" not in forged.body  # refused by tornado's HTTP layer
    assert answer.headers["content-type"] == "text/html; charset=utf-8"


def test_text_is_gzipped_once_and_decompresses_to_the_file(port, book):
    plain = ask(port, "/_static/style.css")
    assert "content-encoding" not in plain.headers and plain.body == STYLE.encode()
    first = ask(port, "/_static/style.css", headers={"Accept-Encoding": "gzip, deflate"})
    assert first.headers["content-encoding"] == "gzip" and "Accept-Encoding" in first.headers["vary"]
    assert gzip.decompress(first.body) == STYLE.encode() and len(first.body) < len(STYLE) / 10
    key = ("/_static/style.css", first.headers["etag"])
    assert CompressOnce.cached(key) == first.body, "the compressed body is kept for the next visitor"
    second = ask(port, "/_static/style.css", headers={"Accept-Encoding": "gzip"})
    assert second.body == first.body and int(second.headers["content-length"]) == len(second.body)
    page = ask(port, "/chapters/a.html", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip" and b"continuum.ipynb" in gzip.decompress(page.body)
    font = ask(port, "/_static/vendor/font.woff2", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in font.headers, "an already compressed font is sent as is"
    head = ask(port, "/_static/style.css", method="HEAD", headers={"Accept-Encoding": "gzip"})
    assert head.status == 200 and head.body == b""


def test_cache_headers_by_kind_of_file(port):
    expected = {
        "/chapters/a.html": CACHE_REVALIDATE,
        "/": CACHE_REVALIDATE,
        "/searchindex.js": CACHE_REVALIDATE,
        "/_static/style.css?v=03e43079": CACHE_VERSIONED,
        "/_static/style.css?digest=55c26ed414f5f8a31ebb": CACHE_VERSIONED,
        f"/_static/{HASHED}": CACHE_VERSIONED,
        "/_static/style.css": CACHE_THEME,
        "/_static/vendor/font.woff2": CACHE_THEME,
    }
    for target, cache in expected.items():
        answer = ask(port, target)
        assert answer.status == 200, target
        assert answer.headers["cache-control"] == cache, target
        assert answer.headers["etag"].startswith('W/"'), target


def test_an_unchanged_page_is_revalidated_without_body_and_a_rebuilt_one_is_sent_again(port, book):
    first = ask(port, "/_static/style.css")
    again = ask(port, "/_static/style.css", headers={"If-None-Match": first.headers["etag"]})
    assert again.status == 304 and again.body == b""
    rebuilt = book / "_static" / "style.css"
    rebuilt.write_text(STYLE + "/* rebuilt */\n", encoding="utf-8")
    try:
        changed = ask(port, "/_static/style.css", headers={"If-None-Match": first.headers["etag"]})
        assert changed.status == 200 and changed.body.endswith(b"/* rebuilt */\n")
        assert changed.headers["etag"] != first.headers["etag"]
    finally:
        rebuilt.write_text(STYLE, encoding="utf-8")


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("/_static/", 404),  # a folder without index.html: no listing
        ("/nexiste-pas.html", 404),
        ("/../secret.txt", 403),
        ("/_static/../../secret.txt", 403),
        ("/%2e%2e/secret.txt", 403),
    ],
)
def test_errors_are_french_pages_with_the_same_headers_and_nothing_outside(port, target, status):
    answer = ask(port, target)
    assert answer.status == status, (target, answer.status)
    text = answer.body.decode("utf-8")
    assert "SECRET-BESIDE-THE-BOOK" not in text and "Traceback" not in text
    assert f"(erreur {status})" in text and 'lang="fr"' in text
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    assert answer.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert "server" not in answer.headers


def test_the_book_takes_no_body_and_no_other_method(port):
    posted = ask(port, "/chapters/a.html", method="POST", body=b"x=1")
    assert posted.status == 405 and "(erreur 405)" in posted.body.decode("utf-8")
    # A body announced larger than the limit is refused on its headers, before a byte of it is read.
    oversized = ask(port, "/chapters/a.html", method="POST", headers={"Content-Length": str(100 * MAX_BODY_BYTES)})
    assert oversized.status == 400 and b"Traceback" not in oversized.body


def test_no_address_reaches_any_log(port, caplog):
    with caplog.at_level(logging.DEBUG):
        ask(port, "/nexiste-pas.html")
        ask(port, "/../secret.txt")
        ask(port, "/chapters/a.html")
    assert HOST not in caplog.text and "nexiste" not in caplog.text, caplog.text


def test_routes_added_beside_the_book_get_the_same_headers_and_a_framing_policy(book):
    class Light(SitePage):
        def get(self) -> None:
            self.finish("page légère")

    lms = {"Content-Security-Policy": "frame-ancestors 'self' https://lms.example.org"}  # no X-Frame-Options
    site = BookSite(root=book, frame_headers=lms)
    with in_thread(BookServer(make_app(site, [(r"/leger", Light)]), free_port())) as port:
        light = ask(port, "/leger")
        assert light.status == 200 and light.body.decode("utf-8") == "page légère"
        assert light.headers["content-security-policy"] == "frame-ancestors 'self' https://lms.example.org"
        assert "x-frame-options" not in light.headers and light.headers["x-content-type-options"] == "nosniff"
        assert ask(port, "/chapters/a.html").headers["content-security-policy"] == lms["Content-Security-Policy"]


def test_behind_a_proxy_prefix_only_the_prefix_serves_the_book(book):
    site = BookSite(root=book, prefix="/services/livre/", live_link=live_link_to("/hub/user-redirect/voila/render"))
    with in_thread(BookServer(make_app(site), free_port())) as port:
        page = ask(port, "/services/livre/chapters/a.html")
        assert page.status == 200 and b'href="/hub/user-redirect/voila/render/continuum.ipynb"' in page.body
        assert ask(port, "/chapters/a.html").status == 404
        home = ask(port, "/services/livre/nexiste-pas")
        assert home.status == 404 and 'href="/services/livre/"' in home.body.decode("utf-8")
