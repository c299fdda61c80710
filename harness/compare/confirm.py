"""Confirm before failing: re-measure what looks regressed or uncertain, pool, judge again.

The re-measuring itself is injected (the runner supplies it), so this module stays pure and
testable. ``remeasure(ids)`` returns a fresh current run of those benchmark ids, or a pair
``(baseline, current)`` when both sides can be measured again (same-machine ``--against``
mode); fresh samples are appended to the earlier ones of the same side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from harness.compare import stats
from harness.compare.judge import interleaved, is_cpu_bound, judge
from harness.compare.model import Comparison, Status, Verdict
from harness.compare.processes import process_values
from harness.records import Direction, Kind, Metric, RunResult

Remeasure = Callable[[list[str]], "RunResult | tuple[RunResult, RunResult]"]
# Of the suspects of a round (most urgent first), those the time left can measure in this
# round and the rounds after it (the last argument counts both), given what the comparison so
# far says of them (how long their processes took).
Afford = Callable[[Comparison, list[str], int], list[str]]
DEFAULT_ROUNDS = 2
CONFIRMED = (Status.REGRESSED, Status.UNCERTAIN)


def to_confirm(comparison: Comparison, processes_left: int | None = None) -> list[str]:
    """Benchmark ids with a sampled metric regressed or uncertain on the evidence itself.

    Exact counters need no confirmation, and a verdict made uncertain by the environment
    guard would stay uncertain however often it is measured. Given ``processes_left`` (how many
    more processes per side the remaining rounds measure, both sides measured together as
    ``--against`` does), neither is a metric they can no longer make regressed
    (:func:`can_still_regress`).
    """
    ids = [
        v.benchmark
        for v in comparison.verdicts
        if v.kind is Kind.SAMPLED
        and v.status in CONFIRMED
        and not v.env_guarded
        and v.capped is None
        and (processes_left is None or can_still_regress(comparison, v, processes_left))
    ]
    return list(dict.fromkeys(ids))


def can_still_regress(comparison: Comparison, verdict: Verdict, processes_left: int) -> bool:
    """Whether ``processes_left`` more processes per side could make ``verdict`` regressed.

    Both sides measured together are judged regressed only on one value per process, by a rank
    test at α, and only with enough processes per side. A process's value never changes, so the
    pairs in which a current process already did no worse than a baseline one stay: the
    smallest p-value still reachable is the test's with every new baseline process better and
    every new current one worse than all so far. On the quick suite's ``--against`` of the same
    code, most suspects that did not settle in 4 rounds were out of reach after 1 or 2 (the
    mock's latency error, a leak check of 0.03–0.8 MiB, a recommended job count of 8 or 16).
    """
    policy = comparison.policy
    base = _metric(comparison.baseline, verdict.benchmark, verdict.metric)
    cur = _metric(comparison.current, verdict.benchmark, verdict.metric)
    if base is None or cur is None:
        return True
    old = list(process_values(base, policy.process_statistic))
    new = list(process_values(cur, policy.process_statistic))
    if min(len(old), len(new)) + processes_left < max(policy.min_processes, 2):
        return False  # never judged on processes: at most uncertain
    if not old or not new:
        return True
    low, high = min(old + new), max(old + new)
    below = [low - 1 - abs(low) - i for i in range(processes_left)]  # distinct: no ties added
    above = [high + 1 + abs(high) + i for i in range(processes_left)]
    better, worse = (below, above) if verdict.direction is Direction.LOWER else (above, below)
    return stats.worse_p_value(old + better, new + worse, verdict.direction) < policy.alpha


def waiting(comparison: Comparison, ids: list[str]) -> list[str]:
    """The ids of ``ids`` whose benchmark waits more than it computes on both sides (neither is
    CPU-bound): confirming them, one sample per worker process is enough.

    Such a benchmark's samples repeat within a process: ``parallelism.Sweep(jobs=1)`` took 1.19,
    1.20, 1.20 s in one process, its processes 1.18-1.25 s apart, and a real slowdown of 30% is
    far from either. Its samples are also its slowest: 1.2-1.5 s each, three per process, ~4.5 of
    the ~5.5 s its process took; at one sample a process costs ~2 s. Both sides of a round take
    the same number, so their values stay comparable; pooled with the first measurement's
    best-of-three, the rank test only grows more cautious (a simulation of 5 vs 5 values, one
    of each side the best of three: false alarms at α = 0.01 at most the nominal 0.8%, fewer
    as the two kinds of value differ more).
    """
    waits = []
    for bench_id in ids:
        sides = (comparison.baseline.benchmark(bench_id), comparison.current.benchmark(bench_id))
        timed = [b for b in sides if b is not None and b.metric("cpu_time") is not None]
        if len(timed) == 2 and not any(is_cpu_bound(b) for b in timed):
            waits.append(bench_id)
    return waits


def by_urgency(comparison: Comparison, ids: list[str]) -> list[str]:
    """``ids``, the one most surely worse first (the highest low end of a suspect metric's CI
    of the ratio, or the ratio where there is no CI): where time runs short, what is likely to
    fail the gate is confirmed before what is barely suspect or merely noisy. In an
    ``--against`` run of a 7 ms delay per request, ranked by the ratio alone, the mock's
    throughput (+41%, CI 1.14-1.75; out of suspicion after one round) went before the three
    latency-bound times the change had slowed by 32-35% (CI low ends 1.29-1.32)."""
    surest: dict[str, float] = {}
    for v in comparison.verdicts:
        if v.benchmark in ids and v.kind is Kind.SAMPLED and v.status in CONFIRMED:
            low = v.ci_low if v.ci_low is not None else (v.ratio or 0.0)
            surest[v.benchmark] = max(surest.get(v.benchmark, 0.0), low)
    return sorted(ids, key=lambda i: -surest.get(i, 0.0))


def _metric(run: RunResult, benchmark_id: str, name: str | None) -> Metric | None:
    bench = run.benchmark(benchmark_id)
    return bench.metric(name) if bench is not None and name else None


def confirm(
    comparison: Comparison,
    remeasure: Remeasure,
    rounds: int = DEFAULT_ROUNDS,
    processes_per_round: int = 1,
    afford: Afford | None = None,
) -> Comparison:
    """Up to ``rounds`` re-measurements of the suspects, each pooled before judging again
    (each of ``processes_per_round`` worker processes per side).

    With ``afford`` (a time limit), each round measures the suspects it returns, offered the
    most surely worse first (:func:`by_urgency`) with the number of rounds still allowed, so
    that the time of a suspect's later rounds is kept for it; confirmation stops when it
    returns none, and a warning names the suspects the limit left unconfirmed."""
    remeasured = list(comparison.remeasured)
    runs = dict(comparison.pooled_runs)
    notes: list[str] = []
    cut: set[str] = set()  # suspects the time limit left out of a round
    together = interleaved(comparison.baseline, comparison.current)
    for done in range(rounds):
        left = (rounds - done) * processes_per_round
        ids = to_confirm(comparison, left if together else None)
        if not ids:
            break
        failed = final_regressions(comparison)
        if failed:
            notes.append(
                f"confirmation stopped after {done} round(s): {', '.join(failed)} regressed on a "
                f"count, which measuring again does not change; {len(ids)} benchmark(s) left "
                f"unconfirmed: {', '.join(ids)}"
            )
            break
        if afford is not None:
            wanted = by_urgency(comparison, ids)
            ids = afford(comparison, wanted, rounds - done)
            cut.update(i for i in wanted if i not in ids)
            if not ids:
                break
        fresh = remeasure(ids)
        base_fresh, cur_fresh = fresh if isinstance(fresh, tuple) else (None, fresh)
        baseline = comparison.baseline
        if base_fresh is not None:
            baseline = pool(baseline, base_fresh, ids, notes)
        current = pool(comparison.current, cur_fresh, ids, notes)
        for bench_id in _measured(cur_fresh, ids):
            k_base, k_cur = runs.get(bench_id, (1, 1))
            again = base_fresh is not None and bench_id in _measured(base_fresh, ids)
            runs[bench_id] = (k_base + again, k_cur + 1)
        remeasured += [i for i in ids if i not in remeasured]
        comparison = replace(
            judge(baseline, current, comparison.policy, runs),
            rounds=comparison.rounds + 1,
            remeasured=tuple(remeasured),
        )
    unconfirmed = [i for i in to_confirm(comparison) if i in cut]
    if unconfirmed:
        notes.append(
            f"time limit: confirmation left {len(unconfirmed)} benchmark(s) unconfirmed after "
            f"{comparison.rounds} round(s), the surest regressions measured first: "
            f"{', '.join(unconfirmed)}"
        )
    return replace(comparison, warnings=comparison.warnings + tuple(notes))


def final_regressions(comparison: Comparison) -> list[str]:
    """Benchmark ids regressed on an exact counter or an instruction count: the gate fails on
    them whatever more rounds find, so confirming the rest only delays the verdict. Doubled
    requests regressed their counters before the first round of an ``--against`` run, which
    then spent 4 rounds (120 s of its 361 s) confirming times that could not change its exit."""
    ids = [
        v.benchmark
        for v in comparison.verdicts
        if v.status is Status.REGRESSED and v.kind in (Kind.EXACT, Kind.DETERMINISTIC)
    ]
    return list(dict.fromkeys(ids))


def _measured(fresh: RunResult, ids: list[str]) -> set[str]:
    return {b.id for b in fresh.benchmarks if b.id in ids and b.ok}


def pool(run: RunResult, fresh: RunResult, ids: list[str], notes: list[str]) -> RunResult:
    """``run`` with the samples of ``fresh`` appended for the benchmarks ``ids``.

    A re-measurement that failed or is absent leaves the earlier samples in place (noted):
    one crash in a confirmation round must not erase a measured result.
    """
    extra = {b.id: b for b in fresh.benchmarks}
    pooled = []
    for bench in run.benchmarks:
        if bench.id in ids and bench.ok:
            again = extra.get(bench.id)
            if again is None or not again.ok:
                why = again.error if again is not None else "not measured"
                notes.append(f"re-measuring {bench.id} failed ({why}); kept earlier samples")
            else:
                bench = bench.extended(again, shift_rounds=bench.rounds())
        pooled.append(bench)
    return replace(run, benchmarks=tuple(pooled))
