"""Client of the shared computation service (:mod:`widgets.remuneration.service`) and its wire format.

Why: OpenFisca-France's tax-benefit system weighs about 160 MB and a new case costs seconds of
processor. Built in every simulator kernel, 20 learners meant 20 copies and 20 simultaneous runs of
the same case on a 2-core laptop. The course's Voilà (``widgets/voila_app.py``) starts ONE service
per server and gives its address to every kernel in ``FAIRE_AVEC_CALCUL_URL``; the cache
(:mod:`widgets.remuneration.cache`) then asks the service for what is in neither its memory nor the
disk, and the service computes each case once for everyone. Without the variable (a book build,
nbval, the command line) or when the service does not answer, the kernel computes locally as before:
a learner always gets figures.

This module knows only HTTP and the wire format: requests are JSON (households and offers as their
dataclass fields, plus the hour levels wanted); grids come back as one ``.npz`` archive (numbers
only, read with ``allow_pickle=False``). It imports nothing from the cache, so no import cycle.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import secrets
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from widgets.errors import InputError

from .inputs import Household, Offer, validate_household, validate_offer

HOST = "127.0.0.1"  # the service serves this machine's kernels only
#: Where the kernels find the service (set by the course's Voilà, or by the JupyterHub configuration).
URL_VARIABLE = "FAIRE_AVEC_CALCUL_URL"
#: The key shared by the service and the kernels, drawn at each start and passed like the address
#: (never on a command line, which every user of the machine can read).
KEY_VARIABLE = "FAIRE_AVEC_CALCUL_CLE"
#: ``FAIRE_AVEC_CALCUL=local``: start no service (benchmarks measure the kernels without it).
MODE_VARIABLE = "FAIRE_AVEC_CALCUL"
#: A first figure waits at most this long for the service (queued behind other learners' new cases).
FOREGROUND_TIMEOUT_S = 300.0
#: A background grid (every level of the slider) may wait longer: nobody is looking at a spinner.
BACKGROUND_TIMEOUT_S = 900.0

#: (household, offer, hour levels wanted)
Request = tuple[Household, Offer, Iterable[float]]
#: (levels, {output name: levels × months array})
RawGrid = tuple[np.ndarray, dict[str, np.ndarray]]


class Unavailable(Exception):
    """The service did not answer (not started, stopped, overloaded): the caller computes locally."""


def service_url() -> str | None:
    """The service's address from the environment, or None when this process computes locally."""
    url = os.environ.get(URL_VARIABLE, "").strip().rstrip("/")
    return url or None


# --------------------------------------------------------------------------- wire format
def encode_request(requests: Iterable[Request], background: bool) -> bytes:
    items = [
        {
            "menage": dataclasses.asdict(household),
            "offre": dataclasses.asdict(offer),
            "heures": sorted(map(float, levels)),
        }
        for household, offer, levels in requests
    ]
    return json.dumps({"demandes": items, "fond": bool(background)}).encode()


def _build(cls: type, raw: Any, what: str) -> Any:
    if not isinstance(raw, dict):
        raise InputError(f"Demande au service de calcul : {what} manquant.", what)
    names = {field.name for field in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise InputError(f"Demande au service de calcul : champ inconnu « {unknown[0]} » ({what}).", what)
    try:
        return cls(**raw)
    except (TypeError, ValueError):
        raise InputError(f"Demande au service de calcul : {what} mal formé.", what) from None


def decode_request(body: bytes) -> tuple[list[tuple[Household, Offer, list[float]]], bool]:
    """The requests of a service call, checked as the simulator checks its inputs (French
    :class:`~widgets.errors.InputError` naming the field): the service trusts no caller."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: thousands of nested brackets
        raise InputError("Demande au service de calcul illisible (JSON attendu).", "demandes") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("demandes"), list) or not payload["demandes"]:
        raise InputError("Demande au service de calcul : la liste « demandes » manque ou est vide.", "demandes")
    if len(payload["demandes"]) > 8:
        raise InputError("Demande au service de calcul : 8 cas au plus par demande.", "demandes")
    decoded = []
    for item in payload["demandes"]:
        if not isinstance(item, dict):
            raise InputError("Demande au service de calcul : chaque cas est un objet.", "demandes")
        household = _build(Household, item.get("menage"), "menage")
        offer = _build(Offer, item.get("offre"), "offre")
        validate_household(household)
        validate_offer(offer)
        levels = item.get("heures")
        if (
            not isinstance(levels, list)
            or not 0 < len(levels) <= 400
            or not all(isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1000 for v in levels)
        ):
            raise InputError(
                "Demande au service de calcul : « heures » doit être une liste de 1 à 400 nombres.", "heures"
            )
        decoded.append((household, offer, [float(v) for v in levels]))
    return decoded, bool(payload.get("fond", False))


def encode_grids(grids: Sequence[RawGrid]) -> bytes:
    arrays: dict[str, np.ndarray] = {}
    for index, (levels, data) in enumerate(grids):
        arrays[f"levels.{index}"] = np.asarray(levels, dtype=float)
        for name, values in data.items():
            arrays[f"{name}.{index}"] = np.asarray(values, dtype=float)
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


def decode_grids(body: bytes, count: int, names: Sequence[str]) -> list[RawGrid]:
    with np.load(io.BytesIO(body), allow_pickle=False) as archive:
        return [
            (archive[f"levels.{index}"], {name: archive[f"{name}.{index}"] for name in names}) for index in range(count)
        ]


# --------------------------------------------------------------------------- client
def _call(path: str, body: bytes | None, timeout: float) -> bytes:
    url = service_url()
    if url is None:
        raise Unavailable("no service configured")
    if not url.startswith(("http://", "https://")):  # never a file: or custom scheme from the environment
        raise Unavailable(f"not an HTTP address: {url[:40]!r}")
    request = urllib.request.Request(  # noqa: S310 (scheme checked just above)
        url + path,
        data=body,
        method="POST" if body is not None else "GET",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {os.environ.get(KEY_VARIABLE, '')}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (our own 127.0.0.1 service)
            return response.read()
    except urllib.error.HTTPError as error:
        if error.code == 400:  # the service refused the input: say why, in its French words
            message = json.loads(error.read() or b"{}").get("message", "Demande refusée par le service de calcul.")
            raise InputError(message, "household") from None
        # 403 (key), 413 (size), 503 (queue full), 5xx: the caller computes by itself
        raise Unavailable(f"HTTP {error.code}") from None
    except (OSError, ValueError) as error:  # refused, reset, timed out, malformed address
        raise Unavailable(str(error)) from None


def ask_grids(requests: Sequence[Request], background: bool, names: Sequence[str]) -> list[RawGrid]:
    """The grids of ``requests`` (one per request, same order), computed once by the service."""
    timeout = BACKGROUND_TIMEOUT_S if background else FOREGROUND_TIMEOUT_S
    body = _call("/grilles", encode_request(requests, background), timeout)
    try:
        return decode_grids(body, len(requests), names)
    except (OSError, KeyError, ValueError) as error:
        raise Unavailable(f"unreadable answer: {error}") from None


def ask_constants() -> Mapping[str, Any]:
    """The OpenFisca parameters the model needs (see :class:`~widgets.remuneration.cache.Constants`)."""
    try:
        return json.loads(_call("/constantes", None, FOREGROUND_TIMEOUT_S))
    except ValueError as error:
        raise Unavailable(f"unreadable answer: {error}") from None


# --------------------------------------------------------------------------- starting the service
def start_service(timeout: float = 60.0) -> subprocess.Popen[str] | None:
    """Start a service for this process and its future children (kernels) unless one is configured:
    sets ``FAIRE_AVEC_CALCUL_URL`` and a newly drawn ``FAIRE_AVEC_CALCUL_CLE`` in ``os.environ``.
    Returns the process, or None (then every kernel computes by itself, as before: slower, never
    wrong)."""
    if service_url() is not None:
        return None  # e.g. JupyterHub runs one service for every participant
    if os.environ.get(MODE_VARIABLE, "").strip() == "local":
        return None  # each kernel computes by itself (what the benchmarks compare against)
    key = secrets.token_urlsafe(32)
    command = [sys.executable, "-m", "widgets.remuneration.service", f"--parent={os.getpid()}"]
    # a fixed command: this interpreter and the course's own module, no shell, nothing from a user
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ, KEY_VARIABLE: key})  # noqa: S603
    stdout = process.stdout
    if stdout is None:  # not reached: stdout=PIPE
        return None
    reader: dict[str, str] = {}
    thread = threading.Thread(target=lambda: reader.setdefault("line", stdout.readline()), daemon=True)
    thread.start()
    thread.join(timeout)
    line = reader.get("line", "")
    if not line.startswith("PORT "):
        logging.getLogger(__name__).warning("the computation service did not start: each kernel computes by itself")
        process.kill()
        return None
    stdout.close()
    os.environ[KEY_VARIABLE] = key
    os.environ[URL_VARIABLE] = f"http://{HOST}:{int(line.split()[1])}"
    return process
