"""A run that ends in a verdict: against a baseline (``--compare``) or a revision (``--against``).

Suspects (regressed or uncertain time metrics) are re-measured before the final verdict and
their samples pooled; the re-measurements themselves go to ``results/confirm/`` so they never
pass for the latest run, and the run's own files are rewritten with the pooled samples (more
worker processes of the same benchmarks, ``meta.confirmation`` says which), so that
``bench compare`` of the two files later gives the same verdicts.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from harness.against import commit_of, session
from harness.baselines import resolve
from harness.compare import Comparison, Policy, confirm, judge
from harness.compare.confirm import Afford, waiting
from harness.errors import InputError
from harness.execution import Progress, Silent
from harness.fixtures import load_fixtures
from harness.meta import Confirmation
from harness.micro import MICRO
from harness.records import BenchmarkResult, RunResult
from harness.results import save
from harness.runner import RunOptions, nothing_planned, plan, run
from harness.shard import select_shard
from harness.suite import discover, import_suites, select

CONFIRM_DIR = "confirm"
DEFAULT_CONFIRM_ROUNDS = 4
# What a confirmation round costs beyond its benchmarks' own processes: between the steps of a
# round 0.15-0.20 s (fixture reset, spawning), between rounds ~0.45 s (judging again, planning),
# measured on the quick suite's --against on the 2-core machine.
STEP_OVERHEAD_S = 0.25
ROUND_OVERHEAD_S = 0.5


@dataclass(frozen=True)
class Gate:
    """What a run is judged against, and how."""

    policy: Policy
    compare: str | None = None  # a baseline name or result file
    against: str | None = None  # a git revision
    confirm_rounds: int = DEFAULT_CONFIRM_ROUNDS
    baselines_dir: Path = Path("baselines")
    repo: Path = Path(".")
    max_time_s: float | None = None  # confirmation ends by then (seconds from the run's start)


def last_duration(bench: BenchmarkResult | None) -> float:
    """How long the benchmark's latest worker process took (0 when none says)."""
    runs = [r for m in (bench.metrics if bench else ()) for r in m.runs if r.duration_s]
    latest = max(runs, key=lambda r: (r.round, r.started_at or 0.0), default=None)
    return (latest.duration_s or 0.0) if latest else 0.0


def affordable(
    ids: list[str], cost: Callable[[str], float], remaining: float, rounds: int = 1
) -> list[str]:
    """Of ``ids`` (most urgent first), those whose measurements in each of ``rounds`` rounds fit
    in ``remaining`` seconds together, taken in order: one that does not fit is skipped, a
    cheaper one after it may. Keeping the later rounds' time for a suspect taken now matters
    under ``--against``, where a time is judged regressed only once 5 processes per side
    measured it: a round spent on barely suspect benchmarks would leave the worst one short of
    its fifth process."""
    chosen, spent = [], ROUND_OVERHEAD_S * rounds
    for bench_id in ids:
        needs = cost(bench_id) * rounds
        if spent + needs <= remaining:
            chosen.append(bench_id)
            spent += needs
    return chosen


Cost = Callable[[Comparison, str], float]


def time_limit(gate: Gate, started: float, cost: Cost, clock: Callable[[], float]) -> Afford | None:
    """The gate's time limit as confirmation applies it: a round measures the suspects whose
    processes in it and in the rounds still allowed, each as long as its last one took, end
    before ``started + gate.max_time_s``."""
    if gate.max_time_s is None:
        return None
    limit = gate.max_time_s

    def afford(comparison: Comparison, ids: list[str], rounds: int) -> list[str]:
        remaining = started + limit - clock()
        return affordable(ids, lambda i: cost(comparison, i), remaining, rounds)

    return afford


def compare_cost(processes: int) -> Cost:
    """Re-measuring a suspect against a stored baseline: ``processes`` more of it."""

    def cost(comparison: Comparison, bench_id: str) -> float:
        took = last_duration(comparison.current.benchmark(bench_id))
        return (took + STEP_OVERHEAD_S) * processes

    return cost


def against_cost(duet: bool, processes: int) -> Cost:
    """Re-measuring a suspect of ``--against``: ``processes`` more of each side, the two at once
    in a duet, else one after the other."""

    def cost(comparison: Comparison, bench_id: str) -> float:
        sides = (comparison.baseline, comparison.current)
        took = [last_duration(side.benchmark(bench_id)) for side in sides]
        return ((max(took) if duet else sum(took)) + STEP_OVERHEAD_S) * processes

    return cost


@dataclass(frozen=True)
class GatedRun:
    result: RunResult
    path: Path
    comparison: Comparison | None = None
    base_path: Path | None = None


def _confirm_options(options: RunOptions, ids: list[str]) -> RunOptions:
    """Re-measuring suspects: their times again; instruction counts do not change."""
    return replace(
        options, ids=tuple(ids), results_dir=options.results_dir / CONFIRM_DIR, instructions=False
    )


def _announce_round(progress: Progress, gate: Gate, k: int, ids: list[str]) -> None:
    progress.phase(
        f"confirming: round {k} of up to {gate.confirm_rounds}, "
        f"{len(ids)} benchmark(s) regressed or undecided: {', '.join(ids)}"
    )


def gated_run(options: RunOptions, gate: Gate, progress: Progress | None = None) -> GatedRun:
    """Run, then judge as ``gate`` says; without a gate, just run."""
    if gate.compare and gate.against:
        raise InputError("--compare and --against exclude each other: choose one")
    progress = progress or Silent()
    started = time.monotonic()
    # Bad input fails before the first progress line: its one line is the error alone.
    found = _found(options)
    if not found and options.shard is None and not gate.against and not plan(options):
        raise InputError(nothing_planned(options))
    load_fixtures(import_suites(options.suites_root).__name__)  # a broken _fixtures.py, now
    if gate.against:
        return _against(options, gate, progress, found, started)
    baseline = resolve(gate.compare, gate.baselines_dir) if gate.compare else None
    progress.phase(f"preparing: {_preparing(options, found)}, starting fixtures")
    result, path = run(options, progress)
    if baseline is None:
        return GatedRun(result, path)
    progress.phase(f"judging: against {gate.compare}")
    comparison = judge(baseline, result, gate.policy)
    rounds = itertools.count(1)

    def remeasure(ids: list[str]) -> RunResult:
        _announce_round(progress, gate, next(rounds), ids)
        return run(_confirm_options(options, ids), progress)[0]

    afford = time_limit(gate, started, compare_cost(options.processes), time.monotonic)
    comparison = confirm(comparison, remeasure, gate.confirm_rounds, afford=afford)
    result = _keep_pooled(comparison, comparison.current, path)
    return GatedRun(result, path, comparison)


def _keep_pooled(comparison: Comparison, pooled: RunResult, path: Path) -> RunResult:
    """Rewrite a run's file with the samples confirmation added (if it added any)."""
    if not comparison.rounds:
        return pooled
    kept = pooled.with_meta(confirmation=Confirmation(comparison.rounds, comparison.remeasured))
    save(kept, path)
    return kept


def _found(options: RunOptions) -> int:
    """How many benchmarks of the asv suites the run selects, by discovery alone (which checks
    -b and the suite names). The micro suites are listed by pytest, which takes seconds: the
    first progress line waits for them only when nothing else was found."""
    named = tuple(s for s in options.suites if s != MICRO)
    if options.suites and not named:
        return 0
    cases = select(discover(options.suites_root), named, options.pattern, options.quick)
    return len(select_shard(cases, options.shard) if options.shard else cases)


def _preparing(options: RunOptions, found: int) -> str:
    micro = (options.suites_root / MICRO).is_dir() and (
        not options.suites or MICRO in options.suites
    )
    return f"{found} benchmark(s) found" + (", listing the micro suites" if micro else "")


def _against(
    options: RunOptions, gate: Gate, progress: Progress, found: int, started: float
) -> GatedRun:
    assert gate.against is not None
    commit = commit_of(gate.repo, gate.against)
    progress.phase(
        f"preparing: {_preparing(options, found)}; {gate.against} ({commit[:8]}) in a "
        "temporary git worktree, starting fixtures"
    )
    with session(options, gate.against, gate.repo) as running:
        done = running.measure(options, progress)
        progress.phase(f"judging: against {gate.against}")
        comparison = judge(done.base, done.current, gate.policy)
        rounds = itertools.count(1)
        waits = set(waiting(comparison, [b.id for b in done.current.benchmarks]))

        def remeasure(ids: list[str]) -> tuple[RunResult, RunResult]:
            _announce_round(progress, gate, next(rounds), ids)
            once = tuple(i for i in ids if i in waits)  # both sides alike, each round
            again = running.measure(
                replace(_confirm_options(options, ids), one_sample=once), progress
            )
            return again.base, again.current

        cost = against_cost(options.duet, options.processes)
        afford = time_limit(gate, started, cost, time.monotonic)
        comparison = confirm(
            comparison, remeasure, gate.confirm_rounds, options.processes, afford=afford
        )
    _keep_pooled(comparison, comparison.baseline, done.base_path)
    current = _keep_pooled(comparison, comparison.current, done.current_path)
    return GatedRun(current, done.current_path, comparison, done.base_path)
