"""One analysis of one repository: cache levels, fetch, aggregate, report the API usage.

``analyze_repository`` is the analyzer's entry point for the harness and the CLI. It consults
the analysis-level cache, else streams the runs (one request per 100), fetches their jobs in
parallel and aggregates as they arrive. ``build_report`` adds the report-level cache on top.
A result is complete or an error is raised: there are no partial reports.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from analyzer.analysis import RepositoryAggregator
from analyzer.cache import CacheLevel, LevelledCache, cache_key, open_backend
from analyzer.client import GitHubClient
from analyzer.config import Config
from analyzer.counters import usage_since
from analyzer.errors import ConfigError
from analyzer.fetcher import runs_with_jobs
from analyzer.graphql_jobs import runs_with_jobs_graphql
from analyzer.output import render
from analyzer.records import AnalysisResult, result_from_dict, result_to_dict
from analyzer.scope import cache_scope

CACHE_NAMESPACE = "analyzer"
_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")

__all__ = [
    "AnalysisResult",
    "Report",
    "analyze_repository",
    "build_report",
    "check_repo",
    "open_cache",
    "open_client",
]


@dataclass(frozen=True)
class Report:
    """A rendered report; ``result`` is None when the text came from the report cache."""

    text: str
    output_format: str
    result: AnalysisResult | None
    from_cache: bool


def check_repo(repo: str) -> str:
    """``repo`` if it looks like ``OWNER/NAME``, else :class:`ConfigError`."""
    if not _REPO.fullmatch(repo or "") or any(p in (".", "..") for p in repo.split("/")):
        raise ConfigError(f"repository must be OWNER/NAME, got {repo!r}")
    return repo


def open_cache(config: Config, clock: object = time.time) -> LevelledCache | None:
    """The three-level cache the config asks for, or None when ``ENABLE_CACHE`` is false.

    If Redis is unreachable the cache falls back to the file backend with a warning.
    """
    if not config.enable_cache:
        return None
    directory = Path(config.github_api_cache_dir)
    backend = open_backend(
        config.cache_backend,
        directory,
        config.redis_url,
        CACHE_NAMESPACE,
        fallback_dir=directory,
    )
    ttls = {
        CacheLevel.API: config.api_cache_ttl,
        CacheLevel.ANALYSIS: config.cache_ttl,
        CacheLevel.REPORT: config.report_cache_ttl,
    }
    cache = LevelledCache(backend, ttls, clock=clock)  # type: ignore[arg-type]
    if config.cache_backend == "file":
        _cleanup_if_due(cache, directory, config.cache_cleanup_interval)
    return cache


def _cleanup_if_due(cache: LevelledCache, directory: Path, interval_s: int) -> None:
    """TTL cleanup of the file cache at most once per ``CACHE_CLEANUP_INTERVAL``."""
    marker = directory / f".{CACHE_NAMESPACE}-last-cleanup"
    try:
        due = not marker.exists() or time.time() - marker.stat().st_mtime >= interval_s
        if due:
            cache.cleanup()
            marker.touch()
    except OSError:
        pass  # cleanup is housekeeping; a read-only directory must not stop an analysis


def open_client(config: Config) -> GitHubClient:
    """A client with the cache the config asks for."""
    return GitHubClient(config, open_cache(config))


def analyze_repository(
    repo: str, config: Config, client: GitHubClient | None = None
) -> AnalysisResult:
    """Analyze the last ``workflow_analysis_limit`` runs of ``repo`` (``OWNER/NAME``).

    ``api_usage`` counts only this analysis, even when ``client`` is reused.
    """
    check_repo(repo)
    own_client = client is None
    client = client or open_client(config)
    try:
        before = client.counters.snapshot()
        result, from_cache = _cached_or_computed(repo, config, client)
        usage = usage_since(before, client.counters.snapshot())
        return result.with_usage(usage, from_cache)
    finally:
        if own_client:
            _close(client)


def build_report(
    repo: str, config: Config, output_format: str | None = None, client: GitHubClient | None = None
) -> Report:
    """The report of ``repo`` in ``output_format`` (default: OUTPUT_FORMAT), report cache first."""
    check_repo(repo)
    fmt = output_format or config.output_format
    own_client = client is None
    client = client or open_client(config)
    try:
        cache = client.cache if config.report_cache_ttl > 0 else None
        key = cache_key(CacheLevel.REPORT, f"report/{fmt}", _params(repo, config))
        if cache is not None:
            entry, fresh = cache.lookup(CacheLevel.REPORT, key)
            if entry is not None and fresh and isinstance(entry.value, str):
                return Report(entry.value, fmt, None, True)
        result = analyze_repository(repo, config, client)
        text = render(result, fmt)
        if cache is not None:
            cache.store(CacheLevel.REPORT, key, text)
        return Report(text, fmt, result, False)
    finally:
        if own_client:
            _close(client)


def _cached_or_computed(
    repo: str, config: Config, client: GitHubClient
) -> tuple[AnalysisResult, bool]:
    cache = client.cache if config.cache_ttl > 0 else None
    key = cache_key(CacheLevel.ANALYSIS, "workflow-analysis", _params(repo, config))
    if cache is not None:
        entry, fresh = cache.lookup(CacheLevel.ANALYSIS, key)
        if entry is not None and fresh:
            try:
                return result_from_dict(entry.value), True
            except (ValueError, KeyError, TypeError):
                pass  # another format version or damaged: recompute and overwrite
    result = _compute(repo, config, client)
    if cache is not None:
        cache.store(CacheLevel.ANALYSIS, key, result_to_dict(result))
    return result, False


def _compute(repo: str, config: Config, client: GitHubClient) -> AnalysisResult:
    client.start_analysis()
    runs = client.paginate(
        f"/repos/{repo}/actions/runs", "workflow_runs", config.workflow_analysis_limit
    )
    aggregator = RepositoryAggregator(repo)
    workers = config.max_parallel_jobs
    if config.effective_api_mode == "graphql":
        pairs = runs_with_jobs_graphql(client, runs, workers)
    else:
        pairs = runs_with_jobs(client, repo, runs, workers, adaptive=config.adaptive_jobs)
    for run, jobs in pairs:
        aggregator.add(run, jobs)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return aggregator.result(generated_at=stamp)


def _params(repo: str, config: Config) -> dict[str, object]:
    # Stable parameters only: no timestamps (they destroyed the toolkit's hit rate), no port of
    # an ephemeral mock, and the credential only as a keyed hash (analyzer.scope).
    return {"repo": repo, **cache_scope(config), "limit": config.workflow_analysis_limit}


def _close(client: GitHubClient) -> None:
    client.close()
    if client.cache is not None:
        client.cache.close()
