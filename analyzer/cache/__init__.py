"""The analyzer's cache: three levels with TTLs over memory, file or Redis storage.

`LevelledCache` judges freshness with an injectable clock; a backend only stores. See
docs/cache.md for the levels, TTLs, backends, counters and the Redis fallback.

`RedisBackend` is imported when first used: importing redis-py (and asyncio with it) took 0.10 s
in every benchmark worker, where only the Redis cases use it; a worker's start (interpreter,
imports, fixtures) took 0.33 s with it and 0.20 s without it and rich (medians of 12 runs).
"""

from typing import TYPE_CHECKING, Any

from analyzer.cache.base import BACKEND_KINDS, DEFAULT_TTLS, CacheBackend, CacheEntry, CacheLevel
from analyzer.cache.counters import COUNTER_NAMES, CacheCounters
from analyzer.cache.errors import CacheConfigError, CacheError, CacheUnavailable
from analyzer.cache.factory import open_backend
from analyzer.cache.file import FileBackend
from analyzer.cache.keys import cache_key
from analyzer.cache.levelled import DEFAULT_STALE_RETENTION_S, LevelledCache
from analyzer.cache.memory import MemoryBackend

if TYPE_CHECKING:
    from analyzer.cache.redis_backend import RedisBackend

__all__ = [
    "BACKEND_KINDS",
    "COUNTER_NAMES",
    "DEFAULT_STALE_RETENTION_S",
    "DEFAULT_TTLS",
    "CacheBackend",
    "CacheConfigError",
    "CacheCounters",
    "CacheEntry",
    "CacheError",
    "CacheLevel",
    "CacheUnavailable",
    "FileBackend",
    "LevelledCache",
    "MemoryBackend",
    "RedisBackend",
    "cache_key",
    "open_backend",
]


def __getattr__(name: str) -> Any:
    if name != "RedisBackend":
        raise AttributeError(f"module 'analyzer.cache' has no attribute {name!r}")
    from analyzer.cache.redis_backend import RedisBackend

    globals()[name] = RedisBackend
    return RedisBackend
