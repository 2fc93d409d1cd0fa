"""The participants' server's messages: no address and no session code, ever.

Why: the server writes no access log, but tornado and Python still write warnings and, for a
bug, a traceback. Such a message may quote a request (``GET /s/482913``), an exception's text or a
client's address. Whatever its source, each line is passed through :func:`redact` as a whole —
message *and* traceback — before it reaches the terminal or ``.cache/logs/salle.log``.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

log = logging.getLogger("faire_avec.salle")
_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|\[?[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\]?")
_CODE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


def redact(text: str) -> str:
    """``text`` without IP addresses (v4 or v6) and without anything shaped like a session code."""
    return _CODE.sub("[code]", _ADDRESS.sub("[adresse masquée]", text))


class Redacting(logging.Formatter):
    """Formats as usual, with the message and any traceback redacted (the time stays readable)."""

    def format(self, record: logging.LogRecord) -> str:
        record.msg = redact(record.getMessage())
        record.args = None
        record.exc_text = None  # formatted again below, through formatException
        return super().format(record)

    def formatException(self, ei: Any) -> str:
        return redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact(super().formatStack(stack_info))


def configure() -> None:
    """One handler on stderr for everything the process logs; tornado's access log is off."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(Redacting("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("tornado.access").disabled = True
