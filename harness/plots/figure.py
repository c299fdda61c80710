"""The lazy matplotlib import and the one way a figure becomes a PNG file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from harness.atomic import write_atomic

COLORS = {"baseline": "#7f7f7f", "current": "#1f77b4"}
STATUS_COLORS = {
    "failed": "#d62728",
    "regressed": "#d62728",
    "uncertain": "#ff7f0e",
    "missing": "#9467bd",
    "new": "#17becf",
    "improved": "#2ca02c",
    "unchanged": "#7f7f7f",
}


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend, imported on first use (it is slow to import)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(figure: Any, path: Path) -> Path:
    """Render ``figure`` to PNG bytes, write them atomically, close the figure."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    pyplot().close(figure)
    write_atomic(path, buffer.getvalue())
    return path


def scaled(values: list[float], unit: str) -> tuple[list[float], str]:
    """Values in a readable unit for an axis: seconds to ms, bytes to MiB."""
    if unit == "s":
        return [v * 1e3 for v in values], "ms"
    if unit == "bytes":
        return [v / 2**20 for v in values], "MiB"
    return values, unit
