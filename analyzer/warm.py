"""Cache pre-warming: fetch what the next analysis will read, and nothing else.

The guide's remedy for a low hit rate, done cheaply: the run pages and each run's jobs go
through the client's API-level cache exactly as an analysis would fetch them, so a fresh entry
costs no request and an expired one a conditional request (a 304 does not count against the
rate limit). No aggregation is done and no analysis or report is stored: the next analysis
computes from entries that are fresh when it starts. Run it shortly before a scheduled
analysis (less than ``API_CACHE_TTL`` before).
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.client import GitHubClient
from analyzer.config import Config
from analyzer.counters import Number, usage_since
from analyzer.errors import ConfigError
from analyzer.fetcher import runs_with_jobs
from analyzer.graphql_jobs import runs_with_jobs_graphql
from analyzer.service import check_repo, open_client


@dataclass(frozen=True)
class WarmResult:
    """What a warm-up fetched: runs and jobs now in the cache, and the client's counters."""

    repo: str
    runs: int
    jobs: int
    usage: dict[str, Number]


def warm_repository(repo: str, config: Config, client: GitHubClient | None = None) -> WarmResult:
    """Bring the API-level entries of ``repo``'s next analysis up to date."""
    check_repo(repo)
    if not config.enable_cache:
        raise ConfigError("--warm needs the cache (ENABLE_CACHE=true)")
    own = client is None
    client = client or open_client(config)
    try:
        before = client.counters.snapshot()
        client.start_analysis()
        runs = client.paginate(
            f"/repos/{repo}/actions/runs", "workflow_runs", config.workflow_analysis_limit
        )
        workers = config.max_parallel_jobs
        pairs = (
            runs_with_jobs_graphql(client, runs, workers)
            if config.effective_api_mode == "graphql"
            else runs_with_jobs(client, repo, runs, workers)
        )  # the same reads as the analysis's, whichever API it uses
        count = jobs = 0
        for _run, run_jobs in pairs:
            count, jobs = count + 1, jobs + len(run_jobs)
        return WarmResult(repo, count, jobs, usage_since(before, client.counters.snapshot()))
    finally:
        if own:
            client.close()
            if client.cache is not None:
                client.cache.close()
