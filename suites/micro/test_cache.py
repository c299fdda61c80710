"""The analyzer's cache: key generation, and a get or a put on the memory and file backends."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import BACKENDS, filled
from pytest_benchmark.fixture import BenchmarkFixture

from analyzer.cache import CacheLevel, cache_key


def test_cache_key(benchmark: BenchmarkFixture) -> None:
    params = {"per_page": 100, "page": 3, "status": "completed", "branch": "main"}
    key = benchmark(cache_key, CacheLevel.API, "/repos/octo-org/octo-repo/actions/runs", params)
    assert len(key) == 64


@pytest.mark.parametrize("backend", BACKENDS)
def test_get(benchmark: BenchmarkFixture, backend: str, cache_dir: Path) -> None:
    store, keys, entry = filled(backend, cache_dir)
    cycle = itertools.cycle(keys)
    found = benchmark(lambda: store.get(next(cycle)))
    assert found is not None and found.value == entry.value


@pytest.mark.parametrize("backend", BACKENDS)
def test_put(benchmark: BenchmarkFixture, backend: str, cache_dir: Path) -> None:
    store, keys, entry = filled(backend, cache_dir)
    cycle = itertools.cycle(keys)
    benchmark(lambda: store.put(next(cycle), entry, 3600))
    assert store.get(keys[0]) is not None
