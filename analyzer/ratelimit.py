"""Pacing: a client-side token bucket, and the server's own quota read from response headers.

Both count and time their waits in :class:`~analyzer.counters.ApiCounters`. Neither ever sends
a request: the server's quota comes from the ``x-ratelimit-*`` headers of ordinary responses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from analyzer.counters import ApiCounters
from analyzer.errors import RateLimitError

Sleep = Callable[[float], None]
Clock = Callable[[], float]
# Longest wait for a primary-limit reset we accept before failing (GitHub's window is an hour).
MAX_RESET_WAIT_S = 3700.0
RESET_MARGIN_S = 1.0


class RateLimiter:
    """A thread-safe token bucket: ``per_minute`` requests per minute, bursts of ``burst``.

    A caller that finds the bucket empty reserves the next token (the level goes negative) and
    sleeps outside the lock for exactly its own share, so waiting threads queue fairly.
    ``per_minute == 0`` switches pacing off.
    """

    def __init__(
        self,
        per_minute: int,
        burst: int,
        counters: ApiCounters | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(max(1, burst))
        self.counters = counters or ApiCounters()
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._tokens = self.capacity
        self._stamp = clock()

    def acquire(self) -> float:
        """Take one token, waiting if needed; returns the time waited (s)."""
        if self.rate <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1.0
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
            self.counters.record_wait("limiter", wait)
        return wait


class ServerQuota:
    """One primary rate limit as the server last reported it; waits for the reset at zero.

    ``resource`` is GitHub's ``x-ratelimit-resource``: ``core`` counts REST requests, ``graphql``
    counts GraphQL points; each is a separate budget with its own reset.
    """

    def __init__(
        self,
        counters: ApiCounters,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
        max_wait_s: float = MAX_RESET_WAIT_S,
        resource: str = "core",
    ) -> None:
        self.counters = counters
        self.resource = resource
        self._clock, self._sleep = clock, sleep
        self._max_wait_s = max_wait_s
        self._lock = threading.Lock()
        self._remaining: int | None = None
        self._reset: float = 0.0

    def observe(self, headers: Mapping[str, str]) -> None:
        """Read ``x-ratelimit-remaining`` and ``-reset``; keep the lowest count of a window."""
        remaining, reset = (
            _header_int(headers, "x-ratelimit-remaining"),
            _header_int(headers, "x-ratelimit-reset"),
        )
        if remaining is None:
            return
        with self._lock:
            reset_at = float(reset or 0)
            if reset_at > self._reset or self._remaining is None:
                self._remaining, self._reset = remaining, reset_at
            elif reset_at == self._reset:
                self._remaining = min(self._remaining, remaining)
            shown = self._remaining
        limit = _header_int(headers, "x-ratelimit-limit")
        self.counters.record_quota(shown, limit, self.resource)

    def exhausted_wait(self, needed: int = 1) -> float:
        """Seconds until the reset if fewer than ``needed`` units are left, else 0."""
        with self._lock:
            if self._remaining is None or self._remaining >= needed:
                return 0.0
            ahead = self._reset - self._clock()
            # A reset already passed means a new window: nothing to wait for.
            return ahead + RESET_MARGIN_S if ahead > 0 else 0.0

    def wait_if_exhausted(self, what: str, needed: int = 1) -> None:
        """Before a request: sleep until the reset when fewer than ``needed`` units are left
        (one request for REST; a query's points for GraphQL)."""
        wait = self.exhausted_wait(needed)
        if wait > 0:
            self.wait(wait, what)
            with self._lock:
                self._remaining = None  # unknown until the next response says otherwise

    def wait(self, seconds: float, what: str) -> None:
        """Sleep ``seconds`` for the rate limit, or fail if that is longer than allowed."""
        if seconds > self._max_wait_s:
            raise RateLimitError(
                f"rate limit exhausted for {what}; the reset is {seconds:.0f} s away "
                f"(longest accepted wait {self._max_wait_s:.0f} s)"
            )
        self._sleep(seconds)
        self.counters.record_wait("rate_limit", seconds)


class PointsBudget(ServerQuota):
    """GraphQL points, spent by queries sent in parallel.

    Each query reserves its expected points before it goes, so parallel queries cannot overrun
    a known budget together: when fewer points are left than a query needs, it waits for the
    reset instead. While the budget is unknown (no GraphQL answer yet, or a reset just passed),
    one query at a time goes out to learn it.
    """

    def __init__(
        self,
        counters: ApiCounters,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
        max_wait_s: float = MAX_RESET_WAIT_S,
    ) -> None:
        super().__init__(counters, clock, sleep, max_wait_s, resource="graphql")
        self._probe = threading.Lock()

    @contextmanager
    def spending(self, points: int, what: str) -> Iterator[None]:
        """Around one query of ``points``: learn the budget first, wait if short, reserve."""
        probe = None
        if not self._known():
            self._probe.acquire()
            if self._known():
                self._probe.release()
            else:
                probe = self._probe
        try:
            self._reserve(points, what)
            yield
        finally:
            if probe is not None:
                probe.release()

    def _known(self) -> bool:
        with self._lock:
            return self._remaining is not None

    def _reserve(self, points: int, what: str) -> None:
        with self._lock:
            if self._remaining is None:
                return  # unknown: this query learns it
            if self._remaining >= points:
                self._remaining -= points
                return
            ahead = self._reset - self._clock()
            if ahead <= 0:
                self._remaining = None  # the reset passed: a new window, unknown again
                return
        self.wait(ahead + RESET_MARGIN_S, what)
        with self._lock:
            self._remaining = None


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None
