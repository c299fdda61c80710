"""End to end: the analyzer's whole job against the mock, cold and warm, and its reports."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from typing import Any

from analyzer.output import render
from analyzer.records import AnalysisResult, result_from_dict, result_to_dict
from analyzer.service import analyze_repository, build_report
from suites._common import SUITE_TOKEN, analyzer_config, cache_dir, client_for
from suites._mock import REPO, mock_url


class Analysis:
    """One analysis of N runs with their jobs (file cache, 4 jobs, the toolkit's defaults).

    cold: an empty cache before every sample; warm: the cache already holds this analysis.
    """

    params = [[50, 200], ["cold", "warm"]]
    param_names = ["runs", "cache"]
    quick_params = {"runs": [50]}
    number = 1
    timeout = 180

    def setup(self, runs: int, cache: str) -> None:
        self.dir = cache_dir()
        self.config = analyzer_config(self.dir.name, workflow_analysis_limit=runs)
        self.client = client_for(self.config)
        self.result: AnalysisResult | None = None
        if cache == "warm":
            analyze_repository(REPO, self.config, self.client)

    def teardown(self, runs: int, cache: str) -> None:
        self.client.close()
        self.dir.cleanup()

    def time_analyze(self, runs: int, cache: str) -> None:
        self.result = analyze_repository(REPO, self.config, self.client)

    def counters(self) -> dict[str, int]:
        if self.result is None:
            return {}
        usage = self.result.api_usage
        return {
            "requests": int(usage["requests"]),
            "not_modified": int(usage.get("not_modified", 0)),
            "cache_hits": int(usage.get("cache_hits", 0)),
        }


class Reports:
    """Rendering one analysis of 200 runs in each output format."""

    params = [["console", "json", "markdown"]]
    param_names = ["format"]
    quick_params = {"format": ["markdown"]}

    def setup_cache(self) -> dict[str, Any]:
        with tempfile.TemporaryDirectory() as tmp:
            config = analyzer_config(tmp, workflow_analysis_limit=200, enable_cache=False)
            return result_to_dict(analyze_repository(REPO, config))

    def setup(self, stored: dict[str, Any], fmt: str) -> None:
        self.result = result_from_dict(stored)

    def time_render(self, stored: dict[str, Any], fmt: str) -> None:
        render(self.result, fmt)


class ReportCache:
    """A report served from the report-level cache (no analysis, no request)."""

    def setup(self) -> None:
        self.dir = cache_dir()
        self.config = analyzer_config(self.dir.name, workflow_analysis_limit=50)
        self.client = client_for(self.config)
        build_report(REPO, self.config, "markdown", self.client)

    def teardown(self) -> None:
        self.client.close()
        self.dir.cleanup()

    def time_cached_report(self) -> None:
        build_report(REPO, self.config, "markdown", self.client)


class AnalyzeCommand:
    """`bench analyze` as a user runs it: a new process, the run's mock, a file cache."""

    params = [["cold", "warm"]]
    param_names = ["cache"]
    quick_params = {"cache": ["warm"]}
    number = 1
    repeat = 5
    timeout = 180
    instructions = False  # the analysis runs in a child process, which callgrind does not see

    def setup(self, cache: str) -> None:
        self.dir = cache_dir()
        self.command = [
            sys.executable, "-m", "harness.cli", "analyze", REPO, "--api-url", mock_url(),
            "--limit", "50", "--format", "json", "--cache", "file",
        ]  # fmt: skip
        self.env = {
            "GITHUB_API_CACHE_DIR": self.dir.name,
            "RATE_LIMIT_REQUESTS_PER_MINUTE": "0",
            "GITHUB_API_MODE": "rest",
        }
        if cache == "warm":
            self._run()

    def teardown(self, cache: str) -> None:
        self.dir.cleanup()

    def _run(self) -> None:
        env = {**os.environ, **self.env, "GITHUB_TOKEN": SUITE_TOKEN}
        subprocess.run(self.command, env=env, check=True, capture_output=True, timeout=120)

    def time_bench_analyze(self, cache: str) -> None:
        self._run()
