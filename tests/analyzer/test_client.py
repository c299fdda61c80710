"""The client against a scripted fake GitHub: exact requests, retries, rate limits, ETags."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer import ApiError, Config, GitHubClient, RateLimitError, RetriesExhausted
from analyzer.cache import CacheEntry, LevelledCache
from analyzer.cache.codec import encode_file
from analyzer.cache.file import FileBackend
from tests.analyzer.conftest import TOKEN, FakeClock
from tests.analyzer.fakegithub import BASE, REPO, FakeGitHub

RUNS = f"/repos/{REPO}/actions/runs"


def client_for(
    config: Config, clock: FakeClock, cache: LevelledCache | None = None
) -> GitHubClient:
    return GitHubClient(config, cache, sleep=clock.sleep, clock=clock, monotonic=clock)


@pytest.mark.parametrize(("limit", "pages"), [(1, 1), (50, 1), (100, 1), (101, 2), (250, 3)])
def test_pagination_costs_ceil_n_over_100_requests(
    fake: FakeGitHub, config: Config, clock: FakeClock, limit: int, pages: int
) -> None:
    client = client_for(config, clock)
    runs = list(client.paginate(RUNS, "workflow_runs", limit))
    assert [r["id"] for r in runs] == [5000 + n for n in range(250, 250 - limit, -1)]
    assert client.counters.snapshot()["requests"] == pages
    assert sum(fake.seen.values()) == pages


def test_pagination_stops_at_the_last_page(fake: FakeGitHub, config: Config, clock: FakeClock):
    fake.runs = 120
    client = client_for(config, clock)
    assert len(list(client.paginate(RUNS, "workflow_runs", 1000))) == 120
    assert client.counters.requests == 2


@pytest.mark.parametrize("fault", [500, 502, 503, "reset", "truncate"])
def test_a_failed_attempt_is_retried_after_a_backoff(
    fake: FakeGitHub, config: Config, clock: FakeClock, fault: object
) -> None:
    fake.faults = [fault, fault]
    client = client_for(config, clock)
    body = client.get_json(RUNS, {"per_page": 5})
    assert len(body["workflow_runs"]) == 5
    counts = client.counters.snapshot()
    assert counts["requests"] == 3
    assert counts["retries"] == 2
    assert len(clock.sleeps) == 2
    # exponential with equal jitter: [0.5, 1) x base x 2^attempt
    assert 0.005 <= clock.sleeps[0] < 0.01 <= clock.sleeps[1] < 0.02


def test_the_per_request_limit_fails_with_a_clear_error(
    fake: FakeGitHub, config: Config, clock: FakeClock
) -> None:
    fake.faults = [502] * 10
    client = client_for(config.updated(max_retries=2), clock)
    with pytest.raises(RetriesExhausted) as caught:
        client.get_json(RUNS)
    message = str(caught.value)
    assert f"GET {RUNS} failed after 3 attempt(s)" in message
    assert "502" in message and "MAX_RETRIES" in message
    assert client.counters.requests == 3


def test_the_analysis_budget_is_shared_by_all_requests(
    fake: FakeGitHub, config: Config, clock: FakeClock
) -> None:
    client = client_for(config.updated(retry_budget=3), clock)
    fake.faults = [500, 500]
    client.get_json(RUNS)
    fake.faults = [500, 500]
    with pytest.raises(RetriesExhausted, match="RETRY_BUDGET"):
        client.get_json(RUNS)
    assert client.counters.snapshot()["retries"] == 3


def test_client_errors_are_not_retried(fake: FakeGitHub, config: Config, clock: FakeClock):
    client = client_for(config, clock)
    with pytest.raises(ApiError, match="GET /repos/octo/nothing/actions/runs answered 404"):
        client.get_json("/repos/octo/nothing/actions/runs")
    assert client.counters.requests == 1


def test_bad_credentials_hint_at_the_token(fake: FakeGitHub, config: Config, clock: FakeClock):
    fake.faults = [401]
    with pytest.raises(ApiError, match="answered 401.*check GITHUB_TOKEN") as caught:
        client_for(config, clock).get_json(RUNS)
    assert TOKEN not in str(caught.value)


def test_retry_after_is_honoured(fake: FakeGitHub, config: Config, clock: FakeClock):
    fake.faults = [429]
    fake.extra_headers = {"retry-after": "7"}
    client = client_for(config, clock)
    client.get_json(RUNS)
    counts = client.counters.snapshot()
    assert clock.sleeps == [7.0]
    assert counts["rate_limit_waits"] == 1 and counts["rate_limit_wait_s"] == 7.0
    assert counts["retries"] == 0  # rate limits do not spend the fault budget


def test_an_exhausted_quota_waits_for_the_reset_before_the_next_request(
    fake: FakeGitHub, config: Config, clock: FakeClock
) -> None:
    fake.remaining, fake.reset_at = 0, int(clock.now) + 30
    client = client_for(config, clock)
    client.get_json(RUNS)
    assert clock.sleeps == []  # the answer itself was fine
    fake.remaining = 4999
    client.get_json(RUNS, {"page": 2})
    assert clock.sleeps == [31.0]  # reset + 1 s margin, then the request
    assert client.counters.snapshot()["rate_limit_remaining"] == 4999


def test_a_primary_limit_403_waits_for_the_reset(
    fake: FakeGitHub, config: Config, clock: FakeClock
) -> None:
    fake.remaining, fake.reset_at = 0, int(clock.now) + 100
    fake.faults = [403]
    client = client_for(config, clock)
    client.get_json(RUNS)
    assert clock.sleeps == [101.0]
    assert client.counters.snapshot()["status_403"] == 1


def test_a_reset_too_far_away_fails_clearly(fake: FakeGitHub, config: Config, clock: FakeClock):
    fake.remaining, fake.reset_at = 0, int(clock.now) + 10_000
    fake.faults = [403]
    with pytest.raises(RateLimitError, match="rate limit exhausted"):
        client_for(config, clock).get_json(RUNS)


def test_no_rate_limit_check_requests(fake: FakeGitHub, config: Config, clock: FakeClock):
    client = client_for(config, clock)
    list(client.paginate(RUNS, "workflow_runs", 250))
    assert set(fake.seen) == {"runs 200"}


def test_a_stale_entry_is_revalidated_and_a_304_serves_its_body(
    fake: FakeGitHub, config: Config, clock: FakeClock, memory_cache: LevelledCache
) -> None:
    client = client_for(config, clock, memory_cache)
    first = client.get_json(RUNS)
    assert client.get_json(RUNS) == first  # fresh: no request
    assert client.counters.requests == 1
    clock.now += 301
    assert client.get_json(RUNS) == first
    counts = client.counters.snapshot()
    assert (counts["requests"], counts["not_modified"], counts["cache_hits"]) == (2, 1, 1)
    assert fake.seen["runs 304"] == 1
    assert counts["cache_hit_rate"] == pytest.approx(2 / 3, abs=1e-6)


def test_links_to_another_host_are_refused(config: Config, clock: FakeClock):
    client = client_for(config, clock)
    with pytest.raises(ApiError, match="another host"):
        client.get_json("https://evil.example/steal")


def test_the_token_is_sent_only_as_a_header(fake: FakeGitHub, config: Config, clock: FakeClock):
    client_for(config, clock).get_json(RUNS)
    assert fake.auth_headers == [f"Bearer {TOKEN}"]


def test_the_pool_is_sized_to_the_job_count(config: Config, clock: FakeClock):
    client = client_for(config.updated(max_parallel_jobs=12), clock)
    assert client.session.get_adapter(BASE)._pool_maxsize == 13


def test_a_cache_entry_of_the_wrong_shape_is_a_corrupt_miss_not_a_crash(
    fake: FakeGitHub, config: Config, clock: FakeClock, tmp_path: Path
) -> None:
    """A file with a valid header whose value is not {"body", "next"} (once: KeyError 'body')."""
    cache = LevelledCache(FileBackend(tmp_path / "cache"), clock=clock)
    client = client_for(config, clock, cache)
    first = client.get_json(RUNS)
    (path,) = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    path.write_bytes(encode_file(CacheEntry({"wrong": "shape"}, clock.now), 10**10))
    assert client.get_json(RUNS) == first
    assert fake.seen["runs 200"] == 2  # fetched again, unconditionally (no ETag of a bad entry)
    assert cache.counters.snapshot()["corrupt"] == 1
    assert client.get_json(RUNS) == first  # and stored afresh
    assert fake.seen["runs 200"] == 2
