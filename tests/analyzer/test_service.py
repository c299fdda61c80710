"""Whole analyses against the fake GitHub: the issue's exact request counts, determinism."""

from __future__ import annotations

import math

import pytest

from analyzer import Config, GitHubClient, RetriesExhausted
from analyzer.cache import LevelledCache
from analyzer.clock import FakeClock
from analyzer.errors import ConfigError
from analyzer.service import analyze_repository, build_report, check_repo
from tests.analyzer.fakegithub import REPO, FakeGitHub


def client_for(config: Config, clock: FakeClock, cache: LevelledCache | None) -> GitHubClient:
    return GitHubClient(config, cache, sleep=clock.sleep, clock=clock, monotonic=clock)


@pytest.mark.parametrize("runs", [1, 50, 100, 250])
def test_cold_analysis_costs_list_pages_plus_one_request_per_run(
    fake: FakeGitHub, config: Config, clock: FakeClock, runs: int
) -> None:
    config = config.updated(workflow_analysis_limit=runs)
    result = analyze_repository(REPO, config, client_for(config, clock, None))
    assert result.runs_analyzed == runs
    assert result.api_usage["requests"] == math.ceil(runs / 100) + runs
    assert fake.seen["runs 200"] == math.ceil(runs / 100)
    assert fake.seen["jobs 200"] == runs
    assert sum(fake.seen.values()) == result.api_usage["requests"]


def test_warm_within_ttl_sends_nothing_and_after_ttl_only_304s(
    fake: FakeGitHub, config: Config, clock: FakeClock, memory_cache: LevelledCache
) -> None:
    client = client_for(config, clock, memory_cache)
    cold = analyze_repository(REPO, config, client)
    assert cold.api_usage["requests"] == 253 and not cold.from_cache

    warm = analyze_repository(REPO, config, client)
    assert warm.api_usage["requests"] == 0 and warm.from_cache
    assert warm.workflows == cold.workflows

    clock.now += 1801  # past the analysis TTL (1800 s) and the API TTL (300 s)
    revalidated = analyze_repository(REPO, config, client)
    usage = revalidated.api_usage
    assert usage["requests"] == 253
    assert usage["not_modified"] == 253 and usage.get("status_200", 0) == 0
    assert usage["cache_hit_rate"] == 1.0
    assert revalidated.workflows == cold.workflows


def test_api_level_alone_serves_a_warm_analysis_without_requests(
    fake: FakeGitHub, config: Config, clock: FakeClock, memory_cache: LevelledCache
) -> None:
    config = config.updated(cache_ttl=0)  # analysis level off: every analysis recomputes
    client = client_for(config, clock, memory_cache)
    analyze_repository(REPO, config, client)
    warm = analyze_repository(REPO, config, client)
    assert not warm.from_cache
    assert warm.api_usage["requests"] == 0
    assert warm.api_usage["cache_hits"] == 253


@pytest.mark.parametrize("jobs", [1, 3, 16])
def test_results_do_not_depend_on_the_job_count(
    fake: FakeGitHub, config: Config, clock: FakeClock, jobs: int
) -> None:
    reference = analyze_repository(REPO, config.updated(max_parallel_jobs=1))
    result = analyze_repository(REPO, config.updated(max_parallel_jobs=jobs))
    assert result.workflows == reference.workflows
    assert result.slowest_jobs == reference.slowest_jobs
    assert result.jobs_analyzed == reference.jobs_analyzed == sum(1 + n % 3 for n in range(1, 251))


def test_faults_within_the_budget_give_the_fault_free_result(
    fake: FakeGitHub, config: Config, clock: FakeClock
) -> None:
    # One worker, so the scripted faults land on requests in a known order.
    config = config.updated(retry_budget=80, max_parallel_jobs=1)
    clean = analyze_repository(REPO, config, client_for(config, clock, None))
    fake.faults = [None, 503, "reset", None, "truncate", 500] * 20
    faulty = analyze_repository(REPO, config, client_for(config, clock, None))
    assert faulty.workflows == clean.workflows
    assert faulty.api_usage["retries"] == 80
    assert faulty.api_usage["requests"] == 253 + 80


def test_faults_beyond_the_budget_raise_instead_of_reporting(
    fake: FakeGitHub, config: Config, clock: FakeClock
) -> None:
    config = config.updated(retry_budget=5, max_retries=10)  # the budget runs out first
    fake.faults = [None] * 30 + [502] * 40
    with pytest.raises(RetriesExhausted) as caught:
        analyze_repository(REPO, config, client_for(config, clock, None))
    assert "/actions/runs/" in str(caught.value) and "RETRY_BUDGET" in str(caught.value)


def test_the_report_cache_serves_text_within_its_ttl(
    fake: FakeGitHub, config: Config, clock: FakeClock, memory_cache: LevelledCache
) -> None:
    client = client_for(config, clock, memory_cache)
    first = build_report(REPO, config, "markdown", client)
    again = build_report(REPO, config, "markdown", client)
    assert (first.from_cache, again.from_cache) == (False, True)
    assert again.text == first.text and again.result is None
    assert client.counters.requests == 253


@pytest.mark.parametrize("repo", ["", "owner", "a/b/c", "own er/x", "../x"])
def test_a_malformed_repository_name_is_refused(repo: str) -> None:
    with pytest.raises(ConfigError, match="OWNER/NAME"):
        check_repo(repo)
