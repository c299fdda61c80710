"""Acceptance counts against the real mock over HTTP on 127.0.0.1 (server-side counts too)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from analyzer import Config, GitHubClient, RetriesExhausted
from analyzer.cache import LevelledCache, MemoryBackend
from analyzer.clock import FakeClock
from analyzer.service import analyze_repository
from mockgithub import MockConfig, MockServer

REPO = MockConfig().repo


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    mock = MockServer(MockConfig(runs=600, rate_limit="100000/3600"))
    mock.start()
    yield mock
    mock.stop()


@pytest.fixture
def mock(server: MockServer) -> MockServer:
    server.model.reconfigure({"error_rate": 0.0, "reset_rate": 0.0, "truncate_rate": 0.0})
    server.model.reset()
    return server


def settings(server: MockServer, **changes: object) -> Config:
    base = Config(
        github_api_mode="rest",
        api_url=server.base_url,
        token="test-token",
        rate_limit_requests_per_minute=0,
        rate_limit_delay=0.001,
        enable_cache=False,
        max_parallel_jobs=8,
        workflow_analysis_limit=250,
    )
    return base.updated(**changes)


def client_for(config: Config, clock: FakeClock, cache: LevelledCache | None) -> GitHubClient:
    return GitHubClient(config, cache, sleep=clock.sleep, clock=clock, monotonic=clock)


@pytest.mark.parametrize("runs", [1, 100, 250])
def test_cold_analysis_request_count_seen_by_the_server(mock: MockServer, runs: int) -> None:
    result = analyze_repository(REPO, settings(mock, workflow_analysis_limit=runs))
    stats = mock.model.stats()
    assert result.api_usage["requests"] == stats["requests_total"] == math.ceil(runs / 100) + runs
    assert stats["by_endpoint"] == {"jobs": runs, "runs": math.ceil(runs / 100)}
    assert "rate_limit" not in stats["by_endpoint"]


def test_warm_and_revalidated_analyses(mock: MockServer) -> None:
    clock = FakeClock()
    config = settings(mock)
    client = client_for(config, clock, LevelledCache(MemoryBackend(), clock=clock))
    analyze_repository(REPO, config, client)
    assert mock.model.stats()["requests_total"] == 253

    mock.model.reset()
    warm = analyze_repository(REPO, config, client)
    assert warm.api_usage["requests"] == mock.model.stats()["requests_total"] == 0

    clock.now += 1801
    revalidated = analyze_repository(REPO, config, client)
    stats = mock.model.stats()
    assert stats["requests_total"] == stats["not_modified"] == 253
    assert revalidated.api_usage["not_modified"] == 253
    assert revalidated.workflows == warm.workflows


def test_injected_faults_do_not_change_the_result(mock: MockServer) -> None:
    config = settings(mock, workflow_analysis_limit=500, retry_budget=200)
    clean = analyze_repository(REPO, config)
    mock.model.reconfigure({"error_rate": 0.05, "reset_rate": 0.01, "truncate_rate": 0.01})
    mock.model.reset()
    faulty = analyze_repository(REPO, config)
    faults = mock.model.stats()["faults"]
    assert sum(faults.values()) > 0
    assert faulty.workflows == clean.workflows
    assert faulty.slowest_jobs == clean.slowest_jobs
    assert faulty.api_usage["retries"] == sum(faults.values())


def test_faults_beyond_the_budget_fail_with_a_clear_error(mock: MockServer) -> None:
    mock.model.reconfigure({"error_rate": 0.5})
    config = settings(mock, workflow_analysis_limit=100, retry_budget=3, max_parallel_jobs=2)
    with pytest.raises(RetriesExhausted) as caught:
        analyze_repository(REPO, config)
    message = str(caught.value)
    assert message.startswith("GET /repos/octo-org/octo-repo/actions/runs")
    assert "the server answered 50" in message and "test-token" not in message
