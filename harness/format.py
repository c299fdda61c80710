"""Console formatting of a run's results; returns renderables or text, never prints."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from harness.records import Kind, Metric, RunResult, Status

UNIT_SCALES = {
    "s": ((1e-6, "µs"), (1e-3, "ms"), (1.0, "s")),
    "bytes": ((1, "B"), (2**10, "KiB"), (2**20, "MiB"), (2**30, "GiB")),
    "instructions": ((1, "instructions"), (1e3, "k instructions"), (1e6, "M instructions")),
}


def format_value(value: float, unit: str) -> str:
    """A value in the largest unit that keeps it at or above 1 (``12.3 ms``, ``45 MiB``)."""
    scales = UNIT_SCALES.get(unit)
    if not scales:
        return f"{value:g} {unit}" if unit not in ("count", "unit") else f"{value:g}"
    scale, name = scales[0]
    for candidate, candidate_name in scales:
        if abs(value) >= candidate:
            scale, name = candidate, candidate_name
    return f"{value / scale:.3g} {name}"


LOG_MIN_WIDTH = 80  # what rich assumes off a terminal; plain text is never narrower
_UNBOUNDED = 100_000


def plain_text(renderable: RenderableType, min_width: int = LOG_MIN_WIDTH) -> str:
    """``renderable`` as plain text at its natural width, for logs and files.

    Off a terminal there is no width to fit: a CI log or a file keeps long lines, so every
    table row stays on one line with its full benchmark id (greppable), never wrapped or
    cropped. Trailing spaces are dropped.
    """
    probe = Console(width=_UNBOUNDED, file=io.StringIO(), color_system=None)
    width = max(min_width, Measurement.get(probe, probe.options, renderable).maximum)
    console = Console(
        width=width, file=io.StringIO(), color_system=None, force_terminal=False, record=True
    )
    console.print(renderable)
    return "".join(line.rstrip() + "\n" for line in console.export_text().splitlines())


def _spread(metric: Metric) -> str:
    s = metric.summary
    if metric.kind is Kind.EXACT or not s.get("n"):
        return ""
    cv = s["stdev"] / s["mean"] if s["mean"] else 0.0
    return f"±{cv:.1%}"


def run_table(run: RunResult) -> Table:
    """One row per benchmark: its main metric's median, spread, its exact request count and,
    where instructions were counted, its instructions per call."""
    counted = any(b.metric("instructions") for b in run.benchmarks)
    columns = ["benchmark", "status", "median", "cv", "samples", "requests"]
    columns += ["instructions"] if counted else []
    table = Table(title=f"run {run.run_id}", title_justify="left")
    for column in columns:
        left = column == "benchmark"
        table.add_column(column, justify="left" if left else "right", overflow="fold")
    for bench in run.benchmarks:
        if not bench.ok or not bench.metrics:
            colour = "red" if bench.status is Status.FAILED else "yellow"
            blank = [""] * (len(columns) - 2)
            table.add_row(Text(bench.id), f"[{colour}]{bench.status}[/{colour}]", *blank)
            continue
        main = bench.metrics[0]
        requests, instructions = bench.metric("requests"), bench.metric("instructions")
        cells = [
            format_value(main.summary["median"], main.unit),
            _spread(main),
            str(len(main.samples)),
            f"{requests.samples[-1]:g}" if requests else "",
        ]
        if counted:
            cells.append(f"{instructions.samples[0]:,.0f}" if instructions else "")
        # The id is not markup: ids such as test_get[file] hold brackets.
        table.add_row(Text(bench.id), "ok", *cells)
    return table
