"""What a deployment exposes: every socket of `make serve` (book, Voilà, kernels) listens on
127.0.0.1 only, and the pages carry the headers a public deployment needs (no framing by another
site, no content-type sniffing)."""

from __future__ import annotations

import psutil
import pytest

from widgets import serve

from .probes import raw_get


def listening_addresses(pid: int) -> list[tuple[str, int, str]]:
    root = psutil.Process(pid)
    found = []
    for process in [root, *root.children(recursive=True)]:
        try:
            # net_connections() from psutil 6, connections() before
            connections = getattr(process, "net_connections", process.connections)(kind="inet")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        for connection in connections:
            if connection.status == psutil.CONN_LISTEN:
                found.append((connection.laddr.ip, connection.laddr.port, " ".join(process.cmdline()[:3])))
    return found


def test_every_socket_of_make_serve_listens_on_loopback_only(course):
    # a kernel makes the check cover kernels' own sockets too
    assert raw_get(course.voila_port, "/voila/render/autoeval-savoirs.ipynb").status == 200
    addresses = listening_addresses(course.process.pid)
    ports = {port for _, port, _ in addresses}
    assert {course.book_port, course.voila_port} <= ports, addresses
    assert len(ports) > 2, "aucun noyau en écoute : la sonde ne couvre pas les noyaux"
    assert [a for a in addresses if a[0] != serve.HOST] == []


@pytest.mark.parametrize("which", ["book", "voila"])
def test_pages_cannot_be_framed_by_another_site_nor_sniffed(course, which):
    if which == "book":
        response = raw_get(course.book_port, "/chapters/accueil.html")
    else:
        response = raw_get(course.voila_port, "/voila/render/autoeval-savoirs.ipynb")
    assert response.status == 200
    policy = response.headers.get("Content-Security-Policy", "")
    frame_ancestors = [part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors")]
    assert frame_ancestors == ["frame-ancestors 'self'"] or response.headers.get("X-Frame-Options") in (
        "DENY",
        "SAMEORIGIN",
    ), policy
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


def test_error_pages_carry_the_same_headers(course):
    for port in (course.book_port, course.voila_port):
        response = raw_get(port, "/nexiste-pas")
        assert response.status == 404
        assert "frame-ancestors 'self'" in response.headers.get("Content-Security-Policy", "")
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
