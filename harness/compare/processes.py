"""Samples grouped by worker process: one value per process, so that verdicts see the noise
*between* processes, which the samples of one process cannot show (docs/verdicts.md).

On a shared machine the speed of the machine itself comes and goes (the development VM has
stretches of 1.5–1.9× lasting up to a second or more), so the medians of separate processes of
the same code differ by far more than the samples inside one process. Judging the per-process
values makes the CI and the rank test measure that spread instead of hiding it.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from harness.records import Direction, Metric, ProcessRun

DEFAULT_MIN_PROCESSES = 5  # with fewer per side the rank test cannot reach α = 0.01


class Statistic(StrEnum):
    """One value per worker process: the median of its samples, or its best."""

    MEDIAN = "median"
    BEST = "best"


class Level(StrEnum):
    """What a sampled metric was judged on."""

    SAMPLES = "samples"
    PROCESSES = "processes"  # one value per worker process, enough on both sides
    # One value per process, judged against the spread between the baseline's processes
    # (a stored baseline saved with enough processes; the current side has fewer).
    BASELINE_SPREAD = "baseline spread"


def process_value(run: ProcessRun, direction: Direction, statistic: Statistic) -> float:
    """One process's value: the median of its samples, or its best (lowest when lower is
    better), which ignores the slow stretches a process may run into."""
    if statistic is Statistic.MEDIAN:
        return float(np.median(run.samples))
    return float(min(run.samples) if direction is Direction.LOWER else max(run.samples))


def process_values(metric: Metric, statistic: Statistic) -> tuple[float, ...]:
    return tuple(process_value(r, metric.direction, statistic) for r in metric.runs if r.samples)


def judged_values(
    base: Metric, cur: Metric, min_processes: int, statistic: Statistic, interleaved: bool = True
) -> tuple[tuple[float, ...], tuple[float, ...], Level]:
    """What a sampled metric is judged on, and at which level: one value per process when
    both sides have at least ``min_processes`` processes; against a stored (not interleaved)
    baseline of that many, one value per current process and the baseline's spread; else the
    samples themselves."""
    floor = max(min_processes, 2)
    if min(len(base.runs), len(cur.runs)) >= floor:
        return process_values(base, statistic), process_values(cur, statistic), Level.PROCESSES
    if not interleaved and len(base.runs) >= floor:
        values = process_values(base, statistic), process_values(cur, statistic)
        return values[0], values[1], Level.BASELINE_SPREAD
    return base.samples, cur.samples, Level.SAMPLES
