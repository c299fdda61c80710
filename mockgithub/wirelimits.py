"""What one connection may cost the mock, and counters of the connections it had to cut.

Every bound is per connection: bytes of pipelined input held while a response is pending,
unsent output before the server stops reading requests (backpressure), and how long a request
may take to arrive, a connection may sit idle, or a client may leave output unread. A sweep
over the open connections, every ``sweep_s``, enforces the timeouts, so a request costs no timer
of its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class WireLimits:
    """Per-connection bounds; the defaults are what ``bench serve`` and the suites run with."""

    input_limit: int = 64 * 1024  # pipelined bytes held while a response is pending
    output_high: int = 1024 * 1024  # unsent bytes above which no further request is started
    output_low: int = 256 * 1024  # ... and below which requests are read again
    request_timeout_s: float = 10.0  # first byte of a request to its last (slowloris)
    idle_timeout_s: float = 60.0  # a keep-alive connection with no request
    send_timeout_s: float = 60.0  # a client that reads none of its pending output
    sweep_s: float = 1.0  # how often the timeouts are checked

    def __post_init__(self) -> None:
        if not 0 < self.output_low <= self.output_high or self.input_limit <= 0:
            raise ValueError("wire limits: expected 0 < output_low <= output_high, input_limit > 0")
        timeouts = (self.request_timeout_s, self.idle_timeout_s, self.send_timeout_s, self.sweep_s)
        if min(timeouts) <= 0:
            raise ValueError("wire limits: timeouts must be positive")


class Connection(Protocol):
    """What the sweep and the gauges need of a connection."""

    def buffered_input(self) -> int: ...
    def buffered_output(self) -> int: ...
    def check_deadlines(self, now: float) -> None: ...


class Wire:
    """The open connections of one listener, their limits, and counters of what was cut."""

    def __init__(self, limits: WireLimits | None = None) -> None:
        self.limits = limits or WireLimits()
        self.connections: set[Connection] = set()
        self.counters: Counter[str] = Counter()

    def count(self, event: str) -> None:
        self.counters[event] += 1

    def sweep(self, now: float) -> None:
        for connection in list(self.connections):
            connection.check_deadlines(now)

    def reset(self) -> None:
        self.counters = Counter()

    def snapshot(self) -> dict[str, Any]:
        """Gauges of now and counters since the last reset, for ``/_mock/stats``."""
        connections = list(self.connections)  # the loop thread may change the set meanwhile
        return {
            "connections_open": len(connections),
            "buffered_input_bytes": sum(c.buffered_input() for c in connections),
            "buffered_output_bytes": sum(c.buffered_output() for c in connections),
            **{name: self.counters[name] for name in sorted(WIRE_EVENTS)},
        }


# Counted events: requests refused by status, and connections closed by each timeout.
WIRE_EVENTS = frozenset(
    {
        "refused_400",
        "refused_413",
        "refused_431",
        "refused_501",
        "refused_505",
        "closed_request_timeout",
        "closed_idle",
        "closed_send_timeout",
    }
)
