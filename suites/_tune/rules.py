"""The selection rules of ``bench tune``: sweep numbers in, a chosen value out, nothing measured.

Each rule is stated in its docstring as docs/tuning.md states it, and is tested on given
numbers, so a noisy machine can change what is measured but never how it is judged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

KNEE_TOLERANCE = 0.10  # the knee: the fewest jobs within 10% of the best time
# Pacing keeps this share of the server's limit unused: the server counts a request when it
# arrives, the client when it leaves, so latency and jitter can move a request into the
# window before; 5% (at least one request) absorbs that.
PACING_MARGIN = 0.05
TTL_SHARE = 0.90  # the shortest TTL that saves 90% of what the best TTL saves
MAX_JOBS = 16  # MAX_PARALLEL_JOBS's own bound
MAX_BURST = 1000  # BURST_SIZE's own bound


def knee(best_times: Mapping[int, float], tolerance: float = KNEE_TOLERANCE) -> int:
    """The fewest jobs whose best time is within ``tolerance`` of the best time of all."""
    if not best_times:
        raise ValueError("knee of an empty sweep")
    best = min(best_times.values())
    return min(jobs for jobs, t in best_times.items() if t <= best * (1 + tolerance))


@dataclass(frozen=True)
class Limits:
    """What the server allows: ``limit`` requests per ``window_s`` (primary), and a secondary
    cap of ``secondary_per_minute`` requests to one endpoint (0: none)."""

    limit: int
    window_s: float
    secondary_per_minute: int = 0

    @property
    def usable(self) -> int:
        """The share of the limit pacing may plan to use (the limit less the margin)."""
        return max(1, self.limit - max(1, math.ceil(self.limit * PACING_MARGIN)))


@dataclass(frozen=True)
class Pacing:
    """A token bucket: ``rpm`` requests a minute (0: off) in bursts of ``burst``."""

    rpm: int
    burst: int

    def allows_in(self, seconds: float) -> float:
        """The most requests this bucket lets out in any interval of ``seconds``."""
        if self.rpm <= 0:
            return math.inf
        return self.burst + self.rpm * seconds / 60.0


def pacing_bound(limits: Limits, requests: int) -> Pacing:
    """The fastest bucket that never lets more than the usable limit into one window.

    A bucket lets out at most ``burst + rpm * window / 60`` requests in any window, so with
    ``U`` the usable limit, ``rpm = (U - burst) * 60 / window``. The burst is the requests of
    one analysis when they fit below ``U`` (one analysis then never waits, and the rate still
    protects the window from back-to-back runs); otherwise 1, since an analysis that cannot
    fit in a window waits ``(N - burst) / rpm`` and that grows with the burst. A secondary limit
    caps the rate and the burst too.
    """
    usable = limits.usable
    burst = requests if requests < usable else 1
    burst = max(1, min(burst, usable - 1 if usable > 1 else 1, MAX_BURST))
    per_minute = limits.window_s / 60.0  # a rate of 1 a minute lets this many in per window
    if usable - burst < per_minute:
        # The knob counts whole requests a minute: leave room for one a minute, or, for a
        # limit below one a minute (GitHub's 60 an hour without a token), come as close as
        # the knob can: 1 a minute in bursts of 1.
        burst = max(1, min(burst, math.floor(usable - per_minute)))
    rpm = max(1, math.floor((usable - burst) * 60.0 / limits.window_s))
    if limits.secondary_per_minute:
        # The secondary limit is per minute: burst + rpm must fit in it too.
        burst = min(burst, limits.secondary_per_minute)
        rpm = min(rpm, max(1, limits.secondary_per_minute - burst))
    return Pacing(rpm, burst)


def fastest_without_waits(rates: Mapping[int, int], bound: Pacing) -> int:
    """The fastest swept rate that never waited on the server, never above ``bound``.

    ``rates`` maps a rate (requests a minute) to the waits on the server it met. The bound
    holds for every alignment of the server's window; a sweep sees only some, so a faster rate
    that happened to pass is not trusted. With no clean rate, the slowest swept one.
    """
    clean = [rpm for rpm, limited in rates.items() if limited == 0 and rpm <= bound.rpm]
    return max(clean) if clean else min(rates)


def jobs_cap(pacing: Pacing, requests: int, latency_s: float) -> int:
    """The most jobs that can have work without waiting on the bucket.

    When one burst holds the whole analysis the bucket never makes a job wait: no cap. Else
    the bucket lets ``rpm / 60`` requests out a second, each in flight for ``latency_s``, so
    about ``rpm / 60 * latency_s`` are in flight at once (Little's law); more jobs only queue.
    """
    if pacing.rpm <= 0 or requests <= pacing.burst:
        return MAX_JOBS
    return max(1, min(MAX_JOBS, math.ceil(pacing.rpm / 60.0 * latency_s)))


def api_choice(points: Mapping[str, tuple[float, int]], tolerance: float = KNEE_TOLERANCE) -> str:
    """The API with the fewest requests among those within ``tolerance`` of the best time;
    ``points`` maps an API (rest, graphql) to its best time and its requests."""
    best = min(t for t, _ in points.values())
    near = [(requests, api) for api, (t, requests) in points.items() if t <= best * (1 + tolerance)]
    return min(near)[1]


@dataclass(frozen=True)
class TtlPoint:
    """One TTL simulated over a schedule: requests an hour, and the mean age of what was served."""

    ttl_s: int
    requests_per_hour: float
    quota_per_hour: float  # requests less the 304s, which GitHub does not count
    mean_staleness_s: float


def ttl_choice(points: list[TtlPoint], max_staleness_s: float, share: float = TTL_SHARE) -> int:
    """The shortest TTL, among those whose mean staleness stays within ``max_staleness_s``,
    that saves at least ``share`` of the requests the best of them saves (saved against the
    shortest TTL swept). Staleness is only bought where it saves requests."""
    allowed = [p for p in points if p.mean_staleness_s <= max_staleness_s] or [
        min(points, key=lambda p: p.ttl_s)
    ]
    worst = max(p.requests_per_hour for p in points)
    saved = {p.ttl_s: worst - p.requests_per_hour for p in allowed}
    best = max(saved.values())
    return min(ttl for ttl, s in saved.items() if s >= share * best)


@dataclass(frozen=True)
class CachePoint:
    """One cache location: its put and get times (median, s) and whether it outlives a run."""

    name: str
    backend: str
    directory: str | None
    put_s: float
    get_s: float
    persistent: bool


def cache_choice(points: list[CachePoint]) -> CachePoint:
    """The persistent location with the lowest put + get time (a memory cache is gone when the
    process ends, so a scheduled analysis could never hit it)."""
    persistent = [p for p in points if p.persistent] or points
    return min(persistent, key=lambda p: p.put_s + p.get_s)
