"""Well-behaved benchmarks in every kind asv knows."""

from __future__ import annotations

import os
import time


class Arithmetic:
    params = [[10, 100, 1000], ["a", "b"]]
    param_names = ["size", "label"]
    quick_params = {"size": [10]}

    def setup(self, size: int, label: str) -> None:
        self.data = list(range(size))
        self.calls = 0

    def time_sum(self, size: int, label: str) -> None:
        self.calls += 1
        sum(self.data)

    def counters(self) -> dict[str, int]:
        return {"items": len(self.data)}


class Cold:
    number = 1

    def setup(self) -> None:
        self.state = "cold"

    def time_once(self) -> None:
        # Fails if setup did not run before this sample: proves per-sample setup.
        assert self.state == "cold", "setup did not run before the sample"
        self.state = "warm"


def track_answer() -> int:
    return 42


track_answer.unit = "answers"  # type: ignore[attr-defined]
track_answer.exact = True  # type: ignore[attr-defined]


def peakmem_list() -> None:
    hoard = [0] * 2_000_000  # 16 MB, held long enough for the 10 ms timeline to see it
    time.sleep(0.05)
    del hoard


def mem_dict() -> dict[int, int]:
    return {i: i for i in range(100)}


def time_empty() -> None:
    pass


class Scenario:
    """A benchmark that reports a noisy extra value per sample besides its time."""

    metric_units = {"throughput": "req/s"}
    metric_directions = {"throughput": "higher"}

    def time_scenario(self) -> None:
        self.done = 5

    def sampled_metrics(self) -> dict[str, float]:
        return {"throughput": 100.0 + self.done}

    def counters(self) -> dict[str, int]:
        return {"done": self.done}


class NeedsService:
    def setup(self) -> None:
        raise NotImplementedError("service not installed")

    def time_it(self) -> None:
        pass


class Tunable:
    """Its exact counter comes from the environment, so a test can make it regress."""

    def time_requests(self) -> None:
        self.requests = int(os.environ.get("SAMPLE_REQUESTS", "10"))

    def counters(self) -> dict[str, int]:
        return {"requests": self.requests}


class Counting:
    """Calibrated (many calls per sample), and every call is seen by the probe fixture."""

    def setup(self) -> None:
        self.probe = open(os.environ["SAMPLE_PROBE_FILE"], "ab", buffering=0)  # noqa: SIM115

    def time_call(self) -> None:
        self.probe.write(b".")


class Waiting:
    """Latency-bound: its wall time is waiting, its CPU time a sliver of it."""

    def time_wait(self) -> None:
        time.sleep(0.002)
