"""Per-workflow statistics over workflow runs, aggregated as the runs stream past."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class WorkflowStats:
    name: str
    runs: int
    mean_duration_s: float


def run_duration_s(run: dict[str, Any]) -> float:
    """Wall time of a run: from its start (or creation) to its last update."""
    start = _parse(run.get("run_started_at") or run["created_at"])
    return max(0.0, (_parse(run["updated_at"]) - start).total_seconds())


def analyze_runs(runs: Iterable[dict[str, Any]]) -> list[WorkflowStats]:
    """Run counts and mean durations per workflow, sorted by name; one pass, O(workflows) memory."""
    totals: dict[str, list[float]] = {}
    for run in runs:
        entry = totals.setdefault(run.get("name") or str(run["workflow_id"]), [0, 0.0])
        entry[0] += 1
        entry[1] += run_duration_s(run)
    return [
        WorkflowStats(name, int(count), total / count)
        for name, (count, total) in sorted(totals.items())
    ]


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
