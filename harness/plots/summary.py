"""The summary chart: every ratio with its CI on a log axis, and the threshold band."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from harness.compare import Comparison, Verdict
from harness.plots.figure import STATUS_COLORS, pyplot, save

MAX_ROWS = 80


def _plotted(comparison: Comparison) -> list[Verdict]:
    """Verdicts with a finite ratio, most severe first, at most ``MAX_ROWS`` of them."""
    usable = [
        v for v in comparison.sorted_verdicts() if v.ratio is not None and math.isfinite(v.ratio)
    ]
    return usable[:MAX_ROWS]


def _ticker() -> Any:
    """matplotlib.ticker, imported lazily like pyplot."""
    from matplotlib import ticker

    return ticker


def write(comparison: Comparison, path: Path) -> Path:
    plt = pyplot()
    verdicts = _plotted(comparison)
    figure, ax = plt.subplots(figsize=(8, 1.2 + 0.28 * max(len(verdicts), 1)))
    limit = 1.0 + comparison.policy.threshold
    ax.axvspan(1.0 / limit, limit, color="#2ca02c", alpha=0.12, label="threshold band")
    ax.axvline(1.0, color="black", linewidth=0.8)
    for y, v in enumerate(reversed(verdicts)):
        color = STATUS_COLORS[v.status.value]
        if v.ci_low is not None and v.ci_high is not None and math.isfinite(v.ci_high):
            ax.plot([v.ci_low, v.ci_high], [y, y], color=color, linewidth=2, alpha=0.6)
        ax.plot([v.ratio], [y], "o", color=color)
    labels = [f"{v.benchmark} · {v.metric}" for v in reversed(verdicts)]
    ax.set_yticks(range(len(verdicts)), labels, fontsize=7)
    ax.set_xscale("log")
    ticks = _ticker()
    ax.xaxis.set_major_formatter(ticks.FormatStrFormatter("%.2g"))
    ax.xaxis.set_minor_formatter(ticks.FormatStrFormatter("%.2g"))
    ax.tick_params(axis="x", which="minor", labelsize=7)
    ax.set_xlabel("ratio in the bad direction (>1 worse), with CI")
    ax.set_title(f"{len(verdicts)} metrics, threshold {comparison.policy.threshold:.0%}")
    ax.legend(loc="lower right", fontsize=7)
    ax.grid(axis="x", alpha=0.3, which="both")
    return save(figure, path)
