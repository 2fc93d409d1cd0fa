"""The group mode's signed tokens and rate limits, as pure functions (no server, no clock but a fake one).

Why: these two pieces decide who counts as a participant and how fast a script may go; their
arithmetic is what docs/mode-groupe.md promises (a bucket of N, refilled at M a minute).
"""

from __future__ import annotations

import pytest

from widgets.salle import tokens
from widgets.salle.limits import RULES, Limiter, Rule


def test_a_token_is_valid_only_for_the_session_and_key_that_signed_it():
    key, other_key = "k" * 43, "m" * 43
    token = tokens.issue(key, "482913")
    assert tokens.PATTERN.fullmatch(token) and tokens.valid(key, "482913", token)
    nonce, mac = token.split(".")
    flipped = mac[:5] + ("A" if mac[5] != "A" else "B") + mac[6:]
    for forged in (
        tokens.issue(key, "482914"),  # another session of the same server
        tokens.issue(other_key, "482913"),  # the same code, after the session was erased and reopened
        f"{nonce}.{flipped}",
        f"{nonce}x.{mac}",
        "A" * 16 + "." + "A" * 22,
        token + " ",
        "",
        None,
        42,
    ):
        assert not tokens.valid(key, "482913", forged), forged
    assert not tokens.valid("", "482913", token)  # a session without a key accepts nobody
    assert len({tokens.issue(key, "482913") for _ in range(200)}) == 200
    with pytest.raises(ValueError):
        tokens.issue("", "482913")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_holds_its_capacity_then_refills_at_its_rate():
    clock = Clock()
    limiter = Limiter({"vote": Rule(3, 60)}, clock=clock)  # 3 at once, then one a second
    assert [limiter.take("vote", "a") for _ in range(4)] == [True, True, True, False]
    assert limiter.wait("vote", "a") == 1 and limiter.take("vote", "b")  # another client: its own bucket
    clock.now += 1.0
    assert limiter.take("vote", "a") and not limiter.take("vote", "a")
    clock.now += 60
    assert [limiter.take("vote", "a") for _ in range(4)] == [True, True, True, False]  # never above capacity
    limiter.give_back("vote", "a", 10)
    assert [limiter.take("vote", "a") for _ in range(4)] == [True, True, True, False]


def test_clients_are_known_by_a_keyed_hash_never_by_their_address():
    limiter, other = Limiter(), Limiter()
    key = limiter.client("192.168.1.12")
    assert key == limiter.client("192.168.1.12") and key != limiter.client("192.168.1.13")
    # Neither the address nor its digits in the key (« 192 » alone is in one random hex key in 200).
    assert "192.168.1.12" not in key and "192168112" not in key
    assert key != other.client("192.168.1.12")  # a new process, new keys


def test_a_flood_of_new_addresses_cannot_grow_memory_nor_evict_the_session_buckets():
    clock = Clock()
    limiter = Limiter({"client": Rule(2, 6), "session": Rule(2, 6)}, clock=clock, max_keys=100)
    assert limiter.take("session", "482913") and limiter.take("session", "482913")
    limiter.take("client", "attacker") and limiter.take("client", "attacker")
    for n in range(1000):
        limiter.take("client", f"address-{n}")
        clock.now += 0.001
    assert limiter.size("client") <= 100
    assert not limiter.take("session", "482913")  # still empty: other kinds are never evicted


def test_the_rules_a_phone_never_reaches():
    """What docs/mode-groupe.md says: a phone polls every 2 s, votes every few seconds, needs one token."""
    assert RULES["etat-client"].per_minute >= 30 * 2  # twice the polling of one page
    assert RULES["vote-client"].capacity >= 30  # a continuum of 30 situations in one go
    assert RULES["jeton-client"].capacity >= 2 and RULES["jeton-client"].per_minute <= 1
    assert RULES["code-client"].per_minute <= 10 and RULES["code-serveur"].per_minute <= 30
