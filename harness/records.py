"""The records of a run, pyperf's shape: a metric holds *runs*, each one worker process's record.

::

    RunResult ── meta: RunMeta (harness.meta)
              └─ benchmarks: BenchmarkResult ── status: Status
                                            └─ metrics: Metric ── name, unit, direction, kind
                                                              └─ runs: ProcessRun ── samples

A worker process measures one case (or a batch of micro cases) once and sends back the very
``BenchmarkResult`` records the parent stores, each metric holding the one ``ProcessRun`` that
process took (``harness.codec`` carries them both ways). Further processes of the same case
append their runs; every summary is derived from the runs, never stored beside them.

This module must stay cheap to import: worker processes load it (no numpy, scipy, pandas).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from typing import Any

from harness.meta import RunMeta


class Status(StrEnum):
    """How a case ended in a run."""

    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"  # its setup raised NotImplementedError (asv's convention)


class Kind(StrEnum):
    """How a metric is judged."""

    SAMPLED = "sampled"  # noisy: judged statistically
    EXACT = "exact"  # counters: any change in the bad direction counts
    DETERMINISTIC = "deterministic"  # instructions: the ratio itself, past a small tolerance


class Direction(StrEnum):
    """Which way is better."""

    LOWER = "lower"
    HIGHER = "higher"


class Side(StrEnum):
    """Which side of a same-machine comparison a process measured (``current`` otherwise)."""

    CURRENT = "current"
    BASE = "base"


@dataclass(frozen=True)
class ProcessRun:
    """One worker process's samples of one metric: immutable, identified without its pid.

    ``round`` is the process's place in the run: round k measures process k of every case, and
    confirmation rounds continue the count. ``started_at`` (epoch seconds) and ``duration_s``
    time the worker process; None where unknown (files older than format 4).
    """

    samples: tuple[float, ...]
    round: int = 0
    side: Side = Side.CURRENT
    started_at: float | None = None
    duration_s: float | None = None

    def shifted(self, rounds: int) -> ProcessRun:
        return replace(self, round=self.round + rounds)


@dataclass(frozen=True)
class Metric:
    """One measured quantity of a benchmark: the runs that measured it."""

    name: str
    unit: str
    direction: Direction
    kind: Kind
    runs: tuple[ProcessRun, ...] = ()

    @classmethod
    def single(
        cls,
        name: str,
        unit: str,
        direction: Direction,
        kind: Kind,
        samples: Iterable[float],
        **run: Any,
    ) -> Metric:
        """A metric measured by one process (``run`` sets the ProcessRun's other fields)."""
        return cls(name, unit, direction, kind, (ProcessRun(tuple(samples), **run),))

    @cached_property
    def samples(self) -> tuple[float, ...]:
        """Every sample of every run, in run order."""
        return tuple(x for run in self.runs for x in run.samples)

    @cached_property
    def summary(self) -> dict[str, float | int]:
        """Median, mean, spread and a 95% CI of the median of all samples."""
        from harness.stats import summarize  # scipy: never in a worker's import path

        return summarize(self.samples)

    def with_runs(self, runs: Iterable[ProcessRun]) -> Metric:
        return replace(self, runs=self.runs + tuple(runs))


@dataclass(frozen=True)
class BenchmarkResult:
    """The outcome of one case: ok with metrics, or failed/skipped with the reason."""

    id: str
    name: str
    params: dict[str, Any]
    status: Status
    metrics: tuple[Metric, ...] = ()
    error: str | None = None
    duration_s: float = 0.0
    # peakmem benchmarks: memory-profiler's RSS timeline of the first sample, MiB every 10 ms.
    memory_timeline: tuple[float, ...] = ()
    version: str | None = None  # the benchmark's asv ``version`` attribute, when it sets one

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    def metric(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if m.name == name), None)

    def extended(self, more: BenchmarkResult, shift_rounds: int = 0) -> BenchmarkResult:
        """This result with the runs of ``more`` (further worker processes) appended.

        A failure or skip on either side wins: a benchmark that failed in one of its processes
        is failed. Metrics only ``more`` has (instructions, counted by a process of their own)
        are added. ``shift_rounds`` renumbers the rounds of ``more`` (pooled confirmation).
        """
        if not self.ok:
            return self
        if not more.ok:
            return replace(more, duration_s=self.duration_s + more.duration_s)
        metrics = tuple(_joined(m, more.metric(m.name), shift_rounds) for m in self.metrics)
        added = tuple(
            replace(m, runs=tuple(r.shifted(shift_rounds) for r in m.runs))
            for m in more.metrics
            if self.metric(m.name) is None
        )
        return replace(self, metrics=metrics + added, duration_s=self.duration_s + more.duration_s)

    def rounds(self) -> int:
        """One past the highest round of any run (0 when nothing was measured)."""
        return max((r.round + 1 for m in self.metrics for r in m.runs), default=0)


def _joined(metric: Metric, more: Metric | None, shift_rounds: int) -> Metric:
    if more is None:
        return metric
    return metric.with_runs(run.shifted(shift_rounds) for run in more.runs)


@dataclass(frozen=True)
class RunResult:
    """A whole run: where and how it ran, and every benchmark finished so far."""

    run_id: str
    meta: RunMeta = field(default_factory=RunMeta)
    benchmarks: tuple[BenchmarkResult, ...] = ()
    complete: bool = False

    def benchmark(self, bench_id: str) -> BenchmarkResult | None:
        return next((b for b in self.benchmarks if b.id == bench_id), None)

    def with_outcome(self, result: BenchmarkResult) -> RunResult:
        """Add ``result``, or extend the benchmark of the same id with its runs."""
        if self.benchmark(result.id) is None:
            return replace(self, benchmarks=self.benchmarks + (result,))
        merged = tuple(b.extended(result) if b.id == result.id else b for b in self.benchmarks)
        return replace(self, benchmarks=merged)

    def with_meta(self, **changes: Any) -> RunResult:
        return replace(self, meta=replace(self.meta, **changes))

    def finished(self, end_time: str) -> RunResult:
        return replace(self, meta=replace(self.meta, end_time=end_time), complete=True)
