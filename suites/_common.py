"""What the suites share: an analyzer configured against the run's mock, and mock settings."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import requests

from analyzer import Config
from analyzer.client import GitHubClient
from analyzer.service import open_cache
from suites._mock import control_headers, mock_url

# A token the mock accepts: real clients send one, and the mock limits per token like GitHub.
SUITE_TOKEN = "ghp_benchsuite0000000000000000000000000"
# Mock settings for benchmarks that send thousands of requests in one sample: GitHub's
# secondary limit (900 points a minute per endpoint) would otherwise end them early.
SHM_DIR_ENV = "BENCH_SHM_DIR"  # the run's folder on /dev/shm (harness.scratch)
BULK_MOCK = {"rate_limit": "1000000/3600", "secondary_rate_limit": "0/60"}


def configure_mock(**changes: Any) -> None:
    """Reconfigure the run's mock for this benchmark (the harness restores it before the next)."""
    url = f"{mock_url()}/_mock/config"
    response = requests.post(url, json=changes, headers=control_headers(), timeout=10)
    response.raise_for_status()


def analyzer_config(cache_dir: str, **overrides: Any) -> Config:
    """The analyzer's defaults, pointed at the mock, with no client-side throttling.

    The toolkit's default of 30 requests a minute would make every benchmark measure the
    limiter; the rate-limit suite measures it on purpose instead. The suites measure the REST
    client (a request per run's jobs) unless they say otherwise: ``batching`` compares the two.
    """
    values: dict[str, Any] = {
        "api_url": mock_url(),
        "token": SUITE_TOKEN,
        "github_api_mode": "rest",
        "rate_limit_requests_per_minute": 0,
        "cache_backend": "file",
        "github_api_cache_dir": cache_dir,
    }
    values.update(overrides)
    return Config(**values)


def client_for(config: Config, clock: Any = None) -> GitHubClient:
    """A client with the cache ``config`` asks for, on an optional fake clock."""
    cache = open_cache(config, clock) if clock else open_cache(config)
    return GitHubClient(config, cache)


def cache_dir() -> tempfile.TemporaryDirectory[str]:
    """A fresh, private cache directory; removed when the object is collected or cleaned up."""
    return tempfile.TemporaryDirectory(prefix="bench-cache-", dir=_fast_tmp())


def _fast_tmp() -> str | None:
    # The toolkit's guide puts its cache on a RAM disk; use one where the machine has it:
    # under bench, the run's own folder there (removed with the run, or swept after kill -9).
    run_shm = os.environ.get(SHM_DIR_ENV)
    if run_shm and os.path.isdir(run_shm):
        return run_shm
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
