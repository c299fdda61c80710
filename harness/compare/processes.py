"""Samples grouped by worker process: one value per process, so that verdicts see the noise
*between* processes, which the samples of one process cannot show (docs/verdicts.md).

On a shared machine the speed of the machine itself comes and goes (the development VM has
stretches of 1.5–1.9× lasting up to a second or more), so the medians of separate processes of
the same code differ by far more than the samples inside one process. Judging the per-process
values makes the CI and the rank test measure that spread instead of hiding it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from harness.results import Metric

DEFAULT_MIN_PROCESSES = 5  # with fewer per side the rank test cannot reach α = 0.01
STATISTICS = ("median", "best")


def process_value(samples: Sequence[float], direction: str, statistic: str) -> float:
    """One process's value: the median of its samples, or its best (lowest when lower is
    better), which ignores the slow stretches a process may run into."""
    if statistic == "median":
        return float(np.median(samples))
    if statistic == "best":
        return float(min(samples) if direction == "lower" else max(samples))
    raise ValueError(f"statistic must be one of {STATISTICS}, not {statistic!r}")


def process_values(metric: Metric, statistic: str) -> tuple[float, ...]:
    return tuple(process_value(g, metric.direction, statistic) for g in metric.by_process())


def judged_values(
    base: Metric, cur: Metric, min_processes: int, statistic: str
) -> tuple[tuple[float, ...], tuple[float, ...], str]:
    """What a sampled metric is judged on: one value per process when both sides have at
    least ``min_processes`` processes, else the samples themselves; and which it was."""
    if min(len(base.by_process()), len(cur.by_process())) >= max(min_processes, 2):
        return process_values(base, statistic), process_values(cur, statistic), "processes"
    return base.samples, cur.samples, "samples"
