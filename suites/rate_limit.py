"""The client's token bucket against the server's primary limit, with time compressed.

GitHub's limits are per hour; here one minute lasts half a second (``SCALE`` = 120), so a
client set to R requests a minute sends 2R a second and a personal token's 5,000 an hour
becomes 166 per 1-second window. Throughput is reported back in requests per (real) minute.
"""

from __future__ import annotations

import time

from analyzer.client import GitHubClient
from suites._common import analyzer_config, cache_dir, configure_mock
from suites._mock import REPO

SCALE = 120
WINDOW_S = 1.0
SAMPLE_S = 1.2
MAX_REQUESTS = 5_000
SERVER_PER_HOUR = {"pat": 5_000, "app": 15_000}


def server_limit(server: str) -> str:
    """The mock's ``LIMIT/SECONDS`` for a GitHub limit per hour, compressed by ``SCALE``."""
    per_window = SERVER_PER_HOUR[server] / 3600 * SCALE * WINDOW_S
    return f"{int(per_window)}/{WINDOW_S:g}"


def ideal_rpm(rpm: int, server: str) -> float:
    """What a perfect client achieves: its own pace, capped by the server's limit."""
    return min(float(rpm), SERVER_PER_HOUR[server] / 60)


class ClientAgainstServer:
    """Requests for 1.2 s through the analyzer's client at RPM x burst, against a PAT or an App."""

    params = [[15, 30, 60, 100], [3, 5, 10], ["pat", "app"]]
    param_names = ["rpm", "burst", "server"]
    quick_params = {"rpm": [30, 100], "burst": [5], "server": ["pat"]}
    number = 1
    repeat = 2
    timeout = 120
    # Paced by the clock: under callgrind's slowdown it sends another number of requests, so
    # its instruction count is not a property of the code (measured: 4% and 90% apart).
    instructions = False
    metric_units = {"throughput_rpm": "req/min", "efficiency": "ratio", "wait_s": "s"}
    metric_directions = {"throughput_rpm": "higher", "efficiency": "higher"}

    def setup(self, rpm: int, burst: int, server: str) -> None:
        configure_mock(rate_limit=server_limit(server), secondary_rate_limit="0/60")
        self.dir = cache_dir()
        config = analyzer_config(
            self.dir.name, rate_limit_requests_per_minute=rpm * SCALE, burst_size=burst,
            enable_cache=False,
        )  # fmt: skip
        self.client = GitHubClient(config)
        self.url = f"/repos/{REPO}/actions/runs"
        self.pace = (rpm, server)
        self.sent, self.elapsed = 0, 0.0
        self.usage: dict[str, float] = {}

    def teardown(self, rpm: int, burst: int, server: str) -> None:
        self.client.close()
        self.dir.cleanup()

    def time_paced_requests(self, rpm: int, burst: int, server: str) -> None:
        before = self.client.counters.snapshot()
        start = time.perf_counter()
        deadline = start + SAMPLE_S
        sent = 0
        while time.perf_counter() < deadline and sent < MAX_REQUESTS:
            self.client.get_json(self.url, {"per_page": 1})
            sent += 1
        self.elapsed = time.perf_counter() - start
        after = self.client.counters.snapshot()
        self.sent = sent
        self.usage = {k: after[k] - before.get(k, 0) for k in after}
        self.usage["wait_s"] = self.usage["limiter_wait_s"] + self.usage["rate_limit_wait_s"]

    def counters(self) -> dict[str, int]:
        u = self.usage
        return {
            "requests": int(u.get("requests", 0)),
            "rate_limited_responses": int(u.get("rate_limited_responses", 0)),
            "status_403": int(u.get("status_403", 0)),
            "status_429": int(u.get("status_429", 0)),
        }

    def sampled_metrics(self) -> dict[str, float]:
        if not self.elapsed:
            return {}
        rpm, server = self.pace
        achieved = self.sent / self.elapsed * 60 / SCALE
        return {
            "throughput_rpm": achieved,
            "efficiency": achieved / ideal_rpm(rpm, server),
            "wait_s": float(self.usage.get("wait_s", 0.0)),
        }
