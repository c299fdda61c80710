"""The cache's vocabulary: levels and their TTLs, the stored entry, and the backend protocol."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from analyzer.cache.counters import CacheCounters

# The cache backends there are, in the order of their level (the one list: config, CLI).
BACKEND_KINDS: tuple[str, ...] = ("memory", "file", "redis")


class CacheLevel(enum.StrEnum):
    """The three levels of the original toolkit, each with its own TTL."""

    API = "api"
    ANALYSIS = "analysis"
    REPORT = "report"


# The toolkit's TTLs in seconds: API responses 5 min, analysis results 30 min, reports 15 min.
DEFAULT_TTLS: dict[CacheLevel, float] = {
    CacheLevel.API: 300.0,
    CacheLevel.ANALYSIS: 1800.0,
    CacheLevel.REPORT: 900.0,
}


@dataclass(frozen=True)
class CacheEntry:
    """One cached value and what is needed to judge and revalidate it."""

    value: Any  # JSON-serialisable
    stored_at: float  # epoch seconds from the cache's clock (which may be a fake one)
    etag: str | None = None
    last_modified: str | None = None


@runtime_checkable
class CacheBackend(Protocol):
    """Raw storage. It knows nothing of freshness: that is `LevelledCache`'s job.

    Backends never raise on a failed get/put/delete (the cache is an optimisation): they count
    the failure in ``counters`` (``errors``, and ``corrupt`` for a damaged entry) and carry on
    as a miss. They raise `CacheUnavailable` only when opened.
    """

    counters: CacheCounters

    def get(self, key: str) -> CacheEntry | None:
        """The entry stored under ``key``, or None (absent, corrupt or unreadable)."""
        ...

    def put(self, key: str, entry: CacheEntry, retain_s: float) -> None:
        """Store ``entry``; keep it at least until ``entry.stored_at + retain_s``."""
        ...

    def delete(self, key: str) -> None:
        """Forget ``key`` (no error if absent)."""
        ...

    def clear(self) -> None:
        """Forget every entry of this backend (its namespace only)."""
        ...

    def cleanup(self, now: float) -> int:
        """Remove entries retained past ``now``; return how many (counted as evictions)."""
        ...

    def close(self) -> None:
        """Release files, connections; the backend is unusable afterwards."""
        ...
