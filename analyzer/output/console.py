"""The console report: rich tables rendered to text.

rich is imported when a console report is rendered, not with the module: the analyzer's service
imports every formatter, and rich's import took 15-30 ms of every benchmark worker's start.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from analyzer.output.cells import WORKFLOW_COLUMNS, duration, usage_lines, workflow_row
from analyzer.records import AnalysisResult

if TYPE_CHECKING:
    from rich.table import Table

WIDTH = 120


def format_console(result: AnalysisResult, color: bool = False, width: int = WIDTH) -> str:
    """Workflows, slowest jobs and API usage as console tables."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=color, color_system="standard" if color else None
    )
    origin = " (from the analysis cache)" if result.from_cache else ""
    console.print(
        f"Workflow performance of {result.repo}: {result.runs_analyzed} runs, "
        f"{result.jobs_analyzed} jobs{origin}"
    )
    console.print(_workflows(result))
    if result.slowest_jobs:
        console.print(_slowest(result))
    console.print(_usage(result))
    return buffer.getvalue()


def _workflows(result: AnalysisResult) -> Table:
    from rich.table import Table

    table = Table(title="Workflows", title_justify="left")
    for index, column in enumerate(WORKFLOW_COLUMNS):
        left = index in (0, len(WORKFLOW_COLUMNS) - 1)
        table.add_column(column, justify="left" if left else "right", no_wrap=left)
    for stats in result.workflows:
        style = "red" if stats.flags else None
        table.add_row(*workflow_row(stats), style=style)
    return table


def _slowest(result: AnalysisResult) -> Table:
    from rich.table import Table

    table = Table(title="Slowest jobs", title_justify="left")
    for column in ("Workflow", "Job", "Run", "Duration"):
        table.add_column(column, justify="right" if column in ("Run", "Duration") else "left")
    for job in result.slowest_jobs:
        table.add_row(job.workflow, job.name, str(job.run_id), duration(job.duration_s))
    return table


def _usage(result: AnalysisResult) -> Table:
    from rich.table import Table

    table = Table(title="API usage", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for label, value in usage_lines(result.api_usage):
        table.add_row(label, value)
    return table
