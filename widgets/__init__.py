"""« Faire avec » — the Python package behind every exercise of the course.

Each exercise is a sub-package with a pure model (``model.py``, no ipywidgets) and a thin view
(``view.py``); :mod:`widgets.data` is the single place that reads and validates ``data/``.
"""
