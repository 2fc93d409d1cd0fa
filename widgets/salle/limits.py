"""In-memory rate limits of the participants' server: per client, per session and for the whole server.

Why: a participant with a laptop could otherwise ask for a new token a thousand times (and vote
with each), send 300 votes a second, or walk the million session codes. Each kind of request has a
*token bucket*: a bucket holds ``capacity`` requests and refills at ``per_minute``; a request that
finds it empty is refused with a French « attendez un peu » (HTTP 429) and the time to wait.

Privacy: a client is known by an HMAC of its address with a secret drawn when the process starts
(:meth:`Limiter.client`): no address is kept, even in memory, and the key means nothing after a
restart. Nothing here is written anywhere; a restart empties every bucket.

Memory: each kind keeps at most ``MAX_KEYS`` buckets. When it is full, buckets back at capacity
(the same as no bucket) are dropped first, then the ones idle the longest; a flood of new addresses
can thus only make the server forget some per-client history, never grow without bound, and the
per-session and whole-server buckets (a few keys) are never evicted by it.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_KEYS = 20_000


@dataclass(frozen=True)
class Rule:
    capacity: float
    per_minute: float

    @property
    def per_second(self) -> float:
        return self.per_minute / 60


# What a person on a phone never reaches, what a script reaches in seconds (docs/mode-groupe.md).
RULES: dict[str, Rule] = {
    # New participant tokens (a page opened without one): a phone needs one per session.
    "jeton-client": Rule(3, 0.5),
    "jeton-seance": Rule(120, 60),
    # Wrong session codes (and forged tokens, per client): the code walk. Refunded when the code is right.
    "code-client": Rule(10, 6),
    "code-serveur": Rule(60, 30),
    # Votes: a tap every few seconds; a continuum of 30 situations in a couple of minutes.
    "vote-client": Rule(40, 60),
    "vote-seance": Rule(400, 1200),
    # Pages (after each vote, and when the trainer moves on) and the 2-second state polling.
    "page-client": Rule(60, 120),
    "page-seance": Rule(1200, 6000),
    "etat-client": Rule(20, 60),
    "etat-seance": Rule(300, 3600),
    # The trainer's API (scripts, tests): generous, but not a flood.
    "formateur-client": Rule(60, 240),
}


class Limiter:
    """Token buckets by kind and key, for one process (used from the event loop only: no lock)."""

    def __init__(
        self,
        rules: dict[str, Rule] | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
    ):
        self.rules = dict(RULES if rules is None else rules)
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, dict[str, list[float]]] = {kind: {} for kind in self.rules}
        self._salt = secrets.token_bytes(32)

    def client(self, address: str | None) -> str:
        """A key for one client that is not its address (and cannot be turned back into it)."""
        digest = hmac.new(self._salt, (address or "").encode("utf-8"), hashlib.sha256).hexdigest()
        return digest[:24]

    def _bucket(self, kind: str, key: str) -> list[float]:
        """[level, last refill] of a bucket, refilled up to now."""
        rule = self.rules[kind]
        buckets = self._buckets[kind]
        now = self.clock()
        bucket = buckets.get(key)
        if bucket is None:
            if len(buckets) >= self.max_keys:
                self._evict(kind, now)
            bucket = buckets[key] = [rule.capacity, now]
        else:
            bucket[0] = min(rule.capacity, bucket[0] + (now - bucket[1]) * rule.per_second)
            bucket[1] = now
        return bucket

    def _evict(self, kind: str, now: float) -> None:
        rule = self.rules[kind]
        buckets = self._buckets[kind]
        full = [
            key for key, (level, last) in buckets.items() if level + (now - last) * rule.per_second >= rule.capacity
        ]
        for key in full:
            del buckets[key]
        if len(buckets) >= self.max_keys:
            oldest = sorted(buckets, key=lambda key: buckets[key][1])[: len(buckets) // 2 + 1]
            for key in oldest:
                del buckets[key]

    def take(self, kind: str, key: str, cost: float = 1.0) -> bool:
        """Use ``cost`` from the bucket; False (nothing used) when it does not hold that much."""
        bucket = self._bucket(kind, key)
        if bucket[0] < cost:
            return False
        bucket[0] -= cost
        return True

    def give_back(self, kind: str, key: str, amount: float = 1.0) -> None:
        """Return what a request took once it proved legitimate (a right code costs nothing)."""
        bucket = self._bucket(kind, key)
        bucket[0] = min(self.rules[kind].capacity, bucket[0] + amount)

    def wait(self, kind: str, key: str, cost: float = 1.0) -> int:
        """Whole seconds until ``cost`` is available again (for the Retry-After header)."""
        bucket = self._bucket(kind, key)
        missing = max(0.0, cost - bucket[0])
        return max(1, math.ceil(missing / self.rules[kind].per_second)) if missing else 0

    def size(self, kind: str) -> int:
        return len(self._buckets[kind])
