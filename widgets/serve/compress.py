"""gzip for a tornado application, each version of a file compressed once.

Why not tornado's own ``compress_response`` alone: it compresses every answer again. The book's
theme script (1.5 MB) costs 70 to 400 ms of processor to compress on a 2-core machine, and a room of
30 arriving together would pay it 30 times, blocking the server meanwhile (bench/README.md). Here
the compressed body of a given address and ``ETag`` is kept in memory, bounded, and sent as is.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import ClassVar

import tornado.httputil
import tornado.web


class CompressOnce(tornado.web.GZipContentEncoding):
    """tornado's gzip, except that the compressed body of each version of a file (same address, same
    ``ETag``) is made once and kept in memory (at most :attr:`CACHE_BYTES`, least recently used
    first out). Only complete answers (200) are compressed: never a range, never a HEAD."""

    CACHE_BYTES = 32 * 2**20
    _cache: ClassVar[OrderedDict[tuple[str, str], bytes]] = OrderedDict()
    _cache_lock = threading.Lock()

    def __init__(self, request: tornado.httputil.HTTPServerRequest) -> None:
        super().__init__(request)
        self._path = request.path
        self._complete = request.method == "GET"
        self._key: tuple[str, str] | None = None
        self._collected: list[bytes] | None = None
        self._cached = False

    @classmethod
    def cached(cls, key: tuple[str, str]) -> bytes | None:
        with cls._cache_lock:
            body = cls._cache.get(key)
            if body is not None:
                cls._cache.move_to_end(key)
            return body

    @classmethod
    def clear(cls) -> None:
        """Forget every compressed body (benchmarks measure the first compression this way)."""
        with cls._cache_lock:
            cls._cache.clear()

    @classmethod
    def _store(cls, key: tuple[str, str], body: bytes) -> None:
        with cls._cache_lock:
            cls._cache[key] = body
            while sum(map(len, cls._cache.values())) > cls.CACHE_BYTES and len(cls._cache) > 1:
                cls._cache.popitem(last=False)

    def transform_first_chunk(
        self, status_code: int, headers: tornado.httputil.HTTPHeaders, chunk: bytes, finishing: bool
    ) -> tuple[int, tornado.httputil.HTTPHeaders, bytes]:
        if status_code != 200 or not self._complete:
            self._gzipping = False
        etag = headers.get("Etag")
        if self._gzipping and etag and chunk:
            self._key = (self._path, etag)
            body = self.cached(self._key)
            ctype = str(headers.get("Content-Type", "")).split(";")[0]
            if body is not None and self._compressible_type(ctype) and "Content-Encoding" not in headers:
                headers["Vary"] = "Accept-Encoding"
                headers["Content-Encoding"] = "gzip"
                headers["Content-Length"] = str(len(body))
                self._cached = True
                return status_code, headers, body
        status_code, headers, chunk = super().transform_first_chunk(status_code, headers, chunk, finishing)
        if self._gzipping and self._key is not None:
            self._collected = [chunk]
            if finishing:
                self._store(self._key, chunk)
        return status_code, headers, chunk

    def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
        if self._cached:
            return b""  # the whole compressed body went with the first chunk
        chunk = super().transform_chunk(chunk, finishing)
        if self._collected is not None and self._key is not None:
            self._collected.append(chunk)
            if finishing:
                self._store(self._key, b"".join(self._collected))
        return chunk
