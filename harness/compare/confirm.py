"""Confirm before failing: re-measure what looks regressed or uncertain, pool, judge again.

The re-measuring itself is injected (the runner supplies it), so this module stays pure and
testable. ``remeasure(ids)`` returns a fresh current run of those benchmark ids, or a pair
``(baseline, current)`` when both sides can be measured again (same-machine ``--against``
mode); fresh samples are appended to the earlier ones of the same side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from harness.compare.judge import judge
from harness.compare.model import Comparison, Status
from harness.records import Kind, RunResult

Remeasure = Callable[[list[str]], "RunResult | tuple[RunResult, RunResult]"]
DEFAULT_ROUNDS = 2
CONFIRMED = (Status.REGRESSED, Status.UNCERTAIN)


def to_confirm(comparison: Comparison) -> list[str]:
    """Benchmark ids with a sampled metric regressed or uncertain on the evidence itself.

    Exact counters need no confirmation, and a verdict made uncertain by the environment
    guard would stay uncertain however often it is measured.
    """
    ids = [
        v.benchmark
        for v in comparison.verdicts
        if v.kind is Kind.SAMPLED
        and v.status in CONFIRMED
        and not v.env_guarded
        and v.capped is None
    ]
    return list(dict.fromkeys(ids))


def confirm(
    comparison: Comparison, remeasure: Remeasure, rounds: int = DEFAULT_ROUNDS
) -> Comparison:
    """Up to ``rounds`` re-measurements of the suspects, each pooled before judging again."""
    remeasured = list(comparison.remeasured)
    runs = dict(comparison.pooled_runs)
    notes: list[str] = []
    for _ in range(rounds):
        ids = to_confirm(comparison)
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
    return replace(comparison, warnings=comparison.warnings + tuple(notes))


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
