"""Streaming aggregation: rates, durations, queue time, re-runs, flags, top-k."""

from __future__ import annotations

import pytest

from analyzer import RepositoryAggregator, analyze_runs
from analyzer.analysis import TopK
from analyzer.records import SlowJob


def run(rid: int, wf: int, name: str, minutes: float, conclusion: str = "success", **extra):
    end = int(minutes * 60)
    return {
        "id": rid,
        "workflow_id": wf,
        "name": name,
        "status": "completed",
        "conclusion": conclusion,
        "created_at": "2026-01-01T00:00:00Z",
        "run_started_at": "2026-01-01T00:00:10Z",
        "updated_at": f"2026-01-01T{(10 + end) // 3600:02d}:{(10 + end) % 3600 // 60:02d}:"
        f"{(10 + end) % 60:02d}Z",
        **extra,
    }


def test_rates_durations_and_flags() -> None:
    runs = [run(i, 1, "Build", 20, "success" if i < 8 else "failure") for i in range(10)]
    runs += [run(100 + i, 2, "Lint", 1) for i in range(4)]
    runs.append(run(200, 2, "Lint", 3, "cancelled", run_attempt=2))
    runs.append({**run(201, 2, "Lint", 1), "status": "in_progress", "conclusion": None})
    build, lint = analyze_runs(runs)
    assert (build.name, build.runs, build.completed) == ("Build", 10, 10)
    assert build.success_rate == 0.8 and build.failure_rate == 0.2 and build.cancelled_rate == 0
    assert build.mean_duration_s == 1200 and build.p50_duration_s == 1200
    assert build.flags == ("slow", "unreliable")
    assert (lint.runs, lint.completed) == (6, 5)
    assert lint.success_rate == 0.8 and lint.cancelled_rate == 0.2
    assert lint.mean_duration_s == pytest.approx((4 * 60 + 180) / 5)
    assert lint.max_duration_s == 180
    assert lint.p90_duration_s == pytest.approx(180 - 0.4 * 120)  # numpy's linear rule
    assert lint.rerun_rate == pytest.approx(1 / 6)
    assert lint.flags == ("unreliable",)


def test_jobs_give_queue_time_and_slowest_jobs() -> None:
    aggregator = RepositoryAggregator("o/r")
    for rid in range(1, 9):
        jobs = [
            {
                "id": rid * 10 + k,
                "name": f"test-{k}",
                "created_at": "2026-01-01T00:00:00Z",
                "started_at": f"2026-01-01T00:00:{rid:02d}Z",
                "completed_at": f"2026-01-01T00:{rid + k:02d}:{rid:02d}Z",
            }
            for k in range(2)
        ]
        aggregator.add(run(rid, 1, "CI", 5), jobs)
    result = aggregator.result()
    (ci,) = result.workflows
    assert result.jobs_analyzed == ci.jobs == 16
    assert ci.queue_mean_s == pytest.approx(4.5)
    assert [j.job_id for j in ci.slowest_jobs] == [81, 80, 71, 70, 61]  # ties: higher id first
    assert ci.slowest_jobs[0] == SlowJob("CI", "test-1", 8, 81, 540.0)
    assert len(result.slowest_jobs) == 10


def test_top_k_keeps_the_largest_whatever_the_order() -> None:
    jobs = [SlowJob("w", "j", 1, i, float(i % 7)) for i in range(50)]
    forward, backward = TopK(3), TopK(3)
    for job in jobs:
        forward.offer(job)
    for job in reversed(jobs):
        backward.offer(job)
    assert forward.largest() == backward.largest()
    assert [j.job_id for j in forward.largest()] == [48, 41, 34]
