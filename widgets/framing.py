"""Who may show the course's pages inside a frame: the course itself, and the training body's LMS.

Why a policy of its own: by default no other site may frame the book or the live exercises
(``frame-ancestors 'self'`` and ``X-Frame-Options: SAMEORIGIN``), so that a hostile page cannot dress
the course up as its own and catch clicks. A training body that puts the live exercises in a Moodle
page (an iframe, ``docs/moodle.md``) names its LMS once, and only that address is let in::

    FAIRE_AVEC_LMS_ORIGIN=https://moodle.example.org make serve

The value is checked strictly, because it goes straight into a security header: an origin only
(``https://``, a host name, maybe ``:port``; ``http://`` only for this machine, in tests), no path,
no ``*``, no quote, no ``;``. Several LMS addresses (a test Moodle and the real one) are separated by
spaces. A wrong value stops the server at start with a French message, never at the first request.

``X-Frame-Options`` cannot name a site (``ALLOW-FROM`` is obsolete), so it is sent only when no LMS
is named; browsers then follow ``frame-ancestors`` alone, as the CSP standard says they must.
Used by the book's server (:mod:`widgets.serve`) and by Voilà (:mod:`widgets.voila_app`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

LMS_ORIGIN_ENV = "FAIRE_AVEC_LMS_ORIGIN"
LOCAL_HOSTS = ("localhost", "127.0.0.1")
MAX_ORIGINS = 5

_ORIGIN = re.compile(r"^(?P<scheme>https?)://(?P<host>[A-Za-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?/?$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_IPV4 = re.compile(
    r"^(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$"
)
EXAMPLE = "https://moodle.example.org"


class FramingError(ValueError):
    """``FAIRE_AVEC_LMS_ORIGIN`` is not an address the policy accepts; the message is French."""


def _refused(value: str, why: str) -> FramingError:
    return FramingError(
        f"{LMS_ORIGIN_ENV} : « {value} » n'est pas accepté ({why}). Écrivez seulement le début de l'adresse "
        f"de votre plateforme, par exemple {EXAMPLE} : https://, le nom du serveur, éventuellement « :port », "
        "sans chemin. Plusieurs adresses se séparent par des espaces."
    )


def origin(value: str) -> str:
    """One LMS origin, checked and written the one way browsers compare it (``https://host[:port]``)."""
    match = _ORIGIN.match(value)
    if not match:
        if "*" in value:
            raise _refused(value, "le joker « * » laisserait entrer n'importe quel site")
        raise _refused(value, "ce n'est pas une adresse https:// sans chemin")
    scheme, host, port = match.group("scheme"), match.group("host").lower(), match.group("port")
    numeric = re.fullmatch(r"[0-9.]+", host) is not None  # an address, not a name: 300.1.1.1 is no host
    valid = _IPV4.match(host) if numeric else all(_LABEL.match(label) for label in host.split("."))
    if len(host) > 253 or not valid:
        raise _refused(value, "le nom du serveur n'est pas valable")
    if scheme == "http" and host not in LOCAL_HOSTS:
        raise _refused(value, "une plateforme en ligne s'ouvre en https://")
    if port is not None and not 1 <= int(port) <= 65535:
        raise _refused(value, "le port doit être un nombre de 1 à 65535")
    if port is not None and int(port) == {"https": 443, "http": 80}[scheme]:
        port = None
    return f"{scheme}://{host}" + (f":{int(port)}" if port else "")


def lms_origins(value: str) -> tuple[str, ...]:
    """The origins named in ``value`` (spaces between them); none for an empty value."""
    parts = value.split()
    if len(parts) > MAX_ORIGINS:
        raise _refused(value, f"au plus {MAX_ORIGINS} adresses")
    found: list[str] = []
    for part in parts:
        checked = origin(part)
        if checked not in found:
            found.append(checked)
    return tuple(found)


def policy(value: str = "") -> dict[str, str]:
    """The framing headers for an ``FAIRE_AVEC_LMS_ORIGIN`` value (empty: the course's own pages only)."""
    origins = lms_origins(value)
    headers = {"Content-Security-Policy": " ".join(("frame-ancestors", "'self'", *origins))}
    if not origins:
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return headers


SELF_ONLY = policy()


def from_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The framing headers of this server, read once at start; a wrong value stops it in French."""
    try:
        return policy(environ.get(LMS_ORIGIN_ENV, "").strip())
    except FramingError as error:
        raise SystemExit(str(error)) from None
