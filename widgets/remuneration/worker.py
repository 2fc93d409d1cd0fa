"""One background thread that works on the newest request only.

Why: a new case of the simulator takes seconds of OpenFisca; the page must stay usable meanwhile,
and a learner who types fast must never wait for cases they have already left. Requests made while
the thread works replace each other; the thread then takes the newest. A failure is logged and
handed to ``on_error`` (a French sentence on the page), never raised into the learner's page.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

LOGGER = logging.getLogger(__name__)
T = TypeVar("T")


class Latest(Generic[T]):
    """Runs ``job(item)`` in one background thread for the newest item submitted."""

    def __init__(self, job: Callable[[T], None], on_error: Callable[[], None], name: str) -> None:
        self._job = job
        self._on_error = on_error
        self._name = name
        self._lock = threading.Lock()
        self._pending: T | None = None
        self._thread: threading.Thread | None = None

    def submit(self, item: T) -> None:
        with self._lock:
            self._pending = item
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                item, self._pending = self._pending, None
                if item is None:
                    self._thread = None
                    return
            try:
                self._job(item)
            except Exception:  # never a traceback on the page: logged here, said in French by on_error
                LOGGER.exception("%s failed", self._name)
                self._on_error()
