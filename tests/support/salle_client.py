"""A phone, simulated: what a participant's browser does, over real HTTP (tests and benchmark).

Why one client for both: the benchmark's figures and the tests' verdicts then come from the very
requests a phone sends — the page with its cookies and anti-CSRF field, then a form post per vote —
rather than from a shortcut that a real phone never takes.
"""

from __future__ import annotations

import http.client
import json
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')
ROUND = re.compile(r'name="tour" value="(\d+)"')
STATE = re.compile(r'data-etat="([^"]*)"')


class Phone:
    """One participant's browser: keeps its cookies and one keep-alive connection.

    ``address``: the source address of its connections (any 127.x.y.z on Linux), so that the server
    sees as many clients as there are phones, as in a room where each phone has its own address.
    """

    def __init__(self, base_url: str, timeout: float = 30.0, address: str | None = None):
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.timeout = timeout
        self.address = address
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.page = ""
        self.status = 0

    def _request(
        self, method: str, path: str, body: str | None = None, headers: dict | None = None
    ) -> tuple[int, str, dict]:
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        sent.update(headers or {})
        for attempt in range(2):  # a keep-alive connection closed by the server is reopened once
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host,
                    self.port,
                    timeout=self.timeout,
                    source_address=(self.address, 0) if self.address else None,
                )
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", errors="replace")
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
                continue
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            return response.status, text, dict(response.headers)
        raise ConnectionError("unreachable")  # pragma: no cover - the loop returns or raises

    def get(self, path: str) -> tuple[int, str]:
        """GET, following redirects within the same server (as a browser does)."""
        for _ in range(5):
            status, text, headers = self._request("GET", path)
            if status in (301, 302, 303) and headers.get("Location"):
                path = headers["Location"]
                continue
            self.status, self.page = status, text
            return status, text
        raise RuntimeError("trop de redirections")

    def open(self, code: str) -> tuple[int, str]:
        """Open the session's page (joins it, receives the cookies)."""
        return self.get(f"/s/{code}")

    def page_state(self) -> str:
        """The fingerprint the page was made from (what its script compares with ``/etat``)."""
        found = STATE.search(self.page)
        return found.group(1) if found else ""

    def current_round(self) -> int | None:
        found = ROUND.search(self.page)
        return int(found.group(1)) if found else None

    def xsrf(self) -> str:
        """The anti-forgery field of the current page (a page without one fails the test here)."""
        found = XSRF.search(self.page)
        assert found, "la page n'a pas de champ _xsrf"
        return found.group(1)

    def vote_form(self, round_id: int | str, value: str, item: str = "") -> tuple[str, dict[str, str]]:
        """(body, headers) of the vote form of the current page, with this phone's cookies: what a
        replay or a flood sends again and again."""
        found = XSRF.search(self.page)
        fields = {"tour": str(round_id), "element": item, "valeur": value}
        if found:
            fields["_xsrf"] = found.group(1)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return urlencode(fields), headers

    def vote(self, code: str, round_id: int, value: str, item: str = "", origin: str | None = None) -> tuple[int, str]:
        """Tap an answer: post the form of the current page, then follow the redirect."""
        body, headers = self.vote_form(round_id, value, item)
        if origin:
            headers["Origin"] = origin
        status, text, headers = self._request("POST", f"/s/{code}/vote", body, headers)
        if status == 303:
            return self.get(headers["Location"])
        self.status, self.page = status, text
        return status, text

    def state(self, code: str) -> tuple[int, dict]:
        status, text, _ = self._request("GET", f"/api/s/{code}/etat")
        return status, json.loads(text)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def trainer_request(
    base_url: str, method: str, path: str, key: str, payload: dict | None = None, timeout: float = 30.0
) -> tuple[int, dict]:
    """Call a trainer's endpoint with the session's key (JSON in and out)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout)
    try:
        headers = {"X-Cle-Formateur": key}
        body = None
        if payload is not None:
            body = json.dumps(payload)
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read().decode("utf-8"))
    finally:
        connection.close()
