"""How a bench run maps onto asv benchmarks: one asv benchmark ("series") per benchmark metric.

Naming, chosen so that asv's HTML groups a benchmark's metrics together:

- The metric that matches the benchmark's kind keeps asv's own name: the ``time`` metric of
  ``cache.ColdWarm.time_analysis`` is ``cache.ColdWarm.time_analysis``, the benchmark
  ``asv run`` itself would record (``track`` for ``track_*``, ``peakmem``, ``mem``; ``time``
  for anything else, such as the pytest-benchmark micro suites).
- Every other metric is ``<name>.<metric>``, e.g. ``cache.ColdWarm.time_analysis.requests``;
  characters other than letters, digits and ``_`` become ``_`` (``mock.requests`` is
  ``mock_requests``). asv's navigation shows them as a folder beside the benchmark.

Types and units: a metric in seconds is an asv ``time`` benchmark (unit ``seconds``),
``peakmem``/``mem`` in bytes are ``peakmemory``/``memory``, everything else (exact counters,
sampled extras such as throughput) is a ``track`` with bench's unit. Parameters keep asv's
form: ``param_names`` and, per axis, the ``repr`` of each value, so a bench series and asv's
own benchmark of the same name share one grid.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from harness.records import BenchmarkResult, Kind, Metric, RunResult

KINDS = {"time": "time", "track": "track", "peakmem": "peakmem", "mem": "mem"}
# asv's type and unit of a series whose benchmark failed everywhere (no metric to read them from).
_KIND_TYPES = {
    "time": ("time", "seconds"),
    "peakmem": ("peakmemory", "bytes"),
    "mem": ("memory", "bytes"),
    "track": ("track", "unit"),
}
_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class Point:
    """One parameter combination of a series: a value, or None (failed) or NaN (skipped)."""

    value: float | None
    samples: tuple[float, ...] | None = None  # set: asv computes its stats from them


@dataclass(frozen=True)
class Series:
    """One asv benchmark with this run's values for each parameter combination."""

    name: str
    type: str
    unit: str
    description: str
    param_names: tuple[str, ...]
    points: dict[tuple[str, ...], Point] = field(default_factory=dict)
    inferred: bool = False  # type and unit guessed from the kind: every case failed

    @property
    def axes(self) -> list[list[str]]:
        """This run's values of each parameter, in a natural order."""
        return [
            sorted({combo[i] for combo in self.points}, key=value_order)
            for i in range(len(self.param_names))
        ]

    def grid(self) -> list[Point | None]:
        """The points in asv's order (the product of the axes); None where nothing ran."""
        return [self.points.get(combo) for combo in itertools.product(*self.axes)]

    def entry(self) -> dict[str, Any]:
        """The series' entry in asv's ``benchmarks.json``."""
        return {
            "name": self.name,
            "type": self.type,
            "unit": self.unit,
            "code": self.description,
            "param_names": list(self.param_names),
            "params": self.axes,
            # None: asv's version check accepts bench's values whatever the code's hash.
            "version": None,
        }


def value_order(text: str) -> tuple[int, float, str]:
    """Numbers first, by value, then everything else by text."""
    try:
        return (0, float(text), text)
    except ValueError:
        return (1, 0.0, text)


def primary_metric(name: str) -> str:
    """The metric that keeps the benchmark's own asv name."""
    return KINDS.get(name.rsplit(".", 1)[-1].split("_", 1)[0], "time")


def series_name(benchmark_name: str, metric: str) -> str:
    if metric == primary_metric(benchmark_name):
        return benchmark_name
    return f"{benchmark_name}.{_UNSAFE.sub('_', metric)}"


def asv_type_unit(metric: Metric) -> tuple[str, str]:
    if metric.unit == "s":
        return "time", "seconds"
    if metric.unit == "bytes" and metric.name == "peakmem":
        return "peakmemory", "bytes"
    if metric.unit == "bytes" and metric.name == "mem":
        return "memory", "bytes"
    return "track", metric.unit


def combination(bench: BenchmarkResult) -> tuple[str, ...]:
    return tuple(repr(v) for v in bench.params.values())


def point_of(metric: Metric) -> Point:
    if not metric.samples:
        return Point(None)
    if metric.kind is Kind.EXACT:
        median = metric.summary.get("median")
        value = float(median) if median is not None else statistics.median(metric.samples)
        return Point(value)
    samples = tuple(float(s) for s in metric.samples)
    # asv replaces the value by its own median of the samples; it only needs a non-NA one.
    return Point(statistics.median(samples), samples)


def _describe(bench: BenchmarkResult, metric: Metric) -> str:
    return (
        f"bench: metric '{metric.name}' of {bench.name} "
        f"({metric.unit}, {metric.kind}, {metric.direction} is better)"
    )


def series_of(run: RunResult) -> list[Series]:
    """Every series of ``run``, sorted by name."""
    found: dict[str, Series] = {}
    for bench in run.benchmarks:
        combo = combination(bench)
        for metric in bench.metrics:
            kind, unit = asv_type_unit(metric)
            name = series_name(bench.name, metric.name)
            series = found.setdefault(
                name,
                Series(name, kind, unit, _describe(bench, metric), tuple(bench.params)),
            )
            series.points[combo] = point_of(metric)
        _mark_unmeasured(found, bench, combo)
    return [found[name] for name in sorted(found)]


def _mark_unmeasured(
    found: dict[str, Series], bench: BenchmarkResult, combo: tuple[str, ...]
) -> None:
    """A failed case is None and a skipped one NaN in its benchmark's primary series (as asv)."""
    if bench.ok:
        return
    name = bench.name
    if name not in found:
        kind, unit = _KIND_TYPES[primary_metric(name)]
        description = f"bench: {name} ({bench.status} in every recorded case)"
        found[name] = Series(name, kind, unit, description, tuple(bench.params), inferred=True)
    found[name].points[combo] = Point(math.nan if bench.status == "skipped" else None)


def merge_entries(old: dict[str, Any] | None, new: Series) -> dict[str, Any]:
    """A registry entry holding every parameter value either has seen, in a natural order."""
    entry = new.entry()
    if old is None or old.get("param_names") != entry["param_names"]:
        return entry
    if new.inferred:
        entry.update(type=old["type"], unit=old["unit"], code=old["code"])
    entry["params"] = [
        sorted(set(a) | set(b), key=value_order)
        for a, b in zip(old["params"], entry["params"], strict=True)
    ]
    return entry
