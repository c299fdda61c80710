"""The memory backend: a thread-safe, bounded dict with least-recently-used eviction."""

from __future__ import annotations

import threading
from collections import OrderedDict

from analyzer.cache.base import CacheEntry
from analyzer.cache.counters import CacheCounters
from analyzer.cache.errors import CacheConfigError
from analyzer.cache.keys import check_key

DEFAULT_MAX_ENTRIES = 10_000


class MemoryBackend:
    """Entries in one process's memory; values are kept by reference (callers must not mutate)."""

    def __init__(
        self, max_entries: int = DEFAULT_MAX_ENTRIES, counters: CacheCounters | None = None
    ) -> None:
        if max_entries < 1:
            raise CacheConfigError(
                f"memory cache max_entries must be at least 1, not {max_entries}"
            )
        self.max_entries = max_entries
        self.counters = counters if counters is not None else CacheCounters()
        self._lock = threading.Lock()
        # key -> (entry, retained until); the order is least recently used first.
        self._items: OrderedDict[str, tuple[CacheEntry, float]] = OrderedDict()

    def get(self, key: str) -> CacheEntry | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: str, entry: CacheEntry, retain_s: float) -> None:
        check_key(key)
        with self._lock:
            self._items[key] = (entry, entry.stored_at + retain_s)
            self._items.move_to_end(key)
            evicted = 0
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
                evicted += 1
        if evicted:
            self.counters.add("evictions", evicted)

    def delete(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def cleanup(self, now: float) -> int:
        with self._lock:
            expired = [k for k, (_, until) in self._items.items() if until < now]
            for key in expired:
                del self._items[key]
        if expired:
            self.counters.add("evictions", len(expired))
        return len(expired)

    def close(self) -> None:
        self.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
