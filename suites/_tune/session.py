"""One ``bench tune``: identify the conditions, propose a value per knob, validate the whole.

Everything runs against one mock server process (the mock's CPU never competes with the
measured client), configured per step through its control API. With ``api_url`` the
conditions are probed on that API first, within the request budget, and the mock then
imitates them; without it, the mock's own latency and limits are the conditions.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from analyzer import Config
from analyzer.cache import CacheUnavailable
from analyzer.config import knob_for
from analyzer.diagnose import KnobGroup
from analyzer.errors import ApiError
from mockgithub import MockConfig, ServerProcess, spawn_server
from suites._tune.conditions import (
    PROBES,
    ApiConditions,
    Machine,
    cache_locations,
    measure_cache,
    measure_machine,
    probe_api,
    runs_for_budget,
)
from suites._tune.rules import CachePoint, Limits, Pacing, jobs_cap, pacing_bound
from suites._tune.sweeps import (
    JOBS,
    PACING_WINDOW_S,
    REPEATS,
    TOKEN,
    Sweep,
    sweep_api,
    sweep_cache,
    sweep_jobs,
    sweep_pacing,
    sweep_ttl,
)
from suites._tune.validate import SAMPLES, Validation, validate

ALL_KNOBS = (KnobGroup.JOBS, KnobGroup.PACING, KnobGroup.API, KnobGroup.TTL, KnobGroup.CACHE)
TTL_RUNS = 10  # requests per hour scale with the runs; the TTL choice does not
TTL_REQUESTS_PER_RUN = 27  # at most, summed over the TTLs simulated (see plan_runs)
VALIDATE_BUDGET_S = 60.0

Log = Callable[[str], None]


@dataclass(frozen=True)
class TuneRequest:
    """What to tune for; ``current`` is the configuration in force (the A of the A/B)."""

    repo: str
    current: Config
    api_url: str | None = None
    token: str | None = None
    budget: int = 5000
    latency_ms: float = 100.0
    rate_limit: str = "5000/3600"
    knobs: tuple[KnobGroup, ...] = ALL_KNOBS
    interval_s: float = 600.0
    max_staleness_s: float = 1800.0
    validate_budget_s: float = VALIDATE_BUDGET_S


@dataclass(frozen=True)
class Conditions:
    """The situation tuned for."""

    source: str
    latency_ms: float
    limits: Limits
    runs_available: int
    machine: Machine
    api_requests: int  # spent on the API of --api-url (0 for the mock)


@dataclass(frozen=True)
class TuneOutcome:
    conditions: Conditions
    runs: int
    sweeps: tuple[Sweep, ...]
    settings: dict[str, Any]  # knob environment name -> proposed value
    reasons: dict[str, str]  # knob environment name -> why
    validation: Validation | None
    notes: tuple[str, ...] = field(default_factory=tuple)


def run_tune(request: TuneRequest, log: Log) -> TuneOutcome:
    machine = measure_machine()
    api = _probe_api(request, log) if request.api_url else None
    limits = api.limits if api else _mock_limits(request.rate_limit)
    mock = MockConfig(
        repo=request.repo,
        runs=max(250, request.current.workflow_analysis_limit),
        rate_limit=f"{limits.limit}/{limits.window_s:g}",
    )
    with spawn_server(mock) as server:
        # The loopback's own round trip (client and mock, no latency injected): what the
        # mock adds to any latency it is given, so an API's round trip is imitated by the
        # difference.
        local = probe_api(server.base_url, request.repo, TOKEN)
        if api is None:
            latency_ms, runs_available, spent = request.latency_ms, local.runs_available, 0
        else:
            latency_ms = max(0.0, (api.latency_s - local.latency_s) * 1000)
            runs_available, spent = api.runs_available, api.requests_spent
            log(
                f"identify: round trip {api.latency_s * 1000:.1f} ms, of which the loopback's "
                f"own {local.latency_s * 1000:.1f} ms: the mock adds {latency_ms:.1f} ms"
            )
        server.configure(latency_ms=latency_ms)
        conditions = Conditions(
            request.api_url or "the mock", latency_ms, limits, runs_available, machine, spent
        )
        log(
            f"identify: latency {latency_ms:.1f} ms, limit {limits.limit}/{limits.window_s:g} s, "
            f"{runs_available} runs, {machine.cores} cores, "
            f"{machine.memory_bytes / 2**30:.1f} GiB"
        )
        return _propose_and_validate(request, server, conditions, log)


def _probe_api(request: TuneRequest, log: Log) -> ApiConditions:
    assert request.api_url is not None
    window = _mock_limits(request.rate_limit).window_s if request.rate_limit else None
    probes = min(PROBES, max(1, request.budget))
    api = probe_api(request.api_url, request.repo, request.token, probes, window)
    log(f"identify: {api.requests_spent} requests to {request.api_url}")
    return api


def _mock_limits(spec: str) -> Limits:
    limit, window = spec.split("/")
    return Limits(int(limit), float(window), 900)


def plan_runs(request: TuneRequest, conditions: Conditions) -> int:
    """Runs per analysis: the current limit, capped by the runs there are and the budget."""
    wanted = max(1, min(request.current.workflow_analysis_limit, conditions.runs_available))
    ttl_cost = (
        TTL_REQUESTS_PER_RUN * (min(wanted, TTL_RUNS) + 1) if KnobGroup.TTL in request.knobs else 0
    )
    analyses = (
        len(JOBS) * REPEATS * (KnobGroup.JOBS in request.knobs)
        + 2 * (REPEATS + 1) * (KnobGroup.API in request.knobs)
        + 2 * SAMPLES
    )
    left = request.budget - ttl_cost - conditions.api_requests
    return runs_for_budget(max(left, analyses * 2), analyses, wanted)


def _requests(runs: int) -> int:
    return runs + math.ceil(runs / 100)


def _propose_and_validate(
    request: TuneRequest, server: ServerProcess, conditions: Conditions, log: Log
) -> TuneOutcome:
    runs = plan_runs(request, conditions)
    notes: list[str] = []
    if runs < request.current.workflow_analysis_limit:
        notes.append(
            f"analyses of {runs} runs (WORKFLOW_ANALYSIS_LIMIT is "
            f"{request.current.workflow_analysis_limit}): the runs there are and "
            f"--budget {request.budget} allow no more"
        )
    settings: dict[str, Any] = {}
    reasons: dict[str, str] = {}
    sweeps: list[Sweep] = []
    user_requests = _requests(
        min(request.current.workflow_analysis_limit, conditions.runs_available)
    )
    bound = pacing_bound(conditions.limits, user_requests)
    pacing = Pacing(request.current.rate_limit_requests_per_minute, request.current.burst_size)
    if KnobGroup.PACING in request.knobs:
        pacing = _pacing(request, server, conditions, bound, user_requests, sweeps, notes, log)
        settings["RATE_LIMIT_REQUESTS_PER_MINUTE"], settings["BURST_SIZE"] = (
            pacing.rpm,
            pacing.burst,
        )
        reasons["RATE_LIMIT_REQUESTS_PER_MINUTE"] = (
            sweeps[-1].why if sweeps and sweeps[-1].knob is KnobGroup.PACING else notes[-1]
        )
        reasons["BURST_SIZE"] = f"one analysis of {user_requests} requests " + (
            "fits in one burst"
            if pacing.burst >= user_requests
            else "cannot fit in a window: the smallest burst waits least"
        )
    if KnobGroup.JOBS in request.knobs:
        log("propose MAX_PARALLEL_JOBS:")
        sweep = sweep_jobs(server, request.repo, runs, conditions.latency_ms, log)
        sweeps.append(sweep)
        cap = jobs_cap(pacing, user_requests, conditions.latency_ms / 1000)
        settings["MAX_PARALLEL_JOBS"] = min(int(sweep.chosen), cap)
        reasons["MAX_PARALLEL_JOBS"] = sweep.why + (
            f"; capped at {cap}: the pacing lets out only {pacing.rpm}/min, so more jobs "
            "would wait on it"
            if cap < int(sweep.chosen)
            else ""
        )
    if KnobGroup.API in request.knobs:
        _api(request, server, conditions, runs, settings, reasons, sweeps, notes, log)
    if KnobGroup.TTL in request.knobs:
        log("propose CACHE_TTL and API_CACHE_TTL:")
        sweep = sweep_ttl(
            server,
            request.repo,
            min(runs, TTL_RUNS),
            request.interval_s,
            request.max_staleness_s,
            log,
        )
        sweeps.append(sweep)
        settings["CACHE_TTL"] = settings["API_CACHE_TTL"] = int(sweep.chosen)
        reasons["CACHE_TTL"] = reasons["API_CACHE_TTL"] = sweep.why
    if KnobGroup.CACHE in request.knobs:
        log("propose CACHE_BACKEND and GITHUB_API_CACHE_DIR:")
        sweep = sweep_cache(_cache_points(request.current, notes), log)
        sweeps.append(sweep)
        chosen: CachePoint = sweep.chosen
        settings["CACHE_BACKEND"] = chosen.backend
        reasons["CACHE_BACKEND"] = sweep.why
        if chosen.directory and not _same_place(chosen.directory, request.current):
            settings["GITHUB_API_CACHE_DIR"] = f"{chosen.directory.rstrip('/')}/github-api-cache"
            reasons["GITHUB_API_CACHE_DIR"] = sweep.why
    validation = _validate(request, server, conditions, settings, runs, log)
    return TuneOutcome(conditions, runs, tuple(sweeps), settings, reasons, validation, tuple(notes))


def _api(
    request: TuneRequest,
    server: ServerProcess,
    conditions: Conditions,
    runs: int,
    settings: dict[str, Any],
    reasons: dict[str, str],
    sweeps: list[Sweep],
    notes: list[str],
    log: Log,
) -> None:
    log("propose GITHUB_API_MODE:")
    jobs = int(settings.get("MAX_PARALLEL_JOBS", request.current.max_parallel_jobs))
    try:
        sweep = sweep_api(server, request.repo, runs, conditions.latency_ms, jobs, log)
    except ApiError as exc:  # the mock cannot serve GraphQL without GitHub's schema
        notes.append(f"REST vs GraphQL: not swept ({exc})")
        return
    sweeps.append(sweep)
    settings["GITHUB_API_MODE"] = sweep.chosen
    reasons["GITHUB_API_MODE"] = sweep.why


def _same_place(directory: str, current: Config) -> bool:
    """Whether the current cache directory already lies in ``directory``."""
    parent = os.path.realpath(os.path.dirname(current.github_api_cache_dir.rstrip("/")))
    return parent == os.path.realpath(directory)


def _cache_points(current: Config, notes: list[str]) -> list[CachePoint]:
    points = [
        measure_cache(label, "file", place, None)
        for label, place in cache_locations(current.github_api_cache_dir)
    ]
    points.append(measure_cache("memory", "memory", None, None))
    try:
        points.append(measure_cache("redis", "redis", None, current.redis_url))
    except CacheUnavailable:
        notes.append(f"redis: not measured ({current.redis_url} unreachable)")
    return points


def _pacing(
    request: TuneRequest,
    server: ServerProcess,
    conditions: Conditions,
    bound: Pacing,
    user_requests: int,
    sweeps: list[Sweep],
    notes: list[str],
    log: Log,
) -> Pacing:
    limits = conditions.limits
    per_window = user_requests * max(1.0, limits.window_s / request.interval_s)
    if per_window <= limits.usable / 2:
        notes.append(
            f"pacing: not swept; analyses of {user_requests} requests every "
            f"{request.interval_s:.0f} s use {per_window:.0f} of {limits.limit} per "
            f"{limits.window_s:g} s, so the bound ({bound.rpm}/min in bursts of "
            f"{bound.burst}) never binds one analysis"
        )
        log(f"propose RATE_LIMIT_REQUESTS_PER_MINUTE and BURST_SIZE: {notes[-1]}")
        return bound
    log("propose RATE_LIMIT_REQUESTS_PER_MINUTE (time compressed):")
    sweep = sweep_pacing(server, request.repo, conditions.latency_ms, limits, bound, log)
    sweeps.append(sweep)
    return Pacing(int(sweep.chosen), bound.burst)


def validation_scale(limits: Limits, requests_per_side: int) -> float:
    """1 (real time) when the validating run cannot reach the server's limit; else windows are
    compressed to :data:`PACING_WINDOW_S` so the limit is met within the run."""
    if requests_per_side <= limits.usable:
        return 1.0
    return max(1.0, limits.window_s / PACING_WINDOW_S)


def _estimate_s(
    config: Config, requests: int, latency_s: float, limits: Limits, scale: float
) -> float:
    """A rough duration of one sample, for sizing the validation (never for judging it)."""
    paced = Pacing(config.rate_limit_requests_per_minute, config.burst_size)
    waits = 0.0
    if paced.rpm:
        waits = max(0, requests - paced.burst) / (paced.rpm * scale / 60)
    if paced.allows_in(limits.window_s / scale) > limits.limit:
        waits += (requests // limits.limit) * (limits.window_s / scale + 1)
    return waits + requests * latency_s / config.max_parallel_jobs + 0.05


def _validate(
    request: TuneRequest,
    server: ServerProcess,
    conditions: Conditions,
    settings: dict[str, Any],
    runs: int,
    log: Log,
) -> Validation | None:
    proposed = request.current.updated(**{_attr(k): v for k, v in settings.items()})
    if proposed == request.current:
        return None
    limits, latency_s = conditions.limits, conditions.latency_ms / 1000
    scale = validation_scale(limits, SAMPLES * _requests(runs))
    per_sample = request.validate_budget_s / (2 * SAMPLES)
    sized = runs
    while (
        sized > 1
        and max(
            _estimate_s(c, _requests(sized), latency_s, limits, scale)
            for c in (request.current, proposed)
        )
        > per_sample
    ):
        sized = max(1, int(sized * 0.8))
    scale = validation_scale(limits, SAMPLES * _requests(sized))
    window = limits.window_s / scale
    server.configure(
        latency_ms=conditions.latency_ms,
        rate_limit=f"{limits.limit}/{window:g}",
        secondary_rate_limit=f"{limits.secondary_per_minute}/{60 / scale:g}",
    )
    where = f"time compressed x{scale:g}: windows of {window:g} s" if scale > 1 else "real time"
    log(f"validate: {SAMPLES} analyses of {sized} runs per side, interleaved ({where}):")
    return validate(
        server, request.repo, request.current, proposed, runs=sized, scale=scale, log=log
    )


def _attr(env: str) -> str:
    return knob_for(env).attr
