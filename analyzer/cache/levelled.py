"""Freshness on top of a backend: per-level TTLs, stale entries kept for revalidation, counters."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from analyzer.cache.base import DEFAULT_TTLS, CacheBackend, CacheEntry, CacheLevel
from analyzer.cache.counters import CacheCounters
from analyzer.cache.errors import CacheConfigError

DEFAULT_STALE_RETENTION_S = 86_400.0


class LevelledCache:
    """The cache the analyzer talks to.

    An entry younger than its level's TTL is fresh (a hit; a TTL of 0 is never fresh). An older
    one is stale: it is still returned, so the client can send its ETag in If-None-Match and,
    on a 304, call `revalidated`. Entries are retained for ``TTL + stale_retention_s``; past
    that they are gone (a miss). Every `lookup` adds exactly one of hits, misses, stale to the
    counters.
    """

    def __init__(
        self,
        backend: CacheBackend,
        ttls: Mapping[CacheLevel, float] | None = None,
        clock: Callable[[], float] = time.time,
        stale_retention_s: float = DEFAULT_STALE_RETENTION_S,
    ) -> None:
        self.backend = backend
        self.ttls = _merge_ttls(ttls)
        self.clock = clock
        if stale_retention_s < 0:
            raise CacheConfigError(f"stale retention must be >= 0 s, not {stale_retention_s}")
        self.stale_retention_s = float(stale_retention_s)
        # One counters object for the whole stack, so backend events (LRU evictions, corrupt
        # entries) and lookups are reported together.
        shared = getattr(backend, "counters", None)
        self.counters: CacheCounters = shared if shared is not None else CacheCounters()

    def ttl(self, level: CacheLevel) -> float:
        """Seconds an entry of ``level`` stays fresh."""
        return self.ttls[CacheLevel(level)]

    def retention(self, level: CacheLevel) -> float:
        """Seconds an entry of ``level`` is kept at least: its TTL plus the stale retention."""
        return self.ttl(level) + self.stale_retention_s

    def lookup(self, level: CacheLevel, key: str) -> tuple[CacheEntry | None, bool]:
        """(entry, is_fresh); (None, False) on a miss; a stale entry comes back with False."""
        entry = self.backend.get(key)
        if entry is None:
            self.counters.add("misses")
            return None, False
        age = self.clock() - entry.stored_at
        if age < self.ttl(level):
            self.counters.add("hits")
            return entry, True
        if age > self.retention(level):
            # The backend has not cleaned it up yet (or cannot see our clock): it is gone.
            self.backend.delete(key)
            self.counters.add("evictions")
            self.counters.add("misses")
            return None, False
        self.counters.add("stale")
        return entry, False

    def store(
        self,
        level: CacheLevel,
        key: str,
        value: Any,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> CacheEntry:
        """Store ``value`` as fresh now; returns the stored entry."""
        entry = CacheEntry(value, self.clock(), etag, last_modified)
        self.backend.put(key, entry, self.retention(level))
        return entry

    def revalidated(self, level: CacheLevel, key: str) -> CacheEntry | None:
        """After a 304: make the stored entry fresh again and count it; None if it vanished."""
        entry = self.backend.get(key)
        if entry is None:
            return None
        fresh = replace(entry, stored_at=self.clock())
        self.backend.put(key, fresh, self.retention(level))
        self.counters.add("revalidated")
        return fresh

    def invalidate(self, key: str) -> None:
        """Forget one entry."""
        self.backend.delete(key)

    def cleanup(self) -> int:
        """Remove entries past their retention, by the cache's clock; returns how many."""
        return self.backend.cleanup(self.clock())

    def clear(self) -> None:
        """Forget every entry of this cache's backend (its namespace only)."""
        self.backend.clear()

    def close(self) -> None:
        """Close the backend."""
        self.backend.close()


def _merge_ttls(ttls: Mapping[CacheLevel, float] | None) -> dict[CacheLevel, float]:
    merged = dict(DEFAULT_TTLS)
    for level, seconds in (ttls or {}).items():
        if not seconds >= 0:
            raise CacheConfigError(f"cache TTL for level {level!s} must be >= 0 s, not {seconds}")
        merged[CacheLevel(level)] = float(seconds)
    return merged
