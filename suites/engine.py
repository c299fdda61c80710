"""The harness's own cost: how much time its sampling loop adds to every sample."""

from __future__ import annotations

import time

# Imported under a private name: asv collects any module-level function named time_*.
from harness.measure import SampleSettings
from harness.measure import time_samples as _time_samples

SAMPLES = 2000


def _nothing() -> None:
    return None


def _no_counters() -> dict[str, float]:
    return {}


class SamplingOverhead:
    """Overhead per sample: the loop's wall time minus the time inside the samples."""

    unit = "µs"
    repeat = 5

    def track_overhead_per_sample(self) -> float:
        settings = SampleSettings(samples=SAMPLES, min_samples=SAMPLES, max_time_s=30.0)
        start = time.perf_counter()
        samples = _time_samples(_nothing, settings, 1, _nothing, _no_counters)
        loop = time.perf_counter() - start
        inside = sum(s.wall_s for s in samples)
        return (loop - inside) / len(samples) * 1e6
