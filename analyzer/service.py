"""One analysis of one repository: fetch the runs, aggregate, report the API usage."""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.analysis import WorkflowStats, analyze_runs
from analyzer.client import GitHubClient
from analyzer.config import Config


@dataclass(frozen=True)
class AnalysisResult:
    repo: str
    workflows: list[WorkflowStats]
    api_usage: dict[str, int]


def analyze_repository(
    repo: str, config: Config, client: GitHubClient | None = None
) -> AnalysisResult:
    """Analyze the last ``workflow_analysis_limit`` runs of ``repo`` (``OWNER/NAME``)."""
    own_client = client is None
    client = client or GitHubClient(config)
    try:
        runs = client.paginate(
            f"/repos/{repo}/actions/runs", "workflow_runs", config.workflow_analysis_limit
        )
        workflows = analyze_runs(runs)
        return AnalysisResult(repo, workflows, client.counters.snapshot())
    finally:
        if own_client:
            client.close()
