"""The session panel: open a session (or resume one opened on this computer), show its code, close it.

The code is what the room reads from the screen, so the panel keeps it large. Whether the phones can
reach this computer (:mod:`.reach`) is checked every ``HEALTH_EVERY`` seconds, not at each redraw: it
asks the participants' server over HTTP. The QR code and the address are shown only when the phones
can use them, and a closed session says so instead of inviting people to join.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable

import ipywidgets as w

from widgets.salle import network, report
from widgets.salle.model import SalleError, display_code
from widgets.salle.screen import reach
from widgets.salle.screen.base import Screen, button, clock
from widgets.salle.trainer import Trainer, resumable

HEALTH_EVERY = 10.0
MAX_RESUME = 3


class SessionPanel:
    """Open / resume / close, and the card with the code, the QR code and who has voted."""

    def __init__(self, screen: Screen, started: Callable[[], None], counted: str = "") -> None:
        """``counted``: what the card says instead of « N personnes ont voté » on a page whose answers
        carry no person's number (the evaluations count them in their own panel)."""
        self.screen = screen
        self.started = started
        self.counted = counted
        self.status: reach.Status | None = None
        self.checked_at = 0.0
        self.badge = w.HTML()  # the code (and QR code): placed by the view, kept on screen when projected
        self.badge.add_class("salle-badge")
        self.info = w.HTML()
        self.open_button = button(
            "Ouvrir une séance", "Créer un code pour que le groupe se connecte", "primary", "plus"
        )
        # One button per session still open on this computer (the newest first): one click, no list.
        self.resume_box = w.VBox()
        self.resume_box.add_class("salle-reprendre")
        self.close_button = button("Fermer la séance", "Plus personne ne pourra répondre", icon="stop")
        self.close_confirm = w.HBox(
            [
                w.HTML("<strong>Fermer la séance ? Plus personne ne pourra répondre.</strong>"),
                button("Oui, fermer", "Fermer la séance maintenant", "danger"),
                button("Non", "Garder la séance ouverte"),
            ],
            layout=w.Layout(display="none", flex_flow="row wrap", grid_gap="0.5em", align_items="center"),
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

    def check(self) -> reach.Status:
        """Whether phones can reach this computer, asked again every ``HEALTH_EVERY`` seconds."""
        if self.recheck_due() or self.status is None:
            self.status = reach.check(self.screen.store)
            self.checked_at = time.monotonic()
        return self.status

    def badge_html(self) -> str:
        """What the room reads: the code, and (once phones can use them) the QR code and the address."""
        snapshot = self.screen.snapshot
        if self.screen.trainer is None or snapshot is None:
            return ""
        session, status = snapshot.session, self.check()
        code = display_code(session.code)
        if session.closed_at is not None:
            return (
                "<div class='salle-carte'><div class='salle-texte'>"
                f"<p style='margin:0'>Séance ouverte à {clock(session.created_at)}, fermée à "
                f"{clock(session.closed_at)} · code :</p><p class='salle-code'>{code}</p></div></div>"
            )
        qr, join = "", ""
        if status.room:
            address = html.escape(status.public)
            qr = network.qr_svg(f"{status.public}?code={session.code}", f"QR code pour rejoindre la séance {code}")
            qr = f"<div>{qr}</div>"
            join = (
                "<p>Sur leur téléphone : scanner le QR code, ou ouvrir "
                f"<a href='{address}' target='_blank' rel='noopener'><strong>{address}</strong></a> puis taper le code.</p>"
            )
        return (
            f"<div class='salle-carte'>{qr}<div class='salle-texte'>"
            f"<p style='margin:0'>Séance ouverte à {clock(session.created_at)} · code :</p>"
            f"<p class='salle-code'>{code}</p>{join}</div></div>"
        )

    def details_html(self) -> str:
        """Who has voted, whether the phones can connect (and what to do if not), when it is all erased;
        before a session, whether the phones can reach this computer."""
        screen = self.screen
        status = self.check()
        if screen.trainer is None or screen.snapshot is None:
            return (
                "<p class='salle-texte'>Ouvrez une séance : vous aurez un code à montrer au groupe (et un QR code "
                "quand les téléphones de la salle peuvent joindre cet ordinateur). Les participant·es répondent "
                f"avec leur téléphone, sans nom ni compte.</p>{reach.status_html(status)}"
            )
        session = screen.snapshot.session
        voted = html.escape(self.counted or report.people_sentence(screen.snapshot))
        first = "" if self.counted else " Un téléphone compte à son premier vote."
        erased = html.escape(report.french_date(session.expires_at))
        if session.closed_at is not None:
            return (
                "<div class='salle-texte'><p><strong>La séance est fermée : plus personne ne peut répondre.</strong> "
                f"Vous pouvez encore exporter ses résultats, jusqu'au {erased} ; ils seront alors effacés.</p>"
                f"<p role='status'>{voted}</p></div>"
            )
        return (
            f"<div class='salle-texte'><p role='status'>{voted}{first}</p>"
            f"{reach.status_html(status)}"
            f"<p><small>Les réponses sont anonymes et seront effacées le {erased}.</small></p></div>"
        )

    def redraw_card(self) -> None:
        self.badge.value = self.badge_html()
        self.info.value = self.details_html()

    def show(self) -> None:
        screen = self.screen
        has_session = screen.trainer is not None
        closed = bool(screen.snapshot and screen.snapshot.session.closed)
        self.open_button.layout.display = "none" if has_session else ""
        self.resume_box.layout.display = "none" if has_session or not self.resume_box.children else "flex"
        self.close_button.layout.display = "" if has_session and not closed else "none"
        self.redraw_card()
