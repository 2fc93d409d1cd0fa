"""The session panel: open a session (or resume one opened on this computer), show its code, close it.

The code is what the room reads from the screen, so the panel keeps it large; the line about the
participants' server (can the phones reach it?) is checked every ``HEALTH_EVERY`` seconds, not at
each redraw: it asks the server over HTTP.
"""

from __future__ import annotations

import contextlib
import html
import json
import time
import urllib.request
from collections.abc import Callable

import ipywidgets as w

from widgets.salle import network, report
from widgets.salle.model import SalleError, display_code
from widgets.salle.screen.base import Screen, button, clock
from widgets.salle.store import META_LOCAL_URL, META_NETWORK, META_PUBLIC_URL
from widgets.salle.trainer import Trainer, resumable

HEALTH_EVERY = 10.0
MAX_RESUME = 3


def server_line(screen: Screen) -> str:
    """Whether the participants' server answers, and to whom (this computer only, or the room)."""
    store = screen.store
    try:
        public = store.meta(META_PUBLIC_URL)
        local = store.meta(META_LOCAL_URL)
        room = store.meta(META_NETWORK) == "salle"
    except SalleError:
        return "✘ La base de la salle ne répond pas."
    alive = False
    if local:
        with contextlib.suppress(OSError, ValueError):
            with urllib.request.urlopen(f"{local}sante", timeout=1.5) as answer:  # noqa: S310 (our own server)
                alive = json.loads(answer.read()).get("ok") is True
    if not alive:
        return (
            "✘ Le serveur des téléphones ne répond pas : lancez « make serve » "
            "(ou « FAIRE_AVEC_SALLE=1 make serve » pour les téléphones de la salle)."
        )
    if not room:
        return (
            f"⚠ Le serveur des téléphones écoute seulement sur cet ordinateur ({local}). Pour les téléphones "
            "de la salle, relancez avec « FAIRE_AVEC_SALLE=1 make serve »."
        )
    return f"✔ Les téléphones de la salle peuvent se connecter à {public}"


class SessionPanel:
    """Open / resume / close, and the card with the code, the QR code and who has voted."""

    def __init__(self, screen: Screen, started: Callable[[], None]) -> None:
        self.screen = screen
        self.started = started
        self.server_status = ""
        self.checked_at = 0.0
        self.info = w.HTML()
        self.open_button = button(
            "Ouvrir une séance", "Créer un code pour que le groupe se connecte", "primary", "plus"
        )
        # One button per session still open on this computer (the newest first): one click, no list.
        self.resume_box = w.VBox(layout=w.Layout(gap="0.4em"))
        self.close_button = button("Fermer la séance", "Plus personne ne pourra répondre", icon="stop")
        self.close_confirm = w.HBox(
            [
                w.HTML("<strong>Fermer la séance ? Plus personne ne pourra répondre.</strong>"),
                button("Oui, fermer", "Fermer la séance maintenant", "danger"),
                button("Non", "Garder la séance ouverte"),
            ],
            layout=w.Layout(display="none", flex_flow="row wrap", gap="0.5em", align_items="center"),
        )
        self.open_button.on_click(lambda _: self.open())
        self.close_button.on_click(lambda _: self.confirm_close(True))
        self.close_confirm.children[1].on_click(lambda _: self.close())
        self.close_confirm.children[2].on_click(lambda _: self.confirm_close(False))
        self.root = w.VBox(
            [self.info, self.open_button, self.resume_box, w.HBox([self.close_button]), self.close_confirm]
        )
        self.refresh_resume()

    def refresh_resume(self) -> None:
        screen = self.screen
        try:
            sessions = resumable(screen.store, screen.keys)[:MAX_RESUME]
        except SalleError:
            sessions = []
        buttons = []
        for session in sessions:
            closed = " (fermée)" if session.closed else ""
            resume = button(
                f"Reprendre la séance {display_code(session.code)}{closed}",
                f"Séance ouverte à {clock(session.created_at)} sur cet ordinateur",
                icon="play",
            )
            resume.on_click(lambda _, code=session.code: self.resume(code))
            buttons.append(resume)
        self.resume_box.children = (
            [w.HTML("<p>Ou reprenez une séance déjà ouverte sur cet ordinateur :</p>"), *buttons] if buttons else []
        )
        self.resume_box.layout.display = "flex" if buttons and screen.trainer is None else "none"

    def open(self) -> None:
        screen = self.screen

        def action() -> None:
            screen.trainer = Trainer.open(screen.store, screen.keys)

        if screen.run(action, "La séance est ouverte : montrez le code ou le QR code au groupe."):
            self.started()

    def resume(self, code: str) -> None:
        screen = self.screen

        def action() -> None:
            screen.trainer = Trainer.resume(screen.store, screen.keys, code)

        if screen.run(action, "Séance reprise."):
            self.started()

    def confirm_close(self, visible: bool) -> None:
        self.close_confirm.layout.display = "flex" if visible else "none"
        self.close_button.layout.display = "none" if visible else ""

    def close(self) -> None:
        self.confirm_close(False)
        trainer = self.screen.trainer
        if trainer is not None:
            self.screen.run(trainer.close, "La séance est fermée. Vous pouvez encore exporter ses résultats.")

    def recheck_due(self) -> bool:
        return time.monotonic() - self.checked_at > HEALTH_EVERY

    def card(self) -> str:
        screen = self.screen
        if screen.trainer is None or screen.snapshot is None:
            return (
                "<p class='salle-texte'>Ouvrez une séance : vous aurez un code et un QR code à montrer au groupe. "
                "Les participant·es répondent avec leur téléphone, sans nom ni compte.</p>"
            )
        if self.recheck_due() or not self.server_status:
            self.server_status = server_line(screen)
            self.checked_at = time.monotonic()
        session = screen.snapshot.session
        code = session.code
        public = screen.store.meta(META_PUBLIC_URL) or network.participant_url(network.LOCAL_HOST, 8765)
        room = screen.store.meta(META_NETWORK) == "salle"
        join_url = f"{public}?code={code}"
        qr = network.qr_svg(join_url, f"QR code pour rejoindre la séance {display_code(code)}") if room else ""
        state = "fermée" if session.closed else "ouverte"
        return (
            "<div class='salle-carte'>"
            f"<div>{qr}</div>"
            "<div class='salle-texte'>"
            f"<p style='margin:0'>Séance {state} à {clock(session.created_at)} · code :</p>"
            f"<p class='salle-code'>{display_code(code)}</p>"
            f"<p>Sur leur téléphone : scanner le QR code, ou ouvrir <a href='{html.escape(public)}' target='_blank' rel='noopener'>"
            f"<strong>{html.escape(public)}</strong></a> puis taper le code.</p>"
            f"<p role='status'>{html.escape(report.people_sentence(screen.snapshot))} "
            "(Un téléphone compte à son premier vote.)</p>"
            f"<p>{html.escape(self.server_status)}</p>"
            f"<p><small>Les réponses sont anonymes et seront effacées le {html.escape(report.french_date(session.expires_at))}.</small></p>"
            "</div></div>"
        )

    def show(self) -> None:
        screen = self.screen
        has_session = screen.trainer is not None
        closed = bool(screen.snapshot and screen.snapshot.session.closed)
        self.open_button.layout.display = "none" if has_session else ""
        self.resume_box.layout.display = "none" if has_session or not self.resume_box.children else "flex"
        self.close_button.layout.display = "" if has_session and not closed else "none"
        self.info.value = self.card()
