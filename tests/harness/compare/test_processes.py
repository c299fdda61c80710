"""Verdicts on one value per worker process."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.compare import Policy, Status, judge
from harness.compare.processes import (
    Level,
    Statistic,
    judged_values,
    process_value,
    process_values,
)
from harness.records import Direction, Metric, ProcessRun
from tests.harness.compare.factory import bench, counter, metric, noisy, run

ID = "suite.Bench.time_x(n=1)"


def _processes(levels: list[float], seed: int = 0, n: int = 10) -> Metric:
    """A time metric of one worker process per level: tight samples around each level."""
    samples: tuple[float, ...] = ()
    for k, level in enumerate(levels):
        samples += noisy(seed * 100 + k, level, 0.01, n)
    return metric("time", samples, processes=len(levels))


def test_a_process_value_is_its_median_or_its_best() -> None:
    lower, higher = Direction.LOWER, Direction.HIGHER
    assert process_value(ProcessRun((3.0, 1.0, 2.0, 9.0)), lower, Statistic.MEDIAN) == 2.5
    assert process_value(ProcessRun((3.0, 1.0, 2.0)), lower, Statistic.BEST) == 1.0
    assert process_value(ProcessRun((3.0, 1.0, 2.0)), higher, Statistic.BEST) == 3.0


def test_process_values_follow_the_recorded_runs() -> None:
    runs = (ProcessRun((1.0, 2.0, 3.0)), ProcessRun((10.0, 20.0), round=1))
    m = replace(metric("time", ()), runs=runs)
    assert process_values(m, Statistic.MEDIAN) == (2.0, 15.0)
    assert process_values(metric("time", (1.0, 3.0), processes=1), Statistic.MEDIAN) == (2.0,)


def test_processes_are_judged_only_when_both_sides_have_enough() -> None:
    five, four = _processes([1.0] * 5), _processes([1.0] * 4)
    median = Statistic.MEDIAN
    assert judged_values(five, five, 5, median)[2] is Level.PROCESSES
    assert judged_values(five, four, 5, median)[2] is Level.SAMPLES
    assert judged_values(four, four, 4, median)[2] is Level.PROCESSES


def _verdict(base: Metric, cur: Metric, policy: Policy | None = None):
    comparison = judge(run("a", bench(ID, base)), run("b", bench(ID, cur)), policy or Policy())
    (verdict,) = comparison.verdicts
    return verdict


BASE = [1.00, 1.02, 1.01, 1.35, 1.03, 1.00]
SOME_SLOW = [1.30, 1.36, 1.01, 1.33, 1.32, 1.02]  # slow stretches in 4 of 6 processes
STEADY = [1.00, 1.02, 1.01, 1.05, 1.03, 1.00]


def test_a_shift_in_some_processes_only_is_not_a_regression() -> None:
    v = _verdict(_processes(BASE, 1), _processes(SOME_SLOW, 2))
    assert (v.level, v.baseline_n, v.current_n) == ("processes", 6, 6)
    assert v.reason.endswith("; 6 vs 6 processes (best)")
    assert v.status is Status.UNCERTAIN  # past the threshold, not significant
    # The same samples judged as if one process took them all would be a confident false
    # alarm; samples of one process are never judged regressed: uncertain, and how to settle.
    flat = _verdict(
        metric("time", _processes(BASE, 1).samples, processes=1),
        metric("time", _processes(SOME_SLOW, 2).samples, processes=1),
    )
    assert (flat.level, flat.status) == ("samples", Status.UNCERTAIN)
    assert "settle it" in flat.reason


def test_a_shift_in_every_process_regresses() -> None:
    slower = [level * 1.3 for level in STEADY]
    v = _verdict(_processes(STEADY, 1), _processes(slower, 2))
    assert (v.level, v.status) == ("processes", Status.REGRESSED)
    assert v.ratio == pytest.approx(1.3, rel=0.05)
    assert v.p_value == pytest.approx(1 / 924)  # complete separation of 6 vs 6


def test_run_noise_widens_per_process_verdicts_too() -> None:
    slower = [level * 1.3 for level in STEADY]
    v = _verdict(_processes(STEADY, 1), _processes(slower, 2), Policy(run_noise=0.3))
    assert v.status is Status.UNCERTAIN  # a 30% shift within ±30% run-to-run noise


def test_counters_stay_exact_with_processes() -> None:
    base = counter("requests", 5, n=12, processes=6)
    cur = counter("requests", 6, n=12, processes=6)
    v = _verdict(base, cur)
    assert (v.level, v.status) == ("samples", Status.REGRESSED)


def test_the_policy_checks_its_process_settings() -> None:
    from harness.errors import InputError

    with pytest.raises(InputError):
        Policy(min_processes=1)
