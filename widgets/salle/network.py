"""The participants' address on the room's network, and its QR code (made here, no network).

Why a guess that the trainer can override: a laptop may have several interfaces (Wi-Fi, a phone's
hotspot, a virtual machine bridge); the address of the interface that routes outwards is right in
most rooms, and ``FAIRE_AVEC_SALLE_HOTE=192.168.1.12`` fixes the rare other case.
"""

from __future__ import annotations

import io
import os
import socket

import segno

LOCAL_HOST = "127.0.0.1"


def lan_address() -> str | None:
    """The IPv4 address other devices of the room can reach, or None when there is no network.

    A UDP socket "connected" to a documentation address sends nothing; it only asks the system
    which interface it would use.
    """
    override = os.environ.get("FAIRE_AVEC_SALLE_HOTE", "").strip()
    if override:
        return override
    for probe in ("192.0.2.1", "10.255.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 9))
                address = sock.getsockname()[0]
        except OSError:
            continue
        if address and not address.startswith("127."):
            return address
    return None


def participant_url(host: str, port: int, code: str | None = None) -> str:
    base = f"http://{host}:{port}/"
    return f"{base}?code={code}" if code else base


def qr_svg(url: str, title: str) -> str:
    """An inline SVG QR code (black on white, with its quiet zone) to scan with a phone's camera."""
    return segno.make(url, error="m").svg_inline(
        scale=6,
        title=title,
        border=4,
        dark="#000",
        light="#fff",
        omitsize=True,  # sized by the style sheet
    )


def qr_terminal(url: str) -> str:
    """The same QR code drawn with characters, for the terminal of ``make serve``."""
    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()
