"""``python -m widgets.book build . …``: Jupyter Book's command line, without an import it does not use.

Why: each ``jupyter-book`` run imports jsonschema, which imports ``rfc3987_syntax`` when it is installed
(it comes with jupyter-events); that module compiles a Lark grammar at import time, about 1.5 s of
processor on the 2-core machines the course targets: a quarter of a one-line rebuild of the book.
Jupyter Book validates ``_config.yml`` with jsonschema but never checks the « iri » formats that
module provides, so this launcher hides it (jsonschema then simply skips those two formats) and hands
over to Jupyter Book with the same arguments. ``make book`` and ``make test-book`` use it.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # « import » now raises ImportError
    from jupyter_book.cli.main import main as jupyter_book

    jupyter_book(args=argv, prog_name="jupyter-book")


if __name__ == "__main__":
    main()
