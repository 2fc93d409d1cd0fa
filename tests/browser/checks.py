"""What a person sees, measured in the browser: shared by the browser tests.

Each helper returns a list of French-free, maintainer-readable problems (empty when all is well), so
that a test can gather every problem of a page before failing, and the report says what to fix:

* :func:`overlaps` — two visible boxes (a line of text, a control, a chart label) drawn over each
  other, or a box cut by the right edge of the screen;
* :func:`plot_widths` — plot areas narrower than a phone allows;
* :func:`chart_text_sizes` — the size at which each chart text is drawn on the screen;
* :func:`axe_problems` — axe-core (axe-playwright-python, served from the package: no network);
* :func:`tab_walk` / :func:`tab_problems` — Tab order and a visible focus ring (≥ 3:1) on each stop;
* :class:`RequestLog` — every request the page makes, and those that leave 127.0.0.1.

And the waits the tests share, each on something the page shows (never a fixed pause, which is too
short on a loaded machine and time lost on a quiet one):

* :func:`widgets_ready` — an exercise's cells have run and every widget is drawn;
* :func:`settle` — the layout (boxes, charts redrawn to their width) has stopped moving;
* :func:`wait_for_storage_change`, :func:`wait_for_stored_text`, :func:`wait_for_storage` — an answer
  has reached the browser's memory (``localStorage``), or has been erased from it;
* :class:`WidgetEchoes` — the kernel has received a value the page sent (ipywidgets' echo);
* :func:`after_announcements` — the template's live region has read (or skipped) the cards shown.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

WIDTHS = {"phone": (360, 740), "laptop": (1280, 800), "projector": (1920, 1080)}
MIN_PLOT_WIDTH_PHONE = 280  # px: below this a chart on a phone cannot be read

# Moderate « region »/« heading-order » findings that are understood: (rule, part of the element's
# selector, why). Any other finding of these rules fails the test.
EXPLAINED_MODERATE: tuple[tuple[str, str, str], ...] = ()
STRICT_MODERATE_RULES = ("region", "heading-order")


def _explained(rule: str, target: str) -> bool:
    return any(rule == known and part in target for known, part, _why in EXPLAINED_MODERATE)


_axe = Axe()

OVERLAP_JS = r"""
(rootSelector) => {
  const root = document.querySelector(rootSelector) || document.body;
  const vw = document.documentElement.clientWidth;
  const items = [];
  const shown = (el) => {
    if (!el || !el.isConnected) return false;
    if (el.closest('.fa-visually-hidden, [hidden], script, style, noscript')) return false;
    // checkVisibility: false inside a closed <details> (its content is laid out but not drawn)
    if (el.checkVisibility && !el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true })) return false;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.opacity || '1') <= 0.05) return false;
    // clipped to nothing: the « visually hidden » pattern (read by screen readers, not drawn)
    for (let p = el; p && p !== root; p = p.parentElement) {
      const c = getComputedStyle(p);
      if (c.clipPath.includes('inset(50%)') || c.clip === 'rect(0px, 0px, 0px, 0px)') return false;
    }
    return true;
  };
  const label = (el, text) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/)[0] : ''} « ${text.slice(0, 50)} »`;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\s+/g, ' ').trim();
    const el = node.parentElement;
    if (!text || !shown(el) || el.closest('svg, button, select, option, textarea')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width >= 1 && r.height >= 1) items.push({ el, r, what: label(el, text) });
    }
  }
  const controls = 'button, input:not([type=hidden]), select, textarea, summary, [role=slider], .noUi-handle';
  for (const el of root.querySelectorAll(controls)) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width >= 1 && r.height >= 1) {
      items.push({ el, r, what: label(el, (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim()) });
    }
  }
  for (const el of root.querySelectorAll('.js-plotly-plot svg text')) {
    const text = el.textContent.replace(/\s+/g, ' ').trim();
    if (!text || !shown(el)) continue;
    for (const r of el.getClientRects()) {
      if (r.width >= 1 && r.height >= 1) items.push({ el, r, what: 'chart ' + label(el, text) });
    }
  }
  const problems = [];
  items.sort((a, b) => a.r.top - b.r.top);
  for (let i = 0; i < items.length; i += 1) {
    const a = items[i];
    for (let j = i + 1; j < items.length; j += 1) {
      const b = items[j];
      if (b.r.top >= a.r.bottom) break;
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const ix = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const iy = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (ix > 2 && iy > 3) problems.push(`overlap: ${a.what} and ${b.what} (${Math.round(ix)}×${Math.round(iy)} px)`);
    }
  }
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.scrollWidth > p.clientWidth + 1 && p.id !== 'rendered_cells') return true;
    }
    return false;
  };
  for (const el of root.querySelectorAll('*')) {
    if (!shown(el) || el.closest('svg') || el.tagName === 'SELECT' || el.tagName === 'OPTION') continue;
    const s = getComputedStyle(el);
    if (s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.innerText.trim()) {
      problems.push(`text cut with « … »: ${label(el, el.innerText.replace(/\s+/g, ' ').trim())}`);
    }
  }
  for (const it of items) {
    if ((it.r.right > vw + 1 || it.r.left < -1) && !scrolls(it.el)) {
      problems.push(`cut by the screen edge (${Math.round(it.r.left)}–${Math.round(it.r.right)} px of ${vw}): ${it.what}`);
    }
  }
  return [...new Set(problems)];
}
"""

PLOT_WIDTHS_JS = r"""
() => [...document.querySelectorAll('.js-plotly-plot .nsewdrag')].map(el => Math.round(el.getBoundingClientRect().width))
"""

FOCUS_JS = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const box = el.closest('.fa-choice') && el.classList.contains('fa-choice-input') ? el.closest('.fa-choice') : el;
  const parse = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (node) => {
    for (let p = node.parentElement; p; p = p.parentElement) {
      const c = parse(getComputedStyle(p).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c;
    }
    return [255, 255, 255];
  };
  const s = getComputedStyle(box);
  const width = s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth || '0');
  const ring = parse(s.outlineColor);
  const bg = background(box);
  const l1 = lum(ring.slice(0, 3)), l2 = lum(bg.slice(0, 3));
  const contrast = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  const r = el.getBoundingClientRect();
  const scroller = document.getElementById('rendered_cells');
  // The ring drawn around the box (outline width + offset): is a side of it cut by an ancestor that
  // hides what overflows it (Lumino gives every widget « overflow: hidden »)?
  const reach = width + (s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineOffset || '0'));
  const b = box.getBoundingClientRect();
  const drawn = { left: b.left - reach, right: b.right + reach, top: b.top - reach, bottom: b.bottom + reach };
  let cut = '';
  const screen = document.documentElement;
  for (let p = box.parentElement; p && p !== document.body && !cut; p = p.parentElement) {
    const c = getComputedStyle(p);
    if (c.overflowX === 'visible' && c.overflowY === 'visible') continue;
    const q = p.getBoundingClientRect();
    // The page's own frame (as large as the screen): a ring at the screen's edge is only scrolled.
    if (q.width >= screen.clientWidth - 1 && q.height >= screen.clientHeight - 1) continue;
    const left = q.left + p.clientLeft, top = q.top + p.clientTop;
    const right = left + p.clientWidth, bottom = top + p.clientHeight;
    // A box that scrolls in a direction shows the ring once scrolled: only boxes that clip count.
    const clipsX = c.overflowX !== 'visible' && p.scrollWidth <= p.clientWidth;
    const clipsY = c.overflowY !== 'visible' && p.scrollHeight <= p.clientHeight;
    const sides = [];
    if (clipsX && drawn.left < left - 0.5) sides.push('left');
    if (clipsX && drawn.right > right + 0.5) sides.push('right');
    if (clipsY && drawn.top < top - 0.5) sides.push('top');
    if (clipsY && drawn.bottom > bottom + 0.5) sides.push('bottom');
    if (sides.length) cut = sides.join(', ');
  }
  const name = (el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText) || el.innerText || el.value || el.title || '').replace(/\s+/g, ' ').trim();
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', group: el.type === 'radio' ? el.name : '',
    name: name.slice(0, 60), width, contrast: Math.round(contrast * 10) / 10,
    top: Math.round(r.top + (scroller ? scroller.scrollTop : window.scrollY)), left: Math.round(r.left),
    visible: r.width > 0 && r.height > 0, cut,
  };
}
"""


# A chart text's size as drawn: its font size times the page's zoom (« Mode projecteur » zooms the
# page), measured as the text's drawn width over its width in the SVG's own units.
CHART_TEXT_JS = r"""
() => [...document.querySelectorAll('.jp-RenderedPlotly svg text')].flatMap((el) => {
  const text = el.textContent.replace(/\s+/g, ' ').trim();
  const box = el.getBBox();
  if (!text || !box.width || !el.checkVisibility()) return [];
  const drawn = el.getBoundingClientRect().width / box.width * parseFloat(getComputedStyle(el).fontSize);
  return [[text.slice(0, 40), Math.round(drawn * 10) / 10]];
})
"""


def overlaps(page, root: str = "#rendered_cells") -> list[str]:
    """Visible boxes drawn over each other, or cut by the right edge of the screen."""
    return page.evaluate(OVERLAP_JS, root)


def plot_widths(page) -> list[int]:
    """The width of each chart's plot area (plotly's drag layer), in CSS pixels."""
    return page.evaluate(PLOT_WIDTHS_JS)


def chart_text_sizes(page) -> list[tuple[str, float]]:
    """(text, size in CSS pixels as drawn) for every text of every chart on the page."""
    return [(text, size) for text, size in page.evaluate(CHART_TEXT_JS)]


def axe_problems(page, where: str) -> list[str]:
    """Critical and serious axe violations, and unexplained moderate « region »/« heading-order » ones."""
    results = _axe.run(page)
    problems = []
    for violation in results.response["violations"]:
        impact, rule = violation.get("impact"), violation["id"]
        nodes = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
        if impact == "moderate" and rule in STRICT_MODERATE_RULES:
            nodes = [target for target in nodes if not _explained(rule, target)]
            if not nodes:
                continue
        elif impact not in ("critical", "serious"):
            continue
        problems.append(f"axe {impact} {rule} ({where}): {violation['help']} — {'; '.join(nodes[:4])}")
    return problems


@dataclass
class TabStop:
    tag: str
    type: str
    group: str
    name: str
    width: float
    contrast: float
    top: int
    left: int
    visible: bool
    cut: str = ""  # sides of the focus ring hidden by an ancestor's « overflow »


def tab_walk(page, limit: int = 120) -> list[TabStop]:
    """Press Tab from the top of the page until the focus leaves it or comes back to the first stop."""
    # Start from the top: a click on the page's empty top-left corner moves the point Tab starts from.
    page.evaluate("() => { const s = document.getElementById('rendered_cells'); if (s) s.scrollTop = 0; }")
    page.mouse.click(2, 2)
    stops: list[TabStop] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUS_JS)
        if found is None:
            break
        stop = TabStop(**found)
        if stops and stop == stops[0]:
            break
        stops.append(stop)
    return stops


def tab_problems(stops: list[TabStop]) -> list[str]:
    """Every stop shows a ring of 2 px or more at 3:1 or more, not cut by a box around it, is on screen,
    each radio group is one stop, and the order goes down the page (a row of buttons may go left to right)."""
    problems = []
    if not stops:
        return ["Tab reaches no control"]
    for index, stop in enumerate(stops):
        label = f"Tab stop {index + 1} ({stop.tag} « {stop.name} »)"
        if not stop.visible:
            problems.append(f"{label} is not visible")
        if stop.width < 2 or stop.contrast < 3:
            problems.append(f"{label}: focus ring {stop.width} px at {stop.contrast}:1 (needs ≥ 2 px at ≥ 3:1)")
        if stop.cut:
            problems.append(f"{label}: its focus ring is cut on the {stop.cut} by a box that hides its overflow")
        if index:
            before = stops[index - 1]
            if stop.group and stop.group == before.group:
                problems.append(f"{label}: the same radio group takes two Tab stops")
            if stop.top < before.top - 24:
                problems.append(f"{label}: goes back up the page ({before.top} → {stop.top} px)")
        if not stop.name:
            problems.append(f"{label} has no accessible name")
    return problems


@dataclass
class RequestLog:
    """Every URL a browser context asks for (attach with :meth:`attach`)."""

    urls: list[str] = field(default_factory=list)

    def attach(self, context) -> RequestLog:
        context.on("request", lambda request: self.urls.append(request.url))
        return self

    def outside(self) -> list[str]:
        """Requests that would leave the machine (anything but 127.0.0.1, data: and blob:)."""
        away = []
        for url in self.urls:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about"):
                continue
            if parsed.hostname not in ("127.0.0.1", "localhost"):
                away.append(url)
        return sorted(set(away))


# --- Waiting on what the page shows -----------------------------------------------------------------

READY_MS = 60_000  # a page starts a kernel; on a loaded 2-core machine that takes a while
VOILA_BOXES = "#rendered_cells .js-plotly-plot, #rendered_cells .widget-box"

WIDGETS_READY_JS = r"""
() => {
  const cells = document.getElementById('rendered_cells');
  if (!cells || cells.style.display === 'none') return false;
  const outputs = cells.querySelectorAll('.jp-OutputArea-output');
  return outputs.length > 0 && ![...outputs].some((o) => o.textContent.includes('Loading widget'));
}
"""

# The page's layout as a signature (boxes, charts filled to their container's width, the document's
# size), compared from one look to the next: settled once it has not changed for ``quietMs``.
SETTLED_JS = r"""
([selector, quietMs]) => {
  const state = window.__faSettled || (window.__faSettled = { last: null, since: performance.now() });
  const boxes = [...document.querySelectorAll(selector)].map((el) => {
    const b = el.getBoundingClientRect();
    return [b.x, b.y, b.width, b.height].map(Math.round).join(',');
  });
  const charts = [...document.querySelectorAll('.js-plotly-plot')].every((el) => {
    const svg = el.querySelector('svg.main-svg');
    return svg ? Math.abs(svg.getBoundingClientRect().width - el.getBoundingClientRect().width) < 2 : true;
  });
  const doc = document.documentElement;
  const current = JSON.stringify([boxes, charts, doc.scrollWidth, doc.scrollHeight, doc.clientWidth]);
  if (current !== state.last) {
    state.last = current;
    state.since = performance.now();
    return false;
  }
  return charts && performance.now() - state.since >= quietMs;
}
"""
# Longer than the template's own 400 ms timer that re-measures charts after a resize
# (faire-avec.js) and plotly's debounced redraw: a layout still moving is never measured.
QUIET_MS = 500


def widgets_ready(page: Page, timeout_ms: int = READY_MS) -> None:
    """Voilà has run every cell and the page has drawn every widget (no « Loading widget… » left)."""
    try:
        page.wait_for_function(WIDGETS_READY_JS, polling=100, timeout=timeout_ms)
    except PlaywrightTimeoutError:
        raise AssertionError(f"{page.url}: the exercise's widgets are not drawn after {timeout_ms} ms") from None


def settle(page: Page, selector: str = VOILA_BOXES, timeout_ms: int = 20_000) -> bool:
    """Wait until the boxes matching ``selector`` and the charts stop moving (after an answer, a
    resize, the projector mode). Returns False if the page never settles: the caller then measures
    it anyway, and its checks report what a person would see on such a page."""
    page.evaluate("() => { window.__faSettled = null; }")
    try:
        page.wait_for_function(SETTLED_JS, arg=[selector, QUIET_MS], polling=100, timeout=timeout_ms)
    except PlaywrightTimeoutError:
        return False
    return True


# The template reads a new card into the live region 150 ms after it appears, then 60 ms later
# (faire-avec.js, ``speak``): a timer of the page's own started after the card has appeared fires after
# those, however slow the machine (timers fire in the order they fall due).
ANNOUNCE_DELAY_MS = 150 + 60


def after_announcements(page: Page) -> None:
    """Wait until the template has read aloud whatever card is on the page now (or chosen not to): to
    check that something is *not* announced, without a fixed pause."""
    page.evaluate("(ms) => new Promise((done) => setTimeout(done, ms))", ANNOUNCE_DELAY_MS + 40)


STORED_JS = "(key) => window.localStorage.getItem(key)"


def stored(page: Page, key: str) -> str | None:
    """What the browser keeps under ``key`` (None: nothing)."""
    return page.evaluate(STORED_JS, key)


def _until_stored(page: Page, condition_js: str, key: str, other: str | None, timeout_ms: int) -> bool:
    """Until ``condition_js(stored, other)`` holds for what the browser keeps under ``key``."""
    try:
        page.wait_for_function(
            f"([key, other]) => ({condition_js})(window.localStorage.getItem(key), other)",
            arg=[key, other],
            polling=100,
            timeout=timeout_ms,
        )
    except PlaywrightTimeoutError:
        return False
    return True


def wait_for_storage_change(page: Page, key: str, before: str | None, timeout_ms: int = 30_000) -> bool:
    """Wait until the browser's memory under ``key`` differs from ``before``: the answer has gone
    page → kernel → page → ``localStorage``. False if it never changed (the caller says what is lost)."""
    return _until_stored(page, "(now, before) => now !== before", key, before, timeout_ms)


def wait_for_stored_text(page: Page, key: str, text: str, timeout_ms: int = 30_000) -> bool:
    """Wait until the browser's memory under ``key`` holds ``text`` (a part of the stored JSON): for a
    page that stores after each change, the one change awaited, not whichever was stored last."""
    return _until_stored(page, "(now, text) => (now || '').includes(text)", key, text, timeout_ms)


def wait_for_storage(page: Page, key: str, value: str | None, timeout_ms: int = 30_000) -> bool:
    """Wait until the browser's memory under ``key`` is ``value`` (None: erased). False if it never is."""
    return _until_stored(page, "(now, value) => now === value", key, value, timeout_ms)


class WidgetEchoes:
    """The messages a page receives on its kernel websockets, to wait until the kernel has received a
    value: ipywidgets' kernel answers each state update from the page with an ``echo_update`` of it
    (sent before it applies the value, in the same handler). A button's click is sent at once while a
    state update may wait its turn in the page, so a test that types then presses a button waits on
    the echo, as a person's next gesture would come after it. Attach before opening the page."""

    def __init__(self, page: Page) -> None:
        self.received: list[str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._keep))

    def _keep(self, payload: str | bytes) -> None:
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        if "echo_update" in text:
            self.received.append(text)

    def wait_for(self, page: Page, name: str, value: str, timeout_ms: int = 30_000) -> None:
        """Until an echo says the widget state ``name`` is ``value`` (JSON, e.g. ``[3]``)."""
        wanted = re.compile(rf'"{re.escape(name)}":\s*{re.escape(value)}')
        deadline = time.monotonic() + timeout_ms / 1000
        while not any(wanted.search(text) for text in self.received):
            if time.monotonic() > deadline:
                raise AssertionError(f"the kernel never echoed {name} = {value} in {timeout_ms} ms")
            page.wait_for_timeout(50)  # polls: Playwright delivers the websocket events meanwhile
