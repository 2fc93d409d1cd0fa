"""Debian's Chromium, driven by Playwright from a thread of its own, for the group mode's exports.

Why a thread: Playwright's synchronous API refuses to run inside a running event loop, and the
trainer's page runs in a Jupyter kernel's loop (and the participants' server in tornado's). Why one
function: the session's PNG (:func:`widgets.salle.report.render_png`) and the evaluations' one-page
PDFs (:func:`widgets.salle.eval_report.print_one_page`) need the same browser (the one
:func:`widgets.kit.pdf.browser` starts for the kit's handouts), the same time limit, and the same
French message when it fails: the CSV files, made without Chromium, are ready whatever happens here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from widgets.salle.model import Problem, SalleError

T = TypeVar("T")


def in_thread(work: Callable[[Any], T], failed: str, timeout_s: float) -> T:
    """``work(browser)`` with a headless Chromium, in a thread; ``failed`` starts the French message
    raised (as a :class:`SalleError`) when Chromium cannot start, ``work`` fails, or time runs out."""
    result: dict[str, Any] = {}

    def run() -> None:
        from widgets.kit import pdf

        try:
            with pdf.browser() as chromium:
                result["value"] = work(chromium)
        except Exception as error:  # noqa: BLE001 - any failure becomes the French message below, its detail included
            result["error"] = error

    thread = threading.Thread(target=run, name="salle-chromium", daemon=True)
    thread.start()
    thread.join(timeout_s)
    if "value" in result:
        return result["value"]
    detail = str(result.get("error", "délai dépassé")).splitlines()[0][:160]
    raise SalleError(f"{failed} : {detail}. Le fichier CSV, lui, est prêt.", Problem.UNAVAILABLE)
