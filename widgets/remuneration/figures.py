"""OpenFisca's figures for the model, from the cache: what the model's callers pass in.

Why a module of its own (issue 17): the model (:mod:`.model`) is pure and asks a
:class:`~widgets.remuneration.model.Figures` for its grids; this is the one the course uses. It
reads memory, then the disk cache (``make warm``), then asks the shared computation service
(:mod:`.remote`), else runs OpenFisca in this process (:mod:`.cache`). The view never imports the
cache: :func:`widgets.remuneration.view.show` hands it :data:`SIMULATOR`; the command line and
chapter 4's example use :data:`SIMULATOR` too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import cache
from . import openfisca_adapter as adapter
from .model import Grid, Pair, Simulator


class CachedFigures:
    """:class:`~widgets.remuneration.model.Figures` through :mod:`.cache` (memory, disk, service, else here)."""

    def grids(self, pairs: Sequence[Pair], full: bool) -> list[tuple[Grid, bool]]:
        found = cache.grids_for(pairs, full=full)
        grids = [found[cache.GridKey.of(household, offer)] for household, offer in pairs]
        return [(grid, cache.is_complete(grid)) for grid in grids]

    def parameters(self) -> cache.Constants:
        return cache.constants()

    def commune_name(self, depcom: str) -> str | None:
        return adapter.commune_name(depcom)

    def ready(self, pairs: Sequence[Pair]) -> bool:
        return all(cache.is_ready(household, offer) for household, offer in pairs)

    def complete_later(self, pairs: Sequence[Pair], on_done: Callable[[], None]) -> None:
        cache.complete_in_background(pairs, on_done)


#: The figures every caller of the course uses (the cache's state is per process anyway).
CACHED = CachedFigures()
#: The model on those figures: what the page, the command line and chapter 4's example ask.
SIMULATOR = Simulator(CACHED)
