"""A page of 100 workflow runs as the mock serves it: parsing its JSON, then analysing it."""

from __future__ import annotations

import json

import orjson
from pytest_benchmark.fixture import BenchmarkFixture

from analyzer.analysis import analyze_runs
from mockgithub.messages import MockResponse


def test_json_loads_page(benchmark: BenchmarkFixture, page: MockResponse) -> None:
    body = benchmark(json.loads, page.body)
    assert len(body["workflow_runs"]) == 100


def test_orjson_loads_page(benchmark: BenchmarkFixture, page: MockResponse) -> None:
    body = benchmark(orjson.loads, page.body)
    assert len(body["workflow_runs"]) == 100


def test_analyze_page(benchmark: BenchmarkFixture, page: MockResponse) -> None:
    runs = orjson.loads(page.body)["workflow_runs"]
    workflows = benchmark(analyze_runs, runs, "octo-org/octo-repo")
    assert sum(w.runs for w in workflows) == 100
