"""``GITHUB_API_MODE=graphql`` against the real mock over HTTP: the same report as REST from a
few requests, the points counted exactly and the points budget respected."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from analyzer import Config, GitHubClient
from analyzer.cache import LevelledCache, MemoryBackend
from analyzer.clock import FakeClock
from analyzer.graphql_client import graphql_url
from analyzer.output import render
from analyzer.records import AnalysisResult
from analyzer.service import analyze_repository
from mockgithub import MockConfig, MockServer
from mockgithub.published import DescriptionUnavailable
from tests.services import Service, skip_for

REPO = MockConfig().repo
LIFTED = {"rate_limit": "100000/3600", "secondary_rate_limit": "0/60"}


@pytest.fixture(scope="module", autouse=True)
def graphql_schema() -> None:
    try:
        from mockgithub.gql.schema import github_schema

        github_schema()
    except DescriptionUnavailable as exc:
        skip_for(Service.DESCRIPTIONS, f"GitHub's published descriptions are unavailable: {exc}")


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    # Live runs and re-runs included: queued jobs, in-progress ones, several attempts.
    mock = MockServer(MockConfig(runs=600, active_runs=4, **LIFTED))  # type: ignore[arg-type]
    mock.start()
    yield mock
    mock.stop()


@pytest.fixture
def mock(server: MockServer) -> MockServer:
    server.model.reset()
    return server


def settings(url: str, **changes: Any) -> Config:
    base = Config(
        github_api_mode="rest",
        api_url=url,
        token="test-token",
        rate_limit_requests_per_minute=0,
        rate_limit_delay=0.001,
        enable_cache=False,
        max_parallel_jobs=8,
        workflow_analysis_limit=200,
    )
    return base.updated(**changes)


def report(result: AnalysisResult) -> dict[str, Any]:
    """The JSON report without what must differ: the API usage and the time it was made."""
    data = json.loads(render(result, "json"))
    del data["api_usage"], data["generated_at"]
    return dict(data)


@pytest.mark.parametrize("runs", [200, 437])
def test_rest_and_graphql_give_identical_json_reports(mock: MockServer, runs: int) -> None:
    rest = analyze_repository(REPO, settings(mock.base_url, workflow_analysis_limit=runs))
    graphql = analyze_repository(
        REPO, settings(mock.base_url, workflow_analysis_limit=runs, github_api_mode="graphql")
    )
    assert report(graphql) == report(rest)
    assert graphql.runs_analyzed == runs and graphql.jobs_analyzed > 3 * runs


def test_graphql_reads_200_runs_with_jobs_in_4_requests_and_2_points(mock: MockServer) -> None:
    rest = analyze_repository(REPO, settings(mock.base_url))
    assert rest.api_usage["requests"] == 202
    mock.model.reset()
    graphql = analyze_repository(REPO, settings(mock.base_url, github_api_mode="graphql"))
    usage, stats = graphql.api_usage, mock.model.stats()
    assert usage["requests"] == stats["requests_total"] == 4  # 2 REST pages + 2 GraphQL batches
    assert stats["by_endpoint"] == {"runs": 2, "graphql": 2}
    assert usage["graphql_requests"] == 2
    assert usage["graphql_points"] == stats["graphql_points"] == 2
    assert usage["graphql_remaining"] == 5000 - 2


def clocked_client(
    config: Config, clock: FakeClock, cache: LevelledCache | None = None
) -> GitHubClient:
    return GitHubClient(config, cache, sleep=clock.sleep, clock=clock, monotonic=clock)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_the_points_budget_is_waited_for_not_overrun(clock: FakeClock) -> None:
    """One point per hour: the second batch waits for the reset instead of being refused."""
    config = MockConfig(runs=300, graphql_rate_limit="1/3600", **LIFTED)  # type: ignore[arg-type]
    with MockServer(config, clock=clock) as url:
        client = clocked_client(settings(url, github_api_mode="graphql"), clock)
        result = analyze_repository(REPO, client.config, client)
        stats = client.counters.snapshot()
        assert result.runs_analyzed == 200 and stats["graphql_points"] == 2
        assert stats["rate_limited_responses"] == 0  # never sent into an empty budget
        assert stats["rate_limit_waits"] == 1 and 3599 <= stats["rate_limit_wait_s"] <= 3602


def test_a_rate_limited_answer_waits_for_the_reset_and_retries(clock: FakeClock) -> None:
    config = MockConfig(runs=300, graphql_rate_limit="1/3600", **LIFTED)  # type: ignore[arg-type]
    with MockServer(config, clock=clock) as url:
        spent = requests.post(
            f"{url}/graphql",
            json={"query": "query { rateLimit { cost } }"},
            headers={"Authorization": "Bearer test-token"},
            timeout=10,
        )
        assert spent.json()["data"] == {"rateLimit": {"cost": 1}}  # another client's point
        config = settings(url, github_api_mode="graphql", max_parallel_jobs=1)
        client = clocked_client(config, clock)
        result = analyze_repository(REPO, client.config, client)
        stats = client.counters.snapshot()
        assert result.runs_analyzed == 200
        # The first batch met the empty budget (RATE_LIMITED), waited and went again; the
        # second, knowing no point was left, waited for the next reset before it went.
        assert stats["rate_limited_responses"] == 1 and stats["rate_limit_waits"] == 2
        assert stats["graphql_points"] == 2 and stats["graphql_requests"] == 3


def test_graphql_jobs_are_cached_per_run_and_not_revalidated(mock: MockServer) -> None:
    clock = FakeClock()
    config = settings(mock.base_url, github_api_mode="graphql", enable_cache=True, cache_ttl=0)
    client = clocked_client(config, clock, LevelledCache(MemoryBackend(), clock=clock))
    analyze_repository(REPO, config, client)
    mock.model.reset()
    warm = analyze_repository(REPO, config, client)
    assert warm.api_usage["requests"] == mock.model.stats()["requests_total"] == 0
    assert warm.api_usage["cache_hits"] == 2 + 200  # two list pages, 200 runs' jobs
    mock.model.reset()
    clock.advance(config.api_cache_ttl + 1)
    stale = analyze_repository(REPO, config, client)
    stats = mock.model.stats()
    # REST pages revalidate with their ETag (free 304s); GraphQL answers have no ETag: re-read.
    assert stats["requests"] == {"runs 304": 2, "graphql 200": 2}
    assert stale.api_usage["graphql_points"] == 2 and stale.workflows == warm.workflows


def test_a_run_with_more_than_100_jobs_is_paged_in_both_modes(
    tmp_path: Path, mock: MockServer
) -> None:
    """A recording whose newest run has 130 jobs: REST pages its jobs, GraphQL its check runs."""
    fixture = recording_with_a_big_run(mock, tmp_path / "recording.json", jobs=130)
    with MockServer(MockConfig(fixture=str(fixture), **LIFTED)) as url:  # type: ignore[arg-type]
        rest = analyze_repository(REPO, settings(url, workflow_analysis_limit=20))
        graphql = analyze_repository(
            REPO, settings(url, workflow_analysis_limit=20, github_api_mode="graphql")
        )
    assert report(graphql) == report(rest)
    assert graphql.jobs_analyzed > 130
    assert rest.api_usage["requests"] == 1 + 20 + 1  # the big run's jobs take two pages
    assert graphql.api_usage["graphql_requests"] == 2  # one batch, one more page of check runs


def recording_with_a_big_run(mock: MockServer, path: Path, jobs: int) -> Path:
    """A recording of 20 runs of the mock, the newest one given ``jobs`` jobs."""
    base, headers = mock.base_url, {"Authorization": "Bearer t"}
    api = f"{base}/repos/{REPO}"
    page = requests.get(f"{api}/actions/runs?per_page=20", headers=headers, timeout=10).json()
    bodies: list[dict[str, Any]] = [page]
    for run in page["workflow_runs"]:
        bodies.append(requests.get(f"{run['jobs_url']}", headers=headers, timeout=10).json())
    template = bodies[1]["jobs"][0]
    bodies[1]["jobs"] = [
        {**template, "id": template["id"] + 10_000_000 * n, "name": f"shard {n}",
         "node_id": f"CR_recorded{n}"}
        for n in range(jobs)
    ]  # fmt: skip
    recording = {
        "format": "mockgithub-recording",
        "version": 1,
        "base_url": base,
        "responses": [{"url": "", "status": 200, "body": body} for body in bodies],
    }
    path.write_text(json.dumps(recording))
    return path


@pytest.mark.parametrize(
    ("api_url", "endpoint"),
    [
        ("https://api.github.com", "https://api.github.com/graphql"),
        ("https://api.github.com/", "https://api.github.com/graphql"),
        ("https://ghe.example.com/api/v3", "https://ghe.example.com/api/graphql"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/graphql"),
    ],
)
def test_the_graphql_endpoint_sits_beside_the_rest_api(api_url: str, endpoint: str) -> None:
    assert graphql_url(api_url) == endpoint
