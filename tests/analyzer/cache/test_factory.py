"""open_backend: kinds, directories and the public API."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

import analyzer.cache
from analyzer.cache import (
    BACKEND_KINDS,
    CacheBackend,
    CacheConfigError,
    CacheEntry,
    FileBackend,
    MemoryBackend,
    RedisBackend,
    open_backend,
)


def test_memory(tmp_path: Path) -> None:
    backend = open_backend("memory", None, None, "ns", max_entries=7)
    assert isinstance(backend, MemoryBackend)
    assert backend.max_entries == 7


def test_file_lives_under_directory_slash_namespace(tmp_path: Path) -> None:
    backend = open_backend("file", tmp_path, None, "bench")
    assert isinstance(backend, FileBackend)
    assert backend.directory == tmp_path / "bench"


def test_redis_stores_in_the_real_server_under_its_namespace(
    redis_url: str, namespace: str
) -> None:
    backend = open_backend("redis", None, redis_url, namespace)
    assert isinstance(backend, RedisBackend)
    try:
        backend.put("k1", CacheEntry({"answer": 42}, 1_800_000_000.0, '"e"', None), 60.0)
        # Another client of the same server sees exactly one key, in this namespace, that
        # expires; and a second backend reads the value back.
        other = redis.Redis.from_url(redis_url)
        keys = other.keys(f"{namespace}:*")
        assert keys == [f"{namespace}:k1".encode()]
        assert 0 < other.ttl(keys[0]) <= 60
        again = open_backend("redis", None, redis_url, namespace).get("k1")
        assert again is not None and again.value == {"answer": 42} and again.etag == '"e"'
        other.close()
    finally:
        backend.clear()
        backend.close()


@pytest.mark.parametrize(
    ("kind", "directory", "url", "message"),
    [
        ("disk", None, None, "not one of memory, file, redis"),
        ("file", None, None, "needs a directory"),
        ("redis", None, None, "needs a URL"),
    ],
)
def test_bad_requests_are_refused(
    kind: str, directory: Path | None, url: str | None, message: str
) -> None:
    with pytest.raises(CacheConfigError, match=message):
        open_backend(kind, directory, url, "ns")


def test_every_backend_meets_the_protocol(tmp_path: Path) -> None:
    for kind in ("memory", "file"):
        assert isinstance(open_backend(kind, tmp_path, None, "ns"), CacheBackend)
    assert BACKEND_KINDS == ("memory", "file", "redis")


def test_public_api_is_exported() -> None:
    promised = {
        "CacheEntry",
        "CacheBackend",
        "MemoryBackend",
        "FileBackend",
        "RedisBackend",
        "LevelledCache",
        "CacheCounters",
        "CacheLevel",
        "cache_key",
        "open_backend",
    }
    assert promised <= set(analyzer.cache.__all__)
    assert all(hasattr(analyzer.cache, name) for name in analyzer.cache.__all__)
