"""JupyterHub for more than one room on one machine: every participant gets their own Voilà.

Started by ``make hub`` (``python -m jupyterhub -f deploy/jupyterhub/jupyterhub_config.py``).
What a participant does: open ``http://<machine>:8800/``. The hub gives them a temporary anonymous
account (jupyterhub-tmpauthenticator: no sign-up, nothing personal stored), starts their own Voilà
(the course's ``widgets.voila_app``, exactly as ``make serve`` runs it) and sends them to the book,
served once for everybody at ``/services/livre/``; the book's « Faire l'exercice en direct » links
open the exercise in *their* Voilà (``/hub/user-redirect/voila/render/…``).

Isolation: one Voilà process and its own kernels per participant; JupyterHub's OAuth lets only the
participant into their server. Voilà runs no code sent by a page and serves only the exercises
(tests/security). Each participant has their own group-mode data (``FAIRE_AVEC_DATA_DIR`` in their
own folder: the sessions they open, the trainer's keys, the exports), so a trainer never sees,
resumes or closes a session another person opened on the same hub (deploy/README.md says why this
rather than a trainers' group). All servers run as the same system user (JupyterHub's
SimpleLocalProcessSpawner): for isolation by the operating system, use the Kubernetes values
(``deploy/kubernetes/``).

The simulator's shared computation service answers only the kernels that carry its key
(``FAIRE_AVEC_CALCUL_CLE``), drawn here at each start of the hub and given to the service and to
every participant's server through their environment, never on a command line.

Cleaning up: a participant's Voilà stops itself after ``FAIRE_AVEC_HUB_IDLE`` seconds (default 900)
with no kernel; jupyterhub-idle-culler stops servers idle that long (``FAIRE_AVEC_HUB_CULL`` if it
must differ) and deletes the temporary accounts; ``make hub`` deletes a participant's folder once
nothing in it changed for 12 hours (group-mode sessions are erased after 12 hours). Ports (all on 127.0.0.1 unless ``FAIRE_AVEC_HUB_IP`` says otherwise, e.g. 0.0.0.0 for
a room's network): ``FAIRE_AVEC_HUB_PORT`` (8800, the address to give), the hub's API (+1), the
proxy's API (+2), the book (+3), the simulator's shared computation service (+4, never routed by
the proxy: every participant's simulator asks it, so OpenFisca is loaded and each case computed once). State (database, cookie secret) in ``FAIRE_AVEC_HUB_STATE``
(default ``.cache/hub/``).
"""

import os
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # JupyterHub defines get_config() in the namespace it reads this file in
    from traitlets.config import Config

    def get_config() -> Config: ...


REPO = Path(__file__).resolve().parents[2]

c = get_config()

port = int(os.environ.get("FAIRE_AVEC_HUB_PORT", "8800"))
ip = os.environ.get("FAIRE_AVEC_HUB_IP", "127.0.0.1")
idle = int(os.environ.get("FAIRE_AVEC_HUB_IDLE", "900"))
cull = int(os.environ.get("FAIRE_AVEC_HUB_CULL") or idle)  # the culler's delay, if it must differ (tests)
state = Path(os.environ.get("FAIRE_AVEC_HUB_STATE") or REPO / ".cache" / "hub")
state.mkdir(parents=True, exist_ok=True)
bin_dir = Path(sys.executable).parent
participants = state / "participants"
# The key shared by the computation service and the kernels: new at each start of the hub.
calcul_key = secrets.token_urlsafe(32)


def participant_data(spawner: Any) -> str:
    """The participant's own group-mode folder (sessions, trainer's keys, exports), in their home."""
    home = getattr(spawner, "home_dir", "") or str(participants / spawner.user.escaped_name)
    return str(Path(home) / "salle")


# Addresses
c.JupyterHub.bind_url = f"http://{ip}:{port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{port + 1}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port + 2}"
# configurable-http-proxy: Node's if installed, else the Python one from PyPI (same options)
c.ConfigurableHTTPProxy.command = [str(bin_dir / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.should_start = True
c.ConfigurableHTTPProxy.debug = False

# State kept between runs, out of git (.cache/ is ignored)
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")  # its default is the working directory

# Anyone who opens the address gets a temporary account and their own server at once
c.JupyterHub.authenticator_class = "tmp"
c.Authenticator.allow_all = True  # JupyterHub ≥ 5 lets nobody in without an explicit allow rule
c.JupyterHub.default_url = "/services/livre/"
c.JupyterHub.redirect_to_server = False

# Each participant's server: the course's Voilà, as `make serve` starts it
c.JupyterHub.spawner_class = "simple"
c.Spawner.cmd = [sys.executable, "-m", "widgets.serve", "--voila-only"]  # the container's command too
c.Spawner.notebook_dir = str(REPO)
c.Spawner.default_url = "/"  # Voilà's root sends the participant to the book (FAIRE_AVEC_START_URL)
# FAIRE_AVEC_DATABASE_URL: an organisation's PostgreSQL for group mode; the trainer's keys still stay
# in each participant's folder, so nobody resumes or closes another's session.
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "PYTHONPATH", "FAIRE_AVEC_CACHE", "FAIRE_AVEC_DATABASE_URL"]
c.Spawner.environment = {
    "FAIRE_AVEC_START_URL": "/services/livre/",
    "FAIRE_AVEC_IDLE_EXIT": str(idle),
    # a participant opens a few exercises: a small cap per server protects the machine from one tab storm
    "FAIRE_AVEC_MAX_KERNELS": os.environ.get("FAIRE_AVEC_MAX_KERNELS", "4"),
    # one OpenFisca for every participant's simulator (the « calcul » service below), and its key
    "FAIRE_AVEC_CALCUL_URL": f"http://127.0.0.1:{port + 4}",
    "FAIRE_AVEC_CALCUL_CLE": calcul_key,
    # each participant's own group mode (a callable: JupyterHub calls it with the spawner)
    "FAIRE_AVEC_DATA_DIR": participant_data,
}
c.Spawner.start_timeout = 120  # a loaded 2-core machine
c.Spawner.http_timeout = 120
c.SimpleLocalProcessSpawner.home_dir_template = str(participants / "{username}")
c.JupyterHub.concurrent_spawn_limit = 20
c.JupyterHub.active_server_limit = int(os.environ.get("FAIRE_AVEC_HUB_MAX_SERVERS", "60"))

# The book, once for everybody, and the idle culler
c.JupyterHub.services = [
    {
        "name": "livre",
        "url": f"http://127.0.0.1:{port + 3}",
        "command": [sys.executable, "-m", "widgets.serve", "--hub-book"],
        "cwd": str(REPO),
        "display": False,
    },
    {
        # The simulator's shared computation service (widgets/remuneration/service.py): the
        # tax-benefit system and the grids once for the whole hub, not once per participant. No
        # "url": the proxy does not route to it, only the participants' kernels on this machine call it.
        "name": "calcul",
        "command": [sys.executable, "-m", "widgets.remuneration.service", f"--port={port + 4}"],
        "environment": {"FAIRE_AVEC_CALCUL_CLE": calcul_key},
        "cwd": str(REPO),
        "display": False,
    },
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={cull}",
            "--cull-every=60",
            "--cull-users=True",
            "--remove-named-servers=True",
        ],
    },
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers", "admin:users"],
        "services": ["idle-culler"],
    },
    {"name": "user", "scopes": ["self", "access:services!service=livre"]},
]
c.JupyterHub.log_level = "WARN"
