"""Plots of a comparison as PNG files (matplotlib, imported lazily, backend Agg).

``write_plots(comparison, directory)`` writes, under ``results/<run-id>/plots/`` by
convention: one samples plot per compared benchmark, one sweep plot per parameterized
benchmark and numeric parameter, and a summary of every ratio with the threshold band.
"""

from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from harness.compare import Comparison


@dataclass(frozen=True)
class PlotSet:
    """Where the plots of one comparison are: summary, per benchmark id, per sweep."""

    summary: Path | None = None
    benchmarks: dict[str, Path] = field(default_factory=dict)
    sweeps: dict[str, Path] = field(default_factory=dict)

    def all(self) -> list[Path]:
        head = [self.summary] if self.summary else []
        return head + list(self.sweeps.values()) + list(self.benchmarks.values())

    def relative_to(self, base: Path) -> PlotSet:
        """The same plots, as paths relative to ``base`` (for links from a report file)."""

        def rel(path: Path) -> Path:
            return Path(os.path.relpath(path, base))

        return PlotSet(
            summary=rel(self.summary) if self.summary else None,
            benchmarks={k: rel(v) for k, v in self.benchmarks.items()},
            sweeps={k: rel(v) for k, v in self.sweeps.items()},
        )


def plots_dir(results_dir: Path, run_id: str) -> Path:
    return results_dir / run_id / "plots"


def slug(text: str) -> str:
    """A file-name-safe form of an id, with a short hash so distinct ids never collide."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:80]
    return f"{safe}-{zlib.crc32(text.encode()):08x}"


def write_plots(comparison: Comparison, directory: Path) -> PlotSet:
    """Write every plot of ``comparison`` into ``directory``; return where they are."""
    from harness.plots import samples, summary, sweeps

    directory.mkdir(parents=True, exist_ok=True)
    return PlotSet(
        summary=summary.write(comparison, directory / "summary.png"),
        benchmarks=samples.write_all(comparison, directory),
        sweeps=sweeps.write_all(comparison, directory),
    )


__all__ = ["PlotSet", "plots_dir", "slug", "write_plots"]
