"""Plots of a comparison as PNG files (matplotlib, imported lazily, backend Agg).

``write_plots(comparison, directory)`` writes, under ``results/<run-id>/plots/`` by
convention: one samples plot per compared benchmark, one sweep plot per parameterized
benchmark and numeric parameter, and a summary of every ratio with the threshold band.
"""

from __future__ import annotations

from pathlib import Path

from harness.compare import Comparison
from harness.plots.paths import PlotSet, plots_dir, slug


def write_plots(comparison: Comparison, directory: Path) -> PlotSet:
    """Write every plot of ``comparison`` into ``directory``; return where they are."""
    from harness.plots import samples, summary, sweeps  # matplotlib: only when plotting

    directory.mkdir(parents=True, exist_ok=True)
    return PlotSet(
        summary=summary.write(comparison, directory / "summary.png"),
        benchmarks=samples.write_all(comparison, directory),
        sweeps=sweeps.write_all(comparison, directory),
    )


__all__ = ["PlotSet", "plots_dir", "slug", "write_plots"]
