"""Counters of what the mock served, for ``/_mock/stats`` and ``MockModel.stats()``.

``requests_total`` counts every request to the GitHub API (control requests to ``/_mock/*`` are
not counted); the benchmark fixtures compare it exactly between runs.
"""

from __future__ import annotations

from collections import Counter
from typing import Any


class Stats:
    """Exact counters; not thread-safe on its own (the model holds its lock around it)."""

    def __init__(self) -> None:
        self.requests_total = 0
        self.by_endpoint: Counter[str] = Counter()
        self.by_status: Counter[int] = Counter()
        self.by_endpoint_status: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self.not_modified = 0
        self.rate_limited = 0
        self.secondary_rate_limited = 0
        self.bytes_sent = 0
        self.graphql_points = 0  # points charged to GraphQL queries
        self.peak_concurrency = 0

    def begin(self, in_flight: int) -> None:
        """A request started; ``in_flight`` (the model's exact count) includes it."""
        self.peak_concurrency = max(self.peak_concurrency, in_flight)

    def record(self, endpoint: str, status: int, body_bytes: int, limited: str | None) -> None:
        self.requests_total += 1
        self.by_endpoint[endpoint] += 1
        self.by_status[status] += 1
        self.by_endpoint_status[f"{endpoint} {status}"] += 1
        self.bytes_sent += body_bytes
        if status == 304:
            self.not_modified += 1
        if limited == "primary":
            self.rate_limited += 1
        elif limited == "secondary":
            self.secondary_rate_limited += 1

    def snapshot(self) -> dict[str, Any]:
        return {
            "requests_total": self.requests_total,
            "by_endpoint": dict(sorted(self.by_endpoint.items())),
            "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
            "requests": dict(sorted(self.by_endpoint_status.items())),
            "not_modified": self.not_modified,
            "rate_limited": self.rate_limited,
            "secondary_rate_limited": self.secondary_rate_limited,
            "faults": dict(sorted(self.faults.items())),
            "bytes_sent": self.bytes_sent,
            "graphql_points": self.graphql_points,
            "peak_concurrency": self.peak_concurrency,
        }
