"""Benchmarks that misbehave; each must be recorded as failed while the run goes on."""

from __future__ import annotations

import time


def time_raises() -> None:
    raise RuntimeError("boom from the benchmark")


def time_hangs() -> None:
    time.sleep(60)


time_hangs.timeout = 2  # type: ignore[attr-defined]


def time_greedy() -> None:
    hoard = bytearray(500 * 2**20)
    for i in range(0, len(hoard), 4096):
        hoard[i] = 1
    time.sleep(5)


time_greedy.timeout = 30  # type: ignore[attr-defined]
time_greedy.max_rss_mb = 300  # type: ignore[attr-defined]


def track_nan() -> float:
    return float("nan")


class InfiniteCounter:
    def time_it(self) -> None:
        pass

    def counters(self) -> dict[str, float]:
        return {"requests": float("inf")}
