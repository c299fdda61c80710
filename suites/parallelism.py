"""MAX_PARALLEL_JOBS swept at a fixed server latency: wall time, throughput, efficiency, knee."""

from __future__ import annotations

import math
import time

from analyzer.records import AnalysisResult
from analyzer.service import analyze_repository
from suites._common import BULK_MOCK, analyzer_config, cache_dir, configure_mock
from suites._mock import REPO

LATENCY_MS = 20.0
JOBS = list(range(1, 17))
KNEE_JOBS = [1, 2, 4, 8, 16]
KNEE_SHARE = 0.9  # the knee: the fewest jobs reaching 90% of the best throughput


def _requests(runs: int) -> int:
    return math.ceil(runs / 100) + runs


def ideal_s(runs: int, jobs: int) -> float:
    """The issue's ideal: every request waits the latency, ``jobs`` at a time."""
    return math.ceil(_requests(runs) / jobs) * LATENCY_MS / 1000


def knee(throughputs: dict[int, float], share: float = KNEE_SHARE) -> int:
    """The fewest jobs whose throughput reaches ``share`` of the best one."""
    best = max(throughputs.values())
    return min(jobs for jobs, value in throughputs.items() if value >= share * best)


class Sweep:
    """A cold analysis (no cache) of N runs and their jobs at 20 ms of server latency."""

    params = [JOBS, [50, 200]]
    param_names = ["jobs", "runs"]
    quick_params = {"jobs": [1, 4, 16], "runs": [50]}
    number = 1
    repeat = 5
    timeout = 240
    metric_units = {"throughput": "req/s", "efficiency": "ratio"}
    metric_directions = {"throughput": "higher", "efficiency": "higher"}

    def setup(self, jobs: int, runs: int) -> None:
        configure_mock(latency_ms=LATENCY_MS, **BULK_MOCK)
        self.dir = cache_dir()
        self.config = analyzer_config(
            self.dir.name, workflow_analysis_limit=runs, max_parallel_jobs=jobs, enable_cache=False
        )
        self.result: AnalysisResult | None = None
        self.elapsed = 0.0

    def teardown(self, jobs: int, runs: int) -> None:
        self.dir.cleanup()

    def time_analysis(self, jobs: int, runs: int) -> None:
        start = time.perf_counter()
        self.result = analyze_repository(REPO, self.config)
        self.elapsed = time.perf_counter() - start

    def counters(self) -> dict[str, int]:
        return {"requests": int(self.result.api_usage["requests"])} if self.result else {}

    def sampled_metrics(self) -> dict[str, float]:
        runs, jobs = self.config.workflow_analysis_limit, self.config.max_parallel_jobs
        return {
            "throughput": _requests(runs) / self.elapsed,
            "efficiency": ideal_s(runs, jobs) / self.elapsed,
        }


class Knee:
    """The recommended job count: where more jobs stop paying (a sweep of 32 runs per point)."""

    runs = 32
    repeat = 3
    timeout = 240
    metric_units = {f"speedup_{j}": "x" for j in KNEE_JOBS}
    metric_directions = {f"speedup_{j}": "higher" for j in KNEE_JOBS}

    def setup(self) -> None:
        configure_mock(latency_ms=LATENCY_MS, **BULK_MOCK)
        self.dir = cache_dir()
        self.speedups: dict[int, float] = {}

    def teardown(self) -> None:
        self.dir.cleanup()

    def _throughput(self, jobs: int) -> float:
        config = analyzer_config(
            self.dir.name, workflow_analysis_limit=self.runs, max_parallel_jobs=jobs,
            enable_cache=False,
        )  # fmt: skip
        start = time.perf_counter()
        analyze_repository(REPO, config)
        return _requests(self.runs) / (time.perf_counter() - start)

    def track_recommended_jobs(self) -> int:
        throughputs = {jobs: self._throughput(jobs) for jobs in KNEE_JOBS}
        self.speedups = {j: t / throughputs[1] for j, t in throughputs.items()}
        return knee(throughputs)

    track_recommended_jobs.unit = "jobs"  # type: ignore[attr-defined]
    # A choice among 1, 2, 4, 8 and 16 by a 90% cutoff: on the 2-core machine the speedup at 8
    # jobs is 0.85-0.95 of the best, right on the cutoff, so the same code recommends 8 or 16
    # (16 and 29 of the 45 samples of three 5-process runs, 2026-11-30), and a stored baseline
    # named "8 -> 16 jobs" regressed in 6 of 12 gate runs of unchanged code. The speedups
    # (speedup_N, continuous) are judged; the recommendation is shown and never judged: no
    # difference within the sweep reaches this floor.
    track_recommended_jobs.noise_floors = {"track": 16.0}  # type: ignore[attr-defined]

    def sampled_metrics(self) -> dict[str, float]:
        return {f"speedup_{j}": s for j, s in self.speedups.items()}
