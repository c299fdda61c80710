"""Pacing: a client-side token bucket, and the server's own quota read from response headers.

Both count and time their waits in :class:`~analyzer.counters.ApiCounters`. Neither ever sends
a request: the server's quota comes from the ``x-ratelimit-*`` headers of ordinary responses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

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
    """The primary rate limit as the server last reported it; waits for the reset at zero."""

    def __init__(
        self,
        counters: ApiCounters,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
        max_wait_s: float = MAX_RESET_WAIT_S,
    ) -> None:
        self.counters = counters
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
        self.counters.record_quota(shown, _header_int(headers, "x-ratelimit-limit"))

    def exhausted_wait(self) -> float:
        """Seconds until the reset if the quota is used up, else 0."""
        with self._lock:
            if self._remaining is None or self._remaining > 0:
                return 0.0
            ahead = self._reset - self._clock()
            # A reset already passed means a new window: nothing to wait for.
            return ahead + RESET_MARGIN_S if ahead > 0 else 0.0

    def wait_if_exhausted(self, what: str) -> None:
        """Before a request: sleep until the reset when the quota is at zero."""
        wait = self.exhausted_wait()
        if wait > 0:
            self.wait(wait, what)
            with self._lock:
                self._remaining = None  # unknown until the next response says otherwise

    def wait(self, seconds: float, what: str) -> None:
        """Sleep ``seconds`` for the rate limit, or fail if that is longer than allowed."""
        if seconds > self._max_wait_s:
            raise RateLimitError(
                f"rate limit exhausted for GET {what}; the reset is {seconds:.0f} s away "
                f"(longest accepted wait {self._max_wait_s:.0f} s)"
            )
        self._sleep(seconds)
        self.counters.record_wait("rate_limit", seconds)


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None
