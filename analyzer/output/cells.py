"""Cell formatting shared by the console and Markdown reports."""

from __future__ import annotations

from typing import Any

from analyzer.records import WorkflowStats

WORKFLOW_COLUMNS = (
    "Workflow",
    "Runs",
    "Success",
    "Failure",
    "Cancelled",
    "Mean",
    "p50",
    "p90",
    "Max",
    "Queue",
    "Re-run",
    "Flags",
)


def duration(seconds: float | None) -> str:
    """``42.1s``, ``12m05s`` or ``1h02m``; ``-`` when unknown."""
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


def workflow_row(stats: WorkflowStats) -> tuple[str, ...]:
    return (
        stats.name,
        str(stats.runs),
        percent(stats.success_rate),
        percent(stats.failure_rate),
        percent(stats.cancelled_rate),
        duration(stats.mean_duration_s),
        duration(stats.p50_duration_s),
        duration(stats.p90_duration_s),
        duration(stats.max_duration_s),
        duration(stats.queue_mean_s),
        percent(stats.rerun_rate),
        ", ".join(stats.flags) or "-",
    )


def usage_lines(usage: dict[str, Any]) -> list[tuple[str, str]]:
    """The API-usage summary as (label, value) pairs."""
    remaining = usage.get("rate_limit_remaining", -1)
    return [
        ("HTTP requests", str(usage.get("requests", 0))),
        ("304 Not Modified", str(usage.get("not_modified", 0))),
        ("cache hits", str(usage.get("cache_hits", 0))),
        ("cache hit rate", percent(float(usage.get("cache_hit_rate", 0.0)))),
        ("retries", str(usage.get("retries", 0))),
        (
            "rate-limit waits",
            f"{usage.get('rate_limit_waits', 0)} ({usage.get('rate_limit_wait_s', 0.0):.1f} s)",
        ),
        (
            "client pacing waits",
            f"{usage.get('limiter_waits', 0)} ({usage.get('limiter_wait_s', 0.0):.1f} s)",
        ),
        ("remaining quota", "unknown" if remaining == -1 else str(remaining)),
        ("GraphQL requests", str(usage.get("graphql_requests", 0))),
        ("GraphQL points", str(usage.get("graphql_points", 0))),
    ]
