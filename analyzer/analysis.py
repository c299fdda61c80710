"""Per-workflow statistics, aggregated as runs and their jobs stream past.

Memory is O(workflows), never O(runs): counts and sums, a bounded quantile sketch per series
(:mod:`analyzer.quantiles`) and bounded top-k heaps of the slowest jobs. Every aggregate
depends only on the multiset of runs, and sums are taken in list order, so the result does not
depend on how many threads fetched the jobs.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from analyzer.quantiles import METHOD, QuantileSketch
from analyzer.records import AnalysisResult, SlowJob, WorkflowStats

SLOWEST_PER_WORKFLOW = 5
SLOWEST_OVERALL = 10
Run = dict[str, Any]
Job = dict[str, Any]


class TopK:
    """The ``k`` largest items by (duration, job id); a bounded min-heap."""

    def __init__(self, k: int) -> None:
        self.k = k
        self._heap: list[tuple[float, int, SlowJob]] = []

    def offer(self, job: SlowJob) -> None:
        item = (job.duration_s, job.job_id, job)
        if len(self._heap) < self.k:
            heapq.heappush(self._heap, item)
        elif item[:2] > self._heap[0][:2]:
            heapq.heapreplace(self._heap, item)

    def largest(self) -> tuple[SlowJob, ...]:
        return tuple(job for _, _, job in sorted(self._heap, key=lambda i: i[:2], reverse=True))


class WorkflowAccumulator:
    """Running aggregates of one workflow."""

    def __init__(self, name: str, workflow_id: int) -> None:
        self.name, self.workflow_id = name, workflow_id
        self.runs = self.completed = self.reruns = self.jobs = 0
        self.conclusions: dict[str, int] = {}
        self.duration_sum = self.duration_max = self.queue_sum = 0.0
        self.durations, self.queues = QuantileSketch(), QuantileSketch()
        self.slowest = TopK(SLOWEST_PER_WORKFLOW)

    def add_run(self, run: Run) -> None:
        self.runs += 1
        if (run.get("run_attempt") or 1) > 1:
            self.reruns += 1
        if run.get("status") != "completed":
            return
        self.completed += 1
        conclusion = run.get("conclusion") or "none"
        self.conclusions[conclusion] = self.conclusions.get(conclusion, 0) + 1
        duration = run_duration_s(run)
        self.duration_sum += duration
        self.duration_max = max(self.duration_max, duration)
        self.durations.add(duration)

    def add_job(self, job: Job, run_id: int) -> SlowJob | None:
        """Count one job; returns it as a :class:`SlowJob` candidate when it has a duration."""
        self.jobs += 1
        queue = _seconds_between(job.get("created_at"), job.get("started_at"))
        if queue is not None:
            self.queue_sum += queue
            self.queues.add(queue)
        duration = _seconds_between(job.get("started_at"), job.get("completed_at"))
        if duration is None:
            return None
        slow = SlowJob(self.name, str(job.get("name", "")), run_id, int(job["id"]), duration)
        self.slowest.offer(slow)
        return slow

    def stats(self) -> WorkflowStats:
        done = self.completed
        return WorkflowStats(
            name=self.name,
            workflow_id=self.workflow_id,
            runs=self.runs,
            completed=done,
            success_rate=self._rate("success"),
            failure_rate=self._rate("failure"),
            cancelled_rate=self._rate("cancelled"),
            mean_duration_s=self.duration_sum / done if done else None,
            p50_duration_s=self.durations.quantile(0.5),
            p90_duration_s=self.durations.quantile(0.9),
            max_duration_s=self.duration_max if done else None,
            queue_mean_s=self.queue_sum / self.queues.count if self.queues.count else None,
            queue_p90_s=self.queues.quantile(0.9),
            rerun_rate=self.reruns / self.runs if self.runs else 0.0,
            jobs=self.jobs,
            slowest_jobs=self.slowest.largest(),
        )

    def _rate(self, conclusion: str) -> float | None:
        return self.conclusions.get(conclusion, 0) / self.completed if self.completed else None


class RepositoryAggregator:
    """Feeds runs (with their jobs) to one accumulator per workflow."""

    def __init__(self, repo: str) -> None:
        self.repo = repo
        self.runs = self.jobs = 0
        self._workflows: dict[int, WorkflowAccumulator] = {}
        self._slowest = TopK(SLOWEST_OVERALL)

    def add(self, run: Run, jobs: Iterable[Job] = ()) -> None:
        self.runs += 1
        workflow_id = int(run.get("workflow_id") or 0)
        acc = self._workflows.get(workflow_id)
        if acc is None:
            name = run.get("name") or str(workflow_id)
            acc = self._workflows[workflow_id] = WorkflowAccumulator(name, workflow_id)
        acc.add_run(run)
        for job in jobs:
            self.jobs += 1
            slow = acc.add_job(job, int(run["id"]))
            if slow is not None:
                self._slowest.offer(slow)

    def result(self, generated_at: str = "") -> AnalysisResult:
        ordered = sorted(self._workflows.values(), key=lambda a: (a.name, a.workflow_id))
        return AnalysisResult(
            repo=self.repo,
            runs_analyzed=self.runs,
            jobs_analyzed=self.jobs,
            workflows=tuple(acc.stats() for acc in ordered),
            slowest_jobs=self._slowest.largest(),
            generated_at=generated_at,
            quantile_method=METHOD,
        )


def analyze_runs(runs: Iterable[Run], repo: str = "") -> list[WorkflowStats]:
    """Per-workflow statistics of runs without their jobs, sorted by name; one pass."""
    aggregator = RepositoryAggregator(repo)
    for run in runs:
        aggregator.add(run)
    return list(aggregator.result().workflows)


def run_duration_s(run: Run) -> float:
    """Wall time of a run: from its start (or creation) to its last update."""
    start = run.get("run_started_at") or run["created_at"]
    return _seconds_between(start, run["updated_at"]) or 0.0


def _seconds_between(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    delta = (_parse(end) - _parse(start)).total_seconds()
    return max(0.0, delta)


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)
