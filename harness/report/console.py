"""Console report: a rich table sorted by severity, rendered to plain text or printed."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from harness.compare import Comparison, Status
from harness.format import plain_text
from harness.report.context import ReportContext
from harness.report.rows import STATUS_MARK, counts_line, policy_line, rows, title

STYLES = {
    Status.FAILED: "bold red",
    Status.REGRESSED: "bold red",
    Status.UNCERTAIN: "yellow",
    Status.WORSE: "yellow",
    Status.MISSING: "magenta",
    Status.NEW: "cyan",
    Status.IMPROVED: "green",
    Status.BETTER: "green",
    Status.UNCHANGED: "dim",
}
COMPACT_BELOW = 120  # a terminal narrower than this gets the compact table


def table(comparison: Comparison, compact: bool = False) -> Table:
    """One row per verdict; ratio is in the bad direction (above 1 is worse).

    ``compact`` leaves out the values, the CI and the note, for terminals under ~120 columns.
    """
    grid = Table(title=title(comparison), title_justify="left", caption=policy_line(comparison))
    grid.add_column("status", no_wrap=True)
    grid.add_column("benchmark", overflow="fold", min_width=12 if compact else 36)
    grid.add_column("metric", overflow="fold")
    if not compact:
        grid.add_column("baseline → current", justify="right", no_wrap=True)
    grid.add_column("change", justify="right", no_wrap=True)
    grid.add_column("ratio" if compact else "ratio [CI]", justify="right", no_wrap=True)
    grid.add_column("p", justify="right", no_wrap=True)
    if not compact:
        grid.add_column("note", overflow="fold")
    for r in rows(comparison):
        status = Text(f"{STATUS_MARK[r.status]} {r.status.value}", style=STYLES[r.status])
        values = f"{r.baseline} → {r.current}" if r.baseline or r.current else ""
        ratio = r.ratio.split(" [")[0] if compact else r.ratio
        cells: list[Text | str] = [
            status,
            r.benchmark,
            r.metric,
            values,
            r.change,
            ratio,
            r.p_value,
            r.note,
        ]
        grid.add_row(*(cells[:3] + cells[4:7] if compact else cells))
    return grid


def renderable(comparison: Comparison, width: int | None = None) -> Group:
    """The table, then the counts and any warnings; compact for a terminal ``width`` < 120."""
    compact = width is not None and width < COMPACT_BELOW
    parts: list[Text | Table] = [table(comparison, compact=compact)]
    parts.append(Text(counts_line(comparison), style="bold"))
    parts += [Text(f"warning: {w}", style="yellow") for w in comparison.warnings]
    return Group(*parts)


def render(comparison: Comparison, context: ReportContext) -> str:
    """Plain text at its natural width, one line per verdict, for files and logs (no plots)."""
    return plain_text(renderable(comparison))
