"""Bencher Metric Format (BMF): ``{benchmark: {measure: {value, lower_value, upper_value}}}``.

Published at https://bencher.dev/docs/reference/bencher-metric-format (a JSON Schema there):
every benchmark is an object of measures, each a metric with a required ``value`` and optional
``lower_value`` and ``upper_value``. Here the benchmark is bench's id; the measure is the metric's
name as a slug (at most 64 characters), except ``time``, which is Bencher's built-in ``latency``
measure. Bencher's latency is in nanoseconds, so every metric in seconds is exported in
nanoseconds. ``value`` is the median; a sampled metric's bounds are the 95% confidence interval
of the median; an exact counter has its value alone.
"""

from __future__ import annotations

import json
import re
from typing import Any

from harness.export.options import ExportOptions
from harness.records import Kind, Metric, RunResult

MEASURE_CHARS = 64  # Bencher's longest measure slug
NS_PER_S = 1e9


def measure(metric: Metric) -> str:
    """The Bencher measure slug of a metric: ``time`` is ``latency``; others are kebab-cased."""
    if metric.name == "time":
        return "latency"
    return re.sub(r"[^a-z0-9]+", "-", metric.name.lower()).strip("-")[:MEASURE_CHARS] or "metric"


def _value(value: float | int, metric: Metric) -> float:
    # Nanoseconds to the picosecond: x * 1e9 would otherwise carry float noise (…00009504).
    return round(float(value) * NS_PER_S, 3) if metric.unit == "s" else float(value)


def point(metric: Metric) -> dict[str, float]:
    """The metric as BMF: its median and, when sampled, the CI of the median as bounds."""
    summary = metric.summary
    found = {"value": _value(summary["median"], metric)}
    if metric.kind is Kind.SAMPLED:
        found["lower_value"] = _value(summary["ci_low"], metric)
        found["upper_value"] = _value(summary["ci_high"], metric)
    return found


def to_dict(run: RunResult) -> dict[str, dict[str, dict[str, float]]]:
    """Every metric with samples of every benchmark that finished; failed ones are left out."""
    document: dict[str, dict[str, dict[str, float]]] = {}
    for bench in run.benchmarks:
        measures = {measure(m): point(m) for m in bench.metrics if bench.ok and m.samples}
        if measures:
            document[bench.id] = measures
    return document


def render(run: RunResult, options: ExportOptions) -> str:
    data: Any = to_dict(run)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
