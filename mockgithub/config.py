"""Configuration of the mock: what data it serves and how it behaves.

A :class:`MockConfig` is a frozen record that round-trips through JSON (``to_dict`` /
``updated``), so the control API, ``python -m mockgithub --config-json`` and ``bench serve``
all speak the same dictionary.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

DEFAULT_REPO = "octo-org/octo-repo"
JITTER_DISTRIBUTIONS = ("uniform", "normal", "exponential")
ENDPOINTS = (
    "rate_limit",
    "repository",
    "workflows",
    "workflow",
    "runs",
    "workflow_runs",
    "run",
    "attempt",
    "jobs",
    "attempt_jobs",
    "job",
    "timing",
    "graphql",
    "not_found",
)
_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_RATE = re.compile(r"(\d+)/(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class RateSpec:
    """``LIMIT/SECONDS``: at most ``limit`` points per window of ``window_s`` seconds."""

    limit: int
    window_s: float

    @classmethod
    def parse(cls, text: str, name: str = "rate limit") -> RateSpec:
        match = _RATE.fullmatch(text.strip())
        if not match or float(match.group(2)) <= 0:
            raise ValueError(f"{name}: expected LIMIT/SECONDS such as 5000/3600, got {text!r}")
        return cls(int(match.group(1)), float(match.group(2)))


@dataclass(frozen=True)
class MockConfig:
    """Everything that shapes the mock's responses; same config and seed, same bytes."""

    repo: str = DEFAULT_REPO
    seed: int = 1
    runs: int = 250
    workflows: int = 4
    max_jobs: int = 6  # jobs per run are 1..max_jobs, depending on the workflow
    active_runs: int = 0  # the newest runs are still queued / in progress
    fixture: str | None = None  # replay recorded responses instead of seeded data
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    jitter_distribution: str = "uniform"
    endpoint_latency_ms: dict[str, float] = field(default_factory=dict)
    rate_limit: str = "5000/3600"  # per token
    graphql_rate_limit: str = "5000/3600"  # GraphQL points per token
    unauthenticated_rate_limit: str = "60/3600"  # per client address
    rate_limit_status: int = 403
    secondary_concurrency: int = 100  # 0 disables the concurrency cap
    secondary_rate_limit: str = "900/60"  # points per endpoint and client; 0/60 disables
    error_rate: float = 0.0  # injected 500/502/503
    stall_rate: float = 0.0
    stall_ms: float = 30_000.0
    reset_rate: float = 0.0
    truncate_rate: float = 0.0
    rejected_token_prefix: str = "invalid"  # tokens starting with this get 401

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = _coerce(spec.name, getattr(self, spec.name), spec.type)
            object.__setattr__(self, spec.name, value)  # frozen: coercion happens once, here
        _validate(self)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def updated(self, changes: dict[str, Any]) -> MockConfig:
        """A copy with ``changes`` applied; unknown keys or bad values raise ``ValueError``."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown mock config keys: {', '.join(unknown)}")
        return replace(self, **changes)

    @property
    def owner(self) -> str:
        return self.repo.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.repo.split("/", 1)[1]

    @property
    def token_rate(self) -> RateSpec:
        return RateSpec.parse(self.rate_limit, "rate_limit")

    @property
    def address_rate(self) -> RateSpec:
        return RateSpec.parse(self.unauthenticated_rate_limit, "unauthenticated_rate_limit")

    @property
    def graphql_rate(self) -> RateSpec:
        return RateSpec.parse(self.graphql_rate_limit, "graphql_rate_limit")

    @property
    def secondary_rate(self) -> RateSpec:
        return RateSpec.parse(self.secondary_rate_limit, "secondary_rate_limit")


_CONFIG_TYPES: dict[str, type | tuple[type, ...]] = {
    "int": int,
    "float": float,
    "str": str,
    "str | None": (str, type(None)),
    "dict[str, float]": dict,
}


def _coerce(key: str, value: Any, annotation: Any) -> Any:
    """JSON gives ints where floats are meant; anything else of the wrong type is an error."""
    kind = str(annotation)
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    expected = _CONFIG_TYPES[kind]
    if isinstance(value, bool) or not isinstance(value, expected):
        raise ValueError(f"mock config {key}: expected {kind}, got {value!r}")
    if isinstance(value, dict):
        return {str(k): _coerce(f"{key}.{k}", v, "float") for k, v in value.items()}
    return value


def _validate(config: MockConfig) -> None:
    if not _REPO.fullmatch(config.repo):
        raise ValueError(f"repo: expected OWNER/NAME, got {config.repo!r}")
    _check_range("runs", config.runs, 0, 10_000_000)
    _check_range("workflows", config.workflows, 1, 64)
    _check_range("max_jobs", config.max_jobs, 1, 50)
    _check_range("active_runs", config.active_runs, 0, config.runs)
    for name in ("latency_ms", "jitter_ms", "stall_ms"):
        _check_range(name, getattr(config, name), 0, 3_600_000)
    for endpoint, value in config.endpoint_latency_ms.items():
        if endpoint not in ENDPOINTS:
            raise ValueError(f"endpoint_latency_ms: unknown endpoint {endpoint!r}")
        _check_range(f"endpoint_latency_ms.{endpoint}", value, 0, 3_600_000)
    if config.jitter_distribution not in JITTER_DISTRIBUTIONS:
        choices = ", ".join(JITTER_DISTRIBUTIONS)
        raise ValueError(f"jitter_distribution: expected one of {choices}")
    if config.rate_limit_status not in (403, 429):
        raise ValueError("rate_limit_status: expected 403 or 429")
    _check_range("secondary_concurrency", config.secondary_concurrency, 0, 1_000_000)
    config.token_rate, config.address_rate, config.secondary_rate  # noqa: B018 - parse = check
    config.graphql_rate  # noqa: B018 - parse = check
    rates = [config.error_rate, config.stall_rate, config.reset_rate, config.truncate_rate]
    for name, rate in zip(("error", "stall", "reset", "truncate"), rates, strict=True):
        _check_range(f"{name}_rate", rate, 0.0, 1.0)
    if sum(rates) > 1.0:
        raise ValueError("fault rates add up to more than 1")


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ValueError(f"{name}: expected a value from {low} to {high}, got {value!r}")
