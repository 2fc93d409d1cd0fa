"""The course's tests, one package per kind (unit, content, browser, security, deploy) plus shared helpers.

Why packages rather than loose folders: each folder has its own ``conftest.py`` and helper modules
(``checks``, ``probes``, ``hub_session``…); as packages their names are ``tests.browser.conftest``,
``tests.security.probes``…, unique in one pytest session and in one mypy run (``make lint`` type-checks
the tests), and a test imports its neighbours relatively (``from .probes import raw_get``) instead of
relying on its folder being put on ``sys.path``.
"""
