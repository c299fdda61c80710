"""REST against GraphQL for one cold analysis of N runs with their jobs: requests, points, time.

At 20 ms of server latency and no cache, REST reads the runs a page of 100 at a time and each
run's jobs with a request of its own (``ceil(N/100) + N`` requests); GraphQL reads the same
pages, then the jobs of 100 runs per query (``2 * ceil(N/100)`` requests, one point per query).
``requests`` and ``graphql_points`` are exact counters and gate like any other; wall and CPU
time are sampled. With 1 job every request waits its turn; with 8, eight wait together.

Measured on the 2-core development machine (shared; ``bench run batching``), GraphQL read 200
runs with their jobs in 4 requests and 2 points against REST's 202 requests, in 0.40 s against
5.4 s with 1 job and 0.42 s against 0.89 s with 8; docs/analyzer.md has the whole table, which
``python -m suites.batching results/RUN.json`` prints from a run's results.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any

import requests

from analyzer.records import AnalysisResult
from analyzer.service import analyze_repository
from suites._common import BULK_MOCK, SUITE_TOKEN, analyzer_config, cache_dir, configure_mock
from suites._mock import REPO, mock_url

LATENCY_MS = 20.0
RUNS = [50, 200, 1000]


def require_graphql() -> None:
    """Skip (asv's way: NotImplementedError in setup) where GitHub's schema cannot be had; build
    it in the mock now, so its first query's one-second build is not inside a sample."""
    from mockgithub.published import GRAPHQL_SDL, DescriptionUnavailable, path_of

    try:
        path_of(GRAPHQL_SDL)
    except DescriptionUnavailable as exc:
        raise NotImplementedError(f"GitHub's GraphQL schema is unavailable: {exc}") from None
    response = requests.post(
        f"{mock_url()}/graphql",
        json={"query": "query { rateLimit { cost } }"},
        headers={"Authorization": f"Bearer {SUITE_TOKEN}"},
        timeout=60,
    )
    response.raise_for_status()


class RestVsGraphQL:
    """One cold analysis (no cache) of N runs and their jobs at 20 ms of server latency."""

    params = [RUNS, ["rest", "graphql"], [1, 8]]
    param_names = ["runs", "api", "jobs"]
    # Quick runs only GraphQL's case: its REST counterpart is measured in every quick run already
    # (analysis.Analysis: 50 runs cold, 51 requests; parallelism.Sweep: at 20 ms, 1 to 16 jobs),
    # and each case costs a worker process (about 2 s here) on top of its samples.
    quick_params = {"runs": [50], "api": ["graphql"], "jobs": [8]}
    number = 1
    repeat = 5
    timeout = 300

    def setup(self, runs: int, api: str, jobs: int) -> None:
        configure_mock(latency_ms=LATENCY_MS, runs=max(RUNS), **BULK_MOCK)
        if api == "graphql":
            require_graphql()
        self.dir = cache_dir()
        self.config = analyzer_config(
            self.dir.name,
            workflow_analysis_limit=runs,
            max_parallel_jobs=jobs,
            enable_cache=False,
            github_api_mode=api,
        )
        self.result: AnalysisResult | None = None

    def teardown(self, runs: int, api: str, jobs: int) -> None:
        self.dir.cleanup()

    def time_analysis(self, runs: int, api: str, jobs: int) -> None:
        self.result = analyze_repository(REPO, self.config)

    def counters(self) -> dict[str, int]:
        if self.result is None:
            return {}
        usage = self.result.api_usage
        return {"requests": int(usage["requests"]), "graphql_points": int(usage["graphql_points"])}


def table(results: dict[str, Any]) -> str:
    """The suite's cases in one Markdown table: requests, points, wall and CPU time (medians)."""
    lines = [
        "| runs | API | jobs | requests | points | wall time | CPU time |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for case in results["benchmarks"]:
        if not case["id"].startswith("batching.") or case["status"] != "ok":
            continue
        metrics = {m["name"]: m for m in case["metrics"]}
        median = {name: _median(metrics[name]) for name in ("requests", "graphql_points")}
        times = {name: _median(metrics[name]) for name in ("time", "cpu_time")}
        runs, api, jobs = (case["params"][k] for k in ("runs", "api", "jobs"))
        lines.append(
            f"| {runs} | {api} | {jobs} | {median['requests']:.0f} "
            f"| {median['graphql_points']:.0f} | {_seconds(times['time'])} "
            f"| {_seconds(times['cpu_time'])} |"
        )
    return "\n".join(lines) + "\n"


def _median(metric: dict[str, Any]) -> float:
    return float(statistics.median(s for run in metric["runs"] for s in run["samples"]))


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"


if __name__ == "__main__":  # python -m suites.batching results/RUN.json
    sys.stdout.write(table(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
