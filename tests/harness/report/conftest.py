"""A fixed comparison with every verdict status, shared by the report tests."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.compare import Comparison, Policy, judge
from harness.meta import GitInfo
from tests.harness.compare.factory import bench, counter, metric, noisy, run, timed


def sample_comparison() -> Comparison:
    """Deterministic: fixed seeds in, the same verdicts out."""
    base = run(
        "20260101T000000000000Z",
        timed("cache.Get.time_get(backend='file')", 1, 0.010),
        timed("cache.Get.time_get(backend='redis')", 2, 0.020),
        timed("analysis.Run.time_cold(runs=100)", 3, 0.150),
        bench(
            "load.Scenario.track_rps",
            metric("rps", noisy(4, 900.0, 0.03), unit="req/s", direction="higher"),
        ),
        bench(
            "fetch.Pages.time_pages",
            metric("time", noisy(5, 0.5, 0.02, 3)),
            counter("requests", 12),
        ),
        timed("old.Gone.time_gone", 6, 0.001),
        timed("flaky.Crash.time_crash", 7, 0.002),
        bench("cache.Put.time_put", metric("time", noisy(8, 0.010, 0.005, 20))),
        bench("cache.Put.time_put_many", metric("time", noisy(9, 0.010, 0.005, 20))),
        git=GitInfo("9b8e7d6c5b4a39281706f5e4d3c2b1a098765432", "main", False,
                    "Merge #41: retries"),
    )  # fmt: skip
    current = run(
        "20260102T000000000000Z",
        timed("cache.Get.time_get(backend='file')", 11, 0.016),
        timed("cache.Get.time_get(backend='redis')", 12, 0.020),
        timed("analysis.Run.time_cold(runs=100)", 13, 0.090),
        bench(
            "load.Scenario.track_rps",
            metric("rps", noisy(14, 880.0, 0.03), unit="req/s", direction="higher"),
        ),
        bench(
            "fetch.Pages.time_pages",
            metric("time", noisy(15, 0.7, 0.02, 3)),
            counter("requests", 13),
        ),
        bench("flaky.Crash.time_crash", status="failed", error="RuntimeError: worker died"),
        timed("new.Added.time_added", 16, 0.003),
        bench("cache.Put.time_put", metric("time", noisy(18, 0.0108, 0.005, 20))),  # worse
        bench("cache.Put.time_put_many", metric("time", noisy(19, 0.0092, 0.005, 20))),  # better
        git=GitInfo("4f2a9c1e0d9b8a7f6e5d4c3b2a1908f7e6d5c4b3", "pr", False, "Cache job pages"),
    )  # fmt: skip
    return judge(base, replace(current, complete=False), Policy())


@pytest.fixture
def comparison() -> Comparison:
    return sample_comparison()
