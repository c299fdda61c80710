"""GitHub's rate limits: primary buckets per token or client address, and secondary limits.

Windows are fixed and start at a bucket's first counted request, as GitHub's do; the clock is
injectable so tests can move time instead of sleeping. Tokens are kept only as hashes.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockgithub.config import MockConfig, RateSpec

DOCS_PRIMARY = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
DOCS_SECONDARY = f"{DOCS_PRIMARY}#about-secondary-rate-limits"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
    "again. If you reach out to GitHub Support for help, please include the request ID "
    "0000:0000:0000000:0000000:00000000."
)


@dataclass(frozen=True)
class Identity:
    """Who a request counts against: a token (by hash) or a client address."""

    key: str
    authenticated: bool
    label: str  # what GitHub names in its message: a user id or an address


@dataclass(frozen=True)
class Quota:
    limit: int
    remaining: int
    used: int
    reset: int  # UTC epoch seconds
    resource: str = "core"  # or "graphql": GraphQL points are a bucket of their own

    def headers(self) -> tuple[tuple[str, str], ...]:
        return (
            ("x-ratelimit-limit", str(self.limit)),
            ("x-ratelimit-remaining", str(self.remaining)),
            ("x-ratelimit-reset", str(self.reset)),
            ("x-ratelimit-used", str(self.used)),
            ("x-ratelimit-resource", self.resource),
        )

    def as_resource(self) -> dict[str, int]:
        return {"limit": self.limit, "used": self.used, "remaining": self.remaining,
                "reset": self.reset}  # fmt: skip


def identify(authorization: str | None, address: str) -> Identity:
    """``Authorization: Bearer|token X`` names a token; no header, the client address."""
    if authorization:
        token = authorization.split(" ", 1)[-1].strip()
        digest = hashlib.blake2b(token.encode(), digest_size=8).hexdigest()
        return Identity(f"token:{digest}", True, f"user ID {int(digest[:7], 16)}")
    return Identity(f"ip:{address}", False, address)


def token_of(authorization: str | None) -> str:
    return (authorization or "").split(" ", 1)[-1].strip()


def primary_message(identity: Identity) -> str:
    if identity.authenticated:
        return f"API rate limit exceeded for {identity.label}."
    return (
        f"API rate limit exceeded for {identity.label}. (But here's the good news: "
        "Authenticated requests get a higher rate limit. Check out the documentation for "
        "more details.)"
    )


class _Window:
    """A fixed window: ``used`` points since ``start``; a new one starts after it ends."""

    __slots__ = ("end", "used")

    def __init__(self, end: float) -> None:
        self.end, self.used = end, 0


class RateLimits:
    """Primary and secondary rate-limit state of one mock; not thread-safe (the model locks)."""

    def __init__(self, config: MockConfig, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.token_rate, self.address_rate = config.token_rate, config.address_rate
        self.secondary = config.secondary_rate
        self.graphql_rate = config.graphql_rate
        self._primary: dict[str, _Window] = {}
        self._graphql: dict[str, _Window] = {}
        self._points: dict[tuple[str, str], _Window] = {}

    def reset(self) -> None:
        self._primary.clear()
        self._graphql.clear()
        self._points.clear()

    def _spec(self, identity: Identity) -> RateSpec:
        return self.token_rate if identity.authenticated else self.address_rate

    def _window(
        self, table: dict[Any, _Window], key: object, spec: RateSpec, now: float
    ) -> _Window:
        window = table.get(key)
        if window is None or now >= window.end:
            window = table[key] = _Window(now + spec.window_s)
        return window

    def quota(self, identity: Identity) -> Quota:
        """The primary quota as it stands, without counting anything."""
        spec, now = self._spec(identity), self.clock()
        window = self._primary.get(identity.key)
        if window is None or now >= window.end:
            return Quota(spec.limit, spec.limit, 0, math.ceil(now + spec.window_s))
        remaining = max(0, spec.limit - window.used)
        return Quota(spec.limit, remaining, window.used, math.ceil(window.end))

    def exhausted(self, identity: Identity) -> bool:
        return self.quota(identity).remaining == 0

    def spend(self, identity: Identity) -> Quota:
        """Count one request against the primary limit; return the quota after it."""
        spec = self._spec(identity)
        self._window(self._primary, identity.key, spec, self.clock()).used += 1
        return self.quota(identity)

    def graphql_quota(self, identity: Identity) -> Quota:
        """The GraphQL points bucket as it stands (GitHub: 5,000 points an hour per user)."""
        spec, now = self.graphql_rate, self.clock()
        window = self._graphql.get(identity.key)
        if window is None or now >= window.end:
            return Quota(spec.limit, spec.limit, 0, math.ceil(now + spec.window_s), "graphql")
        remaining = max(0, spec.limit - window.used)
        return Quota(spec.limit, remaining, window.used, math.ceil(window.end), "graphql")

    def spend_points(self, identity: Identity, points: int) -> Quota:
        """Charge a query's points. A query is let through while any point remains, and may
        take ``used`` past the limit (GitHub reports e.g. used 5002 of 5000, remaining 0)."""
        window = self._window(self._graphql, identity.key, self.graphql_rate, self.clock())
        window.used += points
        return self.graphql_quota(identity)

    def secondary_retry_after(self, identity: Identity, endpoint: str) -> int | None:
        """Spend a point of the per-endpoint secondary budget; seconds to wait if it is gone."""
        if self.secondary.limit == 0:
            return None
        now = self.clock()
        window = self._window(self._points, (identity.key, endpoint), self.secondary, now)
        if window.used >= self.secondary.limit:
            return max(1, math.ceil(window.end - now))
        window.used += 1
        return None

    def concurrency_retry_after(self) -> int:
        return max(1, min(60, math.ceil(self.secondary.window_s)))
