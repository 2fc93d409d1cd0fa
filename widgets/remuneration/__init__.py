"""Simulateur « rémunérer une participation » : effet d'une offre payée sur RSA, prime d'activité, aide au logement, AAH.

Why a sub-package: the pure model (:mod:`.model`) must stay importable without OpenFisca, ipywidgets or
plotly, so that validation and profiles load instantly; the OpenFisca adapter (:mod:`.simulation`) and
the cache (:mod:`.precompute`) are only imported when a simulation is actually needed.
"""


def show():
    """Build and display the live simulator (used by the Voilà notebook)."""
    from widgets.remuneration.view import show as _show

    return _show()
