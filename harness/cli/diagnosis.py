"""``bench analyze --diagnose`` and ``--fail-on``: one real analysis, observed, then judged.

The analysis runs as ``bench analyze`` would run it, except that the report cache is skipped
(a report served from it has no counters to judge) and the built-in mock runs in its own
process, so the CPU time measured is the analyzer's alone. The observation is the client's
exact counters, the cache's counters over every level, CPU and wall time and the process's
peak RSS; :mod:`analyzer.diagnose` turns it into findings and :mod:`analyzer.alerts` into
crossed alerts. This module renders both; the ``bench tune`` command that would test a
finding is made here, where the analyzer meets the harness.
"""

from __future__ import annotations

import json
import resource
import shlex
import time
from dataclasses import dataclass
from typing import Any

import psutil

from analyzer.alerts import Alert, crossed, describe
from analyzer.config import Config
from analyzer.diagnose import Finding, Observation, diagnose
from analyzer.records import AnalysisResult
from analyzer.service import analyze_repository, open_client


@dataclass(frozen=True)
class Observed:
    """One observed analysis: what it measured, its result, and where it ran."""

    observation: Observation
    result: AnalysisResult
    config: Config
    target: str


def observe_analysis(repo: str, config: Config, target: str) -> Observed:
    """Analyze ``repo`` once (no report cache) and observe it."""
    client = open_client(config)
    try:
        cache_before = client.cache.counters.snapshot() if client.cache else {}
        wall, cpu = time.perf_counter(), time.process_time()
        result = analyze_repository(repo, config, client)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        cache_after = client.cache.counters.snapshot() if client.cache else {}
    finally:
        client.close()
        if client.cache is not None:
            client.cache.close()
    cache = {k: v - cache_before.get(k, 0) for k, v in cache_after.items()}
    observation = Observation(
        usage=dict(result.api_usage),
        cache=cache,
        runs_analyzed=result.runs_analyzed,
        wall_s=wall,
        cpu_s=cpu,
        peak_rss_bytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,  # KiB on Linux
        memory_bytes=_memory_bytes(),
        cache_enabled=config.enable_cache,
        cache_backend=config.cache_backend,
        jobs=config.max_parallel_jobs,
    )
    return Observed(observation, result, config, target)


def _memory_bytes() -> int:
    return int(psutil.virtual_memory().total)


def tune_command(repo: str, finding: Finding, api_url: str | None) -> str:
    """The ``bench tune`` command that sweeps the knobs of ``finding``."""
    words = ["bench", "tune", repo]
    if api_url:
        words += ["--api-url", api_url]
    for knob in finding.knobs:
        words += ["--knob", knob.value]
    return shlex.join(words)


def measures(obs: Observation) -> dict[str, Any]:
    """The observation's measures, rounded for people and scripts alike."""
    share = obs.quota_used_share
    return {
        "requests": obs.requests,
        "runs_analyzed": obs.runs_analyzed,
        "requests_per_run": round(obs.requests / obs.runs_analyzed, 3)
        if obs.runs_analyzed
        else None,
        "rate_limit_waits": int(obs.count("rate_limit_waits")),
        "rate_limited_responses": int(obs.count("rate_limited_responses")),
        "rate_limit_remaining": int(obs.count("rate_limit_remaining")),
        "rate_limit_limit": int(obs.count("rate_limit_limit")),
        "quota_used": None if share is None else round(share, 4),
        "cache_lookups": obs.lookups,
        "cache_hit_rate": None if obs.hit_rate is None else round(obs.hit_rate, 4),
        "not_modified_share": None
        if obs.not_modified_share is None
        else round(obs.not_modified_share, 4),
        "retries": int(obs.count("retries")),
        "limiter_wait_s": round(obs.count("limiter_wait_s"), 3),
        "wall_s": round(obs.wall_s, 3),
        "cpu_s": round(obs.cpu_s, 3),
        "peak_rss_mib": round(obs.peak_rss_bytes / 2**20, 1),
    }


def render_json(observed: Observed, api_url: str | None, alerts: tuple[Alert, ...]) -> str:
    obs, repo = observed.observation, observed.result.repo
    document = {
        "repository": repo,
        "target": observed.target,
        "observed": measures(obs),
        "findings": [
            {
                "issue": f.issue.value,
                "evidence": f.evidence,
                "remedy": f.remedy,
                "knobs": [k.value for k in f.knobs],
                "command": tune_command(repo, f, api_url),
            }
            for f in diagnose(obs)
        ],
        "alerts": [
            {"alert": str(a), "crossed": a in crossed(alerts, obs), "observed": describe(a, obs)}
            for a in alerts
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def render_text(observed: Observed, api_url: str | None) -> str:
    obs, repo = observed.observation, observed.result.repo
    rate = "n/a" if obs.hit_rate is None else f"{obs.hit_rate:.0%}"
    lines = [
        f"diagnosis of {repo} ({observed.target}): {obs.requests} requests for "
        f"{obs.runs_analyzed} runs in {obs.wall_s:.2f} s (CPU {obs.cpu_s:.2f} s), cache hit "
        f"rate {rate}, peak RSS {obs.peak_rss_bytes / 2**20:.0f} MiB",
    ]
    findings = diagnose(obs)
    if not findings:
        lines.append("no issue found: nothing in this run's counters calls for tuning")
    for finding in findings:
        lines += [
            f"* {finding.issue.value}: {finding.evidence}",
            f"    remedy: {finding.remedy}",
        ]
        if finding.knobs:
            lines.append(f"    test it: {tune_command(repo, finding, api_url)}")
    return "\n".join(lines) + "\n"
