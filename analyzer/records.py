"""The analysis result as immutable records, and their JSON-ready dict form (versioned).

The dict form is what the JSON report prints and what the analysis-level cache stores, so it
carries :data:`FORMAT_VERSION`; a stored result of another version is refused, not guessed at.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

# 1: first format (per-workflow rates, duration mean/p50/p90/max, queue time, re-run rate,
#    slowest jobs, flags; API usage).
FORMAT_VERSION = 1
SLOW_MEAN_S = 15 * 60  # the toolkit's "slow": mean duration above 15 minutes
UNRELIABLE_BELOW = 0.90  # the toolkit's "unreliable": success rate under 90%


@dataclass(frozen=True)
class SlowJob:
    """One of the slowest jobs seen."""

    workflow: str
    name: str
    run_id: int
    job_id: int
    duration_s: float


@dataclass(frozen=True)
class WorkflowStats:
    """Everything measured about one workflow over the analyzed runs."""

    name: str
    workflow_id: int
    runs: int
    completed: int
    success_rate: float | None
    failure_rate: float | None
    cancelled_rate: float | None
    mean_duration_s: float | None
    p50_duration_s: float | None
    p90_duration_s: float | None
    max_duration_s: float | None
    queue_mean_s: float | None
    queue_p90_s: float | None
    rerun_rate: float
    jobs: int
    slowest_jobs: tuple[SlowJob, ...] = ()

    @property
    def slow(self) -> bool:
        return self.mean_duration_s is not None and self.mean_duration_s > SLOW_MEAN_S

    @property
    def unreliable(self) -> bool:
        return self.success_rate is not None and self.success_rate < UNRELIABLE_BELOW

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(
            name for name, on in (("slow", self.slow), ("unreliable", self.unreliable)) if on
        )


@dataclass(frozen=True)
class AnalysisResult:
    """One complete analysis of one repository. Never partial: errors raise instead."""

    repo: str
    runs_analyzed: int
    jobs_analyzed: int
    workflows: tuple[WorkflowStats, ...]
    slowest_jobs: tuple[SlowJob, ...]
    api_usage: dict[str, Any] = field(default_factory=dict)
    generated_at: str = ""
    from_cache: bool = False
    quantile_method: str = ""

    def with_usage(self, api_usage: dict[str, Any], from_cache: bool) -> AnalysisResult:
        return replace(self, api_usage=api_usage, from_cache=from_cache)


def result_to_dict(result: AnalysisResult) -> dict[str, Any]:
    """The versioned, JSON-ready form of ``result``."""
    return {
        "format_version": FORMAT_VERSION,
        "repository": result.repo,
        "generated_at": result.generated_at,
        "from_cache": result.from_cache,
        "runs_analyzed": result.runs_analyzed,
        "jobs_analyzed": result.jobs_analyzed,
        "thresholds": {"slow_mean_s": SLOW_MEAN_S, "unreliable_success_below": UNRELIABLE_BELOW},
        "quantile_method": result.quantile_method,
        "workflows": [_workflow_dict(w) for w in result.workflows],
        "slowest_jobs": [asdict(job) for job in result.slowest_jobs],
        "api_usage": dict(result.api_usage),
    }


def _workflow_dict(stats: WorkflowStats) -> dict[str, Any]:
    data = asdict(stats)
    data["slowest_jobs"] = [asdict(job) for job in stats.slowest_jobs]
    data["flags"] = list(stats.flags)
    return data


def result_from_dict(data: dict[str, Any]) -> AnalysisResult:
    """Rebuild a result from :func:`result_to_dict`; ``ValueError`` on another version."""
    if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"not an analysis result of format version {FORMAT_VERSION}")
    workflows = tuple(_workflow_from(w) for w in data["workflows"])
    return AnalysisResult(
        repo=data["repository"],
        runs_analyzed=data["runs_analyzed"],
        jobs_analyzed=data["jobs_analyzed"],
        workflows=workflows,
        slowest_jobs=tuple(SlowJob(**job) for job in data["slowest_jobs"]),
        api_usage=dict(data["api_usage"]),
        generated_at=data["generated_at"],
        from_cache=data["from_cache"],
        quantile_method=data["quantile_method"],
    )


def _workflow_from(data: dict[str, Any]) -> WorkflowStats:
    fields = {k: v for k, v in data.items() if k != "flags"}
    fields["slowest_jobs"] = tuple(SlowJob(**job) for job in data["slowest_jobs"])
    return WorkflowStats(**fields)
