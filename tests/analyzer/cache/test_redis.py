"""The Redis backend: namespaced keys, native TTL, JSON values, clear errors and the fallback."""

from __future__ import annotations

import logging
from pathlib import Path

import orjson
import pytest
import redis

from analyzer.cache import (
    CacheConfigError,
    CacheEntry,
    CacheLevel,
    CacheUnavailable,
    FileBackend,
    RedisBackend,
    cache_key,
    open_backend,
)
from tests.analyzer.cache.conftest import free_port, spawn_redis, stop_redis

KEY = cache_key(CacheLevel.API, "/repos/octo/app/actions/runs", {"page": 1})
ENTRY = CacheEntry({"workflow_runs": [{"id": 7}]}, 1000.0, '"e1"', "Tue, 01 Oct 2024 10:00:00 GMT")


def raw(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def test_keys_are_namespaced_json_with_native_ttl(
    redis_backend: RedisBackend, redis_url: str, namespace: str
) -> None:
    redis_backend.put(KEY, ENTRY, 120.5)
    client = raw(redis_url)
    try:
        name = f"{namespace}:{KEY}"
        assert orjson.loads(client.get(name))["value"] == ENTRY.value
        assert 0 < client.ttl(name) <= 121
    finally:
        client.close()
    assert redis_backend.get(KEY) == ENTRY


def test_clear_touches_only_its_namespace(redis_backend: RedisBackend, redis_url: str) -> None:
    neighbour = RedisBackend.connect(redis_url, redis_backend.namespace + "-other")
    try:
        neighbour.put(KEY, ENTRY, 60)
        for i in range(1200):  # more than one SCAN/UNLINK batch
            redis_backend.put(cache_key(CacheLevel.API, "/x", {"i": i}), ENTRY, 60)
        redis_backend.clear()
        assert redis_backend.get(cache_key(CacheLevel.API, "/x", {"i": 0})) is None
        assert neighbour.get(KEY) == ENTRY
    finally:
        neighbour.clear()
        neighbour.close()


def test_corrupt_value_is_a_miss_removed_and_counted(
    redis_backend: RedisBackend, redis_url: str, namespace: str
) -> None:
    client = raw(redis_url)
    try:
        client.set(f"{namespace}:{KEY}", b'{"v":1,"stored_at":"soon"')
        assert redis_backend.get(KEY) is None
        assert client.exists(f"{namespace}:{KEY}") == 0
    finally:
        client.close()
    snapshot = redis_backend.counters.snapshot()
    assert (snapshot["corrupt"], snapshot["errors"]) == (1, 1)


def test_unreachable_redis_is_a_clear_error_without_the_password() -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(CacheUnavailable) as caught:
        RedisBackend.connect(f"redis://bench:s3cret-pw@127.0.0.1:{port}/0", "ns")
    message = str(caught.value)
    assert message.startswith(f"redis at 127.0.0.1:{port} is unreachable: ")
    assert "s3cret-pw" not in message
    assert "bench:" not in message


def test_open_backend_raises_by_default_when_redis_is_down() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    with pytest.raises(CacheUnavailable, match="unreachable"):
        open_backend("redis", None, url, "ns")


def test_open_backend_falls_back_to_files_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"redis://:s3cret-pw@127.0.0.1:{free_port()}/0"
    with caplog.at_level(logging.WARNING, logger="analyzer.cache"):
        backend = open_backend("redis", None, url, "ns", fallback_dir=tmp_path)
    assert isinstance(backend, FileBackend)
    assert backend.directory == tmp_path / "ns"
    assert backend.counters.snapshot()["errors"] == 1
    assert "falling back to the file cache" in caplog.text
    assert "s3cret-pw" not in caplog.text


def test_redis_going_away_is_a_counted_miss(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    proc, url = spawn_redis()  # our own server, so stopping it disturbs no other test
    try:
        backend = RedisBackend.connect(url, "ns")
        backend.put(KEY, ENTRY, 60)
        assert backend.get(KEY) == ENTRY
    finally:
        stop_redis(proc)
    sent: list[str] = []
    real_get = backend.client.get
    monkeypatch.setattr(backend.client, "get", lambda name: sent.append(name) or real_get(name))
    with caplog.at_level(logging.WARNING, logger="analyzer.cache"):
        assert backend.get(KEY) is None
        backend.put(KEY, ENTRY, 60)
        assert backend.get(KEY) is None
    assert backend.counters.snapshot()["errors"] == 3
    assert len(sent) == 1  # paused after the first failure: one timeout, not one per request
    assert caplog.text.count("treated as a miss") == 1  # warned once, not per request
    backend.close()


@pytest.mark.parametrize("bad", ["", "a b", "ns*", "x" * 101])
def test_bad_namespace_is_refused(bad: str) -> None:
    with pytest.raises(CacheConfigError, match="namespace"):
        RedisBackend.connect("redis://127.0.0.1:1/0", bad)


def test_bad_url_is_refused_without_echoing_it() -> None:
    with pytest.raises(CacheConfigError) as caught:
        RedisBackend.connect("http://user:s3cret-pw@127.0.0.1:6379", "ns")
    assert "s3cret-pw" not in str(caught.value)
