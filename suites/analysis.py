"""End-to-end analysis of a repository's workflow runs against the mock."""

from __future__ import annotations

from analyzer import Config
from analyzer.service import AnalysisResult, analyze_repository
from suites._mock import REPO, mock_url


class AnalyzeRuns:
    """Cold analysis: every sample lists the runs from the server (no cache)."""

    params = [[100, 250]]
    param_names = ["runs"]
    quick_params = {"runs": [100]}
    number = 1  # one analysis per sample; setup runs before each sample
    timeout = 120

    def setup(self, runs: int) -> None:
        self.config = Config(api_url=mock_url(), workflow_analysis_limit=runs)
        self.result: AnalysisResult | None = None

    def time_analyze_cold(self, runs: int) -> None:
        self.result = analyze_repository(REPO, self.config)

    def counters(self) -> dict[str, int]:
        """Exact API usage of the latest analysis, as the analyzer counted it."""
        return {"requests": self.result.api_usage["requests"]} if self.result else {}
