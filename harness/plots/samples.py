"""Per benchmark: baseline vs current samples of each sampled metric, medians with 95% CIs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from harness.compare import Comparison, Verdict
from harness.plots.figure import COLORS, STATUS_COLORS, pyplot, save, scaled
from harness.plots.paths import slug
from harness.records import Kind, Metric
from harness.stats import median_ci


def _compared(comparison: Comparison) -> dict[str, list[Verdict]]:
    """Benchmark id → its sampled verdicts that have samples on both sides."""
    found: dict[str, list[Verdict]] = {}
    for v in comparison.verdicts:
        if v.kind is Kind.SAMPLED and v.ratio is not None:
            found.setdefault(v.benchmark, []).append(v)
    return found


def _metric(comparison: Comparison, side: str, bench_id: str, name: str) -> Metric | None:
    run = comparison.baseline if side == "baseline" else comparison.current
    bench = next((b for b in run.benchmarks if b.id == bench_id), None)
    return bench.metric(name) if bench else None


def write_all(comparison: Comparison, directory: Path) -> dict[str, Path]:
    return {
        bench_id: write_one(comparison, bench_id, verdicts, directory / f"{slug(bench_id)}.png")
        for bench_id, verdicts in _compared(comparison).items()
    }


def write_one(comparison: Comparison, bench_id: str, verdicts: list[Verdict], path: Path) -> Path:
    plt = pyplot()
    figure, axes = plt.subplots(1, len(verdicts), figsize=(3.6 * len(verdicts), 3.4), squeeze=False)
    rng = np.random.default_rng(0)  # jitter only; fixed so the image is reproducible
    for ax, verdict in zip(axes[0], verdicts, strict=True):
        _panel(ax, comparison, bench_id, verdict, rng)
    figure.suptitle(bench_id, fontsize=9)
    return save(figure, path)


def _panel(
    ax: Any, comparison: Comparison, bench_id: str, verdict: Verdict, rng: np.random.Generator
) -> None:
    for x, side in enumerate(("baseline", "current")):
        metric = _metric(comparison, side, bench_id, verdict.metric or "")
        if metric is None or not metric.samples:
            continue
        values, unit = scaled(list(metric.samples), metric.unit)
        jitter = rng.uniform(-0.12, 0.12, len(values))
        ax.scatter(x + jitter, values, s=12, alpha=0.55, color=COLORS[side])
        low, high = scaled(list(median_ci(metric.samples)), metric.unit)[0]
        median = float(np.median(values))
        ax.errorbar(
            x + 0.3,
            median,
            yerr=[[median - low], [high - median]],
            fmt="o",
            capsize=4,
            color=COLORS[side],
        )
        ax.set_ylabel(f"{verdict.metric} ({unit})")
    ax.set_xticks([0, 1], ["baseline", "current"])
    ax.set_xlim(-0.5, 1.6)
    color = STATUS_COLORS[verdict.status.value]
    ax.set_title(f"{verdict.status.value} ×{verdict.ratio:.2f}", color=color, fontsize=9)
    ax.grid(axis="y", alpha=0.3)
