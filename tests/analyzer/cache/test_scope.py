"""Cache entries scoped to the API's identity and the credential (issue 14, points 7 and 8):
the built-in mock's port is not part of a key, and a report cached with one token is never
served to another token, a rejected one, or none; the token itself is never stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from analyzer import Config, GitHubClient
from analyzer.cache import CacheBackend, FileBackend, LevelledCache, MemoryBackend, RedisBackend
from analyzer.errors import ApiError
from analyzer.scope import ANONYMOUS, credential_id
from analyzer.service import build_report
from harness.cli import main
from mockgithub import MockConfig, MockServer

REPO = MockConfig().repo
GOOD = "ghp_scopetestGOODtoken0000000000000000000"
OTHER = "ghp_scopetestOTHERtoken000000000000000000"
REJECTED = "invalid-token-the-mock-answers-401"


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    # GitHub's 60 unauthenticated requests an hour would run out across the backends.
    server = MockServer(MockConfig(runs=40, unauthenticated_rate_limit="5000/3600"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["memory", "file", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CacheBackend]:
    if request.param == "memory":
        yield MemoryBackend()
    elif request.param == "file":
        yield FileBackend(tmp_path / "cache")
    else:
        yield request.getfixturevalue("redis_backend")


def report(mock: MockServer, backend: CacheBackend, token: str | None) -> tuple[str, bool]:
    config = Config(
        github_api_mode="rest",
        api_url=mock.base_url,
        token=token,
        rate_limit_requests_per_minute=0,
        workflow_analysis_limit=20,
        output_format="json",
    )
    client = GitHubClient(config, LevelledCache(backend))
    try:
        done = build_report(REPO, config, client=client)
    finally:
        client.close()
    return done.text, done.from_cache


def test_a_cached_report_is_served_only_to_the_credential_that_fetched_it(mock, backend):
    text, from_cache = report(mock, backend, GOOD)
    assert not from_cache
    assert report(mock, backend, GOOD) == (text, True)
    with pytest.raises(ApiError, match="401"):
        report(mock, backend, REJECTED)  # not the good token's report
    assert report(mock, backend, None)[1] is False
    assert report(mock, backend, OTHER)[1] is False
    assert report(mock, backend, GOOD)[1] is True


def test_no_token_reaches_the_cache(mock, backend, tmp_path):
    report(mock, backend, GOOD)
    report(mock, backend, OTHER)
    if isinstance(backend, MemoryBackend):
        stored = repr(vars(backend)).encode()  # every key and entry it holds, as text
    elif isinstance(backend, FileBackend):
        stored = b"".join(
            p.name.encode() + p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()
        )
    else:
        assert isinstance(backend, RedisBackend)
        raw = backend.client
        keys = list(raw.scan_iter(match=f"{backend.namespace}:*"))
        stored = b"".join(bytes(k) + bytes(raw.get(k) or b"") for k in keys)
    assert stored and GOOD.encode() not in stored and OTHER.encode() not in stored
    assert credential_id(GOOD).encode() not in stored  # the keys hash it once more


def test_credential_ids_are_stable_distinct_and_not_the_token():
    assert credential_id(GOOD) == credential_id(GOOD)
    assert len({credential_id(GOOD), credential_id(OTHER), credential_id(None)}) == 3
    assert credential_id(None) == credential_id("") == ANONYMOUS
    assert GOOD not in credential_id(GOOD)


def test_bench_analyze_against_the_built_in_mock_leaves_no_unreachable_entries(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("GITHUB_API_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    args = ["analyze", REPO, "--limit", "120", "--cache", "file", "--format", "json"]

    def run() -> tuple[int, str]:
        with pytest.raises(SystemExit) as caught:
            main(args)
        return int(caught.value.code or 0), capsys.readouterr().err

    def entries() -> int:
        return sum(1 for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.name[0] != ".")

    assert run()[0] == 0
    first = entries()
    assert first >= 124  # two list pages, 120 jobs pages, the analysis and the report
    code, err = run()  # another mock, on another port
    assert code == 0 and "served from the report cache" in err
    assert entries() == first
    monkeypatch.setenv("REPORT_CACHE_TTL", "0")
    monkeypatch.setenv("CACHE_TTL", "0")
    code, err = run()  # no report or analysis cache: every API entry is found again
    assert code == 0 and entries() == first
