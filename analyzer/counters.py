"""Exact counts of what the client did; one thread-safe ``snapshot()`` dict for the harness."""

from __future__ import annotations

import threading
from collections import Counter

Number = int | float


class ApiCounters:
    """Requests by status, cache outcomes, retries and waits, counted exactly.

    ``requests`` is the number of HTTP requests actually sent (responses received, whatever their
    status, plus attempts that died on the wire); cache hits send none.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_status: Counter[int] = Counter()
        self._events: Counter[str] = Counter()
        self._wait_s: dict[str, float] = {}
        self._quotas: dict[str, tuple[int, int | None]] = {}  # resource -> remaining, limit

    def record_status(self, status: int) -> None:
        with self._lock:
            self._by_status[status] += 1

    def record_event(self, name: str, count: int = 1) -> None:
        """Count ``name`` (``cache_hits``, ``cache_misses``, ``retries_5xx``, ...)."""
        with self._lock:
            self._events[name] += count

    def record_wait(self, kind: str, seconds: float) -> None:
        """One wait of ``kind`` (``limiter`` or ``rate_limit``) lasting ``seconds``."""
        with self._lock:
            self._events[f"{kind}_waits"] += 1
            key = f"{kind}_wait_s"
            self._wait_s[key] = self._wait_s.get(key, 0.0) + seconds

    def record_quota(self, remaining: int, limit: int | None, resource: str = "core") -> None:
        """The quota of ``resource`` (``core``: REST requests; ``graphql``: GraphQL points)."""
        with self._lock:
            self._quotas[resource] = (remaining, limit)

    @property
    def requests(self) -> int:
        with self._lock:
            return sum(self._by_status.values()) + self._events["connection_errors"]

    def snapshot(self) -> dict[str, Number]:
        """Every counter as a flat dict; absent events are 0, unknown quota is -1."""
        with self._lock:
            events = Counter(self._events)
            statuses = dict(sorted(self._by_status.items()))
            waits = dict(self._wait_s)
            remaining, limit = self._quotas.get("core", (None, None))
            points_left, points_limit = self._quotas.get("graphql", (None, None))
        answered = sum(statuses.values())
        hits, misses = events["cache_hits"], events["cache_misses"]
        revalidated = statuses.get(304, 0)
        counts: dict[str, Number] = {
            "requests": answered + events["connection_errors"],
            "not_modified": revalidated,
            "cache_hits": hits,
            "cache_misses": misses,
            "cache_revalidated": revalidated,
            "cache_hit_rate": 0.0,
            "retries": events["retries"],
            "retries_5xx": events["retries_5xx"],
            "retries_connection": events["retries_connection"],
            "retries_body": events["retries_body"],
            "connection_errors": events["connection_errors"],
            "rate_limited_responses": events["rate_limited_responses"],
            "rate_limit_waits": events["rate_limit_waits"],
            "rate_limit_wait_s": round(waits.get("rate_limit_wait_s", 0.0), 6),
            "limiter_waits": events["limiter_waits"],
            "limiter_wait_s": round(waits.get("limiter_wait_s", 0.0), 6),
            "rate_limit_remaining": -1 if remaining is None else remaining,
            "rate_limit_limit": -1 if limit is None else limit,
            "graphql_requests": events["graphql_requests"],
            "graphql_points": events["graphql_points"],
            "graphql_remaining": -1 if points_left is None else points_left,
            "graphql_limit": -1 if points_limit is None else points_limit,
        }
        counts.update({f"status_{code}": n for code, n in statuses.items()})
        counts["cache_hit_rate"] = hit_rate(counts)
        return counts


# Counters that describe a state, not a count: a delta makes no sense for them.
_STATES = ("rate_limit_remaining", "rate_limit_limit", "graphql_remaining", "graphql_limit")


def usage_since(before: dict[str, Number], after: dict[str, Number]) -> dict[str, Number]:
    """What happened between two snapshots (states such as the remaining quota: latest)."""
    usage: dict[str, Number] = {}
    for key, value in after.items():
        usage[key] = value if key in _STATES else value - before.get(key, 0)
    usage["cache_hit_rate"] = hit_rate(usage)
    return usage


def hit_rate(counts: dict[str, Number]) -> float:
    """Share of API lookups answered from the cache, fresh or revalidated by a 304."""
    lookups = counts.get("cache_hits", 0) + counts.get("cache_misses", 0)
    served = counts.get("cache_hits", 0) + counts.get("cache_revalidated", 0)
    return round(served / lookups, 6) if lookups else 0.0
