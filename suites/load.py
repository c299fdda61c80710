"""The toolkit's load scenarios against the mock through the analyzer's client.

light (5 concurrent, 25 requests), medium (10, 100), heavy (20, 500); burst (200 requests
released at once to 50 threads); sustained (100 requests a second for 2 s, 10 threads). The mock
answers with 20 ms of latency; every request is real HTTP and bypasses the cache.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from analyzer.client import GitHubClient
from analyzer.errors import AnalyzerError
from harness.stats import quantile
from suites._common import BULK_MOCK, analyzer_config, cache_dir, configure_mock
from suites._mock import REPO

LATENCY_MS = 20.0


@dataclass(frozen=True)
class Scenario:
    concurrency: int
    requests: int
    rate_per_s: float = 0.0  # 0: as fast as the threads go


SCENARIOS = {
    "light": Scenario(5, 25),
    "medium": Scenario(10, 100),
    "heavy": Scenario(20, 500),
    "burst": Scenario(50, 200),
    "sustained": Scenario(10, 200, rate_per_s=100.0),
}


class LoadScenario:
    params = [list(SCENARIOS)]
    param_names = ["scenario"]
    quick_params = {"scenario": ["light", "medium"]}
    number = 1
    repeat = 5
    timeout = 120
    metric_units = {"p50_ms": "ms", "p90_ms": "ms", "p99_ms": "ms", "throughput": "req/s"}
    metric_directions = {"throughput": "higher"}

    def setup(self, scenario: str) -> None:
        configure_mock(latency_ms=LATENCY_MS, **BULK_MOCK)
        self.scenario = SCENARIOS[scenario]
        self.dir = cache_dir()
        config = analyzer_config(
            self.dir.name, enable_cache=False, max_parallel_jobs=min(16, self.scenario.concurrency)
        )
        self.client = GitHubClient(config)
        listing = self.client.get_json(f"/repos/{REPO}/actions/runs", {"per_page": 100})
        self.urls = [run["jobs_url"] for run in listing["workflow_runs"]]
        self.latencies: list[float] = []
        self.errors = 0
        self.elapsed = 0.0

    def teardown(self, scenario: str) -> None:
        self.client.close()
        self.dir.cleanup()

    def _one(self, index: int, start: float) -> float | None:
        if self.scenario.rate_per_s:
            time.sleep(max(0.0, start + index / self.scenario.rate_per_s - time.perf_counter()))
        began = time.perf_counter()
        try:
            self.client.get_json(self.urls[index % len(self.urls)])
        except AnalyzerError:
            return None
        return time.perf_counter() - began

    def time_scenario(self, scenario: str) -> None:
        start = time.perf_counter()
        with ThreadPoolExecutor(self.scenario.concurrency) as pool:
            outcomes = list(pool.map(lambda i: self._one(i, start), range(self.scenario.requests)))
        self.elapsed = time.perf_counter() - start
        self.latencies = [o for o in outcomes if o is not None]
        self.errors = len(outcomes) - len(self.latencies)

    def counters(self) -> dict[str, int]:
        return {"errors": self.errors}

    def sampled_metrics(self) -> dict[str, float]:
        if not self.latencies:
            return {}
        ms = [x * 1000 for x in self.latencies]
        return {
            "p50_ms": quantile(ms, 0.5),
            "p90_ms": quantile(ms, 0.9),
            "p99_ms": quantile(ms, 0.99),
            "throughput": len(self.latencies) / self.elapsed,
        }
