"""Helpers of the security probes (a module with its own name, so that test files of several
folders can import it in one pytest session).

Every server listens on a free port of 127.0.0.1 and is stopped at the end of the session; probes
are plain HTTP and websocket clients (no browser), with explicit timeouts for a loaded 2-core machine.
"""

from __future__ import annotations

import http.client
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import nbformat
from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1

from widgets import serve

TIMEOUT_S = 120  # one request, including a notebook executed by a new kernel on a loaded machine
SOURCE_MARKER = "SOURCE-MARKER-5d41402a"  # only in the notebooks' code: must never reach a learner
ERROR_MARKER = "ERROR-MARKER-7c6a180b"  # only in an exception's message: likewise
SECRET = "SECRET-OUTSIDE-ROOT-9f86d081"  # noqa: S105 - a marker, no password: the content of a file beside (not inside) a served folder


free_port = serve.free_port  # the security fixtures import it from here


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


def raw_get(port: int, target: str, headers: dict[str, str] | None = None) -> Response:
    """GET with the target sent byte for byte (no client-side ``..`` or ``%2e`` normalisation)."""
    connection = http.client.HTTPConnection(serve.HOST, port, timeout=TIMEOUT_S)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


def kernel_id(page: str) -> str:
    """The kernel a rendered Voilà page talks to (Voilà writes it in the page's configuration)."""
    match = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page)
    assert match, "pas d'identifiant de noyau dans la page"
    return match.group(1)


def jupyter_message(msg_type: str, content: dict, channel: str = "shell", v1: bool = False) -> str | bytes:
    """A Jupyter message as a client sends it on the kernel websocket: JSON, or with ``v1`` the
    binary protocol Voilà's page uses (``v1.kernel.websocket.jupyter.org``)."""
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "username": "sonde",
        "session": uuid.uuid4().hex,
        "date": datetime.now(UTC).isoformat(),
        "version": "5.3",
    }
    if v1:
        parts = [json.dumps(part).encode() for part in (header, {}, {}, content)]
        return serialize_msg_to_ws_v1(parts, channel)
    return json.dumps(
        {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}
    )


def decode(frame: str | bytes, v1: bool) -> tuple[dict, str]:
    """(header, whole message as readable text: JSON without \\u escapes) of a frame received on
    the kernel websocket."""
    if v1 and isinstance(frame, bytes):
        _channel, parts = deserialize_msg_from_ws_v1(frame)
        fields = [json.loads(part) for part in parts[:4]]
        return fields[0], json.dumps(fields, ensure_ascii=False)
    if isinstance(frame, bytes):
        return {"msg_type": "(buffers)"}, frame.decode("utf-8", "replace")
    message = json.loads(frame)
    return message["header"], json.dumps(message, ensure_ascii=False)
