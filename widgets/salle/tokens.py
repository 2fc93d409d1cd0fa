"""Participants' tokens: issued and signed by the server, so that a phone cannot make up its own.

Why signed: a phone is known only by a random token in a cookie (no name, no account). If any
token that *looks* right were accepted, a script could invent thousands and fill the trainer's grid.
Here a token is a random nonce and an HMAC-SHA256 of the session's code and that nonce, made with
the session's own secret (``participant_key``, kept in the store, erased with the session, never
sent to anyone). The server only accepts what it signed for *this* session: a minted token, an
altered one, or one carried over from another (or an erased) session is refused.

What it does not prevent: someone may still ask for a new token by loading the page again without
cookies; the server's rate limits (:mod:`widgets.salle.limits`) make that slow, and the store counts a
person only from their first vote. Pure functions, no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

NONCE_BYTES = 12  # 16 characters once encoded
MAC_BYTES = 16  # 128 bits: guessing one is out of reach
PATTERN = re.compile(r"[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}")


def _mac(key: str, code: str, nonce: str) -> str:
    digest = hmac.new(key.encode("utf-8"), f"salle-jeton\x1f{code}\x1f{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:MAC_BYTES]).decode("ascii").rstrip("=")


def issue(key: str, code: str) -> str:
    """A new token for one phone in the session ``code``, signed with the session's ``key``."""
    if not key:
        raise ValueError("a session without a participant key cannot issue tokens")
    nonce = secrets.token_urlsafe(NONCE_BYTES)
    return f"{nonce}.{_mac(key, code, nonce)}"


def valid(key: str, code: str, token: object) -> bool:
    """Whether ``token`` was issued by this server for this session (constant-time comparison)."""
    if not key or not isinstance(token, str) or not PATTERN.fullmatch(token):
        return False
    nonce, mac = token.split(".")
    return hmac.compare_digest(mac, _mac(key, code, nonce))
