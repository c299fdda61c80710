"""A clock that moves only when told, for the analyzer's injected ``clock`` and ``sleep``.

The cache's TTLs and the rate limiter read time through a clock they are given; the suites'
TTL sweeps and the tests hand them this one, so hours pass without waiting.
"""

from __future__ import annotations


class FakeClock:
    """Epoch seconds that TTLs and rate-limit windows see; ``advance`` and ``sleep`` move it
    (``sleep`` also records the requested waits, for code that is given it as its sleep)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
