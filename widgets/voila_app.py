"""The course's Voilà: Voilà 0.5 as is, plus what a training room needs from it.

Started by :func:`widgets.serve.voila_command` (``python -m widgets.voila_app``), never directly.
Why a subclass of Voilà's own application rather than options: Voilà 0.5 has no option for any of
the following, and each is a few lines on top of its handlers.

* **A closed tab frees its kernel.** Voilà's page already sends ``POST /voila/api/shutdown/<kernel>``
  from ``beforeunload`` (``navigator.sendBeacon`` with an ``_xsrf`` field read from the ``_xsrf``
  cookie), but Voilà's notebook page never sets that cookie, so the field is empty and Tornado
  refuses the request (403 « '_xsrf' argument missing », voila-dashboards/voila#1458). The page
  handler here reads ``self.xsrf_token`` before the first byte is sent, which is exactly how
  Jupyter's own pages set the cookie. XSRF checking stays on for every request: the beacon is
  accepted because it now carries the token of its own origin, nothing else changes.
* **A cap on kernels** (``FAIRE_AVEC_MAX_KERNELS``): past it, a page asks in French to retry in a
  minute (HTTP 503) instead of starting one more kernel on a machine that is already full.
* **Only the exercises are served**: no file browser (``/``, ``/voila/tree``) and no contents API
  (``/voila/api/contents``); unknown addresses get the course's French error page.
* **Light for a phone** (:mod:`widgets.voila_static`): gzip, a year of cache for files whose address
  names their content, and no plotly front-end on the pages of exercises that draw no chart.
* **Behind JupyterHub** (``deploy/jupyterhub/``): started by the hub's spawner, it takes its address
  and prefix from the hub's environment, lets in only the participant the server belongs to
  (JupyterHub's own OAuth identity provider), sends its root to ``FAIRE_AVEC_START_URL`` (the book)
  and, with ``FAIRE_AVEC_IDLE_EXIT=<seconds>``, stops itself once it has had no kernel and no page
  for that long, so an abandoned participant's server does not stay up.
* **One OpenFisca for all simulator kernels**: before anything else it starts the shared computation
  service (:mod:`widgets.remuneration.service`) and gives its address to every kernel; the service
  stops with this process.
* **No English and no traceback for a learner**: a cell that fails shows a French sentence; the
  error itself goes to Voilà's log. The same holds after the page is open: an ``error`` message
  from the kernel (e.g. a widget callback that raised) reaches the page as that French sentence on
  standard error, never with Python's traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
    serialize_binary_message,
    serialize_msg_to_ws_v1,
)
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.ioloop import PeriodicCallback
from traitlets import Bool, List, Unicode
from voila import notebook_renderer
from voila.app import Voila
from voila.execute import VoilaExecutor
from voila.handler import BaseVoilaHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from widgets import framing, voila_static

MAX_KERNELS_ENV = "FAIRE_AVEC_MAX_KERNELS"
# The heaviest exercise (the simulator) measured 155 MB per kernel since OpenFisca lives in the
# shared computation service (bench/README.md); 200 leaves room for a learner's long session.
KERNEL_MB = 200
RESERVED_MB = 4096  # left to the system, the browser and the book when sizing the default cap

ERROR_MESSAGE = (
    "Une partie de l'exercice n'a pas pu s'afficher. Fermez cet onglet, revenez au cours et "
    "rouvrez l'exercice. Si cela recommence, prévenez la personne qui anime la formation."
)
TIMEOUT_MESSAGE = (
    "L'exercice met trop de temps à se préparer. Fermez cet onglet et réessayez dans une minute. "
    "Si cela recommence, prévenez la personne qui anime la formation."
)
BUSY_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trop de monde en même temps</title>
<style>
  body { font-family: sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem;
         line-height: 1.5; color: #1a1a1a; background: #fff; }
  a { color: #1b5e20; font-weight: bold; }
  a:focus { outline: 3px solid #1b5e20; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1>Trop de monde en même temps : réessayez dans une minute</h1>
<p>Beaucoup de personnes ont ouvert un exercice en même temps et l'ordinateur qui fait tourner
le cours est plein ({count} exercices ouverts).</p>
<p>Attendez une minute, puis <a href="">rechargez cette page</a>. Fermer les onglets
d'exercices que vous n'utilisez plus libère de la place pour tout le monde.</p>
</main>
</body>
</html>
"""


def default_max_kernels() -> int:
    """Kernels this machine can hold: 60 % of its memory beyond a reserve, at ~350 MB each (the
    simulator's weight), between 4 and 60. A 24 GB laptop gets 40."""
    try:
        total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (AttributeError, ValueError, OSError):
        return 20
    return max(4, min(60, int((total_mb - RESERVED_MB) * 0.6 // KERNEL_MB)))


def max_kernels() -> int:
    value = os.environ.get(MAX_KERNELS_ENV, "").strip()
    if not value:
        return default_max_kernels()
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{MAX_KERNELS_ENV} doit être un nombre entier (reçu : « {value} »).") from None
    if number < 1:
        raise SystemExit(f"{MAX_KERNELS_ENV} doit valoir au moins 1 (reçu : {number}).")
    return number


@dataclass
class _Slot:
    """One page being rendered; ``kernel_id`` is set once its kernel has started."""

    kernel_id: str | None = None


_current_slot: contextvars.ContextVar[_Slot | None] = contextvars.ContextVar("faire_avec_slot", default=None)


class CourseKernelManager(AsyncMappingKernelManager):
    """Counts the kernels learners use, so that the page handler can refuse one more past the cap.

    Counted: every running kernel, minus the idle preheated ones (they belong to no one yet), plus
    the pages whose kernel is still starting (so that 30 people clicking at once cannot all slip
    under the cap before the first kernel is registered)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.faire_avec_slots: list[_Slot] = []
        self.faire_avec_preheated: set[str] = set()  # started for the pool, not yet taken by a page

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]  # async in AsyncMappingKernelManager
        kernel_id = await super().start_kernel(*args, **kwargs)
        slot = _current_slot.get()
        preheating = (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True"
        if preheating:
            self.faire_avec_preheated.add(kernel_id)
        elif slot is not None and slot.kernel_id is None:
            slot.kernel_id = kernel_id
        return kernel_id

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]  # async, as above
        self.faire_avec_preheated.discard(kernel_id)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)

    def idle_preheated_ids(self) -> set[str]:
        """Pool kernels, ready or still running their notebook: they belong to no learner yet."""
        ids = set(self.faire_avec_preheated)
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result()["kernel_id"])
        return ids

    def kernels_in_use(self) -> int:
        running = set(self.list_kernel_ids()) - self.idle_preheated_ids()
        starting = sum(1 for slot in self.faire_avec_slots if slot.kernel_id not in running)
        return len(running) + starting


class CourseVoilaHandler(TornadoVoilaHandler):
    """Voilà's notebook page, with the kernel cap and the ``_xsrf`` cookie its shutdown beacon needs."""

    @web.authenticated
    async def get(self, path: str | None = None) -> None:
        manager = self.kernel_manager
        limit = self.settings["faire_avec_max_kernels"]
        in_use = manager.kernels_in_use() if hasattr(manager, "kernels_in_use") else 0
        if in_use >= limit:
            self.log.warning("Kernel cap reached (%d/%d): refusing %s", in_use, limit, self.request.path)
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(BUSY_PAGE.replace("{count}", str(in_use)))
            return
        # Sets the _xsrf cookie (headers are not sent yet): Voilà's beforeunload beacon reads it.
        self.xsrf_token  # noqa: B018 (the property has the side effect we want)
        slot = _Slot()
        slots = getattr(manager, "faire_avec_slots", [])
        slots.append(slot)
        token = _current_slot.set(slot)
        try:
            await super().get(path)
        finally:
            _current_slot.reset(token)
            slots.remove(slot)


class CourseNotFoundHandler(BaseVoilaHandler):
    """Every address that is not an exercise: the course's French error page, status 404."""

    async def prepare(self) -> None:
        await super().prepare()
        raise web.HTTPError(404)


def _french_error(message: dict[str, Any]) -> dict[str, Any]:
    """An ``error`` message (traceback included), or a traceback the kernel logged on standard error,
    becomes the French sentence on standard error; other messages pass unchanged. Shown where the error would have been (e.g. an Output widget)."""
    msg_type = message.get("header", {}).get("msg_type")
    if msg_type == "error":
        message["header"]["msg_type"] = "stream"
        message["msg_type"] = "stream"
        message["content"] = {"name": "stderr", "text": ERROR_MESSAGE + "\n"}
    elif msg_type == "stream" and "Traceback (most recent call last)" in message["content"].get("text", ""):
        message["content"]["text"] = ERROR_MESSAGE + "\n"  # a traceback logged by the kernel itself
    elif isinstance(message.get("content"), dict) and message["content"].get("status") == "error":
        message["content"].update(ename="Erreur", evalue=ERROR_MESSAGE, traceback=[ERROR_MESSAGE])
    return message


class CourseKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """The page's kernel channel: whatever wire format jupyter_server chose, no traceback goes out."""

    def write_message(self, message: str | bytes | dict[str, Any], binary: bool = False) -> asyncio.Future[None]:
        if isinstance(message, str):
            if '"error"' in message or "Traceback" in message:
                message = json.dumps(_french_error(json.loads(message)), default=str)
        elif isinstance(message, bytes) and (b'"error"' in message or b"Traceback" in message):
            if self.selected_subprotocol == "v1.kernel.websocket.jupyter.org":
                channel, parts = deserialize_msg_from_ws_v1(message)
                fields = {
                    "header": json.loads(parts[0]),
                    "parent_header": json.loads(parts[1]),
                    "metadata": json.loads(parts[2]),
                    "content": json.loads(parts[3]),
                }
                fields = _french_error(fields)
                encoded = [json.dumps(fields[key], default=str).encode() for key in fields]
                message = serialize_msg_to_ws_v1([*encoded, *parts[4:]], channel)
            else:
                message = serialize_binary_message(_french_error(deserialize_binary_message(message)))
        return super().write_message(message, binary)


class CourseExecutor(VoilaExecutor):
    """Voilà's executor with French messages: a learner never reads Python's error, nor English."""

    def strip_code_cell_errors(self, cell: dict[str, Any]) -> dict[str, Any]:
        if cell["cell_type"] != "code":
            return cell
        for output in cell["outputs"]:
            if output["output_type"] == "error":
                output["ename"] = "Erreur"
                output["evalue"] = ERROR_MESSAGE
                output["traceback"] = [ERROR_MESSAGE]
        return cell

    def show_code_cell_timeout(self, cell: dict[str, Any]) -> None:
        cell["outputs"] = [
            {
                "output_type": "error",
                "ename": "Délai dépassé",
                "evalue": TIMEOUT_MESSAGE,
                "traceback": [TIMEOUT_MESSAGE],
            }
        ]


def _touch_taken_kernel(manager: Any) -> Callable[..., Awaitable[tuple[Any, Any, str]]]:
    """A preheated kernel has been idle since it ran its notebook, maybe longer than the cull
    timeout: taken by a page, it would be culled before the page's websocket connects (measured by
    bench/time_to_widgets.py). Taking it counts as activity."""
    take = manager.get_rendered_notebook

    async def get_rendered_notebook(*args: Any, **kwargs: Any) -> tuple[Any, Any, str]:
        render_task, rendered_cache, kernel_id = await take(*args, **kwargs)
        getattr(manager, "faire_avec_preheated", set()).discard(kernel_id)  # now a learner's kernel
        with contextlib.suppress(KeyError):
            manager.get_kernel(kernel_id).last_activity = datetime.now(UTC)
        return render_task, rendered_cache, kernel_id

    return get_rendered_notebook


class CourseRootHandler(BaseVoilaHandler):
    """The server's root: the start page when one is configured (behind JupyterHub, the book),
    otherwise the French 404 page."""

    async def get(self) -> None:
        start = os.environ.get("FAIRE_AVEC_START_URL", "").strip()
        if not start:
            raise web.HTTPError(404)
        self.redirect(start)


def _hub_identity_provider() -> type[Any]:
    """JupyterHub's OAuth identity provider, accepting the ``token`` argument Voilà always passes
    (JupyterHub's provider reads its token from the environment instead)."""
    from jupyterhub.singleuser.extension import JupyterHubIdentityProvider

    class HubIdentityProvider(JupyterHubIdentityProvider):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.pop("token", None)
            super().__init__(**kwargs)

    return HubIdentityProvider


class CourseVoila(Voila):
    """Voilà with the course's handlers (see the module docstring)."""

    name = "voila"  # reads the same voila.json / jupyter_voila_config.py as Voilà would
    preheat_notebooks = List(
        Unicode(),
        [],
        config=True,
        help="Notebooks that keep ONE preheated kernel each (the others start theirs on demand): "
        "Voilà's preheating, only where a page is slow to open (bench/README.md).",
    )
    # The three steps of widgets/voila_static.py, each with its switch so that bench/bench_phone.py
    # can measure what it gains; all on for the course.
    compress = Bool(True, config=True, help="gzip: static files compressed once, pages and API by tornado.")
    long_cache = Bool(True, config=True, help="A year of immutable cache for files whose address names their content.")
    trim_extensions = Bool(True, config=True, help="No plotly front-end on the pages of exercises without charts.")

    def initialize(self, argv: list[str] | None = None) -> None:
        # First, so that every kernel (preheated ones included) inherits the service's address.
        from widgets.remuneration.remote import start_service

        self.faire_avec_calcul = start_service()
        super().initialize(argv)
        service_url = os.environ.get("JUPYTERHUB_SERVICE_URL")
        if service_url:  # spawned by JupyterHub: its environment says where to listen and who may enter
            from jupyterhub.singleuser.extension import JupyterHubAuthorizer

            parsed = urlparse(service_url)
            self.ip = parsed.hostname or "127.0.0.1"
            self.port = parsed.port or 8888
            self.base_url = self.server_url = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", parsed.path or "/")
            self.identity_provider_class = _hub_identity_provider()
            self.authorizer_class = JupyterHubAuthorizer

    def start(self) -> None:
        idle_exit = float(os.environ.get("FAIRE_AVEC_IDLE_EXIT", "0") or 0)
        if idle_exit > 0:
            self.faire_avec_last_seen = time.monotonic()
            PeriodicCallback(lambda: self._exit_if_idle(idle_exit), min(30.0, idle_exit / 2) * 1000).start()
        super().start()

    def _exit_if_idle(self, idle_exit: float) -> None:
        now = time.monotonic()
        if self.kernel_manager.list_kernel_ids() or getattr(self.kernel_manager, "faire_avec_slots", None):
            self.faire_avec_last_seen = now
        elif now - self.faire_avec_last_seen > idle_exit:
            self.log.warning("No kernel for %.0f s: stopping (FAIRE_AVEC_IDLE_EXIT)", idle_exit)
            self.ioloop.add_callback(self.ioloop.stop)

    def init_settings(self) -> dict[str, Any]:
        self.voila_configuration.multi_kernel_manager_class = CourseKernelManager
        if self.preheat_notebooks and not self.voila_configuration.preheat_kernel:
            # Voilà's pools, with a pool of 0 for every notebook except these (one kernel each)
            self.voila_configuration.preheat_kernel = True
            self.voila_configuration.default_pool_size = 0
            pools = {"default": {"pool_size": 0}, **{name: {"pool_size": 1} for name in self.preheat_notebooks}}
            self.config.VoilaKernelManager.kernel_pools_config = pools
        # Before Voilà's settings: its preheated kernels' manager takes the hook when it is made.
        self.voila_configuration.page_config_hook = voila_static.page_config_hook
        settings = super().init_settings()
        settings["compress_response"] = self.compress
        settings["faire_avec_compress"] = self.compress
        settings["faire_avec_long_cache"] = self.long_cache
        settings["faire_avec_trim_extensions"] = self.trim_extensions
        settings["faire_avec_static_version"] = voila_static.static_version(self.static_paths)
        if hasattr(self.kernel_manager, "get_rendered_notebook"):  # preheated kernels are on
            self.kernel_manager.get_rendered_notebook = _touch_taken_kernel(self.kernel_manager)
        settings["faire_avec_max_kernels"] = max_kernels()
        settings["headers"] = {**settings.get("headers", {}), **framing.from_environment()}  # widgets/framing.py
        if self.base_url != "/":  # behind JupyterHub: one _xsrf cookie per user server
            settings.setdefault("xsrf_cookie_kwargs", {"path": self.base_url})
        return settings

    def init_handlers(self) -> list[tuple[Any, ...]]:
        handlers: list[tuple[Any, ...]] = []
        for spec in super().init_handlers():
            pattern, handler_class, *rest = spec
            if not pattern.startswith(self.server_url):  # e.g. the identity provider's /oauth_callback
                pattern = url_path_join(self.server_url, pattern)
            if handler_class in (TornadoVoilaTreeHandler, VoilaContentsHandler):
                continue  # no file browser, no contents API: only the exercises are served
            if handler_class is TornadoVoilaHandler:
                handler_class = CourseVoilaHandler
            elif handler_class in voila_static.REPLACEMENTS:  # gzip, long cache (widgets/voila_static.py)
                handler_class = voila_static.REPLACEMENTS[handler_class]
            elif handler_class is VoilaKernelWebsocketHandler:
                handler_class = CourseKernelWebsocketHandler
            handlers.append((pattern, handler_class, *rest))
        configuration = {"voila_configuration": self.voila_configuration}
        handlers.insert(0, (self.server_url.rstrip("/") + "/?", CourseRootHandler, configuration))
        handlers.append((r".*", CourseNotFoundHandler, configuration))
        return handlers


def main() -> None:
    notebook_renderer.VoilaExecutor = CourseExecutor  # the name Voilà's renderer instantiates
    CourseVoila.launch_instance()


if __name__ == "__main__":
    main()
