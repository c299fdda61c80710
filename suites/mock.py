"""The mock's own performance: throughput under keep-alive load, and latency accuracy.

Load comes from other processes (``python -m mockgithub.loadgen``: raw keep-alive sockets, no
JSON parsing) against a mock of this suite's own in a child process, on loopback. Goals: at
least 5,000 requests/s on ``/rate_limit`` and 1,000 pages/s of 100 runs; with 16 concurrent
clients, p50 within 1 ms of the configured latency and p99 at most 3 ms over it.
"""

from __future__ import annotations

import atexit
import json
import subprocess
import sys

from mockgithub import MockConfig, ServerProcess, spawn_server

REPO = MockConfig().repo
PATHS = {
    "rate_limit": "/rate_limit",
    "runs_page": f"/repos/{REPO}/actions/runs?per_page=100",
}
# Limits lifted: this suite measures the server, not GitHub's rules.
UNLIMITED = {
    "rate_limit": "100000000/3600",
    "unauthenticated_rate_limit": "100000000/3600",
    "secondary_rate_limit": "0/60",
    "secondary_concurrency": 0,
}
LOAD_SECONDS = 0.6

_server: list[ServerProcess] = []


def _mock() -> ServerProcess:
    """This worker's own mock (not the run's shared one, whose counters must stay exact)."""
    if not _server:
        _server.append(spawn_server(MockConfig(**UNLIMITED)))  # type: ignore[arg-type]
        atexit.register(_server[0].stop)
    return _server[0]


def load(path: str, connections: int, processes: int) -> dict[str, float]:
    """One load run against the mock; the generator's JSON summary."""
    command = [
        sys.executable, "-m", "mockgithub.loadgen", f"{_mock().base_url}{path}",
        "--connections", str(connections), "--duration", str(LOAD_SECONDS),
        "--processes", str(processes),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed: {done.stderr.strip()[-300:]}")
    summary: dict[str, float] = json.loads(done.stdout)
    if summary["errors"] or not summary["requests"]:
        raise RuntimeError(f"load run saw errors: {summary}")
    return summary


class Throughput:
    """Responses per second with keep-alive, load from two client processes."""

    params = [["rate_limit", "runs_page"], [16, 100]]
    param_names = ["endpoint", "connections"]
    quick_params = {"endpoint": ["rate_limit"], "connections": [16]}
    unit = "requests/s"
    direction = "higher"
    repeat = 2
    timeout = 120

    def setup(self, endpoint: str, connections: int) -> None:
        _mock().configure(latency_ms=0.0, jitter_ms=0.0)

    def track_responses_per_second(self, endpoint: str, connections: int) -> float:
        return load(PATHS[endpoint], connections, processes=2)["requests_per_s"]


class LatencyAccuracy:
    """How far measured latency is from the configured one, 16 concurrent clients."""

    params = [[5.0, 20.0]]
    param_names = ["latency_ms"]
    quick_params = {"latency_ms": [20.0]}
    unit = "ms"
    repeat = 2
    timeout = 120

    def setup(self, latency_ms: float) -> None:
        _mock().configure(latency_ms=latency_ms, jitter_ms=0.0)

    def teardown(self, latency_ms: float) -> None:
        _mock().configure(latency_ms=0.0)

    def track_p50_error_ms(self, latency_ms: float) -> float:
        """|measured p50 - configured|; the goal is at most 1 ms."""
        return abs(load(PATHS["rate_limit"], 16, processes=1)["p50_ms"] - latency_ms)

    # An error near zero: the same code measured 0.35-1.96 ms (three 5-process runs and ten
    # single runs, 2026-11-30), and a stored baseline whose processes read 0.36-0.74 ms named
    # runs of 0.55-1.36 ms regressed (6 of 24 gate runs of unchanged code). A ratio of two such
    # numbers says nothing; medians 1 ms apart (the goal) count.
    track_p50_error_ms.noise_floors = {"track": 1.0}  # type: ignore[attr-defined]

    def track_p99_overhead_ms(self, latency_ms: float) -> float:
        """measured p99 - configured; the goal is at most 3 ms."""
        return load(PATHS["rate_limit"], 16, processes=1)["p99_ms"] - latency_ms

    # The p99 of 16 clients on 2 cores moves with how fast each core happens to run: the same
    # code measured 1.9-4.3 ms in the 10 processes of one `bench run --quick --against HEAD`
    # (2026-11-30), and that run exited 1 on it (p = 0.004). Medians 2 ms apart count.
    track_p99_overhead_ms.noise_floors = {"track": 2.0}  # type: ignore[attr-defined]
