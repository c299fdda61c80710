"""The client's token bucket: the cost of taking a token when pacing never makes it wait."""

from __future__ import annotations

from pytest_benchmark.fixture import BenchmarkFixture

from analyzer.ratelimit import RateLimiter


def _never_sleep(seconds: float) -> None:
    raise AssertionError(f"the limiter waited {seconds} s")


def test_acquire_pacing_off(benchmark: BenchmarkFixture) -> None:
    limiter = RateLimiter(0, 5, sleep=_never_sleep)
    assert benchmark(limiter.acquire) == 0.0


def test_acquire_large_rate(benchmark: BenchmarkFixture) -> None:
    # A rate and burst no benchmark can exhaust: every call takes the lock and refills.
    limiter = RateLimiter(10**12, 10**9, sleep=_never_sleep)
    assert benchmark(limiter.acquire) == 0.0
    assert limiter.counters.snapshot().get("limiter_waits", 0) == 0
