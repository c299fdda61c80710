"""GitHub Actions performance analyzer: the system that bench measures.

Config (layered knobs) -> GitHubClient (session, rate limiting, retries, ETags, cache)
-> fetcher (jobs in parallel, in order) -> analysis (streaming aggregates) -> output.
"""

from analyzer.analysis import RepositoryAggregator, analyze_runs
from analyzer.client import GitHubClient, Page
from analyzer.config import KNOBS, Config
from analyzer.counters import ApiCounters
from analyzer.errors import (
    AnalysisCancelled,
    AnalyzerError,
    ApiError,
    ConfigError,
    RateLimitError,
    RetriesExhausted,
)
from analyzer.ratelimit import RateLimiter
from analyzer.records import FORMAT_VERSION, AnalysisResult, SlowJob, WorkflowStats
from analyzer.settings import PROFILES, load_config

__version__ = "0.2.0"

__all__ = [
    "FORMAT_VERSION",
    "KNOBS",
    "PROFILES",
    "AnalysisCancelled",
    "AnalysisResult",
    "AnalyzerError",
    "ApiCounters",
    "ApiError",
    "Config",
    "ConfigError",
    "GitHubClient",
    "Page",
    "RateLimitError",
    "RateLimiter",
    "RepositoryAggregator",
    "RetriesExhausted",
    "SlowJob",
    "WorkflowStats",
    "analyze_runs",
    "load_config",
    "__version__",
]
