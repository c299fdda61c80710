"""The memory backend: bounded, least-recently-used eviction, thread-safe."""

from __future__ import annotations

import threading

import pytest

from analyzer.cache import CacheConfigError, CacheEntry, CacheLevel, MemoryBackend, cache_key

KEYS = [cache_key(CacheLevel.API, "/k", {"i": i}) for i in range(10)]


def entry(value: object, at: float = 0.0) -> CacheEntry:
    return CacheEntry(value, at)


def test_lru_eviction_is_bounded_and_counted() -> None:
    backend = MemoryBackend(max_entries=3)
    for i in range(5):
        backend.put(KEYS[i], entry(i), 60)
    assert len(backend) == 3
    assert [backend.get(k) is not None for k in KEYS[:5]] == [False, False, True, True, True]
    assert backend.counters.snapshot()["evictions"] == 2


def test_get_refreshes_recency() -> None:
    backend = MemoryBackend(max_entries=2)
    backend.put(KEYS[0], entry(0), 60)
    backend.put(KEYS[1], entry(1), 60)
    backend.get(KEYS[0])
    backend.put(KEYS[2], entry(2), 60)  # evicts KEYS[1], the least recently used
    assert backend.get(KEYS[0]) is not None
    assert backend.get(KEYS[1]) is None


def test_overwrite_does_not_evict() -> None:
    backend = MemoryBackend(max_entries=2)
    for _ in range(5):
        backend.put(KEYS[0], entry(0), 60)
    assert len(backend) == 1
    assert backend.counters.snapshot()["evictions"] == 0


def test_cleanup_removes_only_expired() -> None:
    backend = MemoryBackend()
    backend.put(KEYS[0], entry("old", at=100.0), 50)  # kept until 150
    backend.put(KEYS[1], entry("new", at=140.0), 50)  # kept until 190
    assert backend.cleanup(now=150.0) == 0  # retained *at least* retain_s
    assert backend.cleanup(now=151.0) == 1
    assert backend.get(KEYS[0]) is None
    assert backend.get(KEYS[1]) is not None
    assert backend.counters.snapshot()["evictions"] == 1


def test_delete_and_clear() -> None:
    backend = MemoryBackend()
    backend.put(KEYS[0], entry(0), 60)
    backend.put(KEYS[1], entry(1), 60)
    backend.delete(KEYS[0])
    backend.delete(KEYS[0])  # absent: no error
    assert backend.get(KEYS[0]) is None
    backend.clear()
    assert len(backend) == 0


def test_bad_bound_is_refused() -> None:
    with pytest.raises(CacheConfigError, match="max_entries"):
        MemoryBackend(max_entries=0)


def test_threads_share_it_safely() -> None:
    backend = MemoryBackend(max_entries=5)
    threads_n, puts = 8, 500
    # Unique keys per put: every put inserts, so evictions are exactly puts - bound.
    keys = [
        [cache_key(CacheLevel.API, "/t", {"n": n, "i": i}) for i in range(puts)]
        for n in range(threads_n)
    ]

    def work(mine: list[str]) -> None:
        for i, key in enumerate(mine):
            backend.put(key, entry(i), 60)
            backend.get(key)

    threads = [threading.Thread(target=work, args=(mine,)) for mine in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(backend) == 5
    assert backend.counters.snapshot()["evictions"] == threads_n * puts - 5


def test_bytes_bound_evicts_oldest_and_keeps_reads_immutable() -> None:
    backend = MemoryBackend(max_bytes=2_000)
    value = {"blob": "x" * 600}
    for name in "abcd":
        backend.put(cache_key(CacheLevel.API, name), CacheEntry(value, 1.0), 60)
    assert len(backend) == 2 and backend.size_bytes <= 2_000
    assert backend.counters.snapshot()["evictions"] == 2
    assert backend.get(cache_key(CacheLevel.API, "a")) is None
    read = backend.get(cache_key(CacheLevel.API, "d"))
    read.value["blob"] = "changed"
    assert backend.get(cache_key(CacheLevel.API, "d")).value == value
