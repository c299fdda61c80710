"""github-action-benchmark's custom JSON: a list of ``{name, unit, value, range, extra}``.

Its ``extractCustomBenchmarkResult`` reads exactly these keys (``name``, ``value`` and ``unit``
required, ``range`` and ``extra`` optional strings), and the action's ``tool`` input says for the
whole file whether smaller (``customSmallerIsBetter``) or bigger (``customBiggerIsBetter``) is
better. So one file holds one direction: the metrics whose direction is
``ExportOptions.direction``. Values are medians, seconds in nanoseconds (``ns``); ``range`` is the
95% CI of the median; ``extra`` how many samples and worker processes it rests on.
"""

from __future__ import annotations

import json
from typing import Any

from harness.export.options import ExportOptions
from harness.format import format_value
from harness.records import BenchmarkResult, Direction, Kind, Metric, RunResult

NS_PER_S = 1e9
TOOL = {Direction.LOWER: "customSmallerIsBetter", Direction.HIGHER: "customBiggerIsBetter"}


def entry(bench: BenchmarkResult, metric: Metric) -> dict[str, Any]:
    seconds = metric.unit == "s"
    summary = metric.summary
    median = float(summary["median"])
    found: dict[str, Any] = {
        "name": f"{bench.id} ({metric.name})",
        "unit": "ns" if seconds else metric.unit,
        # Nanoseconds to the picosecond: x * 1e9 would otherwise carry float noise.
        "value": round(median * NS_PER_S, 3) if seconds else median,
    }
    if metric.kind is Kind.SAMPLED:
        low, high = (format_value(float(summary[k]), metric.unit) for k in ("ci_low", "ci_high"))
        found["range"] = f"95% CI {low} to {high}"
    processes = len(metric.runs)
    found["extra"] = (
        f"median of {len(metric.samples)} samples from {processes} worker "
        f"process{'es' if processes != 1 else ''} ({metric.kind.value})"
    )
    return found


def entries(run: RunResult, direction: Direction) -> list[dict[str, Any]]:
    """The entries of every metric with samples whose direction is ``direction``."""
    return [
        entry(bench, metric)
        for bench in run.benchmarks
        if bench.ok
        for metric in bench.metrics
        if metric.direction is direction and metric.samples
    ]


def render(run: RunResult, options: ExportOptions) -> str:
    return json.dumps(entries(run, options.direction), indent=2, ensure_ascii=False) + "\n"
