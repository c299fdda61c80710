"""Verdict quality on this machine: false alarms in A/A comparisons, detection in A/B ones.

Method (see docs/verdicts.md): take R real runs of the same benchmarks, each measured in its own
worker processes. Every ordered pair (i, j) of distinct runs is one A/A comparison (baseline i,
current j): nothing changed, so a "regressed" verdict is a false alarm. The same pair with every
current sample made worse by ``slowdown`` (times ×1.2, counters ×1.2) is one A/B comparison: a
"regressed" verdict is a detection. Confirmation re-measurements are drawn from the other runs
(never i or j), slowed down too in A/B, so the confirm step sees genuinely fresh processes.
Pairs share runs, so the comparisons are not independent: the run count is reported beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import permutations

import numpy as np
from scipy.stats import beta

from harness.compare import Comparison, Policy, Status, confirm, judge
from harness.errors import InputError
from harness.records import BenchmarkResult, Direction, Kind, Metric, RunResult

# A regression is an estimate past the threshold (20%): a true slowdown of exactly 20% is
# estimated past it half the time, so detection is measured at 30% (docs/verdicts.md).
DEFAULT_SLOWDOWN = 0.30
DEFAULT_MAX_PAIRS = 400


@dataclass(frozen=True)
class Rate:
    """``hits`` out of ``trials``, with a one-sided 95% Clopper–Pearson upper bound."""

    hits: int = 0
    trials: int = 0

    @property
    def value(self) -> float:
        return self.hits / self.trials if self.trials else 0.0

    @property
    def upper95(self) -> float:
        if not self.trials or self.hits == self.trials:
            return 1.0
        return float(beta.ppf(0.95, self.hits + 1, self.trials - self.hits))

    @property
    def lower95(self) -> float:
        if not self.trials or self.hits == 0:
            return 0.0
        return float(beta.ppf(0.05, self.hits, self.trials - self.hits + 1))

    def add(self, hit: bool) -> Rate:
        return Rate(self.hits + int(hit), self.trials + 1)


@dataclass(frozen=True)
class Tally:
    """Counts over many comparisons, by metric kind and per benchmark."""

    sampled: Rate = field(default_factory=Rate)
    time: Rate = field(default_factory=Rate)  # the "time" metric alone (wall-clock time)
    exact: Rate = field(default_factory=Rate)
    benchmarks: Rate = field(default_factory=Rate)
    uncertain: Rate = field(default_factory=Rate)
    by_benchmark: dict[str, Rate] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Calibration:
    """The outcome of a calibration: A/A and A/B tallies and how they were obtained."""

    runs: int
    pairs: int
    benchmarks: tuple[str, ...]
    slowdown: float
    rounds: int
    both_sides: bool
    policy: Policy
    aa: Tally
    ab: Tally
    notes: tuple[str, ...] = ()
    split: int = 0  # halvings per run (interleaved A/A within runs); 0 = pairs of runs


def slowed(run: RunResult, slowdown: float) -> RunResult:
    """``run`` with every metric made worse by ``slowdown`` in its bad direction."""
    return replace(run, benchmarks=tuple(_slowed_bench(b, 1.0 + slowdown) for b in run.benchmarks))


def _slowed_bench(bench: BenchmarkResult, factor: float) -> BenchmarkResult:
    return replace(bench, metrics=tuple(_slowed_metric(m, factor) for m in bench.metrics))


def _slowed_metric(metric: Metric, factor: float) -> Metric:
    scale = factor if metric.direction is Direction.LOWER else 1.0 / factor
    runs = tuple(replace(r, samples=tuple(x * scale for x in r.samples)) for r in metric.runs)
    return replace(metric, runs=runs)


def common_ids(runs: Sequence[RunResult]) -> tuple[str, ...]:
    """Benchmarks measured successfully in every run."""
    ok = [{b.id for b in r.benchmarks if b.ok} for r in runs]
    first = [b.id for b in runs[0].benchmarks]
    return tuple(i for i in first if all(i in s for s in ok))


def pairs(count: int, limit: int) -> list[tuple[int, int]]:
    """Ordered pairs of distinct runs, spread evenly when there are more than ``limit``."""
    every = list(permutations(range(count), 2))
    if len(every) <= limit:
        return every
    step = len(every) / limit
    return [every[int(k * step)] for k in range(limit)]


def _restricted(run: RunResult, ids: tuple[str, ...]) -> RunResult:
    return replace(run, benchmarks=tuple(b for b in run.benchmarks if b.id in ids))


def _spares(count: int, pair: tuple[int, int]) -> list[int]:
    """The other runs, starting after the current one, in a fixed rotation."""
    i, j = pair
    return [k for k in ((j + step) % count for step in range(1, count)) if k not in (i, j)]


def _remeasure(
    spares: Sequence[RunResult], slowdown: float, both_sides: bool
) -> Callable[[list[str]], RunResult | tuple[RunResult, RunResult]]:
    """Confirmation rounds draw fresh runs from ``spares`` (two at a time for both sides)."""
    supply = iter(spares)

    def again(ids: list[str]) -> RunResult | tuple[RunResult, RunResult]:
        fresh = next(supply)
        current = slowed(fresh, slowdown) if slowdown else fresh
        return (next(supply), current) if both_sides else current

    return again


def process_split(
    run: RunResult, chosen: frozenset[int], used: int | None = None
) -> tuple[RunResult, RunResult]:
    """One run's worker processes in two groups: those whose index is in ``chosen``, and the
    others (of the first ``used``), as a baseline and a current run measured interleaved."""
    sides = []
    for keep in (True, False):
        benchmarks = tuple(
            replace(b, metrics=tuple(_processes_of(m, chosen, keep, used) for m in b.metrics))
            for b in run.benchmarks
        )
        sides.append(replace(run, run_id=f"{run.run_id}{'ab'[not keep]}", benchmarks=benchmarks))
    return sides[0], sides[1]


def _processes_of(metric: Metric, chosen: frozenset[int], keep: bool, used: int | None) -> Metric:
    runs = tuple(r for k, r in enumerate(metric.runs[:used]) if (k in chosen) == keep)
    return replace(metric, runs=runs)


def split_designs(
    runs: Sequence[RunResult], splits: int, seed: int = 0
) -> list[tuple[RunResult, RunResult, list[RunResult]]]:
    """``splits`` random halvings of each run's processes: (baseline, current, spares).

    Processes are taken in neighbouring pairs (rounds 0 and 1, 2 and 3, …) and a coin sends
    one of each pair to the baseline, as ``--against`` measures the two sides one after the
    other in every round. Spares for confirmation are halves of the other runs.
    """
    counts = {len(m.runs) for r in runs for b in r.benchmarks for m in b.metrics}
    if not counts or min(counts) < 2:
        raise InputError("--split needs runs measured with --processes 2 or more")
    pairs_per_run = min(counts) // 2
    rng = np.random.default_rng(seed)
    cuts = [
        [
            frozenset(2 * j + int(rng.integers(2)) for j in range(pairs_per_run))
            for _ in range(splits)
        ]
        for _ in runs
    ]
    halves = [
        [process_split(run, chosen, 2 * pairs_per_run) for chosen in cuts[r]]
        for r, run in enumerate(runs)
    ]
    designs = []
    for r in range(len(runs)):
        for s, (base, current) in enumerate(halves[r]):
            spares = [half for k in _spares(len(runs), (r, r)) for half in halves[k][s]]
            designs.append((base, current, spares))
    return designs


def pair_designs(
    runs: Sequence[RunResult], max_pairs: int
) -> list[tuple[RunResult, RunResult, list[RunResult]]]:
    """Ordered pairs of distinct runs: (baseline, current, spares)."""
    return [
        (runs[i], runs[j], [runs[k] for k in _spares(len(runs), (i, j))])
        for i, j in pairs(len(runs), max_pairs)
    ]


def _tally(tally: Tally, comparison: Comparison) -> Tally:
    sampled, exact, uncertain = tally.sampled, tally.exact, tally.uncertain
    time = tally.time
    for v in comparison.verdicts:
        if v.kind is Kind.SAMPLED:
            sampled = sampled.add(v.status is Status.REGRESSED)
            uncertain = uncertain.add(v.status is Status.UNCERTAIN)
            if v.metric == "time":
                time = time.add(v.status is Status.REGRESSED)
        elif v.kind is Kind.EXACT and v.baseline_median:  # a zero counter cannot grow by 20%
            exact = exact.add(v.status is Status.REGRESSED)
    # Per benchmark: does any of its time (sampled) metrics regress? Counters are counted apart.
    benchmarks, by_benchmark = tally.benchmarks, dict(tally.by_benchmark)
    for bench_id in comparison.benchmark_ids():
        timed = [
            v for v in comparison.verdicts if v.benchmark == bench_id and v.kind is Kind.SAMPLED
        ]
        if timed:
            hit = any(v.status is Status.REGRESSED for v in timed)
            benchmarks = benchmarks.add(hit)
            by_benchmark[bench_id] = by_benchmark.get(bench_id, Rate()).add(hit)
    return Tally(sampled, time, exact, benchmarks, uncertain, by_benchmark)


def calibrate(
    runs: Sequence[RunResult],
    policy: Policy | None = None,
    slowdown: float = DEFAULT_SLOWDOWN,
    rounds: int = 2,
    both_sides: bool = False,
    max_pairs: int = DEFAULT_MAX_PAIRS,
    split: int = 0,
) -> Calibration:
    """A/A and A/B verdict rates over pairs of ``runs`` (see the module docstring), or, with
    ``split``, over that many random halvings of each run's worker processes."""
    policy = policy or Policy()
    needed = 2 + rounds * (2 if both_sides else 1)
    if not split and len(runs) < needed:
        raise InputError(f"calibration needs at least {needed} runs, got {len(runs)}")
    if split and len(runs) < 1 + rounds:
        raise InputError(f"calibration needs at least {1 + rounds} runs, got {len(runs)}")
    ids = common_ids(runs)
    if not ids:
        raise InputError("no benchmark succeeded in every run: nothing to calibrate")
    runs = [_restricted(r, ids) for r in runs]
    designs = split_designs(runs, split, policy.seed) if split else pair_designs(runs, max_pairs)
    aa, ab = Tally(), Tally()
    for base, current, spares in designs:
        aa = _tally(aa, _one(base, current, spares, policy, 0.0, rounds, both_sides))
        ab = _tally(ab, _one(base, current, spares, policy, slowdown, rounds, both_sides))
    return Calibration(
        runs=len(runs), pairs=len(designs), benchmarks=ids, slowdown=slowdown, rounds=rounds,
        both_sides=both_sides, policy=policy, aa=aa, ab=ab, split=split,
    )  # fmt: skip


def _one(
    base: RunResult,
    current: RunResult,
    spares: Sequence[RunResult],
    policy: Policy,
    slowdown: float,
    rounds: int,
    both_sides: bool,
) -> Comparison:
    current = slowed(current, slowdown) if slowdown else current
    comparison = judge(base, current, policy)
    if rounds:
        comparison = confirm(comparison, _remeasure(spares, slowdown, both_sides), rounds)
    return comparison


def measured_run_noise(runs: Sequence[RunResult], metric: str = "time") -> dict[str, float]:
    """Per benchmark: the standard deviation of log(median) across runs — the run-to-run
    noise that samples within one run cannot show (0.1 is about ±10%)."""
    found: dict[str, list[float]] = {}
    for run in runs:
        for bench in run.benchmarks:
            m = bench.metric(metric) if bench.ok else None
            if m is not None and m.samples and min(m.samples) > 0:
                found.setdefault(bench.id, []).append(float(np.log(np.median(m.samples))))
    return {k: float(np.std(v, ddof=1)) for k, v in found.items() if len(v) > 1}
