"""What Voilà sends a phone, made lighter: gzip, long-lived caching, and only the front-end an exercise uses.

Measured on a phone profile (``bench/bench_phone.py``; figures in ``bench/README.md``): Voilà 0.5 sends
about 10 MB of JavaScript per exercise page, uncompressed, and asks again for most of it on every
visit. Three steps, each with a switch on :class:`widgets.voila_app.CourseVoila` so that the bench
can measure what each one gains:

* **gzip** (``--CourseVoila.compress``): static files (Voilà's, the extensions', the template's) are
  compressed once, in a thread, and kept in memory (about 3 MB), so thirty phones arriving together
  cost the server one compression per file, not thirty; everything else (the page, the API) goes
  through tornado's ``compress_response``. JavaScript shrinks about fourfold.
* **long-lived cache** (``--CourseVoila.long_cache``): a file whose address changes with its content
  is marked ``immutable`` for a year, so a second exercise (or a reload) asks the server nothing
  for it. That holds for the extensions' files (webpack puts a content hash in their names), the
  template's files (``?v=<hash>``) and Voilà's own chunks, whose names carry no hash: the page is
  told to load them from ``/voila/static/v-<version>/``, a prefix that changes whenever Voilà's
  files change, and this handler serves that prefix from the same directory.
* **only what the exercise uses** (``--CourseVoila.trim_extensions``): plotly's front-end (4.8 MB,
  the heaviest part of the page) is left out of the exercises that never draw a chart
  (:data:`CHART_FREE`: the self-checks and the session planner).
"""

from __future__ import annotations

import asyncio
import fnmatch
import functools
import gzip
import hashlib
import os
import re
from pathlib import PurePosixPath
from typing import Any

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join
from tornado import web
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler

IMMUTABLE = "public, max-age=31536000, immutable"
# webpack's content hash in a file name (« 84.09c61a35dce1705f.js », « remoteEntry.698dcaf7.js »)
HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.[a-z0-9]+$")
COMPRESSIBLE = frozenset({".js", ".mjs", ".css", ".json", ".svg", ".html", ".txt", ".map", ".ttf", ".eot"})
GZIP_LEVEL = 6  # level 9 saves 0.3 % on plotly's 4.8 MB for more CPU
PLOTLY_EXTENSION = "jupyterlab-plotly"
#: Exercises that draw no chart: their page does not load plotly's front-end.
#: ``tests/unit/test_voila_static.py`` checks that their views never import plotly.
CHART_FREE = ("autoeval-*.ipynb", "planificateur.ipynb")
VERSION_PREFIX = "v-"


@functools.lru_cache(maxsize=1024)
def _gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    """A file's gzip encoding, computed once per file version (``mtime_ns`` and ``size`` key it)."""
    with open(path, "rb") as file:
        return gzip.compress(file.read(), compresslevel=GZIP_LEVEL, mtime=0)


def static_version(paths: list[str]) -> str:
    """A short fingerprint of Voilà's static files (names, sizes, dates): it changes when they change."""
    digest = hashlib.sha256()
    for root in paths:
        for folder, _dirs, files in sorted(os.walk(root)):
            for name in sorted(files):
                path = os.path.join(folder, name)
                stat = os.stat(path)
                digest.update(f"{os.path.relpath(path, root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def chart_free(notebook_path: str) -> bool:
    name = PurePosixPath(notebook_path.replace(os.sep, "/")).name
    return any(fnmatch.fnmatch(name, pattern) for pattern in CHART_FREE)


def page_config_hook(page_config: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Voilà's ``page_config_hook``: the versioned address of Voilà's chunks, and plotly's front-end
    only where a chart can appear. The switches come from the application's settings."""
    settings = kwargs.get("settings") or {}
    base_url = kwargs.get("base_url") or "/"
    version = settings.get("faire_avec_static_version")
    if settings.get("faire_avec_long_cache") and version:
        page_config["fullStaticUrl"] = url_path_join(base_url, "voila/static", f"{VERSION_PREFIX}{version}")
    if settings.get("faire_avec_trim_extensions") and chart_free(str(kwargs.get("notebook_path") or "")):
        page_config["federated_extensions"] = [
            extension
            for extension in page_config.get("federated_extensions", [])
            if extension.get("name") != PLOTLY_EXTENSION
        ]
    return page_config


class CourseStaticFiles(web.StaticFileHandler):
    """Static files, gzipped from memory and cached for a year when their address names their content."""

    def immutable(self) -> bool:
        """True when this address can never serve other bytes: ``?v=<hash>`` or a hashed file name."""
        return "v" in self.request.arguments or bool(HASHED_NAME.search(self.request.path))

    def set_headers(self) -> None:
        super().set_headers()
        if self.settings.get("faire_avec_long_cache") and self.immutable():
            self.set_header("Cache-Control", IMMUTABLE)
        self.set_header("Vary", "Accept-Encoding")

    def _gzip_wanted(self, path: str) -> bool:
        return (
            bool(self.settings.get("faire_avec_compress"))
            and "gzip" in self.request.headers.get("Accept-Encoding", "")
            and "Range" not in self.request.headers
            and os.path.splitext(path)[1].lower() in COMPRESSIBLE
        )

    async def get(self, path: str, include_body: bool = True) -> None:
        if not self._gzip_wanted(path):
            await super().get(path, include_body)
            return
        self.path = self.parse_url_path(path)
        found = self.get_absolute_path(self.root, self.path)  # may move self.root (MultiStaticFileHandler)
        absolute = self.validate_absolute_path(self.root, found)
        if absolute is None:
            return
        self.absolute_path = absolute
        self.modified = self.get_modified_time()
        self.set_headers()
        etag = self._headers.get("Etag")
        if etag:  # one validator per encoding, as HTTP asks
            self.set_header("Etag", etag.rstrip('"') + '-gz"')
        if self.should_return_304():
            self.set_status(304)
            return
        stat = os.stat(absolute)
        # In a thread: plotly's 4.8 MB take about a second the first time, and the server's loop
        # keeps serving the kernels' messages meanwhile.
        body = await asyncio.get_running_loop().run_in_executor(
            None, _gzipped, absolute, stat.st_mtime_ns, stat.st_size
        )
        self.set_header("Content-Encoding", "gzip")
        self.set_header("Content-Length", len(body))
        self.clear_header("Accept-Ranges")
        if include_body:
            self.write(body)


class CourseVoilaStaticHandler(CourseStaticFiles, MultiStaticFileHandler):
    """Voilà's own front-end (``/voila/static/``), also under ``/voila/static/v-<version>/`` (see above)."""

    def parse_url_path(self, url_path: str) -> str:
        first, _, rest = url_path.partition("/")
        self.faire_avec_versioned = first == f"{VERSION_PREFIX}{self.settings.get('faire_avec_static_version')}"
        if first.startswith(VERSION_PREFIX) and rest:
            url_path = rest  # an older version's address still gets today's file, without the long cache
        return super().parse_url_path(url_path)

    def immutable(self) -> bool:
        return getattr(self, "faire_avec_versioned", False) or super().immutable()


class CourseLabextensionsHandler(CourseStaticFiles, FileFindHandler):
    """The front-end extensions (``/voila/labextensions/``): Voilà marks them all ``no-cache``."""

    @allow_unauthenticated  # as jupyter_server's own handler: the files of every page, before any login
    async def get(self, path: str, include_body: bool = True) -> None:
        await super().get(path, include_body)


class CourseTemplateStaticHandler(CourseStaticFiles, TemplateStaticFileHandler):
    """The template's files (``/voila/templates/<template>/static/<file>``): an address of another shape
    made Voilà's handler crash (500, English page); here it is a plain 404."""

    SHAPE = re.compile(r"[A-Za-z0-9_-]+/static/[^\\]+")

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")

    def parse_url_path(self, url_path: str) -> str:
        if not self.SHAPE.fullmatch(url_path):
            raise web.HTTPError(404)
        return super().parse_url_path(url_path)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"Fichier introuvable (erreur {status_code}).")


REPLACEMENTS: dict[type, type] = {
    MultiStaticFileHandler: CourseVoilaStaticHandler,
    FileFindHandler: CourseLabextensionsHandler,
    TemplateStaticFileHandler: CourseTemplateStaticHandler,
}
