"""A knob's sweep as a PNG: one or two measures against the knob's values, the chosen one marked.

Generic: the caller names the axes and hands the numbers (``bench tune`` draws one per knob).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.plots.figure import pyplot, save

LEFT, RIGHT, CHOSEN = "#1f77b4", "#7f7f7f", "#d62728"


@dataclass(frozen=True)
class KnobSeries:
    label: str
    values: Sequence[float]


@dataclass(frozen=True)
class KnobPlot:
    """``labels`` name the knob's values in order; ``chosen`` is the index of the choice."""

    title: str
    x_label: str
    labels: Sequence[str]
    left: KnobSeries
    right: KnobSeries | None
    chosen: int
    note: str = ""


def write_knob_plot(plot: KnobPlot, path: Path) -> Path:
    plt = pyplot()
    figure, axis = plt.subplots(figsize=(7, 4))
    xs = list(range(len(plot.labels)))
    # Values that are names (locations, APIs) are categories: bars, not a line between them.
    categorical = not all(label.replace(".", "", 1).isdigit() for label in plot.labels)
    if categorical:
        axis.bar(xs, list(plot.left.values), width=0.5, color=LEFT, label=plot.left.label)
    else:
        axis.plot(xs, list(plot.left.values), "o-", color=LEFT, label=plot.left.label)
    axis.set_ylabel(plot.left.label, color=LEFT)
    slanted = categorical or len(plot.labels) > 6
    axis.set_xticks(
        xs,
        list(plot.labels),
        rotation=15 if slanted else 0,
        ha="right" if categorical else "center",
    )
    axis.set_xlabel(plot.x_label)
    axis.set_ylim(bottom=0)
    if plot.right is not None:
        twin = axis.twinx()
        twin.plot(xs, list(plot.right.values), "s--", color=RIGHT, label=plot.right.label)
        twin.set_ylabel(plot.right.label, color=RIGHT)
        twin.set_ylim(bottom=0)
    axis.axvline(plot.chosen, color=CHOSEN, linestyle=":", linewidth=1.5)
    axis.plot(
        [plot.chosen],
        [list(plot.left.values)[plot.chosen]],
        "*",
        color=CHOSEN,
        markersize=16,
        label=f"chosen: {plot.labels[plot.chosen]}",
    )
    axis.legend(loc="lower left", fontsize=8, framealpha=0.8)
    axis.set_title(plot.title + (f"\n{plot.note}" if plot.note else ""), fontsize=10)
    axis.grid(True, alpha=0.3)
    return save(figure, path)
