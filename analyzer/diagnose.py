"""The tuning guide's first box, "identify the issue type", from one analysis's own counters.

:func:`diagnose` is pure: an :class:`Observation` of one real analysis (the client's exact
counters, the cache's counters, CPU and wall time, peak RSS) in, :class:`Finding` records out,
each with the guide's remedy and the group of knobs that would test it. Nothing here measures
or prints; ``bench analyze --diagnose`` builds the observation and shows the findings.

What the analyzer cannot see is left out on purpose: the machine's I/O wait (``bench tune``
measures the cache location's write latency instead) and memory growth across runs (the
``memory`` suite measures it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Thresholds, with where each comes from.
USAGE_ALERT = 0.80  # the guide's monitoring alert: API usage above 80% of the quota
HIT_RATE_ALERT = 0.50  # the guide's monitoring alert: cache hit rate below 50%
# The fewest requests an analysis of N runs can make cold is N + ceil(N / 100) (one jobs list
# per run plus the run pages): 1.01 a run. Half again as many means something multiplies them.
REQUESTS_PER_RUN_HIGH = 1.5
CPU_BOUND_SHARE = 0.80  # CPU time over wall time: one core busy (threads share the GIL)
NETWORK_BOUND_SHARE = 0.30  # below this share of CPU, the analysis is waiting on the network
PACED_SHARE = 0.25  # client-side pacing waits above this share of the wall time
MEMORY_SHARE = 0.25  # peak RSS above this share of the machine's memory
MIN_REQUESTS_FOR_TIMING = 10  # too few requests and the CPU share says nothing


class KnobGroup(StrEnum):
    """The analyzer's knobs grouped by the remedy they carry; ``bench tune --knob`` takes these."""

    JOBS = "jobs"  # MAX_PARALLEL_JOBS
    TTL = "ttl"  # CACHE_TTL, API_CACHE_TTL
    PACING = "pacing"  # RATE_LIMIT_REQUESTS_PER_MINUTE, BURST_SIZE
    CACHE = "cache"  # CACHE_BACKEND, GITHUB_API_CACHE_DIR
    API = "api"  # GITHUB_API_MODE: rest, or graphql (batched)


class Issue(StrEnum):
    """The guide's issue types the analyzer can observe."""

    RATE_LIMITED = "rate limited"
    HIGH_USAGE = "high API usage"
    MANY_CALLS = "many calls per run"
    LOW_HIT_RATE = "low cache hit rate"
    COLD_CACHE = "cold cache"
    CACHE_OFF = "cache off"
    RETRIES = "retries"
    PACED = "slowed by client-side pacing"
    CPU_BOUND = "slow: high CPU"
    NETWORK_BOUND = "slow: network latency"
    MEMORY = "memory"


@dataclass(frozen=True)
class Observation:
    """What one analysis showed. ``usage`` is the result's ``api_usage`` (the client's exact
    counters for this analysis); ``cache`` the cache's own counters over every level it looked
    up (empty when the cache is off)."""

    usage: dict[str, float]
    cache: dict[str, int]
    runs_analyzed: int
    wall_s: float
    cpu_s: float
    peak_rss_bytes: int
    memory_bytes: int
    cache_enabled: bool = True
    cache_backend: str = "file"
    jobs: int = 4

    def count(self, name: str) -> float:
        return float(self.usage.get(name, 0) or 0)

    @property
    def requests(self) -> int:
        return int(self.count("requests"))

    @property
    def quota_used_share(self) -> float | None:
        """Share of the primary quota used, from the last response's headers (None: unknown)."""
        limit, remaining = self.count("rate_limit_limit"), self.count("rate_limit_remaining")
        if limit <= 0 or remaining < 0:
            return None
        return (limit - remaining) / limit

    @property
    def lookups(self) -> int:
        return sum(self.cache.get(k, 0) for k in ("hits", "misses", "stale"))

    @property
    def hit_rate(self) -> float | None:
        """Share of cache lookups (every level) answered fresh, without a request."""
        return self.cache.get("hits", 0) / self.lookups if self.lookups else None

    @property
    def not_modified_share(self) -> float | None:
        """Share of the requests sent that were answered 304 (revalidations)."""
        return self.count("not_modified") / self.requests if self.requests else None

    @property
    def cpu_share(self) -> float | None:
        return self.cpu_s / self.wall_s if self.wall_s > 0 else None


@dataclass(frozen=True)
class Finding:
    """One issue found: what shows it, the guide's remedy, and the knobs to tune for it."""

    issue: Issue
    evidence: str
    remedy: str
    knobs: tuple[KnobGroup, ...] = ()


def diagnose(obs: Observation) -> tuple[Finding, ...]:
    """Every issue ``obs`` shows, in the guide's order (API usage, cache, slowness, memory)."""
    checks = (
        _rate_limited, _high_usage, _many_calls, _cache, _retries, _paced, _slow, _memory,
    )  # fmt: skip
    return tuple(f for check in checks if (f := check(obs)) is not None)


def _rate_limited(obs: Observation) -> Finding | None:
    limited, waits = obs.count("rate_limited_responses"), obs.count("rate_limit_waits")
    exhausted = obs.count("rate_limit_limit") > 0 and obs.count("rate_limit_remaining") == 0
    if not (limited or waits or exhausted):
        return None
    evidence = (
        f"{limited:.0f} rate-limited response(s), {waits:.0f} wait(s) for the server "
        f"({obs.count('rate_limit_wait_s'):.1f} s); {_quota(obs)}"
    )
    remedy = (
        "a longer cache TTL (the guide: 300 -> 1800 s), a GitHub App token (5,000 -> 15,000 "
        "requests/h), and client-side pacing below the server's limit"
    )
    return Finding(Issue.RATE_LIMITED, evidence, remedy, (KnobGroup.PACING, KnobGroup.TTL))


def _high_usage(obs: Observation) -> Finding | None:
    used = obs.quota_used_share
    if used is None or used <= USAGE_ALERT or obs.count("rate_limit_remaining") == 0:
        return None  # an exhausted quota is already "rate limited"
    counted = obs.requests - obs.count("not_modified")  # 304s do not count against the quota
    left = obs.count("rate_limit_remaining")
    runs_left = f"{left / counted:.0f} more run(s) like this one" if counted else "no estimate"
    evidence = (
        f"{used:.0%} of the quota used (alert above {USAGE_ALERT:.0%}); {_quota(obs)}; this "
        f"run spent {counted:.0f}, so the quota lasts {runs_left} until its reset"
    )
    remedy = (
        "a longer cache TTL, request batching through GraphQL, and staggered schedules so "
        "runs do not share one window"
    )
    return Finding(
        Issue.HIGH_USAGE, evidence, remedy, (KnobGroup.TTL, KnobGroup.API, KnobGroup.PACING)
    )


def _many_calls(obs: Observation) -> Finding | None:
    if obs.runs_analyzed <= 0 or obs.requests == 0:
        return None
    per_run = obs.requests / obs.runs_analyzed
    if per_run <= REQUESTS_PER_RUN_HIGH:
        return None
    evidence = (
        f"{obs.requests} requests for {obs.runs_analyzed} runs ({per_run:.2f} a run; the "
        f"least is about 1.01 cold, 0 warm)"
    )
    remedy = "request batching through GraphQL and fewer calls per detail; a longer cache TTL"
    return Finding(Issue.MANY_CALLS, evidence, remedy, (KnobGroup.API, KnobGroup.TTL))


def _cache(obs: Observation) -> Finding | None:
    if not obs.cache_enabled:
        return Finding(
            Issue.CACHE_OFF,
            f"ENABLE_CACHE is false: all {obs.requests} requests went to the API",
            "switch the cache on (ENABLE_CACHE=true) with a persistent backend",
            (KnobGroup.CACHE, KnobGroup.TTL),
        )
    rate = obs.hit_rate
    if rate is None:
        return None
    found = obs.cache.get("hits", 0) + obs.cache.get("stale", 0)
    if found == 0:
        return _cold(obs)
    if rate >= HIT_RATE_ALERT:
        return None
    share = obs.not_modified_share
    revalidated = f"; {share:.0%} of the requests were 304 revalidations" if share else ""
    evidence = (
        f"{obs.cache.get('hits', 0)} of {obs.lookups} lookups answered fresh ({rate:.0%}, alert "
        f"below {HIT_RATE_ALERT:.0%}); {obs.cache.get('stale', 0)} found expired{revalidated}"
    )
    remedy = (
        "a TTL at least as long as the time between runs, stable cache keys (no timestamps), "
        "and pre-warming before the run (bench analyze --warm)"
    )
    return Finding(Issue.LOW_HIT_RATE, evidence, remedy, (KnobGroup.TTL, KnobGroup.CACHE))


def _cold(obs: Observation) -> Finding:
    where = (
        "the memory backend starts empty in every process"
        if obs.cache_backend == "memory"
        else "no entry was found: a first run, or the cache was emptied"
    )
    return Finding(
        Issue.COLD_CACHE,
        f"0 of {obs.lookups} lookups found an entry ({where}); the hit rate shows from the "
        "second run on",
        "a persistent backend (file on a RAM disk, or Redis when machines share one) and "
        "pre-warming (bench analyze --warm)",
        (KnobGroup.CACHE,),
    )


def _retries(obs: Observation) -> Finding | None:
    retries = obs.count("retries")
    if not retries:
        return None
    kinds = ", ".join(f"{obs.count(f'retries_{k}'):.0f} {k}" for k in ("5xx", "connection", "body"))
    evidence = f"{retries:.0f} request(s) retried ({kinds})"
    remedy = "check the network path and proxy settings; fewer parallel jobs if the server strains"
    return Finding(Issue.RETRIES, evidence, remedy, (KnobGroup.JOBS,))


def _paced(obs: Observation) -> Finding | None:
    # Waits are summed over the fetching threads, so they can add up past the wall time.
    waited = obs.count("limiter_wait_s")
    if obs.wall_s <= 0 or waited <= PACED_SHARE * obs.wall_s:
        return None
    evidence = (
        f"{obs.count('limiter_waits'):.0f} wait(s) on the client's own token bucket, "
        f"{waited:.1f} s summed over the threads, in {obs.wall_s:.1f} s of wall time"
    )
    remedy = "raise RATE_LIMIT_REQUESTS_PER_MINUTE and BURST_SIZE to what the server's limit allows"
    return Finding(Issue.PACED, evidence, remedy, (KnobGroup.PACING,))


def _slow(obs: Observation) -> Finding | None:
    share = obs.cpu_share
    if share is None or obs.requests < MIN_REQUESTS_FOR_TIMING:
        return None
    waits = obs.count("limiter_wait_s") + obs.count("rate_limit_wait_s")
    timing = f"CPU {obs.cpu_s:.2f} s over {obs.wall_s:.2f} s of wall time ({share:.0%})"
    if share >= CPU_BOUND_SHARE:
        return Finding(
            Issue.CPU_BOUND,
            f"{timing}: one core busy",
            "jobs matched to the cores (more threads only contend), nice or taskset",
            (KnobGroup.JOBS,),
        )
    if share < NETWORK_BOUND_SHARE and waits < 0.5 * obs.wall_s:
        return Finding(
            Issue.NETWORK_BOUND,
            f"{timing}: mostly waiting on responses ({obs.requests} requests, {obs.jobs} jobs)",
            "more parallel jobs, a longer TTL, batched requests",
            (KnobGroup.JOBS, KnobGroup.TTL),
        )
    return None


def _memory(obs: Observation) -> Finding | None:
    if obs.memory_bytes <= 0 or obs.peak_rss_bytes <= MEMORY_SHARE * obs.memory_bytes:
        return None
    evidence = (
        f"peak RSS {obs.peak_rss_bytes / 2**20:.0f} MiB, "
        f"{obs.peak_rss_bytes / obs.memory_bytes:.0%} of the machine's memory"
    )
    remedy = "fewer jobs, a smaller WORKFLOW_ANALYSIS_LIMIT (the guide: 25)"
    # WORKFLOW_ANALYSIS_LIMIT decides what is analyzed: the remedy names it, no tune sweeps it.
    return Finding(Issue.MEMORY, evidence, remedy, (KnobGroup.JOBS,))


def _quota(obs: Observation) -> str:
    limit, remaining = obs.count("rate_limit_limit"), obs.count("rate_limit_remaining")
    if limit <= 0:
        return "quota unknown (no response carried x-ratelimit headers)"
    return f"{remaining:.0f} of {limit:.0f} requests left in the window"
