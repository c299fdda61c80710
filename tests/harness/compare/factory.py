"""Synthetic run results for the comparison and report tests (no benchmark is run)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import numpy as np

from harness.meta import GitInfo, MachineInfo, PythonInfo, RunMeta
from harness.records import BenchmarkResult, Direction, Kind, Metric, ProcessRun, RunResult, Status

RUN_ID = re.compile(r"[0-9]{8}T[0-9]{12}Z")
META = RunMeta(
    start_time="2026-01-02T03:04:05Z",
    machine=MachineInfo(hostname="ci-box", cpu_model="Test CPU", cores=2),
    python=PythonInfo(version="3.11.7", implementation="CPython"),
    git=GitInfo(commit="0123456789abcdef", branch="main", dirty=False),
)


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
    processes: int | None = None,
) -> Metric:
    """A metric whose samples were taken by ``processes`` worker processes, evenly split; by
    default a sampled metric has one process per sample (so that verdicts judge these values
    at the level of processes) and a counter one process."""
    if processes is None:
        processes = len(samples) if Kind(kind) is Kind.SAMPLED and samples else 1
    return Metric(name, unit, Direction(direction), Kind(kind), split(samples, processes))


def split(samples: tuple[float, ...], processes: int) -> tuple[ProcessRun, ...]:
    """``samples`` cut into ``processes`` runs of equal length (rounds 0, 1, …)."""
    size = len(samples) // processes
    return tuple(
        ProcessRun(tuple(samples[k * size : (k + 1) * size]), round=k) for k in range(processes)
    )


def counter(name: str, value: float, n: int = 10, processes: int = 1) -> Metric:
    return metric(name, (float(value),) * n, kind="exact", unit="count", processes=processes)


def bench(
    bench_id: str,
    *metrics: Metric,
    status: str = "ok",
    error: str | None = None,
    params: dict[str, Any] | None = None,
) -> BenchmarkResult:
    name = bench_id.split("(", 1)[0]
    return BenchmarkResult(bench_id, name, params or {}, Status(status), tuple(metrics), error)


def run(label: str, *benchmarks: BenchmarkResult, **meta: Any) -> RunResult:
    """A complete run; its id is a valid run id made from ``label`` (labels sort as ids do)."""
    return RunResult(run_id(label), replace(META, **meta), tuple(benchmarks), complete=True)


def run_id(label: str) -> str:
    """``"a"`` -> ``20260102T000000000097Z``: a run id that sorts like its label."""
    if RUN_ID.fullmatch(label):
        return label
    number = int.from_bytes(label.encode()[:5].ljust(5, b"\0"), "big") % 10**12
    return f"20260102T{number:012d}Z"


def timed(
    bench_id: str, seed: int, median: float, cv: float = 0.05, n: int = 10, **kw: Any
) -> BenchmarkResult:
    """A time benchmark with a ``time`` metric and a ``requests`` counter of 5."""
    return bench(bench_id, metric("time", noisy(seed, median, cv, n)), counter("requests", 5), **kw)
