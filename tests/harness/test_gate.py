"""A gated run keeps what confirmation measured: the pooled samples land in the run's file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.calibrate import slowed
from harness.cli.options import DURATION
from harness.compare import Policy, judge
from harness.gate import (
    ROUND_OVERHEAD_S,
    STEP_OVERHEAD_S,
    Gate,
    affordable,
    against_cost,
    compare_cost,
    gated_run,
    last_duration,
    time_limit,
)
from harness.records import BenchmarkResult, Direction, Kind, Metric, ProcessRun
from harness.results import load, save
from harness.runner import RunOptions, run
from harness.suite import CaseRef
from tests.harness.compare.factory import bench as bench_result
from tests.harness.compare.factory import run as result


class Phases:
    """A progress that keeps the phase lines and the size of each measuring phase."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def phase(self, description: str) -> None:
        self.lines.append(description)

    def started(self, total: int) -> None:
        self.lines.append(f"{total} to measure")

    def case_started(self, case: CaseRef) -> None:
        pass

    def case_finished(self, case: CaseRef, result: BenchmarkResult) -> None:
        pass


def _fast_baseline(sample_options: RunOptions, tmp_path: Path) -> tuple[RunOptions, Path]:
    """Options that run the latency-bound sample benchmark, and a baseline of 5 processes (its
    spread known) four times faster than this machine can wait: the time is suspect (a
    CPU-bound one would be left to instructions)."""
    options = replace(sample_options, pattern=r"Waiting.time_wait")
    first, _ = run(replace(options, processes=5))
    baseline = tmp_path / "fast.json"
    save(slowed(first, -0.75), baseline)
    return options, baseline


def test_confirmation_rounds_are_pooled_into_the_run_file(
    sample_options: RunOptions, tmp_path: Path
) -> None:
    options, baseline = _fast_baseline(sample_options, tmp_path)
    gate = Gate(Policy(), compare=str(baseline), confirm_rounds=2)
    phases = Phases()
    done = gated_run(options, gate, phases)
    assert done.comparison is not None and done.comparison.rounds == 2
    suspect = "basic.Waiting.time_wait"
    assert phases.lines == [
        "preparing: 1 benchmark(s) found, starting fixtures",
        "1 to measure",
        f"judging: against {baseline}",
        f"confirming: round 1 of up to 2, 1 benchmark(s) regressed or undecided: {suspect}",
        "1 to measure",
        f"confirming: round 2 of up to 2, 1 benchmark(s) regressed or undecided: {suspect}",
        "1 to measure",
    ]
    kept = load(done.path)
    assert kept == done.result
    assert kept.meta.confirmation is not None and kept.meta.confirmation.rounds == 2
    assert set(kept.meta.confirmation.remeasured) == {b.id for b in kept.benchmarks}
    for bench in kept.benchmarks:
        runs = bench.metric("time").runs  # type: ignore[union-attr]
        assert [r.round for r in runs] == [0, 1, 2]  # the run's own and two rounds
    assert len(list((options.results_dir / "confirm").glob("*.json"))) == 2


def test_a_time_limit_already_spent_confirms_nothing_and_says_which_suspect_it_left(
    sample_options: RunOptions, tmp_path: Path
) -> None:
    options, baseline = _fast_baseline(sample_options, tmp_path)
    # A millisecond is over before the run is judged: the suspect stays as it was measured.
    gate = Gate(Policy(), compare=str(baseline), confirm_rounds=2, max_time_s=0.001)
    phases = Phases()
    done = gated_run(options, gate, phases)
    assert done.comparison is not None and done.comparison.rounds == 0
    assert not any(line.startswith("confirming") for line in phases.lines)
    assert (
        "time limit: confirmation left 1 benchmark(s) unconfirmed after 0 round(s), the "
        "surest regressions measured first: basic.Waiting.time_wait"
    ) in done.comparison.warnings
    assert not (options.results_dir / "confirm").exists()


def _took(*durations: tuple[int, float]) -> BenchmarkResult:
    """A benchmark whose processes (round, seconds) took that long."""
    runs = tuple(ProcessRun((1.0,), round=k, duration_s=s) for k, s in durations)
    return bench_result("x", Metric("time", "s", Direction.LOWER, Kind.SAMPLED, runs))


def test_a_suspect_is_expected_to_take_as_long_as_its_latest_process() -> None:
    assert last_duration(_took((0, 3.5), (2, 1.25), (1, 2.0))) == 1.25
    assert last_duration(_took()) == 0.0 and last_duration(None) == 0.0


def test_a_round_takes_the_suspects_in_order_that_fit_the_time_left() -> None:
    costs = {"a": 4.0, "b": 3.0, "c": 1.0}
    room = ROUND_OVERHEAD_S + 5.0
    # a fits; b would not after it, c still does.
    assert affordable(["a", "b", "c"], costs.__getitem__, room) == ["a", "c"]
    assert affordable(["b", "a", "c"], costs.__getitem__, room) == ["b", "c"]
    assert affordable(["a"], costs.__getitem__, ROUND_OVERHEAD_S + 3.9) == []
    assert affordable(["a", "b"], costs.__getitem__, -1.0) == []
    # Two rounds still allowed: each suspect is charged both, so a alone fits in 11 s.
    assert affordable(["a", "b", "c"], costs.__getitem__, 2 * ROUND_OVERHEAD_S + 9.0, 2) == ["a"]
    assert affordable(["b", "a", "c"], costs.__getitem__, 2 * ROUND_OVERHEAD_S + 9.0, 2) == [
        "b",
        "c",
    ]


def test_an_against_suspect_costs_its_slower_side_in_a_duet_and_both_one_after_the_other() -> None:
    comparison = judge(result("a", _took((0, 3.0)), role="base"), result("b", _took((0, 2.0))))
    assert against_cost(True, 1)(comparison, "x") == 3.0 + STEP_OVERHEAD_S
    assert against_cost(False, 1)(comparison, "x") == 5.0 + STEP_OVERHEAD_S
    assert against_cost(True, 2)(comparison, "x") == 2 * (3.0 + STEP_OVERHEAD_S)
    # Against a stored baseline only the current side is measured again.
    assert compare_cost(3)(comparison, "x") == 3 * (2.0 + STEP_OVERHEAD_S)


def test_the_time_limit_counts_from_the_start_of_the_run() -> None:
    now = [100.0]
    gate = Gate(Policy(), compare="main", max_time_s=10.0)
    afford = time_limit(gate, 95.0, lambda comparison, i: 2.0, lambda: now[0])
    assert afford is not None
    comparison = judge(result("a", _took((0, 1.0))), result("b", _took((0, 1.0))))
    assert afford(comparison, ["x", "y"], 1) == ["x", "y"]  # 5 s left
    assert afford(comparison, ["x", "y"], 2) == ["x"]  # 5 s left, 2 s a suspect a round
    now[0] = 102.0
    assert afford(comparison, ["x", "y"], 1) == ["x"]  # 3 s left
    assert time_limit(Gate(Policy()), 95.0, lambda c, i: 2.0, lambda: now[0]) is None


def test_max_time_is_read_in_seconds_from_the_units_people_write() -> None:
    read = [DURATION.convert(text, None, None) for text in ("300", "90s", "5m", "1.5h", " 2M ")]
    assert read == [300.0, 90.0, 300.0, 5400.0, 120.0]
