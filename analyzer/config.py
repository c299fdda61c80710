"""The analyzer's knobs: names, defaults and allowed ranges, and the immutable :class:`Config`.

Every knob carries the original toolkit's environment name (``MAX_PARALLEL_JOBS``, ...) and
default; :mod:`analyzer.settings` layers files, profiles, the environment and flags on top.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from analyzer.cache.base import BACKEND_KINDS
from analyzer.errors import ConfigError

DEFAULT_API_URL = "https://api.github.com"
OUTPUT_FORMATS = ("console", "json", "markdown")
LOG_LEVELS = ("DEBUG", "INFO", "WARN", "ERROR")
# How runs' jobs are read: one REST request per run, or GraphQL batches of 100 runs; "auto"
# (the default) reads GraphQL with a token, REST without (GitHub's GraphQL API needs a token).
API_MODES = ("auto", "rest", "graphql")


def default_cache_dir() -> str:
    """A RAM disk where the machine has one, else the toolkit's ``$TMPDIR/github-api-cache``.

    Measured on this project's machines: creating a file on the ext4 root disk costs 0.5-1 ms,
    on tmpfs about 10 us, so an atomic put (temp file, rename) is 30x faster in /dev/shm. The
    toolkit's own guide recommends a RAM disk; a cache loses nothing it cannot fetch again.
    """
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK):
        return os.path.join(shm, f"github-api-cache-{os.getuid()}")
    return os.path.join(tempfile.gettempdir(), "github-api-cache")


@dataclass(frozen=True)
class Config:
    """One analyzer configuration; immutable once built, validated on construction."""

    api_url: str = DEFAULT_API_URL
    token: str | None = field(default=None, repr=False)
    max_parallel_jobs: int = 4
    adaptive_jobs: bool = False  # MAX_PARALLEL_JOBS becomes the ceiling of an AIMD limit
    workflow_analysis_limit: int = 50
    enable_cache: bool = True
    cache_backend: str = "file"
    cache_ttl: int = 1800  # analysis results (the toolkit's CACHE_TTL)
    api_cache_ttl: int = 300
    report_cache_ttl: int = 900
    cache_cleanup_interval: int = 3600
    github_api_cache_dir: str = field(default_factory=default_cache_dir)
    redis_url: str = "redis://127.0.0.1:6379/0"
    rate_limit_requests_per_minute: int = 30
    rate_limit_delay: float = 2.0
    burst_size: int = 5
    max_retries: int = 4
    retry_budget: int = 50
    request_timeout_s: float = 30.0
    output_format: str = "console"
    log_level: str = "INFO"
    github_api_mode: str = "auto"
    # Not a knob: names the API in cache keys instead of ``api_url`` (see analyzer.scope).
    api_identity: str = ""

    def __post_init__(self) -> None:
        for knob in KNOBS.values():
            knob.check(getattr(self, knob.attr))

    def __repr__(self) -> str:
        # The token must never reach logs or tracebacks through a repr: show only its presence.
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.name != "token"
        )
        return f"Config(token={'***' if self.token else None}, {shown})"

    __str__ = __repr__

    @property
    def effective_api_mode(self) -> str:
        """``rest`` or ``graphql``: what ``GITHUB_API_MODE`` means with this token."""
        if self.github_api_mode == "auto":
            return "graphql" if self.token else "rest"
        return self.github_api_mode

    def updated(self, **changes: Any) -> Config:
        """A validated copy with ``changes`` applied."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Knob:
    """One setting: its environment name, the field it fills, how to parse and check it."""

    env: str
    attr: str
    parse: Callable[[str, str], Any]
    check: Callable[[Any], None] = lambda value: None
    secret: bool = False
    doc: str = ""


def _int(env: str) -> Callable[[str, str], int]:
    def parse(text: str, _e: str) -> int:
        try:
            return int(str(text).strip())
        except ValueError:
            raise ConfigError(f"{env} must be an integer, got {text!r}") from None

    return parse


def _float(env: str) -> Callable[[str, str], float]:
    def parse(text: str, _e: str) -> float:
        try:
            return float(str(text).strip())
        except ValueError:
            raise ConfigError(f"{env} must be a number, got {text!r}") from None

    return parse


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _bool(env: str) -> Callable[[str, str], bool]:
    def parse(text: str, _e: str) -> bool:
        word = str(text).strip().lower()
        if word in _TRUE | _FALSE:
            return word in _TRUE
        raise ConfigError(f"{env} must be true or false, got {text!r}")

    return parse


def _text(text: str, _e: str) -> str:
    return str(text).strip()


def _upper(text: str, _e: str) -> str:
    word = str(text).strip().upper()
    return "WARN" if word == "WARNING" else word


def _lower(text: str, _e: str) -> str:
    return str(text).strip().lower()


def _range(env: str, low: float, high: float, integer: bool = True) -> Callable[[Any], None]:
    kinds = int if integer else int | float

    def check(value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, kinds):
            kind = "an integer" if integer else "a number"
            raise ConfigError(f"{env} must be {kind} in {low}..{high}, got {value!r}")
        if not low <= value <= high:
            raise ConfigError(f"{env} must be {low}..{high}, got {value}")

    return check


def _choice(env: str, allowed: tuple[str, ...]) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value not in allowed:
            raise ConfigError(f"{env} must be one of {', '.join(allowed)}, got {value!r}")

    return check


def _is_bool(env: str) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if not isinstance(value, bool):
            raise ConfigError(f"{env} must be true or false, got {value!r}")

    return check


def _url(env: str) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise ConfigError(f"{env} must be an http:// or https:// URL, got {value!r}")

    return check


def _token(value: Any) -> None:
    # Never echo the value: it is a credential.
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ConfigError("GITHUB_TOKEN must be a non-empty string when set")


def _nonempty(env: str) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{env} must be a non-empty string, got {value!r}")

    return check


def _knob(env: str, attr: str, parse: Any, check: Any, doc: str, secret: bool = False) -> Knob:
    return Knob(env, attr, parse, check, secret, doc)


_ONE_WEEK = 7 * 24 * 3600

KNOBS: dict[str, Knob] = {
    k.env: k
    for k in (
        _knob("GITHUB_API_URL", "api_url", _text, _url("GITHUB_API_URL"), "API base URL"),
        _knob("GITHUB_TOKEN", "token", _text, _token, "API token (never shown)", secret=True),
        _knob(
            "MAX_PARALLEL_JOBS",
            "max_parallel_jobs",
            _int("MAX_PARALLEL_JOBS"),
            _range("MAX_PARALLEL_JOBS", 1, 16),
            "threads fetching jobs; also the connection-pool size",
        ),
        _knob(
            "ADAPTIVE_JOBS",
            "adaptive_jobs",
            _bool("ADAPTIVE_JOBS"),
            _is_bool("ADAPTIVE_JOBS"),
            "adapt the jobs in flight to latency and rate limits (up to MAX_PARALLEL_JOBS)",
        ),
        _knob(
            "WORKFLOW_ANALYSIS_LIMIT",
            "workflow_analysis_limit",
            _int("WORKFLOW_ANALYSIS_LIMIT"),
            _range("WORKFLOW_ANALYSIS_LIMIT", 1, 100_000),
            "most recent runs analyzed",
        ),
        _knob(
            "ENABLE_CACHE",
            "enable_cache",
            _bool("ENABLE_CACHE"),
            _is_bool("ENABLE_CACHE"),
            "use the three-level cache",
        ),
        _knob(
            "CACHE_BACKEND",
            "cache_backend",
            _lower,
            _choice("CACHE_BACKEND", BACKEND_KINDS),
            "memory, file or redis",
        ),
        _knob(
            "CACHE_TTL",
            "cache_ttl",
            _int("CACHE_TTL"),
            _range("CACHE_TTL", 0, _ONE_WEEK),
            "analysis-result TTL, s (0: level off)",
        ),
        _knob(
            "API_CACHE_TTL",
            "api_cache_ttl",
            _int("API_CACHE_TTL"),
            _range("API_CACHE_TTL", 0, _ONE_WEEK),
            "API-response TTL, s (0: always revalidate)",
        ),
        _knob(
            "REPORT_CACHE_TTL",
            "report_cache_ttl",
            _int("REPORT_CACHE_TTL"),
            _range("REPORT_CACHE_TTL", 0, _ONE_WEEK),
            "report TTL, s (0: level off)",
        ),
        _knob(
            "CACHE_CLEANUP_INTERVAL",
            "cache_cleanup_interval",
            _int("CACHE_CLEANUP_INTERVAL"),
            _range("CACHE_CLEANUP_INTERVAL", 0, _ONE_WEEK),
            "file-cache cleanup interval, s",
        ),
        _knob(
            "GITHUB_API_CACHE_DIR",
            "github_api_cache_dir",
            _text,
            _nonempty("GITHUB_API_CACHE_DIR"),
            "file-cache directory",
        ),
        _knob("REDIS_URL", "redis_url", _text, _nonempty("REDIS_URL"), "Redis backend URL"),
        _knob(
            "RATE_LIMIT_REQUESTS_PER_MINUTE",
            "rate_limit_requests_per_minute",
            _int("RATE_LIMIT_REQUESTS_PER_MINUTE"),
            _range("RATE_LIMIT_REQUESTS_PER_MINUTE", 0, 100_000),
            "client-side token bucket rate (0: off)",
        ),
        _knob(
            "RATE_LIMIT_DELAY",
            "rate_limit_delay",
            _float("RATE_LIMIT_DELAY"),
            _range("RATE_LIMIT_DELAY", 0, 60, integer=False),
            "base delay of the retry backoff, s",
        ),
        _knob(
            "BURST_SIZE",
            "burst_size",
            _int("BURST_SIZE"),
            _range("BURST_SIZE", 1, 1000),
            "token bucket capacity",
        ),
        _knob(
            "MAX_RETRIES",
            "max_retries",
            _int("MAX_RETRIES"),
            _range("MAX_RETRIES", 0, 10),
            "retries of one request",
        ),
        _knob(
            "RETRY_BUDGET",
            "retry_budget",
            _int("RETRY_BUDGET"),
            _range("RETRY_BUDGET", 0, 100_000),
            "retries of one analysis, all requests together",
        ),
        _knob(
            "REQUEST_TIMEOUT",
            "request_timeout_s",
            _float("REQUEST_TIMEOUT"),
            _range("REQUEST_TIMEOUT", 0.1, 600, integer=False),
            "connect and read timeout, s",
        ),
        _knob(
            "OUTPUT_FORMAT",
            "output_format",
            _lower,
            _choice("OUTPUT_FORMAT", OUTPUT_FORMATS),
            "console, json or markdown",
        ),
        _knob("LOG_LEVEL", "log_level", _upper, _choice("LOG_LEVEL", LOG_LEVELS), "logging level"),
        _knob(
            "GITHUB_API_MODE",
            "github_api_mode",
            _lower,
            _choice("GITHUB_API_MODE", API_MODES),
            "rest (a request per run's jobs), graphql (jobs of 100 runs per request) or auto "
            "(graphql with a token, else rest)",
        ),
    )
}

_BY_ATTR = {knob.attr: knob for knob in KNOBS.values()}


def knob_for(name: str) -> Knob:
    """The knob called ``name``: its environment name or field name, any case."""
    knob = KNOBS.get(name.upper()) or _BY_ATTR.get(name.lower())
    if knob is None:
        raise ConfigError(f"unknown setting {name!r}")
    return knob


def parse_value(name: str, value: Any) -> tuple[str, Any]:
    """``(field, parsed value)`` for a raw setting from a file, the environment or a flag."""
    knob = knob_for(name)
    # Typed values (TOML, flags) go through the same parser as text, so 4.5 for an integer
    # knob is refused the same way wherever it comes from.
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return knob.attr, knob.parse(text, knob.env)


def build_config(values: Mapping[str, Any]) -> Config:
    """A :class:`Config` from ``{field: value}``; raises :class:`ConfigError` on a bad knob."""
    try:
        return Config(**dict(values))
    except TypeError as exc:
        raise ConfigError(f"invalid settings: {exc}") from None
