"""Reports: versioned JSON that round-trips, Markdown and console tables with the numbers."""

from __future__ import annotations

import json

import pytest

from analyzer import FORMAT_VERSION, RepositoryAggregator
from analyzer.errors import ConfigError
from analyzer.output import render
from analyzer.records import AnalysisResult, result_from_dict, result_to_dict
from tests.analyzer.fakegithub import make_jobs, make_run


@pytest.fixture(scope="module")
def result() -> AnalysisResult:
    aggregator = RepositoryAggregator("octo/repo")
    for number in range(1, 31):
        run = make_run(number)
        aggregator.add(run, make_jobs(run["id"]))
    usage = {"requests": 31, "not_modified": 0, "cache_hits": 0, "rate_limit_remaining": 4969}
    return aggregator.result("2026-01-02T03:04:05Z").with_usage(usage, False)


def test_json_is_versioned_and_round_trips(result: AnalysisResult) -> None:
    data = json.loads(render(result, "json"))
    assert data["format_version"] == FORMAT_VERSION == 1
    assert list(data)[0] == "format_version"
    assert data["runs_analyzed"] == 30 and data["api_usage"]["requests"] == 31
    nightly = next(w for w in data["workflows"] if w["name"] == "Nightly")
    assert nightly["flags"] == ["slow", "unreliable"]
    assert result_from_dict(data) == result
    assert result_from_dict(result_to_dict(result)) == result


def test_json_of_another_version_is_refused(result: AnalysisResult) -> None:
    data = result_to_dict(result) | {"format_version": 99}
    with pytest.raises(ValueError, match="format version 1"):
        result_from_dict(data)


def test_markdown_has_the_tables(result: AnalysisResult) -> None:
    text = render(result, "markdown")
    lines = text.splitlines()
    assert lines[0] == "# Workflow performance: octo/repo"
    header = "| Workflow | Runs | Success | Failure | Cancelled | Mean | p50 | p90 | Max | Queue |"
    assert any(line.startswith(header) for line in lines)
    assert "| Nightly | 10 | 60.0% | 20.0% | 20.0% |" in text
    assert "| HTTP requests | 31 |" in text and "| remaining quota | 4969 |" in text


def test_console_shows_every_workflow_and_the_usage(result: AnalysisResult) -> None:
    text = render(result, "console")
    assert text.startswith("Workflow performance of octo/repo: 30 runs, 60 jobs")
    for name in ("CI", "Nightly", "Docs", "Slowest jobs", "API usage", "slow, unreliable"):
        assert name in text
    assert "\x1b[" not in text  # plain text unless colour is asked for


def test_an_unknown_format_is_a_config_error(result: AnalysisResult) -> None:
    with pytest.raises(ConfigError, match="OUTPUT_FORMAT must be one of"):
        render(result, "xml")
