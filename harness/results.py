"""The versioned result format: records, (de)serialization, atomic saving and loading.

Format history (bump FORMAT_VERSION and add a step to MIGRATIONS on every change):
  1 — first version: run metadata, benchmarks with metrics, samples and summaries.
  2 — benchmarks gain ``memory_timeline`` (memory-profiler's RSS timeline of peakmem cases).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from harness.atomic import write_atomic
from harness.errors import InputError

FORMAT_VERSION = 2
FORMAT_NAME = "bench-result"
SCHEMA_PATH = Path(__file__).parent / "schema" / f"result-v{FORMAT_VERSION}.schema.json"


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 recorded no memory timelines: every benchmark gets an empty one."""
    benchmarks = [{**b, "memory_timeline": []} for b in data["benchmarks"]]
    return {**data, "format_version": 2, "benchmarks": benchmarks}


# Steps from version N to N+1, applied in order to older files.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


@dataclass(frozen=True)
class Metric:
    """One measured quantity of a benchmark: its samples and their summary."""

    name: str
    unit: str
    direction: str  # "lower" or "higher" is better
    kind: str  # "sampled" (noisy, judged statistically) or "exact" (counters, judged exactly)
    samples: tuple[float, ...]
    summary: dict[str, float | int] = field(default_factory=dict)


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


@dataclass(frozen=True)
class RunResult:
    """A whole run: where and how it ran, and every benchmark finished so far."""

    run_id: str
    meta: dict[str, Any]
    benchmarks: tuple[BenchmarkResult, ...] = ()
    complete: bool = False

    def with_benchmark(self, result: BenchmarkResult) -> RunResult:
        return replace(self, benchmarks=self.benchmarks + (result,))

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
                        Metric(**{**m, "samples": tuple(m["samples"])}) for m in b["metrics"]
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
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return data


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
