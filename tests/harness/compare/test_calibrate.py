"""Calibration bookkeeping: injected slowdowns, pairing, rates."""

from __future__ import annotations

import pytest
from scipy.stats import beta

from harness.calibrate import (
    Rate,
    calibrate,
    measured_run_noise,
    pairs,
    process_split,
    slowed,
)
from harness.compare import Policy
from harness.errors import InputError
from harness.records import RunResult
from tests.harness.compare.factory import bench, counter, metric, noisy, run


def _runs(count: int, cv: float = 0.03) -> list[RunResult]:
    return [
        run(
            f"r{i}",
            bench(
                "x",
                metric("time", noisy(100 + i, 1.0, cv)),
                counter("requests", 5),
                counter("zero", 0),
            ),
            bench("y", metric("ops", noisy(200 + i, 50.0, cv), unit="ops/s", direction="higher")),
        )
        for i in range(count)
    ]


def test_slowed_makes_every_metric_worse_in_its_own_direction() -> None:
    worse = slowed(_runs(1)[0], 0.2)
    original = _runs(1)[0]
    x, y = worse.benchmarks
    assert x.metric("time").samples[0] == pytest.approx(
        original.benchmarks[0].metric("time").samples[0] * 1.2
    )
    assert x.metric("requests").samples[0] == pytest.approx(6.0)
    assert y.metric("ops").samples[0] == pytest.approx(
        original.benchmarks[1].metric("ops").samples[0] / 1.2
    )


def test_pairs_are_ordered_distinct_and_capped() -> None:
    assert pairs(3, 100) == [(0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)]
    capped = pairs(20, 50)
    assert len(capped) == 50 and all(i != j for i, j in capped)


def test_quiet_runs_give_no_false_alarms_and_full_detection_of_counters() -> None:
    result = calibrate(_runs(6), rounds=1)
    assert result.pairs == 30 and result.runs == 6
    assert result.aa.exact == Rate(0, 30)  # the zero counter is left out: it cannot grow
    assert result.ab.exact == Rate(30, 30)
    assert result.aa.sampled.trials == 60 and result.aa.sampled.hits == 0
    assert result.aa.time == Rate(0, 30) and result.ab.time == Rate(30, 30)
    assert result.ab.sampled.value == 1.0


def test_too_few_runs_is_an_input_error() -> None:
    with pytest.raises(InputError, match="at least 4 runs"):
        calibrate(_runs(3), rounds=2)


def test_rate_bounds_are_clopper_pearson() -> None:
    rate = Rate(3, 400)
    assert rate.value == 0.0075
    assert rate.upper95 == pytest.approx(beta.ppf(0.95, 4, 397))
    assert rate.lower95 == pytest.approx(beta.ppf(0.05, 3, 398))
    assert Rate(0, 10).lower95 == 0.0 and Rate(10, 10).upper95 == 1.0


def test_measured_run_noise_is_the_sd_of_log_medians() -> None:
    noise = measured_run_noise(_runs(8, cv=0.1))
    assert set(noise) == {"x"}  # "y" has no time metric
    assert 0.0 < noise["x"] < 0.1


def _processed(count: int, processes: int = 6) -> list[RunResult]:
    """Runs whose time metric came from ``processes`` worker processes of 4 samples each."""
    made = []
    for i in range(count):
        samples = noisy(300 + i, 1.0, 0.03, 4 * processes)
        time = metric("time", samples, processes=processes)
        requests = counter("requests", 5, 4 * processes, processes=processes)
        made.append(run(f"r{i}", bench("x", time, requests)))
    return made


def test_a_process_split_keeps_each_process_whole() -> None:
    (one,) = _processed(1)
    base, current = process_split(one, frozenset({0, 2, 4}))
    time = one.benchmarks[0].metric("time")
    b, c = base.benchmarks[0].metric("time"), current.benchmarks[0].metric("time")
    assert b is not None and c is not None and time is not None
    assert b.runs == (time.runs[0], time.runs[2], time.runs[4])
    assert c.runs == (time.runs[1], time.runs[3], time.runs[5])
    assert base.run_id != current.run_id


def test_split_calibration_judges_halves_of_each_run() -> None:
    result = calibrate(_processed(4), rounds=1, split=3, policy=Policy(min_processes=3))
    assert (result.pairs, result.split) == (12, 3)
    assert result.aa.exact == Rate(0, 12) and result.ab.exact == Rate(12, 12)
    assert result.aa.sampled.trials == 12


def test_split_needs_several_processes() -> None:
    with pytest.raises(InputError, match="--processes 2 or more"):
        calibrate(_runs(6), rounds=1, split=2)
