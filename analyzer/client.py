"""HTTP access to GitHub's REST API: one pooled session, conditional requests, retries, pacing.

Every request goes through :meth:`GitHubClient.get_page`:

1. a fresh API-level cache entry answers without any request;
2. otherwise the client waits for the token bucket and, if the server said the quota is at
   zero, for its reset (read from ordinary responses: no extra rate-limit request, ever);
3. it sends the request, with ``If-None-Match`` when a stale entry has an ETag; a 304 serves
   the cached body;
4. 5xx answers, connection errors and truncated or invalid JSON bodies are retried with
   exponential backoff and jitter, within a per-request and a per-analysis budget;
   ``retry-after`` and ``x-ratelimit-*`` on 403/429 are honoured.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import HTTPAdapter

from analyzer.cache import CacheEntry, CacheLevel, LevelledCache, cache_key
from analyzer.config import Config
from analyzer.counters import ApiCounters
from analyzer.errors import AnalysisCancelled, ApiError, RateLimitError, RetriesExhausted
from analyzer.ratelimit import PointsBudget, RateLimiter, ServerQuota
from analyzer.retry import SECONDARY_LIMIT_WAIT_S, Backoff, RetryBudget
from analyzer.scope import cache_scope

API_VERSION = "2022-11-28"
MAX_RATE_LIMIT_WAITS = 5  # per request; each one already waited for a reset or retry-after
_RETRYABLE = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
log = logging.getLogger("analyzer.client")


@dataclass(frozen=True)
class Page:
    """One response body and the ``rel="next"`` link that followed it."""

    body: Any
    next_url: str | None
    from_cache: bool


class _Retry(Exception):
    """Internal: this attempt failed in a way worth retrying."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind, self.detail = kind, detail


class GitHubClient:
    """Reads JSON from the API. ``cache`` is a :class:`LevelledCache` or None (no caching).

    ``sleep``, ``clock`` and ``rng`` are injectable so tests never wait: every wait (backoff,
    rate limit, token bucket) goes through ``sleep``.
    """

    def __init__(
        self,
        config: Config,
        cache: LevelledCache | None = None,
        *,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.cache = cache
        self.counters = ApiCounters()
        self._stop = threading.Event()
        self._sleep = sleep or self._interruptible_sleep
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self.limiter = RateLimiter(
            config.rate_limit_requests_per_minute,
            config.burst_size,
            self.counters,
            monotonic,
            self._sleep,
        )
        # GitHub counts REST requests and GraphQL points in separate budgets.
        self.points = PointsBudget(self.counters, clock, self._sleep)
        self.quotas = {
            "core": ServerQuota(self.counters, clock, self._sleep),
            "graphql": self.points,
        }
        self.budget = RetryBudget(config.retry_budget)
        self.backoff = Backoff(config.rate_limit_delay)
        self._origin = _origin(config.api_url)
        self._base = config.api_url.rstrip("/")
        self._scope = cache_scope(config)
        self.session = _session(config)

    # -- public --------------------------------------------------------------
    def get_json(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """The JSON body of one GET."""
        return self.get_page(url, params).body

    def get_page(self, url: str, params: dict[str, Any] | None = None) -> Page:
        """One GET, served from the cache when fresh, revalidated with its ETag when stale."""
        url = self._absolute(url)
        key = self._key(url, params)
        entry = None
        cached = None
        if self.cache is not None:
            entry, fresh = self.cache.lookup(CacheLevel.API, key)
            cached = self._cached_page(key, entry)
            if cached is not None and fresh:
                self.counters.record_event("cache_hits")
                return cached
            self.counters.record_event("cache_misses")
        etag = entry.etag if entry is not None and cached is not None else None
        response, body = self._send(url, params, etag)
        if response.status_code == 304:
            if cached is None or self.cache is None:
                raise ApiError(f"GET {_path_of(url)} answered 304 to an unconditional request")
            self.cache.revalidated(CacheLevel.API, key)
            return cached
        next_url = self._relative(response.links.get("next", {}).get("url"))
        if self.cache is not None:
            value = {"body": body, "next": next_url}
            etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
            self.cache.store(CacheLevel.API, key, value, etag, modified)
        return Page(body, next_url, False)

    def _cached_page(self, key: str, entry: CacheEntry | None) -> Page | None:
        """The page a cache entry holds; an entry of another shape (a valid file whose value
        is not ``{"body": ..., "next": str | None}``) is corrupt: forgotten, counted, a miss."""
        if entry is None or self.cache is None:
            return None
        value = entry.value
        if isinstance(value, dict) and "body" in value and _is_link(value.get("next")):
            return Page(value["body"], value["next"], True)
        self.cache.invalidate(key)
        self.cache.counters.add("corrupt")
        return None

    def paginate(
        self, path: str, key: str, limit: int, params: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Items of a list endpoint, following ``Link: rel="next"`` until ``limit`` items.

        Pages hold ``min(100, limit)`` items, so N items cost exactly ceil(N / 100) requests.
        """
        url: str | None = path
        query: dict[str, Any] | None = {**(params or {}), "per_page": min(100, max(1, limit))}
        seen = 0
        while url and seen < limit:
            page = self.get_page(url, query)
            items = page.body.get(key) if isinstance(page.body, dict) else None
            if not isinstance(items, list):
                raise ApiError(f"GET {_path_of(url)}: the response has no {key!r} list")
            yield from items[: limit - seen]
            seen += min(len(items), limit - seen)
            if not items:
                return
            url, query = page.next_url, None

    def post_json(self, url: str, body: bytes) -> tuple[requests.Response, Any]:
        """One POST of a JSON ``body`` (a GraphQL query; its points are the caller's to reserve)
        with the retries and pacing of a GET; answers its parsed body."""
        return self._send(self._absolute(url), None, None, body)

    def start_analysis(self) -> None:
        """Give the next analysis a full retry budget (the budget is per analysis)."""
        self.budget = RetryBudget(self.config.retry_budget)

    def cancel(self) -> None:
        """Stop: waits end now, and every later request raises :class:`AnalysisCancelled`."""
        self._stop.set()

    def close(self) -> None:
        self.session.close()

    # -- one request with retries -------------------------------------------
    def _send(
        self,
        url: str,
        params: dict[str, Any] | None,
        etag: str | None,
        body: bytes | None = None,
    ) -> tuple[requests.Response, Any]:
        """A GET (or, with ``body``, a GraphQL POST whose points the caller reserved)."""
        resource = "core" if body is None else "graphql"
        what = f"{'GET' if body is None else 'POST'} {_path_of(url)}"
        headers = {"If-None-Match": etag} if etag else {}
        attempt = limited = 0
        while True:
            self._check_stopped()
            self.quotas[resource].wait_if_exhausted(what, 1 if body is None else 0)
            self.limiter.acquire()
            self._check_stopped()
            try:
                response = self._attempt(url, params, headers, what, body)
                if not _is_rate_limited(response):
                    return response, _body_of(response)
            except _Retry as failure:
                self._before_retry(failure, attempt, what)
                attempt += 1
                continue
            limited += 1
            self.wait_for_rate_limit(response, limited, what, resource)

    def _attempt(
        self,
        url: str,
        params: dict[str, Any] | None,
        headers: dict[str, str],
        what: str,
        body: bytes | None = None,
    ) -> requests.Response:
        timeout = self.config.request_timeout_s
        try:
            if body is None:
                response = self.session.get(url, params=params, headers=headers, timeout=timeout)
            else:
                sent = {**headers, "Content-Type": "application/json"}
                response = self.session.post(url, data=body, headers=sent, timeout=timeout)
        except _RETRYABLE as exc:
            self.counters.record_event("connection_errors")
            raise _Retry("connection", f"connection failed ({type(exc).__name__})") from None
        except requests.RequestException as exc:
            raise ApiError(f"{what} failed: {type(exc).__name__}") from None
        self.counters.record_status(response.status_code)
        resource = response.headers.get("x-ratelimit-resource", "core")
        self.quotas.get(resource, self.quotas["core"]).observe(response.headers)
        status = response.status_code
        if status >= 500:
            raise _Retry("5xx", f"the server answered {status} {response.reason or ''}".strip())
        if status >= 400 and not _is_rate_limited(response):
            raise ApiError(_error_message(response, what))
        if status == 200:
            _parse_json(response)  # raises _Retry on a truncated or invalid body
        return response

    def _before_retry(self, failure: _Retry, attempt: int, what: str) -> None:
        if attempt >= self.config.max_retries:
            raise RetriesExhausted(
                f"{what} failed after {attempt + 1} attempt(s): {failure.detail} "
                f"(per-request limit of {self.config.max_retries} retries reached, MAX_RETRIES)"
            )
        if not self.budget.take():
            raise RetriesExhausted(
                f"{what} failed: {failure.detail}; the analysis has used its whole retry "
                f"budget of {self.budget.limit} retries (RETRY_BUDGET)"
            )
        self.counters.record_event("retries")
        self.counters.record_event(f"retries_{failure.kind}")
        with self._rng_lock:
            delay = self.backoff.delay(attempt, self._rng)
        log.info("%s: %s; retry %d in %.2f s", what, failure.detail, attempt + 1, delay)
        self._sleep(delay)

    def wait_for_rate_limit(
        self, response: requests.Response, count: int, what: str, resource: str = "core"
    ) -> None:
        """After the ``count``-th rate-limited answer to ``what``: wait ``retry-after``, else for
        ``resource``'s reset when it is spent, else 60 s doubling; past 5 waits, give up."""
        self.counters.record_event("rate_limited_responses")
        if count > MAX_RATE_LIMIT_WAITS:
            raise RateLimitError(f"{what} is still rate limited after {MAX_RATE_LIMIT_WAITS} waits")
        retry_after = response.headers.get("retry-after")
        if retry_after is not None and retry_after.strip().isdigit():
            wait = float(retry_after)
        elif response.headers.get("x-ratelimit-remaining") == "0":
            wait = self.quotas[resource].exhausted_wait()
        else:
            wait = SECONDARY_LIMIT_WAIT_S * 2 ** (count - 1)
        log.warning("%s: rate limited (%d); waiting %.1f s", what, response.status_code, wait)
        self.quotas[resource].wait(wait, what)

    # -- helpers -------------------------------------------------------------
    def _absolute(self, url: str) -> str:
        if not url.startswith(("http://", "https://")):
            return f"{self.config.api_url.rstrip('/')}/{url.lstrip('/')}"
        if _origin(url) != self._origin:
            # Following a link elsewhere would send the token to another host.
            raise ApiError(f"refusing to follow a link to another host ({_origin(url)})")
        return url

    def _relative(self, url: str | None) -> str | None:
        """``url`` without this API's base, so cached links outlive the host they came from."""
        if url and url.startswith(self._base + "/"):
            return url[len(self._base) :]
        return url

    def _key(self, url: str, params: dict[str, Any] | None) -> str:
        """The cache key of a GET: the API's identity, the credential's, path and query."""
        parts = urlsplit(self._relative(url) or "/")
        merged = dict(parse_qsl(parts.query))
        merged.update({k: str(v) for k, v in (params or {}).items()})
        return cache_key(CacheLevel.API, parts.path, {"query": merged, **self._scope})

    def _check_stopped(self) -> None:
        if self._stop.is_set():
            raise AnalysisCancelled("the analysis was cancelled")

    def _interruptible_sleep(self, seconds: float) -> None:
        if self._stop.wait(seconds):
            raise AnalysisCancelled("the analysis was cancelled")


def _session(config: Config) -> requests.Session:
    session = requests.Session()
    # One connection per worker thread plus the paginating thread, so none waits for a socket.
    adapter = HTTPAdapter(pool_connections=2, pool_maxsize=config.max_parallel_jobs + 1)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update(
        {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}
    )
    if config.token:
        session.headers["Authorization"] = f"Bearer {config.token}"
    return session


def _parse_json(response: requests.Response) -> Any:
    cached = getattr(response, "_analyzer_json", _MISSING)
    if cached is not _MISSING:
        return cached
    try:
        body = response.json()
    except ValueError:
        raise _Retry(
            "body", f"truncated or invalid JSON body ({len(response.content)} bytes)"
        ) from None
    response._analyzer_json = body  # type: ignore[attr-defined]  # parse once per response
    return body


_MISSING = object()


def _is_link(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _body_of(response: requests.Response) -> Any:
    return None if response.status_code == 304 else _parse_json(response)


def _is_rate_limited(response: requests.Response) -> bool:
    if response.status_code not in (403, 429):
        return False
    headers = response.headers
    if "retry-after" in headers or headers.get("x-ratelimit-remaining") == "0":
        return True
    return "rate limit" in _message(response).lower()


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def _error_message(response: requests.Response, what: str) -> str:
    status, message = response.status_code, _message(response)[:200]
    hint = " (check GITHUB_TOKEN)" if status == 401 else ""
    detail = f": {message}" if message else ""
    return f"{what} answered {status}{detail}{hint}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _path_of(url: str) -> str:
    """The URL path without scheme, host and query, so messages stay short and credential-free."""
    return urlsplit(url).path or "/"
