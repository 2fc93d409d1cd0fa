"""The book's web server: ``_build/html`` served by tornado's ``StaticFileHandler`` (installed with Jupyter).

Why not Python's ``http.server`` any more (issue 16): its documentation says it is not for
production, it sent every byte uncompressed and uncached, and it built the live-exercise links
from the request's ``Host`` header (a forged header then wrote someone else's address into the
page). What this server does, for ``make serve``, the JupyterHub service and the Kubernetes sidecar:

* **Links from configuration.** The book is built with the Voilà address of ``_config.yml``
  (``faire_avec_voila_url``); when Voilà runs elsewhere (``FAIRE_AVEC_VOILA_PORT``, or each hub
  participant's own Voilà), :class:`BookSite` says where, and HTML pages are served with that
  address instead. Nothing of the request is written into a page.
* **Compression** (gzip) for text, scripts, styles and SVG, each version of a file compressed once
  and kept in memory (:class:`CompressOnce`): the theme's 1.5 MB script costs 70 ms to compress, which
  a room of 30 arriving together would otherwise pay 30 times on a 2-core machine.
* **Cache headers** (:func:`cache_control`): files whose address carries their version (Sphinx's
  ``?v=…``, the theme's ``?digest=…``, a content hash in the name) are kept a year, never asked
  again; the theme's other files a day; pages and everything else are revalidated each time (a
  cheap ``304 Not Modified`` when unchanged, thanks to the ``ETag``), so a rebuilt book shows at once.
* **The headers a public page needs**, as before: no framing by another site, no MIME sniffing, no
  referrer to other sites; no directory listing; French error pages; no access log (no address is
  written anywhere).

:func:`make_app` takes extra handlers (placed before the book's files) so that other pages can be
served beside the book with the same headers: subclass :class:`SitePage`.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import os
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar, Protocol
from urllib.parse import urlparse, urlsplit

import tornado.httpserver
import tornado.httputil
import tornado.netutil
import tornado.web

from widgets import framing

from .compress import CompressOnce
from .settings import BOOK_DIR, HOST, voila_url

#: Kept a year and never asked again: the address changes when the content does.
CACHE_VERSIONED = "public, max-age=31536000, immutable"
#: The theme's own files asked without a version (fonts, icons): a day, then revalidated.
CACHE_THEME = "public, max-age=86400"
#: Pages and the rest: always revalidated (a 304 without body when unchanged).
CACHE_REVALIDATE = "no-cache"
VERSION_ARGUMENTS = ("v", "digest")  # Sphinx's ?v=<checksum>, pydata-sphinx-theme's ?digest=<hash>
HASHED_NAME = re.compile(r"\.[0-9a-f]{16,}\.[a-z0-9]+$")  # e.g. mystnb.<sha256>.css
MAX_BODY_BYTES = 64 * 1024  # the book takes no body: anything larger is refused before it is read


def cache_control(file_path: str, arguments: Mapping[str, Any]) -> str:
    """The ``Cache-Control`` of a served file (``file_path``: its path on disk)."""
    if file_path.endswith(".html"):
        return CACHE_REVALIDATE
    if any(name in arguments for name in VERSION_ARGUMENTS) or HASHED_NAME.search(file_path):
        return CACHE_VERSIONED
    if f"{os.sep}_static{os.sep}" in file_path:
        return CACHE_THEME
    return CACHE_REVALIDATE


#: Who may frame the book by default: the course's own pages only (the CSP says so; X-Frame-Options
#: for older browsers). A policy naming an LMS passes its own headers (:attr:`BookSite.frame_headers`).
SELF_ONLY_FRAMING: Mapping[str, str] = MappingProxyType(framing.SELF_ONLY)


def _self_only() -> Mapping[str, str]:
    return SELF_ONLY_FRAMING


@dataclass(frozen=True)
class BookSite:
    """What the book server serves and how its pages point elsewhere.

    ``live_link``: (the Voilà address written in the built pages, the one to serve instead), or None
    to serve the pages as built. ``prefix``: the path a proxy keeps in front (JupyterHub's
    ``/services/livre/``). ``frame_headers``: who may show the book in a frame (the
    ``Content-Security-Policy`` with its ``frame-ancestors``, and ``X-Frame-Options`` when it can
    say the same)."""

    root: Path = BOOK_DIR
    prefix: str = "/"
    live_link: tuple[str, str] | None = None
    frame_headers: Mapping[str, str] = field(default_factory=_self_only)

    def headers(self) -> dict[str, str]:
        """The protective headers of every answer, error pages included."""
        return {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", **self.frame_headers}


def live_link_to_port(port: int) -> tuple[str, str]:
    """The book's Voilà address, on the host written in ``_config.yml`` but another port."""
    written = voila_url().rstrip("/")
    parts = urlsplit(written)
    host = parts.hostname or HOST
    if ":" in host:
        host = f"[{host}]"
    return written, parts._replace(netloc=f"{host}:{port}").geturl()


def live_link_to(url: str) -> tuple[str, str]:
    """The book's Voilà address replaced by ``url`` (e.g. JupyterHub's ``/hub/user-redirect/voila/render``)."""
    return voila_url().rstrip("/"), url.rstrip("/")


@functools.lru_cache(maxsize=128)
def _rewritten(path: str, mtime_ns: int, size: int, written: str, served: str) -> bytes:
    """A page with its live-exercise links pointed at the running Voilà (cached per file version)."""
    return Path(path).read_bytes().replace(written.encode(), served.encode())


ERROR_PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>'
    "<body><h1>{title} (erreur {code})</h1>"
    '<p><a href="{home}">Revenir à l\'accueil du cours</a></p></body></html>'
)
ERROR_TITLES = {
    404: "Cette page n'existe pas",
    403: "Cette page n'est pas accessible",
    405: "Cette adresse ne sert qu'à lire des pages",
}


class SitePage(tornado.web.RequestHandler):
    """Any page of the book server: the site's protective headers, French error pages, no log line
    naming a visitor. Extra handlers given to :func:`make_app` subclass it."""

    @property
    def site(self) -> BookSite:
        site: BookSite = self.application.settings["book_site"]
        return site

    def set_default_headers(self) -> None:
        self.clear_header("Server")
        for name, value in self.site.headers().items():
            self.set_header(name, value)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        title = ERROR_TITLES.get(status_code, "Cette demande n'a pas abouti")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", CACHE_REVALIDATE)
        self.finish(ERROR_PAGE.format(title=title, code=status_code, home=self.site.prefix))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        # tornado's own message names the client's address: a 4xx needs no log at all, anything
        # else is logged without the request.
        if not isinstance(value, tornado.web.HTTPError):
            tornado.web.app_log.error("book server: %s", typ.__name__ if typ else "error", exc_info=(typ, value, tb))


class NotFound(SitePage):
    """Every address outside the book's prefix."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class BookFiles(SitePage, tornado.web.StaticFileHandler):
    """The built book's files (see the module docstring); ``site`` is set per application."""

    site_for_files: ClassVar[BookSite] = BookSite()

    @classmethod
    def _page(cls, abspath: str) -> bytes | None:
        """The page as served when its links must be rewritten; None to serve the file as is."""
        link = cls.site_for_files.live_link
        if link is None or not abspath.endswith(".html"):
            return None
        stat = os.stat(abspath)
        return _rewritten(abspath, stat.st_mtime_ns, stat.st_size, *link)

    @classmethod
    def get_content(cls, abspath: str, start: int | None = None, end: int | None = None) -> Any:
        page = cls._page(abspath)
        if page is None:
            return super().get_content(abspath, start, end)
        return page[start:end]

    def get_content_size(self) -> int:
        page = self._page(self.absolute_path or "")
        return len(page) if page is not None else super().get_content_size()

    def compute_etag(self) -> str | None:
        """From the file's modification time and size (and the link it is served with), not a hash
        of its content: free to compute, and a rebuilt book changes it at once (tornado's default
        hash is remembered per path for the server's lifetime)."""
        if self.absolute_path is None:
            return None
        stat = os.stat(self.absolute_path)
        tag = f"{stat.st_mtime_ns:x}-{stat.st_size:x}"
        if self._page(self.absolute_path) is not None and self.site_for_files.live_link is not None:
            tag += "-" + hashlib.sha256(self.site_for_files.live_link[1].encode()).hexdigest()[:8]
        return f'W/"{tag}"'  # weak: the gzipped and plain bodies share it

    def get_content_type(self) -> str:
        content_type = super().get_content_type()
        if content_type.startswith("text/") or content_type in ("application/javascript", "image/svg+xml"):
            return f"{content_type}; charset=utf-8"  # Sphinx writes UTF-8
        return content_type

    def get_cache_time(self, path: str, modified: datetime | None, mime_type: str) -> int:
        return 0  # Cache-Control is set by set_extra_headers (tornado's would be max-age only)

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", cache_control(self.absolute_path or "", self.request.arguments))


def _no_access_log(handler: tornado.web.RequestHandler) -> None:
    """No access log: it would write visitors' addresses."""


def make_app(site: BookSite, extra_handlers: Sequence[Any] = ()) -> tornado.web.Application:
    """The book server's application: ``extra_handlers`` (tornado rules, matched first), then the
    book's files under ``site.prefix``; anything else is a French 404."""
    prefix = "/" + site.prefix.strip("/") + "/" if site.prefix.strip("/") else "/"
    files = type("BookFiles", (BookFiles,), {"site_for_files": site})
    return tornado.web.Application(
        [
            *extra_handlers,
            (rf"{re.escape(prefix)}(.*)", files, {"path": str(site.root), "default_filename": "index.html"}),
        ],
        transforms=[CompressOnce],
        default_handler_class=NotFound,
        book_site=site,
        log_function=_no_access_log,
        serve_traceback=False,
    )


class BookServer:
    """The book server on a port, bound at once (``OSError`` if taken), run by :meth:`serve_forever`
    in the calling thread until :meth:`shutdown` (from another thread) or Ctrl-C.

    Why this shape (that of ``socketserver``): the launcher runs it in its main thread, the tests in
    a thread of their own; both stop it the same way."""

    def __init__(self, app: tornado.web.Application, port: int, host: str = HOST) -> None:
        self.app = app
        self._sockets = tornado.netutil.bind_sockets(port, address=host)
        self.server_address: tuple[str, int] = self._sockets[0].getsockname()[:2]
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._running = threading.Event()
        self._done = threading.Event()

    def serve_forever(self) -> None:
        try:
            asyncio.run(self._serve())
        finally:
            self._done.set()

    async def _serve(self) -> None:
        server = tornado.httpserver.HTTPServer(self.app, xheaders=False, max_body_size=MAX_BODY_BYTES)
        server.add_sockets(self._sockets)
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        self._running.set()
        try:
            await self._stopping.wait()
        finally:
            server.stop()
            await server.close_all_connections()

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop :meth:`serve_forever` running in another thread, and wait until it has."""
        if not self._running.wait(timeout) or self._loop is None or self._stopping is None:
            return
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._done.wait(timeout)

    def server_close(self) -> None:
        for sock in self._sockets:
            sock.close()


class Serving(Protocol):
    """What :class:`BookServer` and ``socketserver`` servers have in common."""

    server_address: Any

    def serve_forever(self) -> None: ...

    def shutdown(self) -> None: ...

    def server_close(self) -> None: ...


@contextmanager
def in_thread(server: Serving) -> Iterator[int]:
    """``server`` answering from a thread of this process while the block runs (tests, benchmarks);
    yields its port, then stops it and frees the port."""
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def book_server(port: int, voila_port: int | str | None = None, prefix: str = "/", host: str = HOST) -> BookServer:
    """The book on ``port``; with ``voila_port``, its live-exercise links point to that Voilà port
    (or, given a string, to that URL: behind JupyterHub, ``/hub/user-redirect/voila/render``);
    ``prefix`` is a path prefix the proxy in front keeps."""
    if voila_port is None:
        link = None
    elif isinstance(voila_port, int):
        link = live_link_to_port(voila_port)
    else:
        link = live_link_to(voila_port)
    # The framing policy is read (and a wrong FAIRE_AVEC_LMS_ORIGIN refused in French) before anything listens.
    site = BookSite(prefix=prefix, live_link=link, frame_headers=framing.from_environment())
    return BookServer(make_app(site, light_face_routes(site)), port, host)


def light_face_routes(site: BookSite) -> list[Any]:
    """The light face of the self-contained exercises (:mod:`widgets.leger`) at ``<prefix>leger/``, beside
    the book: a phone reads the chapter and does its exercise from the same server, with no kernel.
    Its pages offer the Voilà face at the address the book's own links use."""
    from widgets.leger import web as leger

    voila_base = site.live_link[1] if site.live_link else voila_url()
    return leger.routes("/" + (site.prefix.strip("/") + "/leger").lstrip("/"), voila_base)


def serve_book_for_hub() -> int:
    """The book as a JupyterHub service (``deploy/jupyterhub``): on the address the hub gives, its
    live-exercise links sent to each participant's own Voilà through the hub's user-redirect."""
    service = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    hub_prefix = os.environ.get("JUPYTERHUB_BASE_URL", "/").rstrip("/") + "/hub"
    # the address the hub gives (127.0.0.1 on one machine; 0.0.0.0 in a Kubernetes sidecar)
    host = service.hostname or HOST
    server = book_server(service.port or 80, f"{hub_prefix}/user-redirect/voila/render", prefix, host)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
