"""The memory backend: a thread-safe LRU bounded by entry count and by bytes.

Entries are stored encoded (the same JSON object form as Redis), so the bound is on real bytes
and a caller can never mutate what another caller reads. Bounding by count alone let one
analysis of 20,000 runs hold 490 MB of parsed pages.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from analyzer.cache.base import CacheEntry
from analyzer.cache.codec import decode_object, encode_object
from analyzer.cache.counters import CacheCounters
from analyzer.cache.errors import CacheConfigError
from analyzer.cache.keys import check_key

DEFAULT_MAX_ENTRIES = 10_000
DEFAULT_MAX_BYTES = 64 * 2**20


class MemoryBackend:
    """Entries in one process's memory, evicted least recently used first."""

    def __init__(
        self,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        counters: CacheCounters | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        if max_entries < 1:
            raise CacheConfigError(
                f"memory cache max_entries must be at least 1, not {max_entries}"
            )
        if max_bytes < 1:
            raise CacheConfigError(f"memory cache max_bytes must be at least 1, not {max_bytes}")
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.counters = counters if counters is not None else CacheCounters()
        self._lock = threading.Lock()
        # key -> (encoded entry, retained until); the order is least recently used first.
        self._items: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._bytes = 0

    @property
    def size_bytes(self) -> int:
        with self._lock:
            return self._bytes

    def get(self, key: str) -> CacheEntry | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
        return decode_object(item[0])

    def put(self, key: str, entry: CacheEntry, retain_s: float) -> None:
        check_key(key)
        data = encode_object(entry)
        with self._lock:
            self._drop(key)
            self._items[key] = (data, entry.stored_at + retain_s)
            self._bytes += len(data)
            evicted = 0
            while len(self._items) > 1 and (
                len(self._items) > self.max_entries or self._bytes > self.max_bytes
            ):
                oldest = next(iter(self._items))
                self._drop(oldest)
                evicted += 1
        if evicted:
            self.counters.add("evictions", evicted)

    def _drop(self, key: str) -> None:
        item = self._items.pop(key, None)
        if item is not None:
            self._bytes -= len(item[0])

    def delete(self, key: str) -> None:
        with self._lock:
            self._drop(key)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def cleanup(self, now: float) -> int:
        with self._lock:
            expired = [k for k, (_, until) in self._items.items() if until < now]
            for key in expired:
                self._drop(key)
        if expired:
            self.counters.add("evictions", len(expired))
        return len(expired)

    def close(self) -> None:
        self.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
