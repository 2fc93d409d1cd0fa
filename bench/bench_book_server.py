"""Bytes a reader's browser downloads from the book server: Python's ``http.server`` (what ``make serve``
used before issue 16) against the course's tornado server (gzip and cache headers). Prints figures,
tests nothing.

    .venv/bin/python bench/bench_book_server.py [--chapter 04-remunerer]

Both servers serve the same built book (``_build/html``, built by ``make book``) on free ports of
127.0.0.1, measured in the same run. Debian's Chromium (Playwright) opens, in one browser context,
as one reader does:

1. the home page (``/``, which leads to ``chapters/accueil.html``) with an empty cache;
2. then a chapter (its styles and scripts are mostly those of the home page);
3. then the home page again (a return visit, e.g. the next session of the training day).

For each step: the bytes received (bodies as they travelled, compressed or not, plus headers, as
Chromium counts them), the number of requests, and how many were answered ``304 Not Modified`` or
from the browser's cache without asking. A last line opens the chapter alone in a fresh context
(a phone arriving straight on it from a link).
"""

from __future__ import annotations

import argparse
import functools
import http.client
import platform
import sys
import time
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import Browser, Page, Request, sync_playwright  # noqa: E402

from widgets import serve  # noqa: E402
from widgets.serve.book_server import in_thread  # noqa: E402
from widgets.serve.compress import CompressOnce  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@dataclass
class Visit:
    received: int = 0  # bytes: headers + bodies as transferred
    requests: int = 0
    revalidated: int = 0  # 304
    from_cache: int = 0  # served by the browser's cache, no request on the network


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser that drops a connection (e.g. the missing favicon.ico) is not news here


def old_server() -> QuietServer:
    """``http.server`` as ``make serve`` ran it before: no compression, no Cache-Control."""
    return QuietServer((serve.HOST, serve.free_port()), functools.partial(Quiet, directory=str(serve.BOOK_DIR)))


def new_server() -> serve.BookServer:
    return serve.book_server(serve.free_port(), serve.free_port())


def visit(page: Page, url: str) -> Visit:
    """Open ``url`` and wait until the network is idle; count what the browser received."""
    seen = Visit()
    finished: list[Request] = []

    def record(request: Request) -> None:
        finished.append(request)

    page.on("requestfinished", record)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("requestfinished", record)
    for request in finished:
        response = request.response()
        if response is None:
            continue
        seen.requests += 1
        sizes = request.sizes()
        if sizes["responseBodySize"] < 0:  # Chromium's mark of an answer from its cache: nothing travelled
            seen.from_cache += 1
            continue
        if response.status == 304 or sizes["responseBodySize"] == 0:  # revalidated (a page's 304 shows as 200)
            seen.revalidated += 1
        seen.received += sizes["responseBodySize"] + max(0, sizes["responseHeadersSize"])
    return seen


def measure(port: int, chapter: str, browser: Browser) -> dict[str, Visit]:
    base = f"http://{serve.HOST}:{port}"
    results = {}
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    results["accueil (premier passage)"] = visit(page, f"{base}/")
    results[f"puis le chapitre {chapter}"] = visit(page, f"{base}/chapters/{chapter}.html")
    results["puis l'accueil à nouveau"] = visit(page, f"{base}/")
    context.close()
    context = browser.new_context(locale="fr-FR")
    results[f"{chapter} seul (premier passage)"] = visit(context.new_page(), f"{base}/chapters/{chapter}.html")
    context.close()
    return results


def gzip_cost(port: int, path: str = "/_static/scripts/fontawesome.js") -> tuple[float, float, int, int]:
    """Seconds to answer the theme's biggest script compressed, first (compressed now) then again
    (compressed body kept in memory); its size on disk and compressed."""
    CompressOnce.clear()
    times, sizes = [], []
    for _ in range(2):
        connection = http.client.HTTPConnection(serve.HOST, port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", f"{path}?v=bench", headers={"Accept-Encoding": "gzip"})
        body = connection.getresponse().read()
        times.append(time.perf_counter() - started)
        sizes.append(len(body))
        connection.close()
    return times[0], times[1], (serve.BOOK_DIR / path.lstrip("/")).stat().st_size, sizes[1]


def kilobytes(count: int) -> str:
    return f"{count / 1024:,.1f}".replace(",", " ").replace(".", ",") + " Ko"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapter", default="04-remunerer", help="chapitre mesuré (nom sans .html)")
    args = parser.parse_args(argv)
    if not (serve.BOOK_DIR / "chapters" / f"{args.chapter}.html").exists():
        print("Le livre n'est pas construit (ou ce chapitre n'existe pas) : lancez « make book ».", file=sys.stderr)
        return 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with in_thread(old_server()) as port:
            before = measure(port, args.chapter, browser)
        with in_thread(new_server()) as port:
            after = measure(port, args.chapter, browser)
            first, again, size, compressed = gzip_cost(port)
        browser.close()
    print(f"Machine : {platform.machine()}, Python {platform.python_version()}, Chromium headless")
    print(f"{'':38} {'http.server':>14} {'tornado':>14} {'rapport':>8}   requêtes (304 / cache) avant → après")
    for step, old in before.items():
        new = after[step]
        ratio = f"{old.received / new.received:.1f}×".replace(".", ",") if old.received and new.received else "—"
        print(
            f"{step:38} {kilobytes(old.received):>14} {kilobytes(new.received):>14} {ratio:>8}   "
            f"{old.requests} ({old.revalidated} / {old.from_cache}) → {new.requests} ({new.revalidated} / {new.from_cache})"
        )
    print(
        f"gzip de fontawesome.js ({kilobytes(size)} → {kilobytes(compressed)}) : "
        f"{first * 1000:.0f} ms la première fois, {again * 1000:.0f} ms ensuite (gardé en mémoire)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
