"""Identify: the situation ``bench tune`` tunes for, measured.

Against an API (a real one, or a ``bench serve`` treated as one): a few cheap requests for the
run listing with ``per_page=1`` give the round-trip latency, the primary limit from the
``x-ratelimit-*`` headers (no ``/rate_limit`` request) and the runs available. The machine's
cores and memory, and each cache location's put and get time, are measured here too.
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil
import requests

from analyzer.cache import CacheEntry, CacheLevel, cache_key, open_backend
from analyzer.errors import ApiError
from suites._tune.rules import CachePoint, Limits

GITHUB_WINDOW_S = 3600.0  # GitHub's primary limits are per hour
GITHUB_SECONDARY_PER_MINUTE = 900  # GitHub's documented points a minute per REST endpoint
PROBES = 3
CACHE_OPS = 100
# An entry the size of one run's jobs response (about 2 KB), the cache's most common entry.
ENTRY_VALUE = {"jobs": [{"id": i, "name": f"job {i}", "steps": list(range(20))} for i in range(3)]}


@dataclass(frozen=True)
class ApiConditions:
    """What the probes of an API showed."""

    latency_s: float  # median round trip of the probes
    limits: Limits
    runs_available: int
    requests_spent: int


@dataclass(frozen=True)
class Machine:
    cores: int
    memory_bytes: int


def measure_machine() -> Machine:
    return Machine(os.cpu_count() or 1, int(psutil.virtual_memory().total))


def probe_api(
    base_url: str, repo: str, token: str | None, probes: int = PROBES, window_s: float | None = None
) -> ApiConditions:
    """Round trips, limits and run count of ``repo`` from ``probes`` cheap requests.

    The window of the primary limit is read from the first answer when the probes opened it
    (remaining = limit - 1: the reset is then one window away); otherwise it is GitHub's hour.
    """
    session = requests.Session()
    session.headers["Accept"] = "application/vnd.github+json"
    if token:
        session.headers["Authorization"] = f"Bearer {token}"
    url = f"{base_url.rstrip('/')}/repos/{repo}/actions/runs"
    times, answers = [], []
    try:
        for _ in range(max(1, probes)):
            start = time.time()
            try:
                response = session.get(url, params={"per_page": 1}, timeout=30)
            except requests.RequestException as exc:
                raise ApiError(
                    f"GET /repos/{repo}/actions/runs failed: {type(exc).__name__}"
                ) from None
            times.append(time.time() - start)
            answers.append((start, response))
            if response.status_code != 200:
                raise ApiError(f"GET /repos/{repo}/actions/runs answered {response.status_code}")
    finally:
        session.close()
    first_at, first = answers[0]
    limit = _header(first, "x-ratelimit-limit") or 5000
    window = window_s or _window(first, first_at, limit)
    runs = int(first.json().get("total_count", 0))
    limits = Limits(limit, window, GITHUB_SECONDARY_PER_MINUTE)
    return ApiConditions(statistics.median(times), limits, runs, len(answers))


def _window(first: requests.Response, sent_at: float, limit: int) -> float:
    remaining, reset = _header(first, "x-ratelimit-remaining"), _header(first, "x-ratelimit-reset")
    if remaining == limit - 1 and reset:
        return float(max(1, round(reset - sent_at)))
    return GITHUB_WINDOW_S


def _header(response: requests.Response, name: str) -> int | None:
    try:
        return int(float(response.headers[name]))
    except (KeyError, ValueError):
        return None


def cache_locations(current_dir: str) -> list[tuple[str, str]]:
    """``(label, directory)`` candidates for the file cache: a RAM disk, the disk, the current."""
    found: list[tuple[str, str]] = []
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        found.append(("file on /dev/shm", str(shm)))
    for label, place in (
        ("file on /var/tmp", "/var/tmp"),
        ("file on $TMPDIR", tempfile.gettempdir()),
    ):
        if os.path.isdir(place) and os.access(place, os.W_OK):
            found.append((label, place))
    parent = str(Path(current_dir).parent)
    if os.path.isdir(parent) and os.access(parent, os.W_OK):
        found.append(("file where GITHUB_API_CACHE_DIR is", parent))
    unique: dict[str, tuple[str, str]] = {}
    for label, place in found:
        unique.setdefault(os.path.realpath(place), (label, place))
    return list(unique.values())


def filesystem(path: str) -> str:
    """The type of the filesystem holding ``path`` (``tmpfs``, ``ext4``...), from /proc/mounts."""
    real, best, kind = os.path.realpath(path), "", "unknown"
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return kind
    for line in mounts:
        parts = line.split()
        if len(parts) < 3 or len(parts[1]) <= len(best):
            continue
        if real == parts[1] or real.startswith(parts[1].rstrip("/") + "/"):
            best, kind = parts[1], parts[2]
    return kind


def measure_cache(
    label: str, backend: str, directory: str | None, redis_url: str | None
) -> CachePoint:
    """Median put and get time of a 2 KB entry, ``CACHE_OPS`` of each, in a private namespace."""
    holder = tempfile.mkdtemp(prefix="bench-tune-cache-", dir=directory) if directory else None
    store = open_backend(
        backend, Path(holder) if holder else None, redis_url, f"bench-tune-{os.getpid()}"
    )
    keys = [cache_key(CacheLevel.API, f"/tune/{i}") for i in range(CACHE_OPS)]
    entry = CacheEntry(ENTRY_VALUE, time.time(), etag='W/"tune"')
    try:
        puts = [_timed(functools.partial(store.put, k, entry, 60)) for k in keys]
        gets = [_timed(functools.partial(store.get, k)) for k in keys]
    finally:
        store.clear()
        store.close()
        if holder:
            shutil.rmtree(holder, ignore_errors=True)
    kind = f"{label} ({filesystem(directory)})" if directory else label
    return CachePoint(
        kind,
        backend,
        directory,
        statistics.median(puts),
        statistics.median(gets),
        backend != "memory",
    )


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def runs_for_budget(budget: int, analyses: int, wanted: int) -> int:
    """Runs per analysis so that ``analyses`` cold analyses stay within ``budget`` requests
    (an analysis of N runs costs N + ceil(N / 100))."""
    runs = wanted
    while runs > 1 and analyses * (runs + math.ceil(runs / 100)) > budget:
        runs = max(1, int(runs * 0.9))
    return runs
