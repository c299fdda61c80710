"""The Redis backend: one cache shared by processes and machines, namespaced, with native TTL.

Keys are ``<namespace>:<key>``; values one JSON object; each key expires by itself after its
retention (``SET ... EX``), so `cleanup` has nothing to do. Opening pings the server and raises
`CacheUnavailable` if it cannot be reached; messages never show the URL's password.
"""

from __future__ import annotations

import logging
import math
import time
from urllib.parse import urlsplit

import redis

from analyzer.cache import codec
from analyzer.cache.base import CacheEntry
from analyzer.cache.counters import CacheCounters
from analyzer.cache.errors import CacheConfigError, CacheUnavailable
from analyzer.cache.keys import check_key, check_namespace

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 2.0
# After a failure, Redis is left alone this long (each operation a counted miss), so a server
# that went away costs one timeout, not one per request.
PAUSE_AFTER_FAILURE_S = 5.0
_CLEAR_BATCH = 500


class RedisBackend:
    """Entries in Redis under ``<namespace>:``; use `connect` to open one."""

    def __init__(
        self, client: redis.Redis, namespace: str, counters: CacheCounters | None = None
    ) -> None:
        self.client = client
        self.namespace = check_namespace(namespace)
        self.counters = counters if counters is not None else CacheCounters()
        self._warned = False
        self._paused_until = 0.0

    @classmethod
    def connect(
        cls,
        url: str,
        namespace: str,
        counters: CacheCounters | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> RedisBackend:
        """Open and ping Redis at ``url``; raise `CacheUnavailable` if it does not answer."""
        check_namespace(namespace)
        where = describe_url(url)
        try:
            client = redis.Redis.from_url(
                url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s, retry=None
            )
        except ValueError:
            raise CacheConfigError(
                f"redis URL {where} is not valid; use redis://, rediss:// or unix://"
            ) from None
        try:
            client.ping()
        except redis.RedisError as exc:
            client.close()
            reason = scrub(str(exc) or type(exc).__name__, url)
            raise CacheUnavailable(f"redis at {where} is unreachable: {reason}") from None
        return cls(client, namespace, counters)

    def name(self, key: str) -> str:
        """The Redis key for cache key ``key``."""
        return f"{self.namespace}:{check_key(key)}"

    def get(self, key: str) -> CacheEntry | None:
        name = self.name(key)
        if self._paused():
            return None
        try:
            data = self.client.get(name)
        except redis.RedisError as exc:
            self._failed("get", exc)
            return None
        if data is None:
            return None
        try:
            # The client is opened without decode_responses: Redis hands back bytes.
            return codec.decode_object(data if isinstance(data, bytes) else data.encode())
        except codec.CorruptEntry as exc:
            log.warning("redis cache entry %s is damaged (%s); removed", name, exc)
            self._quiet_delete(name)
            self.counters.add("corrupt")
            self.counters.add("errors")
            return None

    def put(self, key: str, entry: CacheEntry, retain_s: float) -> None:
        data = codec.encode_object(entry)
        if self._paused():
            return
        try:
            self.client.set(self.name(key), data, ex=max(1, math.ceil(retain_s)))
        except redis.RedisError as exc:
            self._failed("set", exc)

    def delete(self, key: str) -> None:
        self._quiet_delete(self.name(key))

    def clear(self) -> None:
        """Delete this namespace's keys only (SCAN, never FLUSHDB)."""
        try:
            batch: list[bytes] = []
            for name in self.client.scan_iter(match=f"{self.namespace}:*", count=_CLEAR_BATCH):
                batch.append(name)
                if len(batch) >= _CLEAR_BATCH:
                    self.client.unlink(*batch)
                    batch.clear()
            if batch:
                self.client.unlink(*batch)
        except redis.RedisError as exc:
            self._failed("clear", exc)

    def cleanup(self, now: float) -> int:
        # Redis expires keys by itself (native TTL): nothing to sweep.
        return 0

    def close(self) -> None:
        self.client.close()

    def _quiet_delete(self, name: str) -> None:
        if self._paused():
            return
        try:
            self.client.unlink(name)
        except redis.RedisError as exc:
            self._failed("unlink", exc)

    def _paused(self) -> bool:
        if self._paused_until and time.monotonic() < self._paused_until:
            self.counters.add("errors")
            return True
        return False

    def _failed(self, what: str, exc: redis.RedisError) -> None:
        self.counters.add("errors")
        self._paused_until = time.monotonic() + PAUSE_AFTER_FAILURE_S
        # Warn once; a server that went away would otherwise log every request.
        level = logging.DEBUG if self._warned else logging.WARNING
        self._warned = True
        log.log(level, "redis cache %s failed (%s); treated as a miss", what, type(exc).__name__)


def describe_url(url: str) -> str:
    """``host:port`` (or the socket path) of a Redis URL, without user or password."""
    try:
        parts = urlsplit(url)
        if parts.scheme == "unix":
            return parts.path or "(no socket path)"
        return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"
    except ValueError:
        return "(unparsable URL)"


def scrub(message: str, url: str) -> str:
    """``message`` with the URL's password (and the URL itself) replaced by ***."""
    try:
        secret = urlsplit(url).password
    except ValueError:
        secret = None
    message = message.replace(url, "***")
    return message.replace(secret, "***") if secret else message
