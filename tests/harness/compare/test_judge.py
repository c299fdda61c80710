"""Verdict rules and the judging of two runs."""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import pytest

from harness.compare import Comparison, Policy, Status, Verdict, judge
from harness.compare.model import FailOn
from harness.compare.overrides import suite_floors
from harness.errors import InputError
from harness.meta import Against, MachineInfo
from harness.records import BenchmarkResult, Direction, Kind, Metric, RunResult
from tests.harness.compare.factory import bench, counter, metric, noisy, run, timed

ID = "suite.Bench.time_x(n=1)"


def _one(
    base_samples: tuple[float, ...],
    cur_samples: tuple[float, ...],
    policy: Policy | None = None,
    **kw: str,
) -> tuple[Comparison, Verdict]:
    base = run("a", bench(ID, metric("time", base_samples, **kw)))
    cur = run("b", bench(ID, metric("time", cur_samples, **kw)))
    comparison = judge(base, cur, policy or Policy())
    (verdict,) = comparison.verdicts
    return comparison, verdict


def test_a_clear_slowdown_regresses_and_exits_1() -> None:
    comparison, v = _one(noisy(1, 10.0, 0.05), noisy(2, 15.0, 0.05))
    assert v.status is Status.REGRESSED
    assert v.ratio == pytest.approx(1.5, rel=0.1)
    assert v.ci_low > 1.0 and v.p_value < 0.01
    assert comparison.exit_code() == 1


def test_the_same_samples_are_unchanged() -> None:
    samples = noisy(3, 10.0, 0.05)
    comparison, v = _one(samples, samples)
    assert v.status is Status.UNCHANGED and v.ratio == 1.0
    assert v.ci_high is not None and v.ci_high < 1.2
    assert comparison.exit_code() == 0


def test_too_noisy_to_rule_out_the_threshold_is_uncertain_not_unchanged() -> None:
    samples = noisy(3, 10.0, 0.2)
    comparison, v = _one(samples, samples)
    assert v.status is Status.UNCERTAIN and v.ratio == 1.0
    assert v.ci_high is not None and v.ci_high >= 1.2  # a 20% slowdown is not ruled out
    assert v.reason == "a slowdown of 20% not ruled out, not significant; 10 vs 10 processes (best)"
    assert comparison.exit_code() == 0 and comparison.exit_code(FailOn.UNCERTAIN) == 1


def test_a_real_slowdown_estimated_under_the_threshold_is_never_regressed() -> None:
    # Significant, and a 20% slowdown is not ruled out: uncertain (measured again), not a
    # regression, whose estimate must be past the threshold.
    comparison, v = _one(noisy(4, 10.0, 0.03, 20), noisy(5, 11.8, 0.03, 20))
    assert v.ratio is not None and 1.0 < v.ratio < 1.2 and v.p_value < 0.01
    assert v.ci_high is not None and v.ci_high >= 1.2
    assert v.status is Status.UNCERTAIN and comparison.exit_code() == 0
    assert v.reason.startswith("significant; past 20% not ruled out")


def test_a_slowdown_past_the_threshold_and_significant_regresses() -> None:
    _, v = _one(noisy(4, 10.0, 0.03, 20), noisy(5, 12.6, 0.03, 20))
    assert v.ratio is not None and v.ratio > 1.2 and v.status is Status.REGRESSED


def test_a_significant_change_smaller_than_the_threshold_is_worse_and_does_not_fail() -> None:
    comparison, v = _one(noisy(6, 10.0, 0.01, 20), noisy(7, 10.5, 0.01, 20))
    assert v.status is Status.WORSE
    assert v.p_value < 0.01 and v.ci_high < 1.2
    assert v.reason.startswith("significant, smaller than threshold")
    assert comparison.exit_code() == 0


def test_a_significant_speedup_smaller_than_the_threshold_is_better() -> None:
    _, v = _one(noisy(6, 10.0, 0.01, 20), noisy(7, 9.5, 0.01, 20))
    assert v.status is Status.BETTER


def test_higher_is_better_regresses_when_it_drops() -> None:
    _, v = _one(noisy(8, 100.0, 0.03), noisy(9, 70.0, 0.03), direction="higher", unit="ops/s")
    assert v.status is Status.REGRESSED


def test_a_clear_speedup_improves() -> None:
    comparison, v = _one(noisy(10, 10.0, 0.03), noisy(11, 6.0, 0.03))
    assert v.status is Status.IMPROVED and comparison.exit_code() == 0


def test_too_few_processes_past_the_threshold_are_uncertain_and_say_why() -> None:
    comparison, v = _one((10.0, 11.0, 10.5), (14.0, 15.0, 14.5))
    assert v.status is Status.UNCERTAIN and v.level == "samples"
    assert "3 vs 3 samples of too few worker processes" in v.reason
    assert comparison.exit_code(FailOn.REGRESSION) == 0
    assert comparison.exit_code(FailOn.UNCERTAIN) == 1


def test_samples_of_one_process_per_side_are_never_regressed_and_say_how_to_settle() -> None:
    base = run("a", bench(ID, metric("time", noisy(1, 10.0, 0.02, 10), processes=1)))
    cur = run("b", bench(ID, metric("time", noisy(2, 15.0, 0.02, 10), processes=1)))
    comparison = judge(base, cur)
    (v,) = comparison.verdicts
    assert v.level == "samples" and v.status is Status.UNCERTAIN
    assert v.reason.endswith("settle it: bench run --against 0123456789ab")
    assert v.capped is not None  # a stored baseline of one process: measuring again won't do
    assert comparison.exit_code() == 0


def test_exact_counters_are_compared_exactly() -> None:
    base = run("a", bench(ID, counter("requests", 10), counter("hits", 4), counter("misses", 2)))
    cur = run("b", bench(ID, counter("requests", 11), counter("hits", 4), counter("misses", 1)))
    statuses = {v.metric: v.status for v in judge(base, cur).verdicts}
    assert statuses == {
        "requests": Status.REGRESSED,
        "hits": Status.UNCHANGED,
        "misses": Status.IMPROVED,
    }


def test_new_missing_and_failed_benchmarks() -> None:
    base = run("a", timed("kept", 1, 1.0), timed("gone", 2, 1.0), timed("broken", 3, 1.0))
    cur = run(
        "b",
        timed("kept", 4, 1.0),
        timed("added", 5, 1.0),
        bench("broken", status="failed", error="ZeroDivisionError: boom"),
    )
    comparison = judge(base, cur)
    by_bench = {b: comparison.benchmark_status(b) for b in comparison.benchmark_ids()}
    assert by_bench == {
        "kept": Status.UNCHANGED,
        "added": Status.NEW,
        "broken": Status.FAILED,
        "gone": Status.MISSING,
    }
    assert comparison.exit_code() == 3
    assert [v.status for v in comparison.sorted_verdicts()][0] is Status.FAILED


def test_benchmarks_that_failed_in_the_baseline_are_new_and_counted_in_a_warning() -> None:
    base = run("a", bench("x", status="failed", error="HTTPError: 403"), timed("y", 1, 1.0))
    comparison = judge(base, run("b", timed("x", 2, 1.0), timed("y", 3, 1.0)))
    assert comparison.benchmark_status("x") is Status.NEW
    assert comparison.warnings == (
        f"1 benchmark(s) failed in the baseline run {base.run_id}: not judged "
        "(first: x: HTTPError: 403)",
    )


def test_a_planned_benchmark_without_a_result_is_missing_once_with_its_reason() -> None:
    base = run("a", bench("x", counter("n", 1)), bench("y", counter("n", 1)))
    planned = ("x", "y", "z")
    cur = run("b", bench("x", counter("n", 1)), planned_ids=planned, interrupted=True)
    comparison = judge(base, cur)
    missing = [(v.benchmark, v.reason) for v in comparison.verdicts if v.status is Status.MISSING]
    assert missing == [
        ("y", "planned but not run (the run was interrupted)"),
        ("z", "planned but not run (the run was interrupted)"),
    ]
    levels = [comparison.exit_code(level) for level in FailOn]
    assert levels == [0, 3, 3]  # regression, missing, uncertain


def test_baseline_benchmarks_the_run_did_not_select_are_not_judged_and_counted_once() -> None:
    base = run("a", *(bench(i, counter("n", 1)) for i in ("x", "y", "z")))
    cur = run("b", bench("x", counter("n", 1)), planned_ids=("x",))
    comparison = judge(base, cur)
    assert [(v.benchmark, v.status) for v in comparison.verdicts] == [("x", Status.UNCHANGED)]
    assert "2 benchmark(s) of the baseline not selected in this run: not judged" in (
        comparison.warnings
    )
    assert comparison.exit_code(FailOn.MISSING) == 0


def test_a_regression_and_a_missing_benchmark_is_exit_3_from_the_missing_level_on() -> None:
    base = run("a", bench("x", counter("n", 1)), bench("y", counter("n", 1)))
    cur = run("b", bench("x", counter("n", 2)))  # a file without its plan: y was expected
    comparison = judge(base, cur)
    assert [comparison.exit_code(level) for level in FailOn] == [1, 3, 3]


def test_a_different_machine_makes_time_verdicts_uncertain_but_not_counters() -> None:
    base = run("a", bench(ID, metric("time", noisy(1, 10.0, 0.05)), counter("requests", 5)))
    machine = MachineInfo(hostname="laptop", cpu_model="Test CPU", cores=2)
    cur = run(
        "b",
        bench(ID, metric("time", noisy(2, 15.0, 0.05)), counter("requests", 6)),
        machine=machine,
    )
    guarded = judge(base, cur)
    statuses = {v.metric: v.status for v in guarded.verdicts}
    assert statuses == {"time": Status.UNCERTAIN, "requests": Status.REGRESSED}
    assert any("hostname differs" in w for w in guarded.warnings)
    allowed = judge(base, cur, Policy(allow_env_mismatch=True))
    assert {v.metric: v.status for v in allowed.verdicts}["time"] is Status.REGRESSED


def test_per_benchmark_threshold_overrides_the_default() -> None:
    base, cur = noisy(12, 10.0, 0.01, 20), noisy(13, 13.0, 0.01, 20)
    assert _one(base, cur)[1].status is Status.REGRESSED
    loose = Policy(benchmark_thresholds={"suite.Bench.time_x": {"time": 0.5}})
    _, v = _one(base, cur, loose)
    assert v.status is Status.WORSE and v.threshold == 0.5  # real, but under its 50%
    by_metric = Policy(metric_thresholds={"time": 0.5})
    assert _one(base, cur, by_metric)[1].threshold == 0.5


def test_run_noise_turns_a_single_run_alarm_into_uncertain() -> None:
    base, cur = noisy(14, 10.0, 0.02), noisy(15, 13.0, 0.02)
    assert _one(base, cur)[1].status is Status.REGRESSED
    _, v = _one(base, cur, Policy(run_noise=0.2))
    assert v.status is Status.UNCERTAIN
    assert v.ci_low < 1.0 < v.ci_high


def test_verdicts_are_reproducible_and_independent_of_order() -> None:
    one = run("a", timed("x", 1, 1.0, 0.2), timed("y", 2, 1.0, 0.2))
    two = run("b", timed("x", 3, 1.1, 0.2), timed("y", 4, 1.1, 0.2))
    swapped = run("b", *reversed(two.benchmarks))
    first = {(v.benchmark, v.metric): v for v in judge(one, two).verdicts}
    again = {(v.benchmark, v.metric): v for v in judge(one, swapped).verdicts}
    assert first == again


@pytest.mark.parametrize("bad", [{"threshold": 0.0}, {"alpha": 0.7}, {"run_noise": -1.0}])
def test_invalid_policies_are_input_errors(bad: dict) -> None:
    with pytest.raises(InputError):
        Policy(**bad)


@pytest.mark.parametrize("run_noise", [0.0, 0.1])
def test_zero_medians_give_infinite_or_zero_ratios_not_nan(run_noise: float) -> None:
    policy = Policy(run_noise=run_noise)
    _, grew = _one((0.0,) * 10, noisy(16, 1.0, 0.1), policy)
    assert grew.status is Status.REGRESSED and grew.ci_low == float("inf")
    _, vanished = _one((1.0,) * 10, (0.0,) * 10, policy)
    assert vanished.status is Status.IMPROVED and vanished.ratio == 0.0


def test_a_benchmark_whose_version_changed_is_new_not_compared() -> None:
    base = run("a", replace(bench(ID, metric("time", noisy(1, 1.0, 0.01))), version="1"))
    cur = run("b", replace(bench(ID, metric("time", noisy(2, 5.0, 0.01))), version="2"))
    (verdict,) = judge(base, cur).verdicts
    assert verdict.status is Status.NEW and verdict.metric is None
    assert verdict.reason == "benchmark version changed ('1' → '2')"


def _instructions(count: float) -> Metric:
    return Metric.single(
        "instructions", "instructions", Direction.LOWER, Kind.DETERMINISTIC, (count,)
    )


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (1.004, Status.UNCHANGED),  # within the 1% tolerance
        (0.996, Status.UNCHANGED),
        (1.10, Status.WORSE),  # real, but under the 20% threshold: shown, not failing
        (1.21, Status.REGRESSED),
        (0.92, Status.BETTER),
        (0.80, Status.IMPROVED),
    ],
)
def test_instruction_counts_are_judged_by_their_ratio_and_tolerance(
    ratio: float, status: Status
) -> None:
    base = run("a", bench(ID, _instructions(1_000_000.0)))
    cur = run("b", bench(ID, _instructions(1_000_000.0 * ratio)))
    (v,) = judge(base, cur).verdicts
    assert v.status is status and v.kind is Kind.DETERMINISTIC
    assert v.reason == f"{ratio - 1:+.2%} instructions (tolerance ±1.0%)"


@pytest.mark.parametrize(
    ("added", "status"),
    [(3_000.0, Status.UNCHANGED), (7_500.0, Status.WORSE), (12_500.0, Status.REGRESSED)],
)
def test_a_short_calls_count_may_move_by_5000_instructions(added: float, status: Status) -> None:
    base = run("a", bench(ID, _instructions(50_000.0)))
    (v,) = judge(base, run("b", bench(ID, _instructions(50_000.0 + added)))).verdicts
    assert v.status is status and v.reason.endswith("(tolerance ±10.0%)")


def _cpu_bound(label: str, seed: int, wall: float, **meta: object) -> RunResult:
    time = metric("time", noisy(seed, wall, 0.01, 5), processes=5)
    cpu = metric("cpu_time", noisy(seed + 50, wall * 0.95, 0.01, 5), processes=5)
    return run(label, bench(ID, time, cpu), **meta)


def test_against_a_stored_baseline_cpu_bound_times_are_uncertain_by_design() -> None:
    comparison = judge(_cpu_bound("a", 1, 1.0), _cpu_bound("b", 2, 1.5))
    statuses = {v.metric: (v.status, v.capped is not None) for v in comparison.verdicts}
    assert statuses == {"time": (Status.UNCERTAIN, True), "cpu_time": (Status.UNCERTAIN, True)}
    time = next(v for v in comparison.verdicts if v.metric == "time")
    assert "machine's speed" in time.reason and "bench run --against 0123456789ab" in time.reason
    assert comparison.exit_code() == 0


def test_against_a_stored_baseline_a_cpu_bound_benchmarks_rates_are_uncertain_not_its_memory() -> (
    None
):
    # ConcurrentWriters as measured: a baseline that had both cores (~105 k ops/s), a run of
    # the same code that had one (~56 k).
    def writers(label: str, seed: int, ops: float, rss: float) -> RunResult:
        time = metric("time", noisy(seed, 0.52, 0.01, 5), processes=5)
        cpu = metric("cpu_time", noisy(seed + 50, 1.0, 0.01, 5), processes=5)
        rate = metric(
            "ops_per_s",
            noisy(seed + 70, ops, 0.02, 5),
            unit="ops/s",
            direction="higher",
            processes=5,
        )
        memory = metric("rss", noisy(seed + 90, rss, 0.01, 5), unit="MiB", processes=5)
        return run(label, bench(ID, time, cpu, rate, memory))

    comparison = judge(writers("a", 1, 105_000.0, 100.0), writers("b", 2, 56_000.0, 200.0))
    statuses = {v.metric: (v.status, v.capped is not None) for v in comparison.verdicts}
    assert statuses["ops_per_s"] == (Status.UNCERTAIN, True)
    assert statuses["rss"] == (Status.REGRESSED, False)  # memory is no measure of speed


def test_a_cpu_bound_time_measured_on_a_busy_machine_is_still_judged_cpu_bound() -> None:
    # The current run waited for a core: the same CPU time, four times the wall time.
    time = metric("time", noisy(2, 4.0, 0.01, 5), processes=5)
    cpu = metric("cpu_time", noisy(52, 0.95, 0.01, 5), processes=5)
    busy = run("b", bench(ID, time, cpu))
    verdicts = {v.metric: v for v in judge(_cpu_bound("a", 1, 1.0), busy).verdicts}
    assert verdicts["time"].status is Status.UNCERTAIN and verdicts["time"].capped is not None
    assert verdicts["cpu_time"].status is Status.UNCHANGED


def test_measured_interleaved_in_one_process_the_warning_names_processes_not_against() -> None:
    def one(seed: int) -> BenchmarkResult:
        return bench(ID, metric("time", noisy(seed, 1.0, 0.05, 10), processes=1))

    base = run("a", one(1), role="base")
    current = run("b", one(2), against=Against("main", "0123456789abcdef", base.run_id))
    (warning,) = judge(base, current).warnings
    assert warning.endswith("--processes 5 measures 5 per side from the start (docs/verdicts.md)")


def test_measured_interleaved_the_same_cpu_bound_slowdown_regresses() -> None:
    base = _cpu_bound("a", 1, 1.0, role="base")
    current = _cpu_bound("b", 2, 1.5, against=Against("main", "0123456789abcdef", base.run_id))
    statuses = {v.metric: v.status for v in judge(base, current).verdicts}
    assert statuses == {"time": Status.REGRESSED, "cpu_time": Status.REGRESSED}


def test_measured_interleaved_a_counted_cpu_bound_time_leaves_the_verdict_to_its_count() -> None:
    # Each core runs at its own, changing speed: 1.5x slower in every process of one side is
    # what a slow core did in a real A/A run; the count says the CPU work did not change.
    def counted(label: str, wall: float, **meta: object) -> RunResult:
        timed_run = _cpu_bound(label, 1 if label == "a" else 2, wall, **meta)
        (only,) = timed_run.benchmarks
        return replace(
            timed_run, benchmarks=(replace(only, metrics=(*only.metrics, _instructions(1e6))),)
        )

    base = counted("a", 1.0, role="base")
    current = counted("b", 1.5, against=Against("main", "0123456789abcdef", base.run_id))
    comparison = judge(base, current)
    verdicts = {v.metric: v for v in comparison.verdicts}
    assert {m: (v.status, v.capped is not None) for m, v in verdicts.items()} == {
        "time": (Status.UNCERTAIN, True),
        "cpu_time": (Status.UNCERTAIN, True),
        "instructions": (Status.UNCHANGED, False),
    }
    assert verdicts["time"].reason.startswith("CPU-bound: its instruction count judges")
    assert comparison.exit_code() == 0
    # The count settles those times: --fail-on uncertain passes, and reports fold them.
    assert [verdicts[m].judged_by for m in ("time", "cpu_time")] == ["instructions"] * 2
    assert comparison.settled_elsewhere(verdicts["time"])
    assert comparison.exit_code(FailOn.UNCERTAIN) == 0


def test_an_uncertain_time_whose_judging_count_is_absent_still_fails_on_uncertain() -> None:
    time = Verdict(ID, "time", Status.UNCERTAIN, "capped", Kind.SAMPLED, judged_by="instructions")
    count = Verdict(ID, "instructions", Status.UNCHANGED, "", Kind.DETERMINISTIC)
    settled = Comparison(run("a"), run("b"), Policy(), (time, count))
    assert settled.exit_code(FailOn.UNCERTAIN) == 0
    alone = Comparison(run("a"), run("b"), Policy(), (time,))
    assert not alone.settled_elsewhere(time) and alone.exit_code(FailOn.UNCERTAIN) == 1


def _latency_bound(label: str, levels: list[float], seed: int) -> RunResult:
    """A benchmark that mostly waits: CPU time a tenth of its wall time."""
    samples = tuple(x for k, level in enumerate(levels) for x in noisy(seed + k, level, 0.01, 3))
    time = metric("time", samples, processes=len(levels))
    cpu = metric("cpu_time", tuple(x / 10 for x in samples), processes=len(levels))
    return run(label, bench(ID, time, cpu))


BASELINE_LEVELS = [1.00, 1.03, 0.98, 1.01, 1.04]  # five processes, a few % apart


def test_one_process_against_a_stored_baseline_of_five_is_judged_by_their_spread() -> None:
    base = _latency_bound("a", BASELINE_LEVELS, 1)
    slow = judge(base, _latency_bound("b", [1.32], 9))
    time = next(v for v in slow.verdicts if v.metric == "time")
    assert (time.level, time.status) == ("baseline spread", Status.REGRESSED)
    assert time.reason.endswith("; 5 vs 1 processes, against the baseline's spread (best)")
    same = judge(base, _latency_bound("c", [1.02], 9))
    assert next(v for v in same.verdicts if v.metric == "time").status is Status.UNCHANGED


def test_a_micro_benchmarks_time_is_cpu_work_a_stored_baseline_cannot_judge() -> None:
    # pytest-benchmark's timings come without a CPU time: the time of a pure function.
    def micro(label: str, levels: list[float], seed: int) -> RunResult:
        samples = tuple(x for k, v in enumerate(levels) for x in noisy(seed + k, v, 0.01, 3))
        time = metric("time", samples, processes=len(levels))
        return run(label, bench("micro.test_parse.test_analyze_page", time))

    (time,) = judge(micro("a", BASELINE_LEVELS, 1), micro("b", [1.32], 9)).verdicts
    assert time.status is Status.UNCERTAIN and "machine's speed" in time.reason


def test_a_zero_against_a_baselines_spread_is_judged_without_a_numpy_warning() -> None:
    base = _latency_bound("a", BASELINE_LEVELS, 1)
    zero = run("b", bench(ID, metric("time", (0.0, 0.0, 0.0), processes=1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "divide by zero encountered in log" was printed
        verdicts = judge(base, zero).verdicts
    assert next(v for v in verdicts if v.metric == "time").status is not Status.REGRESSED


def test_a_stored_baseline_whose_processes_disagree_cannot_call_a_regression() -> None:
    base = _latency_bound("a", [1.0, 1.4, 0.8, 1.2, 0.9], 1)
    (time, _) = sorted(
        judge(base, _latency_bound("b", [1.32], 9)).verdicts, key=lambda v: v.metric != "time"
    )
    assert (time.level, time.status) == ("baseline spread", Status.UNCERTAIN)


def test_a_suites_noise_floor_leaves_changes_smaller_than_it_unchanged() -> None:
    # A leak check's growth: 0.04 MiB against 0.3 MiB is ×7.5 and significant, and nothing.
    base, cur = noisy(21, 0.04, 0.05, 20), noisy(22, 0.3, 0.05, 20)
    assert _one(base, cur, unit="MiB")[1].status is Status.REGRESSED
    floored = Policy(benchmark_floors={"suite.Bench.time_x": {"time": 1.0}})
    _, v = _one(base, cur, floored, unit="MiB")
    assert v.status is Status.UNCHANGED
    assert v.reason == "within the suite's noise floor of 1 MiB"
    assert (
        _one(base, cur, Policy(benchmark_floors={"suite.Bench.time_x": {"time": 0.1}}))[1].status
        is Status.REGRESSED
    )  # 0.26 MiB apart: past a floor of 0.1
    other = Policy(benchmark_floors={"suite.Bench.time_x": {"track": 1.0}})
    assert _one(base, cur, other)[1].status is Status.REGRESSED  # another metric's floor


def test_a_noise_floor_lets_a_counter_that_depends_on_timing_move_a_little() -> None:
    def counted(label: str, requests: float) -> RunResult:
        return run(label, bench("suite.Bench.time_x", counter("requests", requests)))

    floored = Policy(benchmark_floors={"suite.Bench.time_x": {"requests": 3}})
    (v,) = judge(counted("a", 102), counted("b", 104), floored).verdicts
    assert v.status is Status.UNCHANGED  # a rate limit met twice more
    (v,) = judge(counted("a", 102), counted("b", 204), floored).verdicts
    assert v.status is Status.REGRESSED  # every request twice
    (v,) = judge(counted("a", 102), counted("b", 104)).verdicts
    assert v.status is Status.REGRESSED  # without a floor, any extra request


def _floor_suites(where: Path, floors: str) -> Path:
    root = where / "floorsuites"
    root.mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "leaks.py").write_text(
        f"def track_growth():\n    return 0.1\n\ntrack_growth.noise_floors = {floors}\n\n"
        "def track_other():\n    return 0.1\n"
    )
    return root


def test_noise_floors_are_read_from_the_suites_and_checked(tmp_path: Path) -> None:
    good = _floor_suites(tmp_path / "good", "{'track': 1}")
    assert suite_floors(good) == {"leaks.track_growth": {"track": 1.0}}
    bad = _floor_suites(tmp_path / "bad", "{'track': -1}")
    with pytest.raises(InputError, match="leaks.track_growth: 'noise_floors' values must be 0"):
        suite_floors(bad)


def test_the_projects_knee_recommending_16_jobs_instead_of_8_is_no_regression() -> None:
    # Samples as measured on the 2-core machine: a stored baseline of 5 processes, mostly 8
    # jobs, and a run whose three samples all recommended 16.
    from harness.compare.overrides import with_suite_overrides

    knee = "parallelism.Knee.track_recommended_jobs"
    samples = (8.0, 16.0, 16.0, 16.0, 8.0, 16.0, 8.0, 16.0, 16.0, 8.0, 16.0, 16.0, 8.0, 16.0, 16.0)
    base = run("a", bench(knee, metric("track", samples, unit="jobs", processes=5)))
    current = run("b", bench(knee, metric("track", (16.0, 16.0, 16.0), unit="jobs", processes=1)))
    (plain,) = judge(base, current).verdicts
    assert plain.status is Status.REGRESSED  # what the gate said before the suite's floor
    policy = with_suite_overrides(Policy(), Path(__file__).parents[3] / "suites")
    (floored,) = judge(base, current, policy).verdicts
    assert floored.status is Status.UNCHANGED
    assert floored.reason == "within the suite's noise floor of 16 jobs"


def test_the_projects_mock_p50_error_half_a_millisecond_larger_is_no_regression() -> None:
    from harness.compare.overrides import with_suite_overrides

    p50 = "mock.LatencyAccuracy.track_p50_error_ms(latency_ms=20.0)"
    before = (0.74, 0.36, 0.59, 0.67, 0.5)  # per-process bests of a stored baseline, in ms
    after = (1.02, 1.07, 1.18, 0.83, 0.79)  # five later runs of the same code
    base = run("a", bench(p50, metric("track", before, unit="ms", processes=5)))
    current = run("b", bench(p50, metric("track", after, unit="ms", processes=5)))
    (plain,) = judge(base, current).verdicts
    assert plain.status is Status.REGRESSED
    policy = with_suite_overrides(Policy(), Path(__file__).parents[3] / "suites")
    (floored,) = judge(base, current, policy).verdicts
    assert floored.status is Status.UNCHANGED
