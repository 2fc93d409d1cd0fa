"""What Voilà sends a phone (widgets/voila_static.py): gzip from memory, a year of cache only for addresses
that name their content, the versioned address of Voilà's chunks, no plotly front-end without charts.

The handlers run in a real tornado server (a thread, a free port of 127.0.0.1) over temporary folders,
and are read through plain HTTP, as a browser reads them; the exercise views are imported in a fresh
Python to prove that the pages without plotly's front-end never need it.
"""

from __future__ import annotations

import asyncio
import gzip
import http.client
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import tornado.httpserver
import tornado.web
from jupyter_server.auth.identity import IdentityProvider

from widgets import voila_static
from widgets.data import REPO_ROOT
from widgets.serve import EXERCISES_DIR, free_port

VERSION = "0123456789abcdef"


@contextmanager
def running(app: tornado.web.Application) -> Iterator[int]:
    """``app`` on a free port of 127.0.0.1, in a thread with its own event loop."""
    port = free_port()
    ready = threading.Event()
    holder: dict = {}

    async def main() -> None:
        server = tornado.httpserver.HTTPServer(app)
        server.listen(port, "127.0.0.1")
        holder["stop"] = asyncio.Event()
        holder["loop"] = asyncio.get_running_loop()
        ready.set()
        await holder["stop"].wait()
        server.stop()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        yield port
    finally:
        holder["loop"].call_soon_threadsafe(holder["stop"].set)
        thread.join(10)


def get(port: int, target: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name.replace("_", "-"), value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.headers), response.read()
    finally:
        connection.close()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    static = tmp_path / "static"
    extensions = tmp_path / "labextensions" / "ext" / "static"
    static.mkdir()
    extensions.mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("SECRET-VOILA-STATIC", encoding="utf-8")
    (static / "7155.voila.js").write_text("const chunk = 1;\n" * 400, encoding="utf-8")
    (extensions / "84.09c61a35dce1705f.js").write_text("const hashed = 2;\n" * 400, encoding="utf-8")
    (extensions / "style.js").write_text("const plain = 3;\n" * 400, encoding="utf-8")
    return {"root": tmp_path, "static": static, "labextensions": tmp_path / "labextensions"}


def app(files: dict[str, Path], **switches: bool) -> tornado.web.Application:
    settings = {"compress": True, "long_cache": True} | switches
    return tornado.web.Application(
        [
            (
                r"/voila/static/(.*)",
                voila_static.CourseVoilaStaticHandler,
                {"paths": [str(files["static"])], "default_filename": "index.html"},
            ),
            (
                r"/voila/labextensions/(.*)",
                voila_static.CourseLabextensionsHandler,
                {"path": str(files["labextensions"]), "no_cache_paths": ["/"]},
            ),
        ],
        identity_provider=IdentityProvider(token=""),  # the extensions' handler is a Jupyter handler
        cookie_secret=b"test",
        faire_avec_compress=settings["compress"],
        faire_avec_long_cache=settings["long_cache"],
        faire_avec_static_version=VERSION,
    )


def test_static_files_are_gzipped_and_say_so(files):
    original = (files["static"] / "7155.voila.js").read_bytes()
    with running(app(files)) as port:
        status, headers, body = get(port, "/voila/static/7155.voila.js", Accept_Encoding="gzip, deflate")
        assert status == 200 and headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
        assert gzip.decompress(body) == original and len(body) < len(original) / 10
        assert int(headers["Content-Length"]) == len(body)
        # A browser that does not ask for gzip gets the file as it is.
        status, headers, body = get(port, "/voila/static/7155.voila.js")
        assert status == 200 and "Content-Encoding" not in headers and body == original
        # Switched off (what bench/bench_phone.py compares with): no gzip.
    with running(app(files, compress=False)) as port:
        status, headers, body = get(port, "/voila/static/7155.voila.js", Accept_Encoding="gzip")
        assert "Content-Encoding" not in headers and body == original


def test_a_year_of_cache_only_for_addresses_that_name_their_content(files):
    with running(app(files)) as port:
        versioned = get(port, f"/voila/static/v-{VERSION}/7155.voila.js", Accept_Encoding="gzip")
        plain = get(port, "/voila/static/7155.voila.js", Accept_Encoding="gzip")
        older = get(port, "/voila/static/v-ffffffffffffffff/7155.voila.js")
        hashed = get(port, "/voila/labextensions/ext/static/84.09c61a35dce1705f.js", Accept_Encoding="gzip")
        unhashed = get(port, "/voila/labextensions/ext/static/style.js", Accept_Encoding="gzip")
    assert versioned[1]["Cache-Control"] == voila_static.IMMUTABLE and versioned[0] == 200
    assert hashed[1]["Cache-Control"] == voila_static.IMMUTABLE and hashed[1]["Content-Encoding"] == "gzip"
    assert "immutable" not in plain[1].get("Cache-Control", "")
    assert unhashed[1]["Cache-Control"] == "no-cache"  # Voilà's own rule for the extensions stays
    # an address of another version still gets today's file, but is not kept for a year
    assert older[0] == 200 and "immutable" not in older[1].get("Cache-Control", "")
    with running(app(files, long_cache=False)) as port:
        _status, headers, _ = get(port, "/voila/labextensions/ext/static/84.09c61a35dce1705f.js")
    assert headers["Cache-Control"] == "no-cache"


def test_revalidation_uses_the_gzip_validator(files):
    with running(app(files)) as port:
        _, headers, _ = get(port, "/voila/static/7155.voila.js", Accept_Encoding="gzip")
        etag = headers["Etag"]
        assert etag.endswith('-gz"')
        status, _, body = get(port, "/voila/static/7155.voila.js", Accept_Encoding="gzip", If_None_Match=etag)
        assert status == 304 and body == b""


@pytest.mark.parametrize(
    "target",
    [
        "/voila/static/../secret.txt",
        "/voila/static/%2e%2e/secret.txt",
        f"/voila/static/v-{VERSION}/../secret.txt",
        f"/voila/static/v-{VERSION}/%2e%2e/secret.txt",
        "/voila/labextensions/../secret.txt",
        "/voila/labextensions/%2e%2e/secret.txt",
    ],
)
def test_no_file_outside_the_folders_even_gzipped(files, target):
    with running(app(files)) as port:
        for encoding in ("gzip", "identity"):
            status, headers, body = get(port, target, Accept_Encoding=encoding)
            text = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
            assert status in (403, 404) and b"SECRET-VOILA-STATIC" not in text, (target, status)


def test_page_config_versions_voila_chunks_and_leaves_plotly_out_without_charts():
    settings = {"faire_avec_long_cache": True, "faire_avec_trim_extensions": True, "faire_avec_static_version": VERSION}
    extensions = [{"name": "anywidget"}, {"name": voila_static.PLOTLY_EXTENSION}, {"name": "@jupyter-widgets/x"}]

    def config(notebook: str, **changes: bool) -> dict:
        page = {"fullStaticUrl": "/voila/static", "federated_extensions": list(extensions)}
        return voila_static.page_config_hook(
            page,
            settings=settings | {f"faire_avec_{k}": v for k, v in changes.items()},
            base_url="/",
            notebook_path=notebook,
        )

    quiz = config("autoeval-pairite.ipynb")
    assert quiz["fullStaticUrl"] == f"/voila/static/v-{VERSION}"
    assert [e["name"] for e in quiz["federated_extensions"]] == ["anywidget", "@jupyter-widgets/x"]
    assert voila_static.PLOTLY_EXTENSION in [e["name"] for e in config("continuum.ipynb")["federated_extensions"]]
    untrimmed = config("autoeval-pairite.ipynb", trim_extensions=False, long_cache=False)
    assert untrimmed["federated_extensions"] == extensions and untrimmed["fullStaticUrl"] == "/voila/static"


def test_the_chart_free_exercises_exist_and_their_views_never_import_plotly():
    chart_free = sorted(p.name for p in EXERCISES_DIR.glob("*.ipynb") if voila_static.chart_free(p.name))
    assert "planificateur.ipynb" in chart_free and len([n for n in chart_free if n.startswith("autoeval-")]) >= 7
    assert not voila_static.chart_free("continuum.ipynb") and not voila_static.chart_free("remuneration.ipynb")
    # What their notebooks call (widgets.quiz.show, widgets.kit.show), built in a fresh Python: no plotly.
    sources = {p.name: p.read_text(encoding="utf-8") for p in EXERCISES_DIR.glob("*.ipynb") if p.name in chart_free}
    assert all("quiz.show" in s or "kit.show" in s for s in sources.values()), sorted(sources)
    code = (
        "import sys\n"
        "from widgets.quiz.view import QuizView\n"
        "from widgets.kit.planner.view import PlannerView\n"
        "from widgets.kit.content import load_tools\n"
        "from widgets.kit.chapters import load_chapters\n"
        "QuizView('pairite'); PlannerView(load_tools(), load_chapters())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'plotly'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]", result.stdout
