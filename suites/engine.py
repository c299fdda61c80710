"""The harness's own cost: how much time its sampling loop adds to every sample."""

from __future__ import annotations

import time

from harness.measure import SampleSettings, time_samples

SAMPLES = 2000


def _nothing() -> None:
    return None


def _no_counters() -> dict[str, int]:
    return {}


class SamplingOverhead:
    """Overhead per sample: the loop's wall time minus the time inside the samples."""

    unit = "µs"
    repeat = 5

    def track_overhead_per_sample(self) -> float:
        settings = SampleSettings(samples=SAMPLES, min_samples=SAMPLES, max_time_s=30.0)
        start = time.perf_counter()
        samples = time_samples(_nothing, settings, 1, _nothing, _no_counters)
        loop = time.perf_counter() - start
        inside = sum(s.wall_s for s in samples)
        return (loop - inside) / len(samples) * 1e6
