"""Printing HTML to PDF with Debian's Chromium through Playwright (``page.pdf()``), offline.

Why Chromium: it is already what the browser tests drive, it prints the book's own pages with their
fonts and tables, and ``page.pdf()`` needs no other program. Every page is loaded with network
requests outside ``127.0.0.1`` (and ``file:`` for the built book) refused, so a PDF can never depend
on, or leak to, the outside world.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Playwright is imported when a print starts, not when the kit is imported
    from playwright.sync_api import Browser, Page, PdfMargins, Route

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
A4_MARGINS: PdfMargins = {"top": "12mm", "bottom": "14mm", "left": "12mm", "right": "12mm"}
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#444;font-family:DejaVu Sans,Arial,sans-serif">'
    '{title} — page <span class="pageNumber"></span> sur <span class="totalPages"></span></div>'
)


class PrintError(RuntimeError):
    """Printing cannot be done; the message is French and says what to install or build."""


@contextmanager
def browser() -> Iterator[Browser]:
    """A headless Chromium for a batch of prints (start it once: it takes a few seconds)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - playwright is in requirements.txt
        raise PrintError("Playwright manque : lancez « make install ».") from error
    if not Path(CHROMIUM).exists():
        raise PrintError(f"Chromium est introuvable ({CHROMIUM}) : installez le paquet Debian « chromium ».")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _offline(route: Route) -> None:
    url = route.request.url
    if url.startswith(("file:", "data:", "about:", "http://127.0.0.1", "http://localhost")):
        route.continue_()
    else:
        route.abort()


def print_page(
    chromium: Browser,
    out: Path,
    *,
    html: str | None = None,
    url: str | None = None,
    title: str = "",
    prepare: Callable[[Page], None] | None = None,
    footer: bool = True,
) -> Path:
    """Print ``html`` (a whole document) or the page at ``url`` to ``out`` (A4, backgrounds kept).

    ``prepare(page)`` runs before printing (e.g. to add a print stylesheet or open the answer keys).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1100, "height": 1400})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.route("**/*", _offline)
        if url is not None:
            page.goto(url, wait_until="load")
        else:
            page.set_content(html or "", wait_until="load")
        if prepare is not None:
            prepare(page)
        page.emulate_media(media="print")
        page.pdf(
            path=str(out),
            format="A4",
            print_background=True,
            margin=A4_MARGINS if footer else {"top": "0", "bottom": "0", "left": "0", "right": "0"},
            display_header_footer=footer,
            header_template="<div></div>",
            footer_template=FOOTER.format(title=title.replace("<", "&lt;")) if footer else "<div></div>",
            prefer_css_page_size=not footer,
        )
    finally:
        context.close()
    return out
