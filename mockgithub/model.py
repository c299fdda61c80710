"""The mock's behaviour, independent of any transport.

A transport turns an HTTP request into a :class:`MockRequest`, opens an :meth:`MockModel.exchange`,
waits ``delay_s``, then writes the :class:`MockResponse` (or resets the connection if its
``fault`` says so). :meth:`MockModel.handle` is the same without the waiting, for direct use.
Rate limits, conditional requests, faults and stats live here; routes live in
:mod:`mockgithub.routes`; the control API in :mod:`mockgithub.control`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson

from mockgithub import gql
from mockgithub.config import MockConfig
from mockgithub.control import ControlAccess, control
from mockgithub.dataset import Dataset
from mockgithub.faults import ERROR_MESSAGES, Fate, FaultPlan
from mockgithub.messages import MockRequest, MockResponse
from mockgithub.payloads import CANONICAL_BASE
from mockgithub.ratelimit import (
    DOCS_PRIMARY,
    DOCS_SECONDARY,
    SECONDARY_MESSAGE,
    Identity,
    Quota,
    RateLimits,
    identify,
    primary_message,
    token_of,
)
from mockgithub.recorded import load_recording
from mockgithub.rendered import RenderCache, Rendered, render
from mockgithub.routes import DOCS, Outcome, Routes, classify
from mockgithub.source import SeededSource, Source
from mockgithub.stats import Stats
from mockgithub.wirelimits import Wire

JSON_TYPE = "application/json; charset=utf-8"
GRAPHQL_REQUIRES_AUTH = "This endpoint requires you to be authenticated."
COMMON_HEADERS = (
    ("content-type", JSON_TYPE),
    ("cache-control", "private, max-age=60, s-maxage=60"),
    ("vary", "Accept, Authorization, Cookie, X-GitHub-OTP"),
    ("x-github-media-type", "github.v3; format=json"),
    ("x-github-api-version-selected", "2022-11-28"),
)


@dataclass(frozen=True)
class _State:
    """What a config builds: swapped in whole, so a config that fails to build changes nothing."""

    config: MockConfig
    source: Source
    routes: Routes
    limits: RateLimits
    faults: FaultPlan


def build_source(config: MockConfig) -> Source:
    if config.fixture:
        return load_recording(config.fixture)
    dataset = Dataset(config.seed, config.runs, config.workflows, config.max_jobs,
                      config.active_runs)  # fmt: skip
    return SeededSource(config.repo, dataset)


class MockModel:
    """Answers GitHub REST requests from a seeded (or recorded) repository; thread-safe."""

    def __init__(
        self,
        config: MockConfig | None = None,
        base_url: str = "http://127.0.0.1",
        clock: Callable[[], float] = time.time,
        control: ControlAccess | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._reconfiguring = threading.Lock()  # one config change at a time
        self.clock = clock
        self.control_access = control or ControlAccess.guarded()
        self.wire: Wire | None = None  # the HTTP transport's connections, once one serves us
        self._base_url = base_url.rstrip("/")
        self._stats = Stats()
        # Requests in flight, and those of them admitted past the secondary limit: exact counts
        # of real requests, so neither a reset nor a new config sets them back.
        self._in_flight = self._admitted = 0
        self._configure(self._build(config or MockConfig()))

    # -- state ---------------------------------------------------------------
    def _build(self, config: MockConfig) -> _State:
        source = build_source(config)
        limits, faults = RateLimits(config, self.clock), FaultPlan(config)
        return _State(config, source, Routes(source), limits, faults)

    def _configure(self, state: _State) -> None:
        self.config, self.source, self.routes = state.config, state.source, state.routes
        self.limits, self.faults = state.limits, state.faults
        self._cache = RenderCache()
        self._sequence = 0

    @property
    def control_secret(self) -> str | None:
        """The secret control requests must carry (``X-Mock-Control-Secret``); None if open."""
        return self.control_access.secret

    @property
    def base_url(self) -> str:
        return self._base_url

    @base_url.setter
    def base_url(self, value: str) -> None:
        with self._lock:
            self._base_url = value.rstrip("/")
            self._cache = RenderCache()

    def reconfigure(self, changes: Mapping[str, Any]) -> MockConfig:
        """Apply config changes; the data, limits and faults start afresh if anything changed.

        All or nothing: the new data source is built (a fixture read) outside the lock, so
        requests go on being served meanwhile, and swapped in only once it is complete. A
        change that fails raises ``ValueError`` with the old config still in force.
        """
        with self._reconfiguring:
            updated = self.config.updated(dict(changes))
            if updated == self.config:
                return self.config
            try:
                state = self._build(updated)
            except ValueError:
                raise
            except Exception as exc:  # noqa: BLE001 - e.g. a recording of the wrong shape
                raise ValueError(f"config not applied: {type(exc).__name__}: {exc}") from None
            with self._lock:
                self._configure(state)
            return self.config

    def reset(self) -> None:
        """Back to the seeded state: stats, rate-limit buckets, data changes, fault sequence."""
        with self._lock:
            self._stats = Stats()
            self._stats.peak_concurrency = self._in_flight
            self.limits.reset()
            self.source.reset()
            self._sequence = 0
            if self.wire is not None:
                self.wire.reset()

    def stats(self) -> dict[str, Any]:
        with self._lock:
            snapshot = self._stats.snapshot()
            snapshot.update(in_flight=self._in_flight, admitted=self._admitted)
            if self.wire is not None:
                snapshot["connections"] = self.wire.snapshot()
            return snapshot

    def add_runs(self, count: int) -> list[int]:
        with self._lock:
            return self.source.add_runs(count)

    def complete_runs(self, run_id: int | None = None) -> list[int]:
        with self._lock:
            return self.source.complete(run_id)

    # -- requests --------------------------------------------------------------
    def handle(self, request: MockRequest) -> MockResponse:
        """Answer ``request`` at once (no waiting; the caller applies ``delay_s``)."""
        with self.exchange(request) as response:
            return response

    @contextmanager
    def exchange(self, request: MockRequest) -> Iterator[MockResponse]:
        """The response to ``request``; the request counts as in flight until the block ends."""
        if request.path.startswith("/_mock/"):
            yield control(self, request)
            return
        with self._lock:
            admitted, response = self._respond(request)  # counts nothing if it raises
            self._in_flight += 1
            self._admitted += admitted
            self._stats.begin(self._in_flight)
        try:
            yield response
        finally:
            with self._lock:
                self._in_flight -= 1
                self._admitted -= admitted

    def _respond(self, request: MockRequest) -> tuple[int, MockResponse]:
        sequence, self._sequence = self._sequence, self._sequence + 1
        endpoint, _ = classify(request.path)
        fate = self.faults.fate(sequence, endpoint)
        authorization = request.header("authorization")
        identity = identify(authorization, request.client)
        if authorization and token_of(authorization).startswith(self.config.rejected_token_prefix):
            anonymous = identify(None, request.client)
            return 0, self._finish(endpoint, _error(401, "Bad credentials"), fate,
                                   self.limits.quota(anonymous).headers())  # fmt: skip
        graphql = endpoint == "graphql" and request.method == "POST"
        if graphql and not identity.authenticated:
            unauthenticated = _error(401, GRAPHQL_REQUIRES_AUTH, gql.DOCS)
            return 0, self._finish(endpoint, unauthenticated, fate, ())
        if request.method not in ("GET", "HEAD") and not graphql:
            quota = self.limits.spend(identity).headers()
            return 0, self._finish(endpoint, _error(404, "Not Found"), fate, quota)
        if endpoint == "rate_limit":
            return 0, self._rate_limit(identity, fate)
        cap = self.config.secondary_concurrency
        retry = self.limits.concurrency_retry_after() if cap and self._admitted >= cap else None
        retry = retry or self.limits.secondary_retry_after(identity, endpoint)
        if retry is not None:
            bucket = self.limits.graphql_quota(identity) if graphql else None
            return 0, self._secondary(endpoint, identity, retry, fate, bucket)
        if graphql:
            return 1, self._graphql(request, identity, fate)
        if self.limits.exhausted(identity):
            return 0, self._primary(endpoint, identity, fate)
        return 1, self._serve(request, endpoint, identity, fate)

    def _serve(
        self, request: MockRequest, endpoint: str, identity: Any, fate: Fate
    ) -> MockResponse:
        if fate.fault == "error":
            self._stats.faults["error"] += 1
            status = fate.error_status
            rendered = _error(status, ERROR_MESSAGES[status])
            return self._finish(endpoint, rendered, fate, self.limits.spend(identity).headers())
        rendered = self._rendered(request)
        if rendered.status == 200 and rendered.not_modified(
            request.header("if-none-match"), request.header("if-modified-since")
        ):
            known = self.limits.quota(identity) if identity.authenticated else None
            headers = rendered.validators() + (known or self.limits.spend(identity)).headers()
            return self._finish(endpoint, Rendered(304, b"", endpoint=endpoint), fate, headers)
        quota = self.limits.spend(identity).headers()
        return self._finish(endpoint, rendered, fate, rendered.validators() + quota)

    def _graphql(self, request: MockRequest, identity: Identity, fate: Fate) -> MockResponse:
        """``POST /graphql`` (:mod:`mockgithub.gql`); injected errors as for REST."""
        if fate.fault == "error":
            self._stats.faults["error"] += 1
            status = fate.error_status
            quota = self.limits.graphql_quota(identity).headers()
            return self._finish("graphql", _error(status, ERROR_MESSAGES[status]), fate, quota)
        bucket = _PointsBucket(self.limits, identity)
        answer = gql.answer(request.body, self.source, self.routes, bucket)
        self._stats.graphql_points += answer.points
        body = orjson.dumps(answer.body).replace(CANONICAL_BASE.encode(), self._base_url.encode())
        limited = "primary" if answer.limited else None
        headers = answer.quota.headers()
        return self._finish("graphql", Rendered(answer.status, body), fate, headers, limited)

    def _rendered(self, request: MockRequest) -> Rendered:
        key = (request.path, tuple(sorted(request.query.items())), self.source.version)
        rendered = self._cache.get(key)
        if rendered is None:
            outcome = self.routes.answer(request.path, request.query)
            rendered = render(outcome, self._base_url)
            if outcome.status == 200:
                self._cache.put(key, rendered)
        return rendered

    def _rate_limit(self, identity: Any, fate: Fate) -> MockResponse:
        core = self.limits.quota(identity)
        now = int(self.clock())
        resources = {
            "core": core.as_resource(),
            "search": {"limit": 30, "used": 0, "remaining": 30, "reset": now + 60},
            "graphql": self.limits.graphql_quota(identity).as_resource(),
            "code_search": {"limit": 10, "used": 0, "remaining": 10, "reset": now + 60},
            "integration_manifest": {
                "limit": 5000,
                "used": 0,
                "remaining": 5000,
                "reset": now + 3600,
            },  # fmt: skip
        }
        body = {"resources": resources, "rate": core.as_resource()}
        rendered = render(Outcome("rate_limit", 200, body), self._base_url)
        return self._finish("rate_limit", rendered, fate, core.headers())

    def _primary(self, endpoint: str, identity: Any, fate: Fate) -> MockResponse:
        quota = self.limits.quota(identity)
        status = self.config.rate_limit_status
        body = {"message": primary_message(identity), "documentation_url": DOCS_PRIMARY}
        rendered = render(Outcome(endpoint, status, body), self._base_url)
        return self._finish(endpoint, rendered, fate, quota.headers(), limited="primary")

    def _secondary(
        self, endpoint: str, identity: Any, retry: int, fate: Fate, quota: Quota | None = None
    ) -> MockResponse:
        quota = quota or self.limits.quota(identity)
        status = self.config.rate_limit_status
        body = {"message": SECONDARY_MESSAGE, "documentation_url": DOCS_SECONDARY}
        rendered = render(Outcome(endpoint, status, body), self._base_url)
        headers = (("retry-after", str(retry)),) + quota.headers()
        return self._finish(endpoint, rendered, fate, headers, limited="secondary")

    def _finish(
        self,
        endpoint: str,
        rendered: Rendered,
        fate: Fate,
        extra: tuple[tuple[str, str], ...],
        limited: str | None = None,
    ) -> MockResponse:
        body = rendered.body
        if fate.fault in ("stall", "reset", "truncate") and rendered.status == 200:
            self._stats.faults[fate.fault] += 1
            if fate.fault == "truncate":
                body = body[: int(len(body) * fate.keep_fraction)]
        fault = "reset" if fate.fault == "reset" and rendered.status == 200 else None
        headers = (COMMON_HEADERS if rendered.status != 304 else ()) + extra
        if rendered.link:
            headers += (("link", rendered.link),)
        self._stats.record(endpoint, rendered.status, 0 if fault else len(body), limited)
        return MockResponse(rendered.status, headers, body, fate.delay_s, fault)


def _error(status: int, message: str, docs: str = DOCS) -> Rendered:
    body = orjson.dumps({"message": message, "documentation_url": docs})
    return Rendered(status, body)


class _PointsBucket:
    """One identity's GraphQL points, lent to :func:`mockgithub.gql.answer`."""

    def __init__(self, limits: RateLimits, identity: Identity) -> None:
        self._limits, self._identity = limits, identity
        self.label = identity.label

    def quota(self) -> Quota:
        return self._limits.graphql_quota(self._identity)

    def spend(self, points: int) -> Quota:
        return self._limits.spend_points(self._identity, points)
