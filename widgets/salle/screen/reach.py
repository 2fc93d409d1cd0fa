"""Can the room's phones reach this computer? The trainer's page says it, and what to do if not.

Why the page says it rather than only the documentation: a trainer who opens a session and shows
its code to a room whose phones cannot connect loses the group in the first minutes. The answer
comes from what the participants' server announced when it started (``salle_meta``: its address
for the room, or « this computer only ») and from asking it, over HTTP, whether it answers there.

Why opening to the room needs a restart (``FAIRE_AVEC_SALLE=1 make serve``) and no button here:
see « Ouvrir au réseau de la salle » in docs/mode-groupe.md — widening who can connect to this
computer is decided at its terminal, by the person who started the course, not by a click in a page.
"""

from __future__ import annotations

import contextlib
import html
import json
import urllib.request
from dataclasses import dataclass
from enum import StrEnum

from widgets.salle import network
from widgets.salle.model import SalleError
from widgets.salle.store import META_LOCAL_URL, META_NETWORK, META_PUBLIC_URL, Store

COMMAND = "FAIRE_AVEC_SALLE=1 make serve"
SAME_SESSION = (
    "Rechargez ensuite cette page et cliquez « Reprendre la séance » : la séance, son code et ses votes sont gardés."
)


class Reach(StrEnum):
    NO_DATABASE = "base"  # the store does not answer
    STOPPED = "arret"  # the participants' server does not answer
    THIS_COMPUTER = "local"  # it listens on 127.0.0.1 only (the default)
    NO_NETWORK = "sans-reseau"  # started for the room, but the computer had no network
    MOVED = "injoignable"  # it listens, but not at the address it announced (the network changed?)
    ROOM = "salle"  # the phones of the room can connect


@dataclass(frozen=True)
class Status:
    reach: Reach
    public: str = ""  # the address phones open (the room's, or this computer's)
    local: str = ""

    @property
    def room(self) -> bool:
        return self.reach is Reach.ROOM


def answers(url: str) -> bool:
    """Whether the participants' server answers its health check at ``url`` (within 1.5 s)."""
    with contextlib.suppress(OSError, ValueError):
        with urllib.request.urlopen(f"{url}sante", timeout=1.5) as answer:  # noqa: S310 (our own server)
            return json.loads(answer.read()).get("ok") is True
    return False


def check(store: Store) -> Status:
    """Where the participants' server listens, as it announced it, checked by asking it."""
    try:
        public = store.meta(META_PUBLIC_URL) or ""
        local = store.meta(META_LOCAL_URL) or ""
        announced = store.meta(META_NETWORK) or ""
    except SalleError:
        return Status(Reach.NO_DATABASE)
    if not local or not answers(local):
        return Status(Reach.STOPPED, public, local)
    if announced == Reach.NO_NETWORK.value:
        return Status(Reach.NO_NETWORK, local, local)
    if announced != Reach.ROOM.value or not public or public == local:
        return Status(Reach.THIS_COMPUTER, local, local)
    if not answers(public):
        return Status(Reach.MOVED, public, local)
    return Status(Reach.ROOM, public, local)


def _steps(first: str) -> str:
    steps = (
        first,
        "Dans le terminal où le cours tourne, appuyez sur <kbd>Ctrl</kbd> + <kbd>C</kbd> pour l'arrêter.",
        f"Tapez <code>{COMMAND}</code> puis <kbd>Entrée</kbd> : le terminal affiche l'adresse des téléphones.",
        SAME_SESSION,
    )
    return "<ol class='salle-etapes'>" + "".join(f"<li>{step}</li>" for step in steps) + "</ol>"


WIFI = "Branchez cet ordinateur au Wi-Fi de la salle (ou au partage de connexion d'un téléphone)."


def status_html(status: Status) -> str:
    """What the trainer reads: a symbol and a sentence (never colour alone), and the steps when needed."""
    here = html.escape(status.local or network.participant_url(network.LOCAL_HOST, 8765))
    if status.reach is Reach.NO_DATABASE:
        return "<p class='salle-joignable'>✘ La base de la salle ne répond pas : rechargez la page dans un instant.</p>"
    if status.reach is Reach.STOPPED:
        return (
            "<div class='salle-joignable'><p><strong>✘ Le serveur des téléphones ne répond pas.</strong> Pour le relancer :</p>"
            + _steps(WIFI)
            + "</div>"
        )
    if status.reach is Reach.ROOM:
        return (
            f"<p class='salle-joignable'>✔ <strong>Les téléphones de la salle peuvent se connecter</strong> à "
            f"<strong>{html.escape(status.public)}</strong>. Si un téléphone n'y arrive pas : il doit être sur le même "
            "Wi-Fi que cet ordinateur ; certains Wi-Fi « invités » empêchent les appareils de se voir, prenez alors le "
            "partage de connexion d'un téléphone.</p>"
        )
    if status.reach is Reach.MOVED:
        lead = (
            f"✘ <strong>Les téléphones ne peuvent plus joindre cet ordinateur</strong> à l'adresse annoncée "
            f"({html.escape(status.public)}) : il a sans doute changé de réseau. Relancez le cours :"
        )
        return f"<div class='salle-joignable'><p>{lead}</p>{_steps(WIFI)}</div>"
    if status.reach is Reach.NO_NETWORK:
        lead = (
            "⚠ <strong>Les téléphones ne peuvent pas encore joindre cet ordinateur</strong> : au démarrage du cours, "
            "il n'était branché à aucun réseau."
        )
        return f"<div class='salle-joignable'><p>{lead}</p>{_steps(WIFI)}</div>"
    lead = (
        "⚠ <strong>Les téléphones de la salle ne peuvent pas encore joindre cet ordinateur.</strong> Le mode "
        f"groupe ne répond qu'ici ({here}), pour préparer ou essayer. Pour l'ouvrir au réseau de la salle :"
    )
    return f"<div class='salle-joignable'><p>{lead}</p>{_steps(WIFI)}</div>"
