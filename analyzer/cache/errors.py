"""The cache's error types; messages are for users and never carry a password or token."""

from __future__ import annotations

from analyzer.errors import AnalyzerError


class CacheError(AnalyzerError):
    """Base of every error the cache raises on purpose."""


class CacheUnavailable(CacheError):
    """A backend cannot be opened (Redis down or unreachable, directory unusable)."""


class CacheConfigError(CacheError):
    """The cache was asked for with a bad kind, key, namespace or TTL."""
