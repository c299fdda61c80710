"""The Markdown report: GitHub-flavoured tables, ready for a job summary or an issue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from analyzer.output.cells import WORKFLOW_COLUMNS, duration, usage_lines, workflow_row
from analyzer.records import AnalysisResult


def format_markdown(result: AnalysisResult) -> str:
    """Workflows, slowest jobs and API usage as Markdown."""
    origin = " Served from the analysis cache." if result.from_cache else ""
    parts = [
        f"# Workflow performance: {result.repo}",
        "",
        f"{result.runs_analyzed} runs and {result.jobs_analyzed} jobs analyzed.{origin} "
        "A workflow is *slow* when its mean duration exceeds 15 minutes and *unreliable* "
        "when its success rate is below 90%.",
        "",
        "## Workflows",
        "",
        *_table(WORKFLOW_COLUMNS, (workflow_row(w) for w in result.workflows), right_from=1),
    ]
    if result.slowest_jobs:
        rows = (
            (j.workflow, j.name, str(j.run_id), duration(j.duration_s)) for j in result.slowest_jobs
        )
        parts += [
            "",
            "## Slowest jobs",
            "",
            *_table(("Workflow", "Job", "Run", "Duration"), rows, 2),
        ]
    parts += ["", "## API usage", "", *_table(("What", "Value"), usage_lines(result.api_usage), 1)]
    return "\n".join(parts) + "\n"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], right_from: int) -> list[str]:
    align = ["---" if i < right_from or h == "Flags" else "---:" for i, h in enumerate(header)]
    lines = [_row(header), _row(align)]
    lines += [_row(row) for row in rows]
    return lines


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
