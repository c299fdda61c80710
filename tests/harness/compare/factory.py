"""Synthetic run results for the comparison and report tests (no benchmark is run)."""

from __future__ import annotations

from typing import Any

import numpy as np

from harness.results import BenchmarkResult, Metric, RunResult
from harness.stats import summarize

META: dict[str, Any] = {
    "start_time": "2026-01-02T03:04:05Z",
    "machine": {"hostname": "ci-box", "cpu_model": "Test CPU", "cores": 2},
    "python": {"version": "3.11.7", "implementation": "CPython"},
    "git": {"commit": "0123456789abcdef", "branch": "main", "dirty": False},
}


def noisy(seed: int, median: float, cv: float, n: int = 10) -> tuple[float, ...]:
    """``n`` log-normal samples around ``median`` with about ``cv`` relative spread."""
    rng = np.random.default_rng(seed)
    return tuple(float(x) for x in median * np.exp(rng.normal(0.0, cv, n)))


def metric(
    name: str,
    samples: tuple[float, ...],
    kind: str = "sampled",
    unit: str = "s",
    direction: str = "lower",
) -> Metric:
    return Metric(name, unit, direction, kind, tuple(samples), summarize(samples))


def counter(name: str, value: float, n: int = 10) -> Metric:
    return metric(name, (float(value),) * n, kind="exact", unit="count")


def bench(
    bench_id: str,
    *metrics: Metric,
    status: str = "ok",
    error: str | None = None,
    params: dict[str, Any] | None = None,
) -> BenchmarkResult:
    name = bench_id.split("(", 1)[0]
    return BenchmarkResult(bench_id, name, params or {}, status, tuple(metrics), error)


def run(run_id: str, *benchmarks: BenchmarkResult, **meta: Any) -> RunResult:
    return RunResult(run_id, {**META, **meta}, tuple(benchmarks), complete=True)


def timed(
    bench_id: str, seed: int, median: float, cv: float = 0.05, n: int = 10, **kw: Any
) -> BenchmarkResult:
    """A time benchmark with a ``time`` metric and a ``requests`` counter of 5."""
    return bench(bench_id, metric("time", noisy(seed, median, cv, n)), counter("requests", 5), **kw)
