"""Simulateur « rémunérer une participation » : effet d'une offre payée sur RSA, prime d'activité, aide au logement, AAH.

One file per job: :mod:`.inputs` (vocabulary, checks, the simulated year), :mod:`.content` (profiles
and communes of ``data/``), :mod:`.explain` (French sentences), :mod:`.model` (``simulate`` and its
results), :mod:`.openfisca_adapter` (the only module that talks to OpenFisca), :mod:`.cache` (prepared
grids), :mod:`.view` and :mod:`.chart` (the page), ``__main__`` (``python -m widgets.remuneration
CAS.yml``). Why a lazy ``show``: importing the package must not pull ipywidgets, plotly or OpenFisca.
"""


def show():
    """Build and display the live simulator (used by the Voilà notebook)."""
    from widgets.remuneration.view import show as _show

    return _show()
