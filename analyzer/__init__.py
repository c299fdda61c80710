"""GitHub Actions performance analyzer: the system that bench measures."""

from analyzer.analysis import WorkflowStats, analyze_runs
from analyzer.client import ApiCounters, GitHubClient
from analyzer.config import Config
from analyzer.errors import AnalyzerError

__version__ = "0.1.0"

__all__ = [
    "AnalyzerError",
    "ApiCounters",
    "Config",
    "GitHubClient",
    "WorkflowStats",
    "analyze_runs",
    "__version__",
]
