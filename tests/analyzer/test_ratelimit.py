"""The token bucket and the server-quota tracker, on a fake clock."""

from __future__ import annotations

import threading

import pytest

from analyzer.clock import FakeClock
from analyzer.counters import ApiCounters
from analyzer.ratelimit import RateLimiter, ServerQuota


def test_a_burst_passes_then_requests_are_paced() -> None:
    clock, counters = FakeClock(0.0), ApiCounters()
    limiter = RateLimiter(60, 3, counters, clock, clock.sleep)  # one per second, bursts of 3
    waits = [limiter.acquire() for _ in range(6)]
    assert waits == [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    counts = counters.snapshot()
    assert counts["limiter_waits"] == 3 and counts["limiter_wait_s"] == 3.0


def test_zero_rate_disables_pacing() -> None:
    clock = FakeClock(0.0)
    limiter = RateLimiter(0, 1, ApiCounters(), clock, clock.sleep)
    assert [limiter.acquire() for _ in range(100)] == [0.0] * 100


def test_threads_share_the_bucket_fairly() -> None:
    clock = FakeClock(0.0)
    lock = threading.Lock()

    def sleep(seconds: float) -> None:  # record only; time does not pass
        with lock:
            clock.sleeps.append(seconds)

    limiter = RateLimiter(600, 5, ApiCounters(), clock, sleep)  # 10 per second
    threads = [threading.Thread(target=limiter.acquire) for _ in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    # 5 free tokens; the other 20 each reserve the next slot: 0.1, 0.2, ... 2.0 s
    assert sorted(clock.sleeps) == pytest.approx([0.1 * k for k in range(1, 21)])


def test_the_quota_keeps_the_lowest_remaining_of_a_window() -> None:
    clock, counters = FakeClock(1000.0), ApiCounters()
    quota = ServerQuota(counters, clock, clock.sleep)
    quota.observe({"x-ratelimit-remaining": "5", "x-ratelimit-reset": "2000"})
    quota.observe({"x-ratelimit-remaining": "7", "x-ratelimit-reset": "2000"})  # late, stale
    assert counters.snapshot()["rate_limit_remaining"] == 5
    quota.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2000"})
    quota.wait_if_exhausted("/x")
    assert clock.sleeps == [1001.0]
    quota.wait_if_exhausted("/x")  # the reset passed: no second wait
    assert clock.sleeps == [1001.0]
