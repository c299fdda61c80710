"""Sweep curves: a metric against a numeric parameter, baseline vs current.

Generic by parameter name: x is the parameter, y the benchmark's main metric (time, or peak
RSS for ``peakmem_`` benchmarks, shown in MiB). Special cases by name: a parameter containing
``jobs`` adds a speedup panel with the ideal line; one containing ``rpm`` plots throughput
(requests per minute) with the limit line y = x.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np

from harness.compare import Comparison
from harness.plots.figure import COLORS, pyplot, save, scaled
from harness.plots.paths import slug
from harness.records import BenchmarkResult, RunResult

SIDES = ("baseline", "current")


@dataclass(frozen=True)
class Curve:
    """One line of a sweep: x values and y medians of one side, for fixed other params."""

    side: str
    label: str
    x: list[float]
    y: list[float]
    unit: str


def _numeric(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def sweep_params(benchmarks: list[BenchmarkResult]) -> list[str]:
    """Parameters that take at least two numeric values across ``benchmarks``."""
    names = {k for b in benchmarks for k in b.params}
    return sorted(
        n
        for n in names
        if len({b.params.get(n) for b in benchmarks if _numeric(b.params.get(n))}) >= 2
    )


def _groups(run: RunResult) -> dict[str, list[BenchmarkResult]]:
    groups: dict[str, list[BenchmarkResult]] = {}
    for bench in run.benchmarks:
        if bench.ok and bench.metrics:
            groups.setdefault(bench.name, []).append(bench)
    return groups


def _y(bench: BenchmarkResult, param: str) -> tuple[float, str] | None:
    """The plotted value of one case: throughput for rpm sweeps, else the main metric."""
    main = bench.metrics[0]
    median = float(np.median(main.samples)) if main.samples else None
    if median is None:
        return None
    if "rpm" in param.lower():
        return _throughput(bench, main.unit, median)
    return median, main.unit


def _throughput(bench: BenchmarkResult, unit: str, median: float) -> tuple[float, str] | None:
    own = next((m for m in bench.metrics if m.name.startswith("throughput")), None)
    if own is not None and own.samples:
        return float(np.median(own.samples)), own.unit
    if unit != "s" or median <= 0:
        return None
    counter = next((m for m in bench.metrics if m.name.split(".")[-1] == "requests"), None)
    calls = float(np.median(counter.samples)) if counter and counter.samples else 1.0
    return calls / median * 60.0, "requests/min" if counter else "calls/min"


def curves(comparison: Comparison, name: str, param: str) -> Iterator[Curve]:
    for side in SIDES:
        run = comparison.baseline if side == "baseline" else comparison.current
        by_rest: dict[str, list[tuple[float, float, str]]] = {}
        for bench in _groups(run).get(name, []):
            x, y = bench.params.get(param), _y(bench, param)
            if not _numeric(x) or y is None:
                continue
            rest = ", ".join(f"{k}={v!r}" for k, v in sorted(bench.params.items()) if k != param)
            by_rest.setdefault(rest, []).append((float(x), y[0], y[1]))
        for rest, points in sorted(by_rest.items()):
            points.sort()
            ys, unit = scaled([p[1] for p in points], points[0][2])
            yield Curve(side, rest, [p[0] for p in points], ys, unit)


def write_all(comparison: Comparison, directory: Path) -> dict[str, Path]:
    written: dict[str, Path] = {}
    groups = _groups(comparison.current)
    for name, benchmarks in sorted(groups.items()):
        for param in sweep_params(benchmarks):
            lines = [c for c in curves(comparison, name, param) if len(c.x) >= 2]
            if lines:
                key = f"{name} vs {param}"
                written[key] = write_one(key, param, lines, directory / f"sweep-{slug(key)}.png")
    return written


def write_one(title: str, param: str, lines: list[Curve], path: Path) -> Path:
    plt = pyplot()
    jobs = "jobs" in param.lower()
    figure, axes = plt.subplots(
        1, 2 if jobs else 1, figsize=(10 if jobs else 6, 3.8), squeeze=False
    )
    _plot_lines(axes[0][0], lines, param)
    if "rpm" in param.lower():
        _limit_line(axes[0][0], lines)
    if jobs:
        _speedup(axes[0][1], lines, param)
    figure.suptitle(title, fontsize=9)
    return save(figure, path)


def _style(curve: Curve) -> dict[str, Any]:
    dashed = curve.side == "baseline"
    label = f"{curve.side} {curve.label}".strip()
    return {"color": COLORS[curve.side], "linestyle": "--" if dashed else "-", "label": label}


def _plot_lines(ax: Any, lines: list[Curve], param: str) -> None:
    for curve in lines:
        ax.plot(curve.x, curve.y, marker="o", **_style(curve))
    unit = lines[0].unit
    ax.set_xlabel(param)
    labels = {"MiB": "peak RSS (MiB)", "ms": "time (ms)"}
    ax.set_ylabel(labels.get(unit, unit))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)


def _limit_line(ax: Any, lines: list[Curve]) -> None:
    xs = sorted({x for c in lines for x in c.x})
    ax.plot(xs, xs, color="black", linewidth=0.8, linestyle=":", label="limit")
    ax.legend(fontsize=7)


def _speedup(ax: Any, lines: list[Curve], param: str) -> None:
    for curve in lines:
        first = curve.y[0]
        ax.plot(curve.x, [first / y if y else 0.0 for y in curve.y], marker="o", **_style(curve))
    xs = sorted({x for c in lines for x in c.x})
    ax.plot(xs, [x / xs[0] for x in xs], color="black", linestyle=":", label="ideal")
    ax.set_xlabel(param)
    ax.set_ylabel(f"speedup vs {param}={xs[0]:g}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
