"""Opening a backend by kind (memory, file, redis), with the documented Redis fallback."""

from __future__ import annotations

import logging
from pathlib import Path

from analyzer.cache.base import BACKEND_KINDS, CacheBackend
from analyzer.cache.counters import CacheCounters
from analyzer.cache.errors import CacheConfigError, CacheUnavailable
from analyzer.cache.file import FileBackend
from analyzer.cache.keys import check_namespace
from analyzer.cache.memory import DEFAULT_MAX_ENTRIES, MemoryBackend

log = logging.getLogger(__name__)


def open_backend(
    kind: str,
    directory: Path | None,
    redis_url: str | None,
    namespace: str,
    *,
    fallback_dir: Path | None = None,
    max_entries: int = DEFAULT_MAX_ENTRIES,
    counters: CacheCounters | None = None,
) -> CacheBackend:
    """A ready backend of ``kind``.

    file: entries under ``directory / namespace``. redis: raises `CacheUnavailable` when the
    server cannot be reached (the default), unless ``fallback_dir`` is given: then it logs a
    warning, counts one error and returns a `FileBackend` under ``fallback_dir / namespace``.
    """
    counters = counters if counters is not None else CacheCounters()
    check_namespace(namespace)
    if kind == "memory":
        return MemoryBackend(max_entries, counters)
    if kind == "file":
        if directory is None:
            raise CacheConfigError("the file cache needs a directory (GITHUB_API_CACHE_DIR)")
        return FileBackend(Path(directory) / namespace, counters)
    if kind == "redis":
        return _open_redis(redis_url, namespace, fallback_dir, counters)
    raise CacheConfigError(f"cache backend {kind!r:.40} is not one of {', '.join(BACKEND_KINDS)}")


def _open_redis(
    url: str | None, namespace: str, fallback_dir: Path | None, counters: CacheCounters
) -> CacheBackend:
    if not url:
        raise CacheConfigError("the redis cache needs a URL, e.g. redis://127.0.0.1:6379/0")
    from analyzer.cache.redis_backend import RedisBackend  # imports redis: only where it is used

    try:
        return RedisBackend.connect(url, namespace, counters)
    except CacheUnavailable as exc:
        if fallback_dir is None:
            raise
        target = Path(fallback_dir) / namespace
        log.warning("%s; falling back to the file cache in %s", exc, target)
        counters.add("errors")
        return FileBackend(target, counters)
