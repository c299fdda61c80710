"""Propose: each knob swept on the mock at the measured conditions, then chosen by its rule.

Every sweep isolates its knob: the jobs sweep lifts the server's limits and switches pacing and
the cache off, so only parallelism and latency remain; the TTL sweep runs on a fake clock with
no latency, since it counts requests; the pacing sweep compresses time (rate windows of
:data:`PACING_WINDOW_S`, the client's rate scaled alike) so a window of a minute or an hour can
be crossed in seconds, as the ``rate_limit`` suite does.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from analyzer import Config
from analyzer.client import GitHubClient
from analyzer.clock import FakeClock
from analyzer.diagnose import KnobGroup
from analyzer.service import analyze_repository, open_cache
from mockgithub import ServerProcess
from suites._tune.rules import (
    CachePoint,
    Limits,
    Pacing,
    TtlPoint,
    api_choice,
    cache_choice,
    fastest_without_waits,
    knee,
    ttl_choice,
)

JOBS = (1, 2, 3, 4, 6, 8, 12, 16)
REPEATS = (
    5  # the best of up to 5 (a loaded machine slows some runs; the best is the least disturbed)
)
POINT_BUDGET_S = 2.0  # stop repeating a point once it has taken this long (at least one run)
TTLS = (60, 300, 600, 900, 1800, 3600, 7200)
HORIZON_S = 2 * 3600  # the TTL simulation covers two hours of scheduled analyses
PACING_FACTORS = (0.5, 0.75, 1.0, 1.25, 1.5)
PACING_WINDOW_S = 2.0  # a compressed rate window
PACING_WINDOWS = 1.5  # each pacing point sends for this many windows
UNLIMITED = {"rate_limit": "100000000/3600", "secondary_rate_limit": "0/60"}
TOKEN = "ghp_benchtune000000000000000000000000000"

Log = Callable[[str], None]


@dataclass(frozen=True)
class Point:
    """One swept value and what it measured (``extra`` holds the sweep's own numbers)."""

    value: Any
    label: str
    primary: float  # plotted on the left axis
    secondary: float | None = None  # plotted on the right axis
    extra: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Sweep:
    """One knob's sweep: its points, the chosen one, and the rule that chose it."""

    knob: KnobGroup
    title: str
    x_label: str
    primary_label: str
    secondary_label: str | None
    points: tuple[Point, ...]
    chosen: Any
    rule: str
    why: str


def analysis_config(url: str, runs: int, **changes: Any) -> Config:
    """A cold, unpaced analysis of ``runs`` runs at the mock (the sweeps' base)."""
    values: dict[str, Any] = {
        "api_url": url,
        "token": TOKEN,
        "workflow_analysis_limit": runs,
        "rate_limit_requests_per_minute": 0,
        "enable_cache": False,
        "api_identity": "bench-tune",
        # The sweeps tune the REST path (a request per run's jobs, MAX_PARALLEL_JOBS at a time),
        # which GITHUB_API_MODE=auto would replace by GraphQL batches with this token.
        "github_api_mode": "rest",
    }
    values.update(changes)
    return Config(**values)


def sweep_jobs(server: ServerProcess, repo: str, runs: int, latency_ms: float, log: Log) -> Sweep:
    """Cold analyses at each job count; the best of up to 5 runs per point (the least
    disturbed by whatever else the machine runs)."""
    server.configure(latency_ms=latency_ms, **UNLIMITED)
    best: dict[int, float] = {}
    requests = 0.0
    for jobs in JOBS:
        times: list[float] = []
        while len(times) < REPEATS and (not times or sum(times) < POINT_BUDGET_S):
            server.reset()
            start = time.perf_counter()
            result = analyze_repository(
                repo, analysis_config(server.base_url, runs, max_parallel_jobs=jobs)
            )
            times.append(time.perf_counter() - start)
            requests = float(result.api_usage["requests"])
        best[jobs] = min(times)
        log(f"  jobs {jobs:>2}: {best[jobs] * 1000:.0f} ms (best of {len(times)})")
    chosen = knee(best)
    points = tuple(Point(j, str(j), t * 1000, requests) for j, t in best.items())
    why = (
        f"the knee: {chosen} jobs took {best[chosen] * 1000:.0f} ms, within 10% of the best "
        f"({min(best.values()) * 1000:.0f} ms) at {latency_ms:.0f} ms latency"
    )
    return Sweep(
        KnobGroup.JOBS,
        "MAX_PARALLEL_JOBS",
        "jobs",
        "best analysis time (ms)",
        "requests per analysis",
        points,
        chosen,
        "fewest jobs within 10% of the best time",
        why,
    )


def sweep_api(
    server: ServerProcess, repo: str, runs: int, latency_ms: float, jobs: int, log: Log
) -> Sweep:
    """REST (a request per run) against GraphQL (100 runs per query), cold, best of up to 5;
    one unmeasured analysis first, since the mock builds GitHub's schema on first use."""
    server.configure(latency_ms=latency_ms, **UNLIMITED)
    measured: dict[str, tuple[float, int]] = {}
    for api in ("rest", "graphql"):
        config = analysis_config(server.base_url, runs, max_parallel_jobs=jobs, github_api_mode=api)
        analyze_repository(repo, config)
        times: list[float] = []
        requests = 0
        while len(times) < REPEATS and (not times or sum(times) < POINT_BUDGET_S):
            server.reset()
            start = time.perf_counter()
            result = analyze_repository(repo, config)
            times.append(time.perf_counter() - start)
            requests = int(result.api_usage["requests"])
        measured[api] = (min(times), requests)
        log(f"  {api:>7}: {min(times) * 1000:.0f} ms, {requests} requests")
    chosen = api_choice(measured)
    t, requests = measured[chosen]
    why = (
        f"{chosen}: {requests} requests in {t * 1000:.0f} ms (rest "
        f"{measured['rest'][1]} in {measured['rest'][0] * 1000:.0f} ms, graphql "
        f"{measured['graphql'][1]} in {measured['graphql'][0] * 1000:.0f} ms): the fewest "
        "requests within 10% of the best time"
    )
    points = tuple(Point(api, api, t * 1000, float(r)) for api, (t, r) in measured.items())
    return Sweep(
        KnobGroup.API,
        "GITHUB_API_MODE",
        "API",
        "best analysis time (ms)",
        "requests per analysis",
        points,
        chosen,
        "fewest requests within 10% of the best time",
        why,
    )


def sweep_ttl(
    server: ServerProcess, repo: str, runs: int, interval_s: float, max_staleness_s: float, log: Log
) -> Sweep:
    """Two hours of analyses every ``interval_s`` on a fake clock, per TTL (both levels)."""
    server.configure(latency_ms=0.0, **UNLIMITED)
    server.reset()
    points = [_simulate_ttl(server.base_url, repo, runs, ttl, interval_s) for ttl in TTLS]
    for p in points:
        log(
            f"  TTL {p.ttl_s:>5} s: {p.requests_per_hour:.0f} requests/h "
            f"({p.quota_per_hour:.0f} counted), mean staleness {p.mean_staleness_s:.0f} s"
        )
    chosen = ttl_choice(points, max_staleness_s)
    point = next(p for p in points if p.ttl_s == chosen)
    why = (
        f"{point.requests_per_hour:.0f} requests/h instead of {points[0].requests_per_hour:.0f} "
        f"at a mean staleness of {point.mean_staleness_s:.0f} s (at most {max_staleness_s:.0f} s "
        f"allowed), analyses every {interval_s:.0f} s"
    )
    plotted = tuple(
        Point(
            p.ttl_s,
            str(p.ttl_s),
            p.mean_staleness_s,
            p.requests_per_hour,
            {"quota_per_hour": p.quota_per_hour},
        )
        for p in points
    )
    return Sweep(
        KnobGroup.TTL,
        "CACHE_TTL and API_CACHE_TTL",
        "TTL (s)",
        "mean staleness (s)",
        "requests per hour",
        plotted,
        chosen,
        "shortest TTL saving 90% of the best saving, within the staleness allowed",
        why,
    )


def _simulate_ttl(url: str, repo: str, runs: int, ttl: int, interval_s: float) -> TtlPoint:
    clock = FakeClock()
    with tempfile.TemporaryDirectory(prefix="bench-tune-ttl-") as directory:
        config = analysis_config(
            url,
            runs,
            enable_cache=True,
            cache_backend="file",
            github_api_cache_dir=directory,
            cache_ttl=ttl,
            api_cache_ttl=ttl,
        )
        client = GitHubClient(config, open_cache(config, clock))
        analyses = int(HORIZON_S // interval_s) + 1
        sent = revalidated = 0
        ages: list[float] = []
        fetched_at = clock()
        try:
            for _ in range(analyses):
                usage = analyze_repository(repo, config, client).api_usage
                sent += int(usage["requests"])
                revalidated += int(usage.get("not_modified", 0))
                if usage["requests"]:
                    fetched_at = clock()  # a request (200 or 304) confirms the data is current
                ages.append(clock() - fetched_at)
                clock.advance(interval_s)
        finally:
            client.close()
            if client.cache is not None:
                client.cache.close()
    hours = analyses * interval_s / 3600
    return TtlPoint(ttl, sent / hours, (sent - revalidated) / hours, sum(ages) / len(ages))


def sweep_pacing(
    server: ServerProcess, repo: str, latency_ms: float, limits: Limits, bound: Pacing, log: Log
) -> Sweep:
    """Rates around the bound against the limit, time compressed; 0 waits on the server wanted."""
    scale = limits.window_s / PACING_WINDOW_S
    rates = sorted({max(1, round(bound.rpm * f)) for f in PACING_FACTORS})
    limited: dict[int, int] = {}
    points = []
    for rpm in rates:
        server.configure(
            latency_ms=latency_ms,
            rate_limit=f"{limits.limit}/{PACING_WINDOW_S:g}",
            secondary_rate_limit="0/60",
        )
        server.reset()
        sent, hits, elapsed = _paced_requests(
            server.base_url, repo, Pacing(rpm, bound.burst), scale
        )
        limited[rpm] = hits
        achieved = sent / elapsed * 60 / scale
        log(
            f"  {rpm:>5} requests/min, burst {bound.burst}: {achieved:.0f}/min achieved, "
            f"{hits} waits on the server"
        )
        points.append(Point(rpm, str(rpm), achieved, float(hits)))
    chosen = fastest_without_waits(limited, bound)
    why = (
        f"{chosen} requests/min in bursts of {bound.burst} never met the server's "
        f"{limits.limit} per {limits.window_s:g} s (bound {bound.rpm}/min: the burst plus a "
        f"window of the rate stays within {limits.usable} of them)"
    )
    return Sweep(
        KnobGroup.PACING,
        "RATE_LIMIT_REQUESTS_PER_MINUTE",
        "requests per minute",
        "achieved requests per minute",
        "waits on the server",
        tuple(points),
        chosen,
        "fastest rate with 0 waits on the server, never above the bound",
        why,
    )


def _paced_requests(url: str, repo: str, pacing: Pacing, scale: float) -> tuple[int, int, float]:
    config = analysis_config(
        url, 1, rate_limit_requests_per_minute=int(pacing.rpm * scale), burst_size=pacing.burst
    )
    client = GitHubClient(config)
    path = f"/repos/{repo}/actions/runs"
    try:
        start = time.perf_counter()
        deadline = start + PACING_WINDOWS * PACING_WINDOW_S
        sent = 0
        while time.perf_counter() < deadline and sent < 10_000:
            client.get_json(path, {"per_page": 1})
            sent += 1
        elapsed = time.perf_counter() - start
        # Waits on the server: after a 403/429, or before a request once a response said
        # the quota is at 0 (the client waits for the reset instead of asking).
        hits = int(client.counters.snapshot()["rate_limit_waits"])
    finally:
        client.close()
    return sent, hits, elapsed


def sweep_cache(points: list[CachePoint], log: Log) -> Sweep:
    for p in points:
        log(f"  {p.name}: put {p.put_s * 1e6:.0f} us, get {p.get_s * 1e6:.0f} us")
    chosen = cache_choice(points)
    why = (
        f"{chosen.name}: put + get {(chosen.put_s + chosen.get_s) * 1e6:.0f} us, the fastest "
        "location that outlives the process"
    )
    plotted = tuple(Point(p, p.name, (p.put_s + p.get_s) * 1e6) for p in points)
    return Sweep(
        KnobGroup.CACHE,
        "CACHE_BACKEND and GITHUB_API_CACHE_DIR",
        "cache location",
        "put + get of a 2 KB entry (us)",
        None,
        plotted,
        chosen,
        "the fastest persistent location",
        why,
    )
