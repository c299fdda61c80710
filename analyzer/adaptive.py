"""Adaptive concurrency: the guide's *dynamic load balancing*, as an AIMD limit on jobs in flight.

The limit starts low and rises by one job after each round of calls (as many calls as the
limit) whose latency stayed within ``tolerance`` of the baseline: the median of the recent
calls (with heavy-tailed latency the fastest call is far from typical; a baseline taken from
it called one call in seven a spike in the suite's scenario). The limit halves when a call's
latency spikes past ``spike`` times the baseline. When the server rate-limits a call, the
ceiling drops below the concurrency that met the limit (the server said where its cap is)
and the limit halves. As in TCP's congestion control, only calls that started after the last
decrease can cause another, so one spike seen by every job in flight is one decrease.

Bookkeeping only, with no clock of its own: callers time each call and report its latency and
whether the server limited it; :meth:`AdaptiveLimit.slot` blocks while the limit is full and
hands out the call's ticket (its place in the order calls started).
"""

from __future__ import annotations

import statistics
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

START = 2
TOLERANCE = 1.5  # a call within 1.5x the baseline "held" the latency
SPIKE = 3.0  # a call past 3x the baseline is a spike
RECENT = 32  # the baseline is the median of the last 32 calls


class AdaptiveLimit:
    """How many calls may run at once; thread-safe."""

    def __init__(
        self, ceiling: int, start: int = START, tolerance: float = TOLERANCE, spike: float = SPIKE
    ) -> None:
        self.ceiling = max(1, ceiling)
        self.limit = max(1, min(start, self.ceiling))
        self.tolerance, self.spike = tolerance, spike
        self.in_flight = 0
        self.history: list[int] = [self.limit]  # every limit taken, in order
        self._recent: deque[float] = deque(maxlen=RECENT)
        self._held = 0
        self._tickets = 0  # calls started so far
        self._decreased_at = 0  # calls started when the limit last fell
        self._cond = threading.Condition()

    @contextmanager
    def slot(self) -> Iterator[int]:
        """Hold one of the ``limit`` slots while the block runs; yields the call's ticket."""
        with self._cond:
            while self.in_flight >= self.limit:
                self._cond.wait()
            self.in_flight += 1
            ticket, self._tickets = self._tickets, self._tickets + 1
        try:
            yield ticket
        finally:
            with self._cond:
                self.in_flight -= 1
                self._cond.notify_all()

    def record(
        self,
        latency_s: float,
        limited: bool = False,
        concurrency: int = 0,
        ticket: int | None = None,
    ) -> None:
        """One call's outcome: its latency, whether the server rate-limited it while
        ``concurrency`` calls were in flight, and its ticket (default: started just now)."""
        with self._cond:
            started = self._tickets if ticket is None else ticket
            fresh = started >= self._decreased_at  # started after the last decrease
            if limited:
                self.ceiling = max(1, min(self.ceiling, (concurrency or self.limit) - 1))
                if fresh or self.limit > self.ceiling:
                    self._decrease()
            else:
                self._recent.append(latency_s)
                baseline = statistics.median(self._recent)
                if latency_s > self.spike * baseline:
                    if fresh:
                        self._decrease()
                elif latency_s <= self.tolerance * baseline:
                    self._held += 1
                    if self._held >= self.limit and self.limit < self.ceiling:
                        self._set(self.limit + 1)
            self._cond.notify_all()

    def _decrease(self) -> None:
        self._decreased_at = self._tickets
        self._set(max(1, min(self.ceiling, self.limit // 2)))

    def _set(self, limit: int) -> None:
        self._held = 0
        if limit != self.limit:
            self.limit = limit
            self.history.append(limit)
