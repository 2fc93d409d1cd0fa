"""Fail clearly when Voilà changes under the course's patches.

``widgets/voila_app.py`` subclasses Voilà 0.5's application and handlers and replaces a few of its
internals (see its docstring for why each exists). Those internals are not a public API: a new Voilà
may rename or drop them, and the course would then lose a closed tab's kernel release, the kernel cap
or the French error pages without any error at start. This test pins the Voilà version the patches
were checked against and names, for each patched internal, what to re-read in a new version.
"""

from __future__ import annotations

import inspect
import re
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: The Voilà release the patches in widgets/voila_app.py were written and tested against.
CHECKED_VOILA = "0.5.13"


def _pinned_voila() -> str:
    """The version the requirements pin (whichever requirements file declares Voilà)."""
    for path in sorted(REPO.glob("requirements*.txt")) + sorted(REPO.glob("requirements/*.txt")):
        match = re.search(r"^voila==([\w.]+)", path.read_text(encoding="utf-8"), re.M)
        if match:
            return match.group(1)
    raise AssertionError("Aucun fichier requirements*.txt n'épingle voila==… : le cours en dépend directement.")


def test_the_installed_and_pinned_voila_are_the_one_the_patches_were_checked_against():
    installed, pinned = version("voila"), _pinned_voila()
    assert installed == pinned == CHECKED_VOILA, (
        f"Voilà {installed} est installé et {pinned} est épinglé, mais widgets/voila_app.py a été vérifié avec "
        f"Voilà {CHECKED_VOILA}. Relisez chaque élément interne listé dans ce test (INTERNALS) dans la nouvelle "
        "version, lancez tests/browser/test_kernels.py et tests/security, puis mettez CHECKED_VOILA à jour."
    )


def _voila_kernel_manager_source() -> str:
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    return inspect.getsource(voila_kernel_manager_factory)


#: (what the course patches, how to find it, why the course needs it)
INTERNALS = [
    (
        "voila.notebook_renderer.VoilaExecutor",
        lambda: __import__("voila.notebook_renderer", fromlist=["VoilaExecutor"]).VoilaExecutor,
        "CourseExecutor replaces it (French sentence instead of a traceback)",
    ),
    (
        "VoilaExecutor.strip_code_cell_errors",
        lambda: __import__("voila.execute", fromlist=["VoilaExecutor"]).VoilaExecutor.strip_code_cell_errors,
        "overridden by CourseExecutor",
    ),
    (
        "VoilaExecutor.show_code_cell_timeout",
        lambda: __import__("voila.execute", fromlist=["VoilaExecutor"]).VoilaExecutor.show_code_cell_timeout,
        "overridden by CourseExecutor",
    ),
    (
        "TornadoVoilaHandler.get",
        lambda: __import__("voila.tornado.handler", fromlist=["TornadoVoilaHandler"]).TornadoVoilaHandler.get,
        "CourseVoilaHandler checks the kernel cap and sets the _xsrf cookie before Voilà renders the page",
    ),
    (
        "VoilaKernelWebsocketHandler.write_message",
        lambda: (
            __import__(
                "voila.tornado.kernel_websocket_handler", fromlist=["VoilaKernelWebsocketHandler"]
            ).VoilaKernelWebsocketHandler.write_message
        ),
        "CourseKernelWebsocketHandler rewrites kernel error messages in French",
    ),
    (
        "TemplateStaticFileHandler.parse_url_path",
        lambda: (
            __import__(
                "voila.static_file_handler", fromlist=["TemplateStaticFileHandler"]
            ).TemplateStaticFileHandler.parse_url_path
        ),
        "CourseTemplateStaticFileHandler serves only the template's files",
    ),
    (
        "Voila.init_settings / Voila.init_handlers",
        lambda: (
            __import__("voila.app", fromlist=["Voila"]).Voila.init_settings,
            __import__("voila.app", fromlist=["Voila"]).Voila.init_handlers,
        ),
        "CourseVoila swaps handler classes and the kernel manager class there",
    ),
    (
        "VoilaConfiguration.multi_kernel_manager_class, preheat_kernel, default_pool_size",
        lambda: [
            name
            for name in ("multi_kernel_manager_class", "preheat_kernel", "default_pool_size")
            if name
            in __import__("voila.configuration", fromlist=["VoilaConfiguration"]).VoilaConfiguration.class_trait_names()
        ][2],
        "the kernel cap and the preheated simulator kernel are set through them",
    ),
    (
        "the pooled kernel manager's _pools, kernel_pools_config and get_rendered_notebook",
        lambda: [
            word
            for word in ("self._pools", "kernel_pools_config", "def get_rendered_notebook")
            if word in _voila_kernel_manager_source()
        ][2],
        "CourseKernelManager counts pool kernels and CourseVoila wraps get_rendered_notebook",
    ),
]


@pytest.mark.parametrize(("internal", "find", "why"), INTERNALS, ids=[i[0] for i in INTERNALS])
def test_each_patched_voila_internal_is_still_there(internal, find, why):
    try:
        find()
    except (AttributeError, ImportError, IndexError) as error:
        pytest.fail(
            f"Voilà {version('voila')} n'a plus « {internal} » ({error}) : widgets/voila_app.py s'en sert ({why}). "
            "Adaptez le patch, puis lancez tests/browser/test_kernels.py et tests/security."
        )


def test_the_list_names_what_voila_app_patches():
    """A new patch in voila_app.py must be listed above: the guard is only as good as its list."""
    source = (REPO / "widgets" / "voila_app.py").read_text(encoding="utf-8")
    overridden = set(re.findall(r"class Course\w+\((\w+)\)", source))
    listed = " ".join(internal for internal, _find, _why in INTERNALS)
    # Jupyter Server's and the course's own bases are not Voilà internals.
    voila_bases = overridden - {"AsyncMappingKernelManager", "BaseVoilaHandler", "Voila"}
    missing = sorted(base for base in voila_bases if base not in listed)
    assert not missing, f"widgets/voila_app.py dérive de {missing} : ajoutez-les à INTERNALS avec la raison."
