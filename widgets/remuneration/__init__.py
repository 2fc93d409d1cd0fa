"""Simulateur « rémunérer une participation » : effet d'une offre payée sur RSA, prime d'activité, aide au logement, AAH.

One file per job: :mod:`.inputs` (vocabulary, checks, the simulated year), :mod:`.content` (profiles
and communes of ``data/``), :mod:`.explain` (French sentences), :mod:`.model` (``simulate`` and its
results), :mod:`.openfisca_adapter` (the only module that talks to OpenFisca), :mod:`.cache` (prepared
grids), :mod:`.figures` (the model's figures, through the cache), the page — :mod:`.view` (wiring),
:mod:`.fields` (what each field expects), :mod:`.form` (the inputs), :mod:`.panel` and :mod:`.results`
(the figures), :mod:`.chart`, :mod:`.worker` (computing in the background) — and ``__main__``
(``python -m widgets.remuneration CAS.yml``). Why a lazy ``show``: importing the package must not pull
ipywidgets, plotly or OpenFisca.
"""


def show() -> None:
    """Build and display the live simulator (used by the Voilà notebook).

    Here, and not in the view, the model is given its figures (:data:`.figures.SIMULATOR`: the
    cache, the shared computation service): the view asks the model and never touches the cache."""
    from widgets.remuneration.figures import SIMULATOR
    from widgets.remuneration.view import show as _show

    _show(SIMULATOR)
