"""The versioned result format: records, (de)serialization, atomic saving and loading.

Format history (bump FORMAT_VERSION and add a step to MIGRATIONS on every change):
  1 — first version: run metadata, benchmarks with metrics, samples and summaries.
  2 — benchmarks gain ``memory_timeline`` (memory-profiler's RSS timeline of peakmem cases).
  3 — metrics gain ``processes``: how many of the samples each worker process took, in order.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from harness.atomic import write_atomic
from harness.errors import InputError
from harness.stats import summarize

FORMAT_VERSION = 3
FORMAT_NAME = "bench-result"
SCHEMA_PATH = Path(__file__).parent / "schema" / f"result-v{FORMAT_VERSION}.schema.json"


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 recorded no memory timelines: every benchmark gets an empty one."""
    benchmarks = [{**b, "memory_timeline": []} for b in data["benchmarks"]]
    return {**data, "format_version": 2, "benchmarks": benchmarks}


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 measured every benchmark in one worker process: one group of samples."""
    benchmarks = [
        {**b, "metrics": [{**m, "processes": [len(m["samples"])]} for m in b["metrics"]]}
        for b in data["benchmarks"]
    ]
    return {**data, "format_version": 3, "benchmarks": benchmarks}


# Steps from version N to N+1, applied in order to older files.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3}


@dataclass(frozen=True)
class Metric:
    """One measured quantity of a benchmark: its samples and their summary."""

    name: str
    unit: str
    direction: str  # "lower" or "higher" is better
    kind: str  # "sampled" (noisy, judged statistically) or "exact" (counters, judged exactly)
    samples: tuple[float, ...]
    summary: dict[str, float | int] = field(default_factory=dict)
    # Samples per worker process, in order (sums to len(samples)); () when not recorded.
    processes: tuple[int, ...] = ()

    def by_process(self) -> list[tuple[float, ...]]:
        """The samples grouped by the worker process that took them (one group if unknown)."""
        if not self.processes or sum(self.processes) != len(self.samples):
            return [self.samples] if self.samples else []
        groups, start = [], 0
        for count in self.processes:
            groups.append(self.samples[start : start + count])
            start += count
        return [g for g in groups if g]

    def regrouped(self, groups: list[tuple[float, ...]]) -> Metric:
        """This metric with ``groups`` (one tuple of samples per process) as its samples."""
        samples = tuple(x for g in groups for x in g)
        return replace(
            self, samples=samples, summary=summarize(samples), processes=tuple(map(len, groups))
        )


@dataclass(frozen=True)
class BenchmarkResult:
    """The outcome of one case: ok with metrics, or failed with the reason."""

    id: str
    name: str
    params: dict[str, Any]
    status: str  # "ok", "failed", or "skipped" (its setup raised NotImplementedError)
    metrics: tuple[Metric, ...] = ()
    error: str | None = None
    duration_s: float = 0.0
    # peakmem benchmarks: memory-profiler's RSS timeline of the first sample, MiB every 10 ms.
    memory_timeline: tuple[float, ...] = ()

    def metric(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if m.name == name), None)

    def extended(self, more: BenchmarkResult) -> BenchmarkResult:
        """This result with the samples of ``more`` (further worker processes) appended.

        A failure or skip on either side wins: a benchmark that failed in one of its processes
        is failed. Metrics only ``more`` has are dropped (the first process decides the set).
        """
        if self.status != "ok":
            return self
        if more.status != "ok":
            return replace(more, duration_s=self.duration_s + more.duration_s)
        metrics = tuple(_joined(m, more.metric(m.name)) for m in self.metrics)
        return replace(self, metrics=metrics, duration_s=self.duration_s + more.duration_s)


def _joined(metric: Metric, more: Metric | None) -> Metric:
    if more is None or not more.samples:
        return metric
    return metric.regrouped(metric.by_process() + more.by_process())


@dataclass(frozen=True)
class RunResult:
    """A whole run: where and how it ran, and every benchmark finished so far."""

    run_id: str
    meta: dict[str, Any]
    benchmarks: tuple[BenchmarkResult, ...] = ()
    complete: bool = False

    def with_benchmark(self, result: BenchmarkResult) -> RunResult:
        return replace(self, benchmarks=self.benchmarks + (result,))

    def with_process(self, result: BenchmarkResult) -> RunResult:
        """Add ``result``, or extend the benchmark of the same id with its samples."""
        if all(b.id != result.id for b in self.benchmarks):
            return self.with_benchmark(result)
        merged = tuple(b.extended(result) if b.id == result.id else b for b in self.benchmarks)
        return replace(self, benchmarks=merged)

    def finished(self, meta_updates: dict[str, Any]) -> RunResult:
        return replace(self, meta={**self.meta, **meta_updates}, complete=True)


def to_dict(run: RunResult) -> dict[str, Any]:
    return {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, **asdict(run)}


def from_dict(data: dict[str, Any], source: str = "<memory>") -> RunResult:
    data = _migrate(data, source)
    try:
        benchmarks = tuple(
            BenchmarkResult(
                **{
                    **b,
                    "metrics": tuple(
                        Metric(
                            **{
                                **m,
                                "samples": tuple(m["samples"]),
                                "processes": tuple(m["processes"]),
                            }
                        )
                        for m in b["metrics"]
                    ),
                    "memory_timeline": tuple(b["memory_timeline"]),
                }
            )
            for b in data["benchmarks"]
        )
        return RunResult(data["run_id"], data["meta"], benchmarks, data["complete"])
    except (KeyError, TypeError) as exc:
        raise InputError(f"{source}: not a valid bench result ({exc})") from None


def _migrate(data: Any, source: str) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise InputError(f"{source}: not a bench result file")
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise InputError(
            f"{source}: result format version {version!r} is not supported by this bench "
            f"(it reads versions 1 to {FORMAT_VERSION}); upgrade bench to read it"
        )
    migrated: dict[str, Any] = data
    while version < FORMAT_VERSION:
        migrated = MIGRATIONS[version](migrated)
        version += 1
    return migrated


def dumps(run: RunResult) -> str:
    return json.dumps(to_dict(run), indent=1, sort_keys=False, default=repr) + "\n"


def save(run: RunResult, path: Path) -> Path:
    """Write ``run`` to ``path`` atomically: readers never see a partial file."""
    write_atomic(path, dumps(run))
    return path


def load(path: Path) -> RunResult:
    """Read a result file; a missing, corrupt or unknown-version file raises ``InputError``."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(f"{path}: no such result file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read result file ({exc})") from None
    return from_dict(data, str(path))
