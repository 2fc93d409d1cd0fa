"""A client on the kernel websocket can drive the exercise's widgets, never run code: Voilà lets
only comm and kernel-info messages through (``allowed_message_types``). The probe first proves the
channel works (a ``kernel_info_request`` is answered), then sends ``execute_request`` messages that
would create a file, then a second ``kernel_info_request``: the kernel answers messages in order, so
once that reply is in, an execute_request that reached it would have run."""

from __future__ import annotations

import json
import time

import pytest
import websocket
from conftest import TIMEOUT_S, jupyter_message, kernel_id, raw_get

from widgets import serve


def receive_reply(ws, msg_type: str, timeout: float) -> list[dict]:
    """Messages received until one of type ``msg_type`` (returned last); fails after ``timeout``."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            raw = ws.recv()
        except websocket.WebSocketTimeoutException:
            break
        if isinstance(raw, bytes):
            continue  # binary frames carry widget buffers
        message = json.loads(raw)
        seen.append(message)
        if message["header"]["msg_type"] == msg_type:
            return seen
    pytest.fail(f"pas de {msg_type} en {timeout} s ; reçus : {[m['header']['msg_type'] for m in seen]}")


@pytest.mark.parametrize("channel", ["shell", "control"])
def test_execute_request_from_a_client_runs_no_code(probe, tmp_path, channel):
    page = raw_get(probe.port, "/voila/render/calme.ipynb")
    assert page.status == 200
    kernel = kernel_id(page.body)
    target = tmp_path / f"cree-par-le-client-{channel}.txt"
    code = f"open({str(target)!r}, 'w').write('code exécuté')"
    ws = websocket.create_connection(
        f"ws://{serve.HOST}:{probe.port}/api/kernels/{kernel}/channels?session_id=sonde-{channel}",
        timeout=TIMEOUT_S,
    )
    try:
        ws.send(jupyter_message("kernel_info_request", {}))
        receive_reply(ws, "kernel_info_reply", timeout=60)  # the channel reaches the kernel

        for silent in (False, True):
            ws.send(
                jupyter_message(
                    "execute_request",
                    {
                        "code": code,
                        "silent": silent,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                    channel=channel,
                )
            )
        ws.send(jupyter_message("kernel_info_request", {}))
        seen = receive_reply(ws, "kernel_info_reply", timeout=60)
        time.sleep(2)  # anything still in flight
    finally:
        ws.close()
    types = {message["header"]["msg_type"] for message in seen}
    assert not types & {"execute_reply", "execute_input", "execute_result", "error"}, types
    assert not target.exists(), "le code envoyé par le client a été exécuté"
