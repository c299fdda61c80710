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

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import permutations

from scipy.stats import beta

from harness.compare import Comparison, Policy, Status, confirm, judge
from harness.errors import InputError
from harness.results import BenchmarkResult, Metric, RunResult
from harness.stats import summarize

DEFAULT_SLOWDOWN = 0.20
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
    exact: Rate = field(default_factory=Rate)
    benchmarks: Rate = field(default_factory=Rate)
    uncertain: Rate = field(default_factory=Rate)
    by_benchmark: dict[str, Rate] = field(default_factory=dict)


@dataclass(frozen=True)
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


def slowed(run: RunResult, slowdown: float) -> RunResult:
    """``run`` with every metric made worse by ``slowdown`` in its bad direction."""
    return replace(run, benchmarks=tuple(_slowed_bench(b, 1.0 + slowdown) for b in run.benchmarks))


def _slowed_bench(bench: BenchmarkResult, factor: float) -> BenchmarkResult:
    return replace(bench, metrics=tuple(_slowed_metric(m, factor) for m in bench.metrics))


def _slowed_metric(metric: Metric, factor: float) -> Metric:
    scale = factor if metric.direction == "lower" else 1.0 / factor
    samples = tuple(x * scale for x in metric.samples)
    return replace(metric, samples=samples, summary=summarize(samples))


def common_ids(runs: Sequence[RunResult]) -> tuple[str, ...]:
    """Benchmarks measured successfully in every run."""
    ok = [{b.id for b in r.benchmarks if b.status == "ok"} for r in runs]
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


def _spares(count: int, pair: tuple[int, int]) -> Iterator[int]:
    """The other runs, starting after the current one, in a fixed rotation."""
    i, j = pair
    for step in range(1, count):
        k = (j + step) % count
        if k not in (i, j):
            yield k


def _remeasure(
    runs: Sequence[RunResult], pair: tuple[int, int], slowdown: float, both_sides: bool
) -> Callable[[list[str]], RunResult | tuple[RunResult, RunResult]]:
    spares = _spares(len(runs), pair)

    def again(ids: list[str]) -> RunResult | tuple[RunResult, RunResult]:
        current = slowed(runs[next(spares)], slowdown) if slowdown else runs[next(spares)]
        return (runs[next(spares)], current) if both_sides else current

    return again


def _tally(tally: Tally, comparison: Comparison) -> Tally:
    sampled, exact, uncertain = tally.sampled, tally.exact, tally.uncertain
    for v in comparison.verdicts:
        if v.kind == "sampled":
            sampled = sampled.add(v.status is Status.REGRESSED)
            uncertain = uncertain.add(v.status is Status.UNCERTAIN)
        elif v.kind == "exact" and v.baseline_median:  # a zero counter cannot grow by 20%
            exact = exact.add(v.status is Status.REGRESSED)
    # Per benchmark: does any of its time (sampled) metrics regress? Counters are counted apart.
    benchmarks, by_benchmark = tally.benchmarks, dict(tally.by_benchmark)
    for bench_id in comparison.benchmark_ids():
        timed = [v for v in comparison.verdicts if v.benchmark == bench_id and v.kind == "sampled"]
        if timed:
            hit = any(v.status is Status.REGRESSED for v in timed)
            benchmarks = benchmarks.add(hit)
            by_benchmark[bench_id] = by_benchmark.get(bench_id, Rate()).add(hit)
    return Tally(sampled, exact, benchmarks, uncertain, by_benchmark)


def calibrate(
    runs: Sequence[RunResult],
    policy: Policy | None = None,
    slowdown: float = DEFAULT_SLOWDOWN,
    rounds: int = 2,
    both_sides: bool = False,
    max_pairs: int = DEFAULT_MAX_PAIRS,
) -> Calibration:
    """A/A and A/B verdict rates over pairs of ``runs`` (see the module docstring)."""
    policy = policy or Policy()
    needed = 2 + rounds * (2 if both_sides else 1)
    if len(runs) < needed:
        raise InputError(f"calibration needs at least {needed} runs, got {len(runs)}")
    ids = common_ids(runs)
    if not ids:
        raise InputError("no benchmark succeeded in every run: nothing to calibrate")
    runs = [_restricted(r, ids) for r in runs]
    aa, ab = Tally(), Tally()
    chosen = pairs(len(runs), max_pairs)
    for pair in chosen:
        aa = _tally(aa, _one(runs, pair, policy, 0.0, rounds, both_sides))
        ab = _tally(ab, _one(runs, pair, policy, slowdown, rounds, both_sides))
    return Calibration(len(runs), len(chosen), ids, slowdown, rounds, both_sides, policy, aa, ab)


def _one(
    runs: Sequence[RunResult],
    pair: tuple[int, int],
    policy: Policy,
    slowdown: float,
    rounds: int,
    both_sides: bool,
) -> Comparison:
    i, j = pair
    current = slowed(runs[j], slowdown) if slowdown else runs[j]
    comparison = judge(runs[i], current, policy)
    if rounds:
        comparison = confirm(comparison, _remeasure(runs, pair, slowdown, both_sides), rounds)
    return comparison


def measured_run_noise(runs: Sequence[RunResult], metric: str = "time") -> dict[str, float]:
    """Per benchmark: the standard deviation of log(median) across runs — the run-to-run
    noise that samples within one run cannot show (0.1 is about ±10%)."""
    import numpy as np

    found: dict[str, list[float]] = {}
    for run in runs:
        for bench in run.benchmarks:
            m = bench.metric(metric) if bench.status == "ok" else None
            if m is not None and m.samples and min(m.samples) > 0:
                found.setdefault(bench.id, []).append(float(np.log(np.median(m.samples))))
    return {k: float(np.std(v, ddof=1)) for k, v in found.items() if len(v) > 1}
