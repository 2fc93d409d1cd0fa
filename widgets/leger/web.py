"""The light face on the web: its addresses, headers and compression, for whichever server carries it.

Why one function, :func:`respond`, and two thin adapters: the book is served today by the standard
library's ``http.server`` (``widgets/serve.py``, also behind JupyterHub), and is being moved to a
tornado application. The light face has to live at the book's address (its links are relative, a
phone sees one site), so :func:`respond` knows nothing of either server: it takes an address and
returns a status, headers and bytes. :func:`routes` mounts it on any tornado application (and
:func:`make_app` runs it alone: ``python -m widgets.leger``); ``widgets/serve.py`` calls it from the
book's handler in a few lines.

Addresses, below ``/leger``: ``/`` lists the exercises, ``/<exercise>`` is an exercise (its answers in
the query), ``/pret/bilan`` the printable review, ``/static/<file>?v=<hash>`` the two stylesheets and
the script (cached for a year: the address changes with the content). Anything else is a French 404.
Pages are gzipped when the browser accepts it, carry a strict Content-Security-Policy (scripts and
styles from this server only, forms sent to it only), and nothing is logged.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import logging
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from widgets.data import REPO_ROOT, DataFileError
from widgets.errors import InputError
from widgets.leger import exercises, find, pages

PREFIX = "/leger"
STATIC_DIR = Path(__file__).parent / "static"
#: The course's own stylesheet (the book and the Voilà face load it too): one look everywhere.
COURSE_CSS = (
    REPO_ROOT / "widgets" / "voila_templates" / "voila" / "templates" / "faire-avec" / "static" / "faire-avec.css"
)
STATIC_FILES = {
    "faire-avec.css": COURSE_CSS,
    "leger.css": STATIC_DIR / "leger.css",
    "leger.js": STATIC_DIR / "leger.js",
}
MAX_QUERY = 4096  # a self-check with every box ticked needs about 400 characters
MIN_GZIP = 1024
IMMUTABLE = "public, max-age=31536000, immutable"
NOT_FOUND = "Cette page n'existe pas. La liste des exercices en version légère est à l'adresse « leger/ » du cours."
UNEXPECTED = "Un problème inattendu est survenu. Rechargez la page ; si cela se répète, prévenez la personne qui anime."

log = logging.getLogger("faire_avec.leger")


@dataclass(frozen=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    gzipped: bytes
    version: str
    content_type: str


@cache
def static_file(name: str) -> StaticFile:
    """One of :data:`STATIC_FILES`, read and compressed once per server start."""
    body = STATIC_FILES[name].read_bytes()
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return StaticFile(
        body,
        gzip.compress(body, mtime=0),
        hashlib.sha256(body).hexdigest()[:12],
        f"{kind}; charset=utf-8",
    )


def static_links() -> dict[str, str]:
    """Each static file's address, relative to a page of the light face (all are one level below it)."""
    return {name: f"static/{name}?v={static_file(name).version}" for name in STATIC_FILES}


def content_security_policy() -> str:
    digest = base64.b64encode(hashlib.sha256(pages.RESTORE_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; script-src 'self' 'sha256-{digest}'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
    )


REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
COMMON_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Vary", "Accept-Encoding"),
)


def _encoded(body: bytes, accept_encoding: str) -> tuple[bytes, tuple[tuple[str, str], ...]]:
    if "gzip" in accept_encoding and len(body) >= MIN_GZIP:
        return gzip.compress(body, compresslevel=6, mtime=0), (("Content-Encoding", "gzip"),)
    return body, ()


def html_response(page: pages.Page, accept_encoding: str, policy: str | None = None) -> Response:
    body, encoding = _encoded(page.html.encode("utf-8"), accept_encoding)
    headers = (
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-cache"),
        ("Content-Security-Policy", policy or content_security_policy()),
        *COMMON_HEADERS,
        *encoding,
        *page.headers.items(),
    )
    return Response(page.status, headers, body)


def static_response(name: str, query: dict[str, list[str]], accept_encoding: str) -> Response:
    found = static_file(name)
    body = found.gzipped if "gzip" in accept_encoding else found.body
    versioned = query.get("v") == [found.version]
    headers = (
        ("Content-Type", found.content_type),
        ("Content-Length", str(len(body))),
        ("Cache-Control", IMMUTABLE if versioned else "no-cache"),
        *COMMON_HEADERS,
        *((("Content-Encoding", "gzip"),) if body is found.gzipped else ()),
    )
    return Response(200, headers, body)


def under_prefix(path: str, prefix: str = PREFIX) -> str | None:
    """The part of ``path`` below the light face's ``prefix`` ("" for the prefix itself), or None."""
    if path == prefix or path.startswith(prefix + "/"):
        return path[len(prefix) :]
    return None


def respond(
    target: str, accept_encoding: str = "", voila_base: str = "", today: date | None = None, home: str = pages.HOME
) -> Response | None:
    """The answer to ``target`` (a path and its query, without any site prefix), or None when the
    address is not the light face's. ``voila_base`` is Voilà's ``…/voila/render`` address, for the
    link to the other face ("" offers none); ``home`` names the footer's link to the site's home."""
    parts = urlsplit(target)
    rest = under_prefix(parts.path)
    if rest is None:
        return None
    links = pages.Links(static_links(), home=home)
    if len(parts.query) > MAX_QUERY:
        text = "L'adresse de cette page est trop longue. Revenez à l'exercice depuis le cours."
        return html_response(pages.error_page(414, "Adresse trop longue", text, links), accept_encoding)
    query = parse_qs(parts.query, keep_blank_values=True)
    try:
        return _route(rest, query, accept_encoding, voila_base, today or date.today(), links)
    except (DataFileError, InputError) as error:  # a data file a trainer broke: said in French, named
        page = pages.error_page(500, "L'exercice ne peut pas s'ouvrir", str(error), links)
        return html_response(page, accept_encoding)
    except Exception:  # logged here; the learner reads a French sentence, never a traceback
        log.exception("Erreur inattendue sur %s", parts.path)
        return html_response(pages.error_page(500, "Oups", UNEXPECTED, links), accept_encoding)


def _route(
    rest: str, query: dict[str, list[str]], accept_encoding: str, voila_base: str, today: date, links: pages.Links
) -> Response:
    if rest == "":  # « /leger » → « /leger/ », so that the page's relative links work
        return Response(301, (("Location", f"{PREFIX.rsplit('/', 1)[-1]}/"), *COMMON_HEADERS), b"")
    name = rest.removeprefix("/")
    if name == "":
        return html_response(pages.index_page(exercises(), links), accept_encoding)
    if name.startswith("static/") and name.removeprefix("static/") in STATIC_FILES:
        return static_response(name.removeprefix("static/"), query, accept_encoding)
    if name == "pret/bilan" and find("pret") is not None:
        return html_response(pages.pret_report(query, today), accept_encoding, REPORT_POLICY)
    exercise = find(name)
    if exercise is None:
        return html_response(pages.error_page(404, "Page introuvable", NOT_FOUND, links), accept_encoding)
    voila = f"{voila_base.rstrip('/')}/{exercise.name}.ipynb" if voila_base else ""
    page = pages.exercise_page(exercise, query, pages.Links(links.static, voila, links.home))
    return html_response(page, accept_encoding)


# ------------------------------------------------------------------------------------------ tornado
def routes(prefix: str = PREFIX, voila_base: str | Callable[[Any], str] = "", home: str = pages.HOME) -> list[Any]:
    """URL specs that mount the light face at ``prefix`` on a tornado application (the book's, or the
    group mode's). ``voila_base``: Voilà's ``…/voila/render`` address, or a function of the request
    that gives it (Voilà beside the book, on the host the browser used); ``home``: see :func:`respond`."""
    import tornado.web

    class LightHandler(tornado.web.RequestHandler):
        def _answer(self, include_body: bool) -> None:
            base = voila_base(self.request) if callable(voila_base) else voila_base
            path = PREFIX + self.request.path[len(prefix) :]
            target = f"{path}?{self.request.query}" if self.request.query else path
            response = respond(target, self.request.headers.get("Accept-Encoding", ""), base, home=home)
            if response is None:  # not reached: the route only matches the prefix
                raise tornado.web.HTTPError(404)
            self.clear()
            self.set_status(response.status)
            for header, value in response.headers:
                self.set_header(header, value)
            if include_body and response.body:
                self.write(response.body)
            self.finish()

        def get(self, *_parts: str) -> None:
            self._answer(include_body=True)

        def head(self, *_parts: str) -> None:
            self._answer(include_body=False)

        def _request_summary(self) -> str:  # tornado's version adds the client's address
            return f"{self.request.method} {self.request.path}"

    return [tornado.web.url(rf"{prefix}(/.*)?", LightHandler)]


def make_app(voila_base: str = "") -> Any:
    """The light face alone (``python -m widgets.leger``): a tornado application with no access log."""
    import tornado.web

    return tornado.web.Application(
        [*routes(PREFIX, voila_base), (r"/", tornado.web.RedirectHandler, {"url": f"{PREFIX}/"})],
        log_function=lambda _handler: None,
        serve_traceback=False,
    )
