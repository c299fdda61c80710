"""Freshness, stale-but-revalidatable entries and exact counters, on every backend."""

from __future__ import annotations

import pytest

from analyzer.cache import (
    DEFAULT_TTLS,
    CacheBackend,
    CacheConfigError,
    CacheLevel,
    LevelledCache,
    MemoryBackend,
    RedisBackend,
    cache_key,
)
from analyzer.clock import FakeClock

API = CacheLevel.API
KEY = cache_key(API, "/repos/octo/app/actions/runs", {"page": 1})
PAGE = {"total_count": 2, "workflow_runs": [{"id": 1}, {"id": 2}]}


def counts(cache: LevelledCache) -> dict[str, int]:
    return {k: v for k, v in cache.counters.snapshot().items() if v}


def test_default_ttls_are_the_toolkits() -> None:
    assert DEFAULT_TTLS == {API: 300, CacheLevel.ANALYSIS: 1800, CacheLevel.REPORT: 900}


def test_miss_store_hit(backend: CacheBackend, clock: FakeClock) -> None:
    cache = LevelledCache(backend, clock=clock)
    assert cache.lookup(API, KEY) == (None, False)
    cache.store(API, KEY, PAGE, etag='W/"abc"', last_modified="Tue, 01 Oct 2024 10:00:00 GMT")
    clock.advance(299)
    entry, fresh = cache.lookup(API, KEY)
    assert fresh
    assert entry is not None
    assert entry.value == PAGE
    assert entry.etag == 'W/"abc"'
    assert entry.last_modified == "Tue, 01 Oct 2024 10:00:00 GMT"
    assert entry.stored_at == clock.now - 299
    assert counts(cache) == {"hits": 1, "misses": 1}


def test_stale_entry_is_returned_for_revalidation(backend: CacheBackend, clock: FakeClock) -> None:
    cache = LevelledCache(backend, clock=clock)
    cache.store(API, KEY, PAGE, etag='"v1"')
    clock.advance(300)
    entry, fresh = cache.lookup(API, KEY)
    assert not fresh
    assert entry is not None
    assert entry.etag == '"v1"'
    refreshed = cache.revalidated(API, KEY)
    assert refreshed is not None
    assert refreshed.stored_at == clock.now
    assert refreshed.value == PAGE
    assert refreshed.etag == '"v1"'
    assert cache.lookup(API, KEY)[1] is True
    assert counts(cache) == {"stale": 1, "revalidated": 1, "hits": 1}


def test_entry_past_retention_is_a_miss_and_an_eviction(
    backend: CacheBackend, clock: FakeClock
) -> None:
    cache = LevelledCache(backend, clock=clock, stale_retention_s=600)
    cache.store(API, KEY, PAGE, etag='"v1"')
    clock.advance(300 + 600 + 1)
    assert cache.lookup(API, KEY) == (None, False)
    assert backend.get(KEY) is None  # deleted, not just hidden
    assert counts(cache) == {"misses": 1, "evictions": 1}


def test_revalidated_without_entry_returns_none(backend: CacheBackend, clock: FakeClock) -> None:
    cache = LevelledCache(backend, clock=clock)
    assert cache.revalidated(API, KEY) is None
    assert counts(cache) == {}


@pytest.mark.parametrize("ttl", [300, 1800, 3600, 7200])
def test_ttl_sweep_with_fake_clock(backend: CacheBackend, clock: FakeClock, ttl: int) -> None:
    """The benchmark suite's sweep: fresh until the TTL, then every lookup stale until a 304."""
    cache = LevelledCache(backend, ttls={API: ttl}, clock=clock)
    keys = [cache_key(API, "/runs", {"page": p}) for p in range(5)]
    for key in keys:
        cache.store(API, key, {"page": key}, etag=f'"{key[:8]}"')
    clock.advance(ttl - 1)
    assert all(cache.lookup(API, k)[1] for k in keys)
    clock.advance(1)
    assert [cache.lookup(API, k)[1] for k in keys] == [False] * 5
    for key in keys:
        cache.revalidated(API, key)
    assert all(cache.lookup(API, k)[1] for k in keys)
    assert counts(cache) == {"hits": 10, "stale": 5, "revalidated": 5}


def test_levels_have_their_own_ttls(clock: FakeClock) -> None:
    cache = LevelledCache(MemoryBackend(), clock=clock)
    keys = {level: cache_key(level, "x") for level in CacheLevel}
    for level, key in keys.items():
        cache.store(level, key, level.value)
    clock.advance(1000)  # past API (300) and REPORT (900), within ANALYSIS (1800)
    fresh = {level: cache.lookup(level, key)[1] for level, key in keys.items()}
    assert fresh == {API: False, CacheLevel.ANALYSIS: True, CacheLevel.REPORT: False}


def test_zero_ttl_is_never_fresh(clock: FakeClock) -> None:
    cache = LevelledCache(MemoryBackend(), ttls={API: 0}, clock=clock)
    cache.store(API, KEY, PAGE)
    assert cache.lookup(API, KEY)[1] is False
    assert counts(cache) == {"stale": 1}


def test_cleanup_uses_the_cache_clock(backend: CacheBackend, clock: FakeClock) -> None:
    cache = LevelledCache(backend, clock=clock, stale_retention_s=100)
    cache.store(API, KEY, PAGE)
    other = cache_key(CacheLevel.ANALYSIS, "summary")
    cache.store(CacheLevel.ANALYSIS, other, {"ok": True})
    clock.advance(401)  # API retained 300 + 100 s; ANALYSIS 1800 + 100 s
    removed = cache.cleanup()
    if isinstance(backend, RedisBackend):
        assert removed == 0  # Redis expires keys in real time by itself
        return
    assert removed == 1
    assert backend.get(KEY) is None
    assert backend.get(other) is not None
    assert counts(cache) == {"evictions": 1}


@pytest.mark.parametrize("bad", [{API: -1}, {API: float("nan")}])
def test_bad_ttls_are_refused(bad: dict[CacheLevel, float]) -> None:
    with pytest.raises(CacheConfigError, match="api"):
        LevelledCache(MemoryBackend(), ttls=bad)


def test_negative_retention_is_refused() -> None:
    with pytest.raises(CacheConfigError, match="retention"):
        LevelledCache(MemoryBackend(), stale_retention_s=-1)


def test_counters_are_shared_with_the_backend() -> None:
    backend = MemoryBackend(max_entries=1)
    cache = LevelledCache(backend)
    cache.store(API, cache_key(API, "a"), 1)
    cache.store(API, cache_key(API, "b"), 2)
    assert cache.counters is backend.counters
    assert cache.counters.snapshot()["evictions"] == 1
