"""``python -m widgets.leger [--port 8010] [--voila URL]``: the light face alone, on 127.0.0.1.

Why: to try the light pages without building the book, and to serve them beside a book that is not
served by ``widgets/serve.py``. ``make serve`` does not use it: the book's server answers ``/leger/``
itself (the same :func:`widgets.leger.web.respond`).
"""

from __future__ import annotations

import argparse
import asyncio

from widgets.serve import HOST, voila_url


async def serve(port: int, voila: str) -> None:
    import tornado.httpserver

    from widgets.leger.web import make_app

    server = tornado.httpserver.HTTPServer(make_app(voila), xheaders=False)
    server.listen(port, address=HOST)
    print(f"Exercices en version légère : http://{HOST}:{port}/leger/ (Ctrl-C pour arrêter)", flush=True)
    await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Les exercices en version légère, seuls")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--voila", default=voila_url(), help="adresse …/voila/render de la version complète")
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.port, args.voila))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
