"""The cache's exact counters, shared by a backend and the LevelledCache above it."""

from __future__ import annotations

import threading

# lookups: every LevelledCache.lookup adds exactly one of hits, misses, stale.
# revalidated: a 304 refreshed a stale entry. evictions: LRU, TTL cleanup, or past retention.
# errors: every failed backend operation (corrupt entries included); corrupt: damaged entries.
COUNTER_NAMES: tuple[str, ...] = (
    "hits",
    "misses",
    "stale",
    "revalidated",
    "evictions",
    "errors",
    "corrupt",
)


class CacheCounters:
    """Thread-safe counters; per process (a file or Redis cache shared by processes is not)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(COUNTER_NAMES, 0)

    def add(self, name: str, n: int = 1) -> None:
        """Add ``n`` to counter ``name`` (one of COUNTER_NAMES)."""
        if name not in self._counts:
            raise KeyError(f"unknown cache counter {name!r}; known: {', '.join(COUNTER_NAMES)}")
        with self._lock:
            self._counts[name] += n

    def snapshot(self) -> dict[str, int]:
        """A consistent copy of every counter."""
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        """Set every counter to zero (between benchmark samples)."""
        with self._lock:
            for name in self._counts:
                self._counts[name] = 0

    def __getattr__(self, name: str) -> int:
        # Read access as attributes (counters.hits) without a property per counter.
        if name in COUNTER_NAMES:
            with self._lock:
                return self._counts[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"CacheCounters({self.snapshot()})"
