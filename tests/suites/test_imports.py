"""What a benchmark worker imports before its benchmark runs: every worker process pays it."""

from __future__ import annotations

import subprocess
import sys

import pytest

import analyzer.cache


def _loaded_after(code: str) -> set[str]:
    shown = "import sys; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", f"{code}; {shown}"], capture_output=True, text=True, check=True
    )
    return set(out.stdout.split())


def test_a_benchmark_worker_importing_a_suite_loads_no_graphql_schema() -> None:
    loaded = _loaded_after("import harness.worker, suites.cache")
    assert "mockgithub.process" in loaded
    assert {"graphql", "mockgithub.model", "mockgithub.gql"}.isdisjoint(loaded)


def test_a_worker_with_every_suite_and_its_fixtures_loaded_has_not_imported_redis_or_rich() -> None:
    loaded = _loaded_after(
        "import harness.worker; from pathlib import Path; from harness.suite import discover; "
        "from harness.fixtures import load_fixtures; discover(Path('suites')); "
        "load_fixtures('suites')"
    )
    assert {"suites.cache", "suites._redis", "analyzer.cache.factory"} <= loaded
    assert {"redis", "asyncio", "rich"}.isdisjoint(loaded)


def test_the_redis_backend_loads_when_named_and_an_unknown_name_is_an_attribute_error() -> None:
    assert analyzer.cache.RedisBackend.__name__ == "RedisBackend"
    assert "RedisBackend" in analyzer.cache.__all__
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = analyzer.cache.Nope
