"""``bench analyze --diagnose``, ``--fail-on`` and ``--warm`` end to end, on real mocks.

Assertions are on counters and the findings they lead to, never on times.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mockgithub import MockConfig, spawn_server
from tests.analyzer.test_cli_analyze import bench

REPO = "octo-org/octo-repo"
KNOBS = ("CACHE_TTL", "API_CACHE_TTL", "RATE_LIMIT_REQUESTS_PER_MINUTE", "GITHUB_TOKEN",
         "MAX_PARALLEL_JOBS", "ANALYZER_PROFILE", "OUTPUT_FORMAT", "REPORT_CACHE_TTL")  # fmt: skip


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in KNOBS:
        monkeypatch.delenv(name, raising=False)
    directory = tmp_path / "cache"
    monkeypatch.setenv("GITHUB_API_CACHE_DIR", str(directory))
    # The diagnoses below are read from REST's counters (a request per run's jobs); with the
    # default, auto, the mock's token would read the jobs of 20 runs in one GraphQL query.
    monkeypatch.setenv("GITHUB_API_MODE", "rest")
    return directory


def diagnosis(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert bench("analyze", REPO, "--diagnose", "--format", "json", *argv) == 0
    document: dict = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return document


def test_expired_entries_with_ttls_of_one_second_are_a_low_cache_hit_rate(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bench("analyze", REPO, "--cache", "file", "--limit", "20") == 0
    time.sleep(1.1)  # past the 1 s TTLs below: every entry the first run stored has expired
    monkeypatch.setenv("CACHE_TTL", "1")
    monkeypatch.setenv("API_CACHE_TTL", "1")
    found = diagnosis(capsys, "--cache", "file", "--limit", "20")
    low = next(f for f in found["findings"] if f["issue"] == "low cache hit rate")
    assert low["command"] == f"bench tune {REPO} --knob ttl --knob cache"
    assert "pre-warming" in low["remedy"]
    # 21 requests, all revalidations of expired entries; 22 lookups (analysis + 21 API).
    assert found["observed"]["requests"] == 21
    assert found["observed"]["not_modified_share"] == 1.0
    assert found["observed"]["cache_lookups"] == 22
    assert found["observed"]["cache_hit_rate"] == 0.0


def test_the_default_ttls_on_the_same_cache_find_no_low_hit_rate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert bench("analyze", REPO, "--cache", "file", "--limit", "20") == 0
    found = diagnosis(capsys, "--cache", "file", "--limit", "20")
    assert [f["issue"] for f in found["findings"]] == []
    assert found["observed"]["requests"] == 0


def test_a_mock_with_a_tiny_limit_is_diagnosed_rate_limited_with_the_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_diagnose")
    monkeypatch.setenv("RATE_LIMIT_REQUESTS_PER_MINUTE", "0")  # nothing paces the client
    with spawn_server(MockConfig(rate_limit="20/2")) as server:
        url = server.base_url
        found = diagnosis(capsys, "--api-url", url, "--limit", "30", "--cache", "memory")
    limited = next(f for f in found["findings"] if f["issue"] == "rate limited")
    assert limited["command"] == f"bench tune {REPO} --api-url {url} --knob pacing --knob ttl"
    assert "GitHub App token" in limited["remedy"]
    assert found["observed"]["rate_limit_waits"] >= 1
    assert found["observed"]["rate_limit_limit"] == 20


def test_the_text_form_names_each_finding_with_its_remedy_and_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert bench("analyze", REPO, "--diagnose", "--limit", "10") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"diagnosis of {REPO} (the mock at http://127.0.0.1:")
    assert "* cold cache: 0 of 12 lookups found an entry" in out
    assert f"    test it: bench tune {REPO} --knob cache\n" in out


def test_a_crossed_alert_exits_1_and_names_the_alert(capsys: pytest.CaptureFixture[str]) -> None:
    code = bench("analyze", REPO, "--limit", "10", "--fail-on", "usage>80%,hit-rate<50%")
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.strip() == "bench analyze: alert: hit-rate 0% < 50%"
    assert captured.out.startswith(f"Workflow performance of {REPO}: 10 runs")  # the report


def test_alerts_not_crossed_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench("analyze", REPO, "--limit", "10", "--fail-on", "usage>80%,requests>11") == 0
    assert "alert" not in capsys.readouterr().err


def test_a_malformed_alert_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench("analyze", REPO, "--fail-on", "usage>80") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "usage is a share; write it in %" in err


def test_warming_fills_the_cache_so_the_next_analysis_sends_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bench("analyze", REPO, "--warm", "--cache", "file", "--limit", "20") == 0
    assert capsys.readouterr().out.startswith(f"warmed {REPO}: 20 runs, ")
    found = diagnosis(capsys, "--cache", "file", "--limit", "20")
    assert found["observed"]["requests"] == 0
    assert found["observed"]["cache_hit_rate"] == round(21 / 22, 4)  # the analysis level missed


def test_warming_expired_entries_costs_only_304s(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bench("analyze", REPO, "--warm", "--cache", "file", "--limit", "20") == 0
    time.sleep(1.1)
    monkeypatch.setenv("API_CACHE_TTL", "1")
    capsys.readouterr()
    assert bench("analyze", REPO, "--warm", "--cache", "file", "--limit", "20") == 0
    assert "; 21 requests (21 answered 304), 0 fresh already" in capsys.readouterr().out


def test_warming_without_a_cache_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench("analyze", REPO, "--warm", "--cache", "none") == 2
    assert "--warm needs the cache" in capsys.readouterr().err
