"""Shared inputs of the pytest-benchmark micro suites: real bodies and headers from the mock.

This folder has no ``__init__.py`` on purpose: asv and ``bench``'s discovery walk packages
only, so neither imports these pytest files; ``bench run micro`` runs them through
pytest-benchmark (``harness/micro.py``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from analyzer.cache import (
    CacheBackend,
    CacheEntry,
    CacheLevel,
    FileBackend,
    MemoryBackend,
    cache_key,
)
from analyzer.config import default_cache_dir
from mockgithub import MockConfig
from mockgithub.messages import MockRequest, MockResponse
from mockgithub.model import MockModel

TOKEN = "ghp_microbench00000000000000000000000000"
BACKENDS = ["memory", "file"]
# The size of one run's jobs response, the cache's most common entry.
VALUE = {"total_count": 3, "jobs": [{"id": i, "steps": list(range(20))} for i in range(3)]}


def runs_page() -> MockResponse:
    """Page 2 of a repository's workflow runs, 100 per page, as the mock serves it."""
    config = MockConfig()
    request = MockRequest(
        "GET",
        f"/repos/{config.repo}/actions/runs",
        {"per_page": "100", "page": "2"},
        {"Authorization": f"Bearer {TOKEN}"},
    )
    response = MockModel(config).handle(request)
    assert response.status == 200, response.body[:200]
    return response


@pytest.fixture(scope="session")
def page() -> MockResponse:
    return runs_page()


def open_backend(kind: str, directory: Path) -> CacheBackend:
    return MemoryBackend() if kind == "memory" else FileBackend(directory / "cache")


@pytest.fixture
def cache_dir(tmp_path: Path) -> Iterator[Path]:
    """A fresh directory where the analyzer keeps its file cache by default (a RAM disk where
    there is one), so the micro figures match what users get."""
    root = Path(default_cache_dir()).parent
    if not os.access(root, os.W_OK):
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(prefix="bench-micro-", dir=root) as name:
        yield Path(name)


def filled(
    kind: str, directory: Path, count: int = 64
) -> tuple[CacheBackend, list[str], CacheEntry]:
    """A backend holding ``count`` entries, their keys, and the entry stored."""
    backend = open_backend(kind, directory)
    entry = CacheEntry(VALUE, 1_800_000_000.0, etag='W/"abc"')
    keys = [cache_key(CacheLevel.API, f"/repos/o/r/actions/runs/{i}/jobs") for i in range(count)]
    for key in keys:
        backend.put(key, entry, 3600)
    return backend, keys, entry
