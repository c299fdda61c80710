"""Injected latency and faults, decided per request from the seed and the request's number.

The model decides; the transport carries the decision out (sleep, stall, reset the connection).
A request's fate depends only on (seed, sequence number), so a fixed seed gives the same faults
in the same places on every run and through every transport.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from mockgithub.config import MockConfig

ERROR_MESSAGES = {500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass(frozen=True)
class Fate:
    """What happens to one request besides its normal answer."""

    delay_s: float
    fault: str | None = None  # "error", "stall", "reset" or "truncate"
    error_status: int = 0
    keep_fraction: float = 1.0  # for "truncate": how much of the body is sent


NO_FATE = Fate(0.0)


class FaultPlan:
    """Turns a config into per-request fates."""

    def __init__(self, config: MockConfig) -> None:
        self.config = config
        self._faults = (
            ("error", config.error_rate),
            ("stall", config.stall_rate),
            ("reset", config.reset_rate),
            ("truncate", config.truncate_rate),
        )
        self._any_fault = any(rate > 0 for _, rate in self._faults)
        self._random = self._any_fault or config.jitter_ms > 0

    def fate(self, sequence: int, endpoint: str) -> Fate:
        base_ms = self.config.endpoint_latency_ms.get(endpoint, self.config.latency_ms)
        if not self._random:
            return Fate(base_ms / 1000.0) if base_ms else NO_FATE
        rng = random.Random(self.config.seed * 1_000_003 + sequence)
        delay_s = (base_ms + self._jitter_ms(rng)) / 1000.0
        fault = self._fault(rng) if self._any_fault else None
        if fault is None:
            return Fate(delay_s)
        if fault == "stall":
            return Fate(delay_s + self.config.stall_ms / 1000.0, "stall")
        status = rng.choice((500, 502, 503)) if fault == "error" else 0
        return Fate(delay_s, fault, status, rng.uniform(0.2, 0.8))

    def _jitter_ms(self, rng: random.Random) -> float:
        jitter = self.config.jitter_ms
        if jitter <= 0:
            return 0.0
        kind = self.config.jitter_distribution
        if kind == "normal":
            return abs(rng.gauss(0.0, jitter))  # half-normal: jitter only adds
        if kind == "exponential":
            return rng.expovariate(1.0 / jitter)
        return rng.uniform(0.0, jitter)

    def _fault(self, rng: random.Random) -> str | None:
        roll = rng.random()
        for name, rate in self._faults:
            if roll < rate:
                return name
            roll -= rate
        return None
