"""Confirm before failing: re-measure suspects, pool their samples, judge again."""

from __future__ import annotations

from harness.compare import Comparison, Policy, Status, confirm, judge, to_confirm
from harness.compare.confirm import by_urgency
from harness.meta import Against
from harness.records import RunResult
from tests.harness.compare.factory import bench, counter, metric, noisy, run, timed


class Remeasurer:
    """Hands out prepared runs and records which ids were asked for."""

    def __init__(self, *runs: RunResult | tuple[RunResult, RunResult]) -> None:
        self.runs = list(runs)
        self.asked: list[list[str]] = []

    def __call__(self, ids: list[str]) -> RunResult | tuple[RunResult, RunResult]:
        self.asked.append(ids)
        return self.runs.pop(0)


def test_a_fluke_is_pooled_away() -> None:
    base = run("a", timed("x", 1, 1.0), timed("y", 2, 1.0))
    fluke = run("b", timed("x", 3, 1.5), timed("y", 4, 1.0))
    first = judge(base, fluke)
    assert to_confirm(first) == ["x"]
    again = Remeasurer(
        *(run(c, timed("x", seed, 1.0)) for c, seed in zip("cdef", range(5, 9), strict=True))
    )
    final = confirm(first, again, rounds=4)
    # While the fluke's samples weigh enough to leave a 20% slowdown plausible, x stays
    # suspect; after three fresh runs nothing is, and the fourth is not asked for.
    assert again.asked == [["x"], ["x"], ["x"]]
    assert final.benchmark_status("x") is Status.UNCHANGED
    assert final.rounds == 3 and final.remeasured == ("x",)
    assert final.pooled_runs == {"x": (1, 4)}
    pooled = next(b for b in final.current.benchmarks if b.id == "x").metric("time")
    assert len(pooled.samples) == 40 and pooled.summary["n"] == 40


def test_a_real_regression_survives_every_round() -> None:
    base = run("a", timed("x", 1, 1.0))
    slow = Remeasurer(run("c", timed("x", 5, 1.5)), run("d", timed("x", 6, 1.5)))
    final = confirm(judge(base, run("b", timed("x", 3, 1.5))), slow, rounds=2)
    assert len(slow.asked) == 2
    assert final.benchmark_status("x") is Status.REGRESSED
    assert final.pooled_runs == {"x": (1, 3)}


def test_both_sides_are_pooled_when_the_remeasure_returns_a_pair() -> None:
    base = run("a", timed("x", 1, 1.0))
    pair = (run("c", timed("x", 7, 1.0)), run("d", timed("x", 8, 1.5)))
    final = confirm(judge(base, run("b", timed("x", 3, 1.5))), Remeasurer(pair), rounds=1)
    assert len(next(iter(final.baseline.benchmarks)).metric("time").samples) == 20
    assert final.pooled_runs == {"x": (2, 2)}


def test_exact_regressions_are_not_remeasured() -> None:
    base = run("a", bench("x", metric("time", noisy(1, 1.0, 0.05)), counter("requests", 5)))
    cur = run("b", bench("x", metric("time", noisy(2, 1.0, 0.05)), counter("requests", 6)))
    never = Remeasurer()
    final = confirm(judge(base, cur), never)
    assert never.asked == [] and final.exit_code() == 1


def test_confirmation_stops_once_a_count_has_failed_the_gate_and_says_what_it_left() -> None:
    # y's counter regressed: exit 1 whatever x's times become, so x is not re-measured.
    base = run("a", timed("x", 1, 1.0), bench("y", counter("requests", 5)))
    cur = run("b", timed("x", 3, 1.5), bench("y", counter("requests", 10)))
    first = judge(base, cur)
    assert to_confirm(first) == ["x"]
    never = Remeasurer()
    final = confirm(first, never, rounds=4)
    assert never.asked == [] and final.rounds == 0 and final.exit_code() == 1
    assert final.benchmark_status("x") is Status.REGRESSED
    assert (
        "confirmation stopped after 0 round(s): y regressed on a count, which measuring again "
        "does not change; 1 benchmark(s) left unconfirmed: x"
    ) in final.warnings
    # Without the count, x is confirmed as before.
    alone = Remeasurer(run("c", timed("x", 5, 1.5)))
    assert confirm(judge(base, run("b", timed("x", 3, 1.5))), alone, rounds=1).rounds == 1


def test_a_failed_remeasure_keeps_the_earlier_samples_and_says_so() -> None:
    base = run("a", timed("x", 1, 1.0))
    broken = Remeasurer(run("c", bench("x", status="failed", error="boom")))
    final = confirm(judge(base, run("b", timed("x", 3, 1.5))), broken, rounds=1)
    assert final.benchmark_status("x") is Status.REGRESSED
    assert any("re-measuring x failed (boom)" in w for w in final.warnings)
    assert final.pooled_runs == {}


def _together(
    base_values: tuple[float, ...], cur_values: tuple[float, ...], policy: Policy | None = None,
    **kw: str,
) -> Comparison:  # fmt: skip
    """An ``--against`` pair: one value of metric ``track`` per process on each side."""
    base = run("a", bench("x", metric("track", base_values, **kw)), role="base")
    against = Against("main", "0123456789abcdef", base.run_id)
    current = run("b", bench("x", metric("track", cur_values, **kw)), against=against)
    return judge(base, current, policy)


def test_measured_together_a_suspect_more_processes_cannot_make_regressed_is_not_remeasured() -> (
    None
):
    # Both current processes already did no worse than the slower baseline process: at 5
    # processes per side the rank test cannot reach α = 0.01 (two such pairs: p ≥ 4/252).
    overlapping = _together((1.0, 1.6), (1.5, 1.1))
    assert overlapping.benchmark_status("x") is Status.UNCERTAIN
    assert to_confirm(overlapping) == ["x"]
    assert to_confirm(overlapping, processes_left=3) == []
    apart = _together((1.0, 1.05), (1.5, 1.6))
    assert to_confirm(apart, processes_left=3) == ["x"]
    # With 4 processes per side at most, too few to be judged on processes (at α = 0.05, 4 vs
    # 4 could be significant: it is the number of processes that rules it out).
    loose = _together((1.0, 1.05), (1.5, 1.6), Policy(alpha=0.05))
    assert to_confirm(loose, processes_left=3) == ["x"]
    assert to_confirm(loose, processes_left=2) == []
    # Higher is better: the same, mirrored.
    higher = {"direction": "higher", "unit": "requests/s"}
    assert to_confirm(_together((100.0, 60.0), (70.0, 90.0), **higher), processes_left=3) == []
    assert to_confirm(_together((100.0, 95.0), (60.0, 62.0), **higher), processes_left=3) == ["x"]


def test_measured_together_confirmation_stops_once_regressed_is_out_of_reach() -> None:
    first = _together((1.0,), (1.5,))
    assert to_confirm(first, processes_left=4) == ["x"]  # one pair: anything is still possible
    base_again = run("c", bench("x", metric("track", (1.6,))), role="base")
    cur_again = run("d", bench("x", metric("track", (1.1,))))
    rounds = Remeasurer((base_again, cur_again))
    final = confirm(first, rounds, rounds=4)
    assert rounds.asked == [["x"]]  # then (1.0, 1.6) against (1.5, 1.1): out of reach
    assert final.benchmark_status("x") is Status.UNCERTAIN and final.rounds == 1


def test_measured_together_a_round_of_several_processes_counts_as_that_many() -> None:
    first = _together((1.0,), (1.5,))
    unasked = Remeasurer()
    assert confirm(first, unasked, rounds=2).rounds == 0  # 1 + 2 processes per side: too few
    assert unasked.asked == []
    base_again = run("c", bench("x", metric("track", (1.02, 1.01))), role="base")
    pair = (base_again, run("d", bench("x", metric("track", (1.55, 1.6)))))
    asked = Remeasurer(pair, pair)
    confirm(first, asked, rounds=2, processes_per_round=2)  # 1 + 2 × 2: enough
    assert asked.asked[0] == ["x"]


def test_with_a_time_limit_the_surest_regression_is_offered_first() -> None:
    # x is +50%, y +25%, z +100%: the limit is offered z, x, y and affords the first two.
    base = run("a", timed("x", 1, 1.0), timed("y", 2, 1.0), timed("z", 3, 1.0))
    cur = run("b", timed("x", 4, 1.5), timed("y", 5, 1.25), timed("z", 6, 2.0))
    first = judge(base, cur)
    assert to_confirm(first) == ["x", "y", "z"]
    offered: list[list[str]] = []

    def afford(comparison: Comparison, ids: list[str], rounds: int) -> list[str]:
        offered.append([*ids, f"{rounds} rounds"])
        return ids[:2] if len(offered) == 1 else []

    again = Remeasurer(run("c", timed("x", 7, 1.5), timed("z", 8, 2.0)))
    final = confirm(first, again, rounds=4, afford=afford)
    assert offered[0] == ["z", "x", "y", "4 rounds"]
    assert offered[1][-1] == "3 rounds"
    assert again.asked == [["z", "x"]]
    assert final.rounds == 1 and final.pooled_runs == {"x": (1, 2), "z": (1, 2)}
    # The second round found no time at all: every suspect still suspect is named, y too,
    # which the first round left out.
    assert (
        "time limit: confirmation left 3 benchmark(s) unconfirmed after 1 round(s), the "
        "surest regressions measured first: x, y, z"
    ) in final.warnings


def test_a_time_limit_that_affords_everything_changes_nothing() -> None:
    base = run("a", timed("x", 1, 1.0))
    first = judge(base, run("b", timed("x", 3, 1.5)))
    slow = Remeasurer(run("c", timed("x", 5, 1.5)), run("d", timed("x", 6, 1.5)))
    final = confirm(first, slow, rounds=2, afford=lambda comparison, ids, rounds: ids)
    assert len(slow.asked) == 2 and final.benchmark_status("x") is Status.REGRESSED
    assert not any(w.startswith("time limit") for w in final.warnings)


def test_a_time_limit_with_no_time_left_measures_nothing_and_names_every_suspect() -> None:
    base = run("a", timed("x", 1, 1.0), timed("y", 2, 1.0))
    first = judge(base, run("b", timed("x", 3, 1.5), timed("y", 4, 1.3)))
    never = Remeasurer()
    final = confirm(first, never, rounds=4, afford=lambda comparison, ids, rounds: [])
    assert never.asked == [] and final.rounds == 0
    assert (
        "time limit: confirmation left 2 benchmark(s) unconfirmed after 0 round(s), the "
        "surest regressions measured first: x, y"
    ) in final.warnings


def test_a_noisy_suspect_with_the_larger_ratio_goes_after_a_surer_one() -> None:
    base = run(
        "a",
        bench("noisy", metric("time", noisy(1, 1.0, 0.5))),
        bench("tight", metric("time", noisy(2, 1.0, 0.01))),
    )
    cur = run(
        "b",
        bench("noisy", metric("time", noisy(3, 2.0, 0.5))),
        bench("tight", metric("time", noisy(4, 1.3, 0.01))),
    )
    first = judge(base, cur)
    verdicts = {v.benchmark: v for v in first.verdicts if v.metric == "time"}
    noisy_v, tight_v = verdicts["noisy"], verdicts["tight"]
    assert noisy_v.ratio and tight_v.ratio and noisy_v.ratio > tight_v.ratio
    assert set(to_confirm(first)) == {"noisy", "tight"}
    assert by_urgency(first, ["noisy", "tight"]) == ["tight", "noisy"]
