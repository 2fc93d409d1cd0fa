"""No file leaves the server except the exercises: the local-file-inclusion probe of advisory
GHSA-2q59-h24c-w6fg (Voilà < 0.5.6 served any file under ``/static/``), path traversal through
every Voilà route that maps a URL to a file, and no listing of folders or notebooks' sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from widgets import serve

from .probes import SECRET, raw_get

PYPROJECT = serve.REPO_ROOT / "pyproject.toml"
PYPROJECT_SIGNATURE = "[tool.mypy]"  # a line only the project's pyproject.toml has
PASSWD_SIGNATURE = "root:x:0:0"  # noqa: S105 - the first line of /etc/passwd, looked for in answers


def traversals(absolute: Path, relative_from_root: str) -> list[str]:
    """Ways to ask a file through Voilà's file-mapping routes: the advisory's own ``/static/<abs>``,
    then ``..`` raw, percent-encoded and doubly encoded under each route."""
    routes = [
        "/static",
        "/voila/static",
        "/voila/templates/faire-avec/static",
        "/voila/files",
        "/voila/labextensions",
        "/voila/api/themes",
        "/voila/render",
        "/voila/tree",
        "/voila/api/contents",
    ]
    up = "../" * 8
    targets = [f"/static{absolute}", f"/static/{'..%2f' * 8}{str(absolute).lstrip('/')}"]
    for route in routes:
        targets += [
            f"{route}/{up}{str(absolute).lstrip('/')}",
            f"{route}/{relative_from_root}",
            f"{route}/{relative_from_root.replace('/', '%2f').replace('..', '%2e%2e')}",
            f"{route}/{relative_from_root.replace('/', '%252f').replace('..', '%252e%252e')}",
            f"{route}/{absolute}",
        ]
    return targets


def leaked(course_port: int, targets: list[str], signature: str) -> list[str]:
    found = []
    for target in targets:
        response = raw_get(course_port, target)
        if signature in response.body:
            found.append(f"{target} → {response.status}")
    return found


def test_ghsa_2q59_h24c_w6fg_static_route_serves_no_system_file(course):
    assert Path("/etc/passwd").read_text().find(PASSWD_SIGNATURE) >= 0, "sonde inutilisable sur cette machine"
    response = raw_get(course.voila_port, "/static/etc/passwd")  # the advisory's exact request
    assert PASSWD_SIGNATURE not in response.body and response.status != 200, response.status
    assert (
        leaked(
            course.voila_port, traversals(Path("/etc/passwd"), "../../../../../../../../etc/passwd"), PASSWD_SIGNATURE
        )
        == []
    )


def test_no_project_file_through_any_route(course):
    # the exercises are served from chapters/exercices: pyproject.toml is two levels up
    assert PYPROJECT_SIGNATURE in PYPROJECT.read_text(encoding="utf-8")
    assert leaked(course.voila_port, traversals(PYPROJECT, "../../pyproject.toml"), PYPROJECT_SIGNATURE) == []


def test_no_file_beside_or_inside_the_served_folder_except_notebooks_rendered(probe):
    assert SECRET in probe.outside.read_text(encoding="utf-8")
    beside = leaked(probe.port, traversals(probe.outside, "../secret.txt"), SECRET)
    inside = leaked(
        probe.port,
        [
            f"{route}/{name}"
            for route in ("/voila/files", "/voila/render", "/files", "/static", "/voila/static", "/voila/api/contents")
            for name in ("donnees.csv", "module.py")
        ],
        SECRET,
    )
    assert beside == [] and inside == []


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/tree",
        "/voila/tree",
        "/voila/tree/",
        "/voila/api/contents",
        "/voila/api/contents/",
        "/api/contents",
        "/api/kernels",
        "/api/sessions",
        "/api/terminals",
        "/voila/files/",
        "/voila/static/",
        "/voila/labextensions/",
        "/voila/templates/",
        "/voila/render/",
        "/lab",
        "/notebooks/continuum.ipynb",
        "/edit/continuum.ipynb",
    ],
)
def test_no_listing_and_no_jupyter_api(course, target):
    response = raw_get(course.voila_port, target)
    if response.status in (301, 302):  # e.g. /voila/render/ → /voila/files/: follow it once
        location = response.headers["Location"]
        assert location.startswith("/"), location
        response = raw_get(course.voila_port, location)
    assert response.status in (403, 404, 405), f"{target} → {response.status}"
    for name in ("continuum", "autoeval-", "kernel", '"type": "directory"'):
        assert name not in response.body, f"{target} montre « {name} »"


def test_unknown_address_gets_the_french_error_page(course):
    response = raw_get(course.voila_port, "/voila/tree")
    assert response.status == 404
    assert "Cette page ne peut pas s'ouvrir" in response.body and 'lang="fr"' in response.body


def test_notebook_sources_are_not_downloadable(course, probe):
    for name in sorted(p.name for p in serve.EXERCISES_DIR.glob("*.ipynb")):
        for target in (f"/voila/files/{name}", f"/files/{name}", f"/voila/static/{name}", f"/api/contents/{name}"):
            response = raw_get(course.voila_port, target)
            assert response.status != 200 and '"cells"' not in response.body, f"{target} → {response.status}"


def test_an_exercise_is_still_served(course):
    """The positive control: the probes above reach a Voilà that does serve the exercises."""
    response = raw_get(course.voila_port, "/voila/render/autoeval-savoirs.ipynb")
    assert response.status == 200 and '"kernelId"' in response.body
