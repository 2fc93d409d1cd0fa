"""Serving the course: ``make serve`` (``python -m widgets.serve``), and the helpers that tests,
benchmarks and deployments use to start the same servers the same way.

One module per job, none importing the launcher:

* :mod:`.settings`: paths, the listening host, the Voilà address of ``_config.yml``;
* :mod:`.ports`: which ports, whether they are free, waiting until one answers;
* :mod:`.processes`: starting a server in its own session, reading what it prints, stopping it;
* :mod:`.voila`: Voilà's command line, starting it, its kernels;
* :mod:`.build`: ``make book`` and ``make warm`` with French progress lines;
* :mod:`.book_server`: the book's web server (tornado), also JupyterHub's « livre » service, and
  :mod:`.compress`, its gzip (each file compressed once);
* :mod:`.launcher`: ``make serve`` itself.

The names below are the ones used outside this package (``from widgets import serve``).
"""

from .book_server import BookServer, BookSite, book_server, make_app
from .build import build
from .ports import Port, busy_port_messages, free_launcher_ports, free_port, port_is_free, ports, wait_for_port
from .processes import Started, StartFailed, interrupt, open_log, shown, start_and_read, stop, stop_on_signal
from .settings import BOOK_DIR, EXERCISES_DIR, HOST, LOG_DIR, REPO_ROOT, voila_url
from .voila import PREHEAT_ARGS, kernel_processes, preheat_args, start_voila, voila_command, voila_env

__all__ = [
    "BOOK_DIR",
    "EXERCISES_DIR",
    "HOST",
    "LOG_DIR",
    "PREHEAT_ARGS",
    "REPO_ROOT",
    "BookServer",
    "BookSite",
    "Port",
    "StartFailed",
    "Started",
    "book_server",
    "build",
    "busy_port_messages",
    "free_launcher_ports",
    "free_port",
    "interrupt",
    "kernel_processes",
    "make_app",
    "open_log",
    "port_is_free",
    "ports",
    "preheat_args",
    "shown",
    "start_and_read",
    "start_voila",
    "stop",
    "stop_on_signal",
    "voila_command",
    "voila_env",
    "voila_url",
    "wait_for_port",
]
