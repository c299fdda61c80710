"""Cache keys: stable sha256 hashes of level, endpoint and sorted parameters."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from analyzer.cache.base import CacheLevel
from analyzer.cache.errors import CacheConfigError

# Backends accept only keys that are safe as file names and Redis key parts.
_KEY_RE = re.compile(r"[A-Za-z0-9_-]{1,128}")
# Namespaces prefix file folders and Redis keys; no glob characters, so SCAN MATCH is safe.
_NAMESPACE_RE = re.compile(r"[A-Za-z0-9_.:-]{1,100}")


def cache_key(level: CacheLevel, endpoint: str, params: Mapping[str, Any] | None = None) -> str:
    """sha256 hex of level + endpoint + params sorted by key.

    Stable across processes and runs: no timestamps, no dict order (the toolkit's hit rate fell
    below 30% when its keys held timestamps). ``None`` and ``{}`` give the same key.
    """
    canonical = json.dumps(
        [str(CacheLevel(level)), endpoint, {str(k): v for k, v in (params or {}).items()}],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    """Return ``key`` if a backend may store it, else raise `CacheConfigError`."""
    if not isinstance(key, str) or not _KEY_RE.fullmatch(key):
        raise CacheConfigError(
            f"cache key {key!r:.80} is not 1-128 characters of [A-Za-z0-9_-]; use cache_key()"
        )
    return key


def check_namespace(namespace: str) -> str:
    """Return ``namespace`` if usable as a Redis key prefix, else raise `CacheConfigError`."""
    if not isinstance(namespace, str) or not _NAMESPACE_RE.fullmatch(namespace):
        raise CacheConfigError(
            f"cache namespace {namespace!r:.60} must be 1-100 characters of [A-Za-z0-9_.:-]"
        )
    return namespace
