"""``python -m widgets.serve``: what ``make serve`` runs (see :mod:`widgets.serve.launcher`)."""

from widgets.serve.launcher import main

raise SystemExit(main())
