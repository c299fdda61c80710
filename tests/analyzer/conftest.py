"""Fixtures of the analyzer tests: a fake GitHub on ``responses``, a fake clock, no sleeping."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from analyzer import Config
from analyzer.cache import LevelledCache, MemoryBackend
from analyzer.clock import FakeClock
from tests.analyzer.fakegithub import BASE, FakeGitHub

TOKEN = "ghp_SECRETTOKEN1234567890abcdef"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_900_000_000.0)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    github = FakeGitHub()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        github.install(mock)
        yield github


@pytest.fixture
def config() -> Config:
    """Fast settings: no client pacing, tiny backoff, the fake's base URL."""
    return Config(
        github_api_mode="rest",  # the fake GitHub speaks REST only
        api_url=BASE,
        token=TOKEN,
        rate_limit_requests_per_minute=0,
        rate_limit_delay=0.01,
        enable_cache=False,
        max_parallel_jobs=4,
        workflow_analysis_limit=250,
    )


@pytest.fixture
def memory_cache(clock: FakeClock) -> LevelledCache:
    return LevelledCache(MemoryBackend(), clock=clock)
