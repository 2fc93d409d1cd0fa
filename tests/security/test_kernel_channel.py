"""The kernel websocket of an open page: a client can drive the exercise's widgets, never run code,
and never receive a Python traceback.

Voilà lets only comm and kernel-info messages through (``allowed_message_types``); the probe first
proves the channel works (a ``kernel_info_request`` is answered), then sends ``execute_request``
messages that would create a file, then a second ``kernel_info_request``: the kernel answers in
order, so once that reply is in, an execute_request that reached it would have run. Both wire
formats are probed: JSON and the binary v1 protocol Voilà's page uses."""

from __future__ import annotations

import re
import time

import pytest
import websocket

from widgets import serve
from widgets.voila_app import ERROR_MESSAGE

from .probes import ERROR_MARKER, TIMEOUT_S, decode, jupyter_message, kernel_id, raw_get

V1 = "v1.kernel.websocket.jupyter.org"


def connect(port: int, kernel: str, v1: bool, name: str) -> websocket.WebSocket:
    return websocket.create_connection(
        f"ws://{serve.HOST}:{port}/api/kernels/{kernel}/channels?session_id=sonde-{name}",
        timeout=TIMEOUT_S,
        subprotocols=[V1] if v1 else None,
    )


def send(ws, message: str | bytes) -> None:
    if isinstance(message, bytes):
        ws.send_binary(message)
    else:
        ws.send(message)


def receive(ws, v1: bool, until, timeout: float) -> list[tuple[dict, str]]:
    """(header, payload) of every frame until ``until(header, payload)`` is true; fails after ``timeout``."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ws.settimeout(1)  # short reads: the deadline is checked at least every second
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            continue
        header, payload = decode(frame, v1)
        seen.append((header, payload))
        if until(header, payload):
            return seen
    pytest.fail(f"rien d'attendu en {timeout} s ; reçus : {[payload[-300:] for _, payload in seen]}")


def reply_of(msg_type: str):
    return lambda header, payload: header.get("msg_type") == msg_type


def drain(ws, v1: bool, channel: str = "shell", timeout: float = 60) -> list[tuple[dict, str]]:
    """Every frame until the kernel has finished with what was sent before: a ``kernel_info_request``
    on ``channel`` goes in after it, and the kernel publishes « idle » for that request only once it has
    handled it, on the same ordered iopub stream as any output of the earlier messages. Replaces a fixed
    pause (« anything still in flight »), too short on a loaded machine and time lost on a quiet one."""
    request = jupyter_message("kernel_info_request", {}, channel=channel, v1=v1)
    msg_id = decode(request, v1)[0]["msg_id"]
    send(ws, request)
    return receive(
        ws,
        v1,
        lambda header, payload: header.get("msg_type") == "status" and msg_id in payload and '"idle"' in payload,
        timeout=timeout,
    )


@pytest.mark.parametrize("v1", [False, True], ids=["json", "v1"])
@pytest.mark.parametrize("channel", ["shell", "control"])
def test_execute_request_from_a_client_runs_no_code(probe, tmp_path, channel, v1):
    page = raw_get(probe.port, "/voila/render/calme.ipynb")
    assert page.status == 200
    target = tmp_path / f"cree-par-le-client-{channel}.txt"
    code = f"open({str(target)!r}, 'w').write('code exécuté')"
    ws = connect(probe.port, kernel_id(page.body), v1, channel)
    try:
        send(ws, jupyter_message("kernel_info_request", {}, v1=v1))
        receive(ws, v1, reply_of("kernel_info_reply"), timeout=60)  # the channel reaches the kernel
        for silent in (False, True):
            content: dict[str, object] = {"code": code, "silent": silent, "store_history": False, "user_expressions": {},
                       "allow_stdin": False, "stop_on_error": True}  # fmt: skip
            send(ws, jupyter_message("execute_request", content, channel=channel, v1=v1))
        send(ws, jupyter_message("kernel_info_request", {}, v1=v1))
        seen = receive(ws, v1, reply_of("kernel_info_reply"), timeout=60)
        seen += drain(ws, v1, channel)  # anything still in flight, on either channel
    finally:
        ws.close()
    types = {header.get("msg_type") for header, _ in seen}
    assert not types & {"execute_reply", "execute_input", "execute_result", "error"}, types
    assert not target.exists(), "le code envoyé par le client a été exécuté"


@pytest.mark.parametrize("v1", [False, True], ids=["json", "v1"])
def test_a_widget_callback_that_fails_sends_french_not_a_traceback(probe, v1):
    """A click (what a learner's page sends) on a button whose callback raises inside an Output
    widget: the page receives the French sentence where the error would show, nothing of Python's."""
    page = raw_get(probe.port, "/voila/render/bouton.ipynb")
    assert page.status == 200
    button = re.findall(r'"model_id": "([0-9a-f]{32})"', page.body)[0]  # displayed first, before `out`
    ws = connect(probe.port, kernel_id(page.body), v1, "bouton")
    try:
        click = {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}}
        send(ws, jupyter_message("comm_msg", click, v1=v1))
        seen = receive(ws, v1, lambda header, payload: "pas pu s'afficher" in payload, timeout=45)
        seen += drain(ws, v1)  # whatever the kernel sends after the French sentence is checked too
    finally:
        ws.close()
    for header, payload in seen:
        assert header.get("msg_type") != "error", payload
        for leak in (ERROR_MARKER, "Traceback", "ValueError"):
            assert leak not in payload, f"« {leak} » envoyé à la page : {payload[:300]}"
    assert any(ERROR_MESSAGE in payload for _, payload in seen)


@pytest.mark.parametrize("v1", [False, True], ids=["json", "v1"])
def test_a_malformed_widget_message_gets_no_traceback_back(probe, v1):
    """A comm_open that ipywidgets refuses (no protocol version): the kernel logs the exception with
    its traceback on standard error; the page receives the French sentence instead."""
    page = raw_get(probe.port, "/voila/render/bouton.ipynb")  # a page with widgets: ipywidgets answers
    ws = connect(probe.port, kernel_id(page.body), v1, "malforme")
    try:
        opening = {"comm_id": "0" * 32, "target_name": "jupyter.widget.control", "data": {}}
        send(ws, jupyter_message("comm_open", opening, v1=v1))
        seen = receive(ws, v1, lambda header, payload: "pas pu s'afficher" in payload, timeout=45)
        seen += drain(ws, v1)  # whatever the kernel sends after the French sentence is checked too
    finally:
        ws.close()
    for _, payload in seen:
        assert "Traceback" not in payload and "ValueError" not in payload, payload[:300]
