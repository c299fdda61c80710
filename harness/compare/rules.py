"""The verdict rules for one metric: three kinds of metric, three kinds of judgement.

t is the metric's threshold, r the ratio in the bad direction (above 1 is worse).

``regressed`` always means: the estimate is past the threshold (r > 1 + t) **and** the change is
real — significant for sampled metrics, past a measured tolerance for instruction counts, any
change at all for exact counters. A real change that is not past the threshold is ``worse``
(or ``better``): shown, never failing.

* exact (counters): no noise. r > 1 + t regressed (t is 0 for counters unless set: any extra
  request is a regression), 1 < r <= 1 + t worse; the mirror images improved and better.
* deterministic (instructions): the ratio itself. r within the tolerance τ is unchanged;
  past 1 + t (and τ) regressed, past τ only worse; the mirror images improved and better.
* sampled (times, memory, rates): a bootstrap CI [lo, hi] of r at 1 - 2α and a one-sided test
  (Mann–Whitney, or a t-test on logs against a stored baseline's spread):

  - significantly worse (p < α and lo > 1): regressed if r > 1 + t; uncertain if only
    hi >= 1 + t (a slowdown past t is not ruled out); otherwise worse;
  - significantly better (p < α and hi < 1): improved if r < 1 / (1 + t), else better;
  - not significant: uncertain if hi >= 1 + t or r <= 1 / (1 + t), else unchanged.

  What the statistics are computed on decides how far they can be trusted (``Level``): one
  value per worker process on both sides (``--against``, or stored baselines of enough
  processes on both sides); one value per current process against a stored baseline's spread
  between its processes; or raw samples, which cannot see the noise between processes — a
  verdict on samples is never regressed, worse or better: past the threshold it is uncertain,
  with the command that would settle it.

  Against a stored baseline (not measured interleaved in the same run), the CPU time of any
  benchmark and the wall time of a CPU-bound one (CPU time a quarter of it or more) — with its
  other sampled metrics but memory: rates, latencies — also measure how fast the machine was
  that hour: those are capped at uncertain. Their CPU work is judged
  by its instruction count, their waiting by the wall time of latency-bound benchmarks. Where
  instructions were counted on both sides, a CPU-bound time is capped at uncertain in every
  mode, measured in enough processes or not: each core runs at its own, changing speed
  (``CORE_SPEED``), and its instruction count judges it.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from harness.compare import stats
from harness.compare.model import Status, Verdict
from harness.compare.policy import Policy
from harness.compare.processes import Level, judged_values
from harness.records import Direction, Kind, Metric

# CPU time / wall time at or above which wall time is (largely) CPU work. Not 0.5: on a machine
# running twice as many busy processes as it has cores, CPU-bound benchmarks of networkx's asv
# suite measured 0.44 and were judged as if they waited (a stored-baseline A/A exited 1). The
# quick suite's latency-bound cases (sequential fetches, paced requests) measure 0.00-0.18 on a
# quiet machine; those that mix CPU and waiting (0.34-0.71) count as CPU-bound.
CPU_BOUND = 0.25
INSTRUCTIONS = "instructions"  # the metric that judges a counted benchmark's CPU work
SPREAD_FLOOR = 0.005  # the least log-spread assumed between processes (identical values)
# Measured in one run (the same code, both sides at once, one per core): a core of the 2-core VM
# runs the same Python loop 1.7-1.9x slower than usual for stretches of 0.1 s to seconds, each
# core on its own; in 3 micro-only --against runs of 5 processes a side, 18 of 30 processes ran
# ~1.85x slower throughout, all 5 of one side in one run. The duet shares slow stretches of the
# whole machine, not those of one core; a CPU-bound time compares the cores' luck as much as
# the code. Where both sides' instructions were counted, the count judges the CPU work.
CORE_SPEED = (
    "CPU-bound: its instruction count judges its CPU work; its time also measures how fast "
    "its core happened to run (docs/verdicts.md, 'One core's speed')"
)


@dataclass(frozen=True)
class Context:
    """How the two sides were measured. ``interleaved``: in the same run, alternating
    (``--against``); otherwise the baseline is a stored result of another run. ``settle`` is
    the command that would settle a verdict the data cannot."""

    interleaved: bool = True
    cpu_bound: bool = False
    counted: bool = False  # both sides have the benchmark's instruction count
    settle: str = "bench run --against <base revision>"


def rng_for(policy: Policy, benchmark_id: str, metric: str) -> np.random.Generator:
    """A generator seeded by the policy and the metric's identity: verdicts are reproducible
    and do not depend on the order in which metrics are judged."""
    key = zlib.crc32(f"{benchmark_id}\0{metric}".encode())
    return np.random.default_rng([policy.seed, key])


def judge_metric(
    benchmark_id: str,
    base: Metric,
    cur: Metric,
    threshold: float,
    policy: Policy,
    runs: tuple[int, int] = (1, 1),
    context: Context | None = None,
) -> Verdict:
    """The verdict on one metric present, with samples, on both sides.

    ``runs`` is how many separate runs were pooled into the baseline and current samples.
    """
    context = context or Context()
    old, new, level = base.samples, cur.samples, Level.SAMPLES
    if cur.kind is Kind.SAMPLED:
        old, new, level = judged_values(
            base, cur, policy.min_processes, policy.process_statistic, context.interleaved
        )
    base_median, cur_median = float(np.median(old)), float(np.median(new))
    verdict = Verdict(
        benchmark=benchmark_id,
        metric=cur.name,
        status=Status.UNCHANGED,
        reason="",
        kind=cur.kind,
        unit=cur.unit,
        direction=cur.direction,
        ratio=stats.bad_ratio(base_median, cur_median, cur.direction),
        baseline_median=base_median,
        current_median=cur_median,
        baseline_n=len(old),
        current_n=len(new),
        threshold=threshold,
        level=level,
    )
    if cur.kind is Kind.EXACT:
        return _exact(verdict)
    if cur.kind is Kind.DETERMINISTIC:
        floor = policy.instruction_floor / base_median if base_median > 0 else 0.0
        return _deterministic(verdict, max(policy.instruction_tolerance, floor))
    return _capped(_sampled(verdict, old, new, policy, runs), context)


def within_floor(verdict: Verdict, floor: float) -> Verdict:
    """A verdict whose medians differ by less than the suite's noise floor (in the metric's
    unit) is unchanged, whatever the ratio or the test says: sampled metrics, and counters
    that are not quite exact (requests that depend on how often a rate limit was met)."""
    if floor <= 0 or verdict.kind is Kind.DETERMINISTIC or verdict.status is Status.UNCHANGED:
        return verdict
    if verdict.baseline_median is None or verdict.current_median is None:
        return verdict
    if abs(verdict.current_median - verdict.baseline_median) >= floor:
        return verdict
    unit = f" {verdict.unit}" if verdict.unit else ""
    why = f"within the suite's noise floor of {floor:g}{unit}"
    return replace(verdict, status=Status.UNCHANGED, reason=why, capped=None)


def _exact(verdict: Verdict) -> Verdict:
    """Counters have no noise: the ratio itself against the threshold (0 by default)."""
    ratio, limit = _given(verdict.ratio, 1.0), 1.0 + _given(verdict.threshold, 0.0)
    change = f"{verdict.baseline_median:g} → {verdict.current_median:g}"
    if ratio == 1.0:
        return replace(verdict, reason="identical")
    return replace(verdict, status=_by_ratio(ratio, limit, 1.0), reason=change)


def _deterministic(verdict: Verdict, tolerance: float) -> Verdict:
    """Instruction counts: the ratio itself, changes within the tolerance are no change."""
    ratio, limit = _given(verdict.ratio, 1.0), 1.0 + _given(verdict.threshold, 0.0)
    status = _by_ratio(ratio, max(limit, 1.0 + tolerance), 1.0 + tolerance)
    where = f"{ratio - 1:+.2%} instructions (tolerance ±{tolerance:.1%})"
    return replace(verdict, status=status, reason=where)


def _by_ratio(ratio: float, limit: float, noise: float) -> Status:
    """A ratio judged by itself: past ``limit`` regressed or improved, past ``noise`` worse
    or better, else unchanged."""
    if ratio > limit:
        return Status.REGRESSED
    if ratio > noise:
        return Status.WORSE
    if ratio < 1.0 / limit:
        return Status.IMPROVED
    if ratio < 1.0 / noise:
        return Status.BETTER
    return Status.UNCHANGED


def _sampled(
    verdict: Verdict,
    base: Sequence[float],
    cur: Sequence[float],
    policy: Policy,
    runs: tuple[int, int],
) -> Verdict:
    if verdict.level is Level.BASELINE_SPREAD:
        shift, low, high, p_worse, p_better = _against_spread(verdict, base, cur, policy)
        verdict = replace(verdict, ratio=math.exp(shift) if math.isfinite(shift) else None)
    else:
        low, high, p_worse, p_better = _rank_based(verdict, base, cur, policy, runs)
    verdict = _decide(replace(verdict, ci_low=low, ci_high=high), p_worse, p_better, policy.alpha)
    if verdict.level is not Level.SAMPLES:
        where = f"{verdict.baseline_n} vs {verdict.current_n} processes"
        if verdict.level is Level.BASELINE_SPREAD:
            where += ", against the baseline's spread"
        verdict = replace(verdict, reason=f"{verdict.reason}; {where} ({policy.process_statistic})")
    return verdict


def _rank_based(
    verdict: Verdict,
    base: Sequence[float],
    cur: Sequence[float],
    policy: Policy,
    runs: tuple[int, int],
) -> tuple[float, float, float, float]:
    """Bootstrap CI of the ratio of medians and a one-sided Mann–Whitney test."""
    direction = verdict.direction
    rng = rng_for(policy, verdict.benchmark, verdict.metric or "")
    ratios = stats.bootstrap_ratios(base, cur, direction, rng, policy.resamples)
    low, high = stats.percentile_ci(ratios, policy.confidence)
    # Only the test in the direction of the observed change can be significant: the other
    # one-sided p-value is at least 1/2, so it is not computed (it is the costly part).
    ratio = _given(verdict.ratio, 1.0)
    worse = ratio >= 1.0
    p_worse = stats.worse_p_value(base, cur, direction) if worse else 1.0
    p_better = 1.0 if worse else stats.better_p_value(base, cur, direction)
    if policy.run_noise > 0:
        # Widen the CI and test by the run-to-run noise; keep the stricter of both tests.
        se = stats.run_level_se(stats.log_sd(ratios), policy.run_noise, runs)
        low, high = stats.normal_ci(ratio, se, policy.confidence)
        p_worse = max(p_worse, stats.normal_worse_p(ratio, se))
        p_better = max(p_better, stats.normal_worse_p(1.0 / ratio if ratio else math.inf, se))
    return low, high, p_worse, p_better


def _against_spread(
    verdict: Verdict, base: Sequence[float], cur: Sequence[float], policy: Policy
) -> tuple[float, float, float, float, float]:
    """A few current processes against a stored baseline of many: a t-test of the mean log
    value, its noise the spread between the baseline's processes (n_b - 1 degrees of
    freedom), so a baseline whose processes disagree widely judges little."""
    sign = 1.0 if verdict.direction is Direction.LOWER else -1.0
    values_b, values_c = np.asarray(base, dtype=float), np.asarray(cur, dtype=float)
    if not ((values_b > 0).all() and (values_c > 0).all()):
        return math.nan, math.nan, math.nan, 1.0, 1.0  # zero values: no log scale to judge on
    logs_b, logs_c = np.log(values_b), np.log(values_c)
    spread = max(float(np.std(logs_b, ddof=1)), SPREAD_FLOOR)
    se = spread * math.sqrt(1.0 / len(logs_b) + 1.0 / len(logs_c))
    shift = sign * float(np.mean(logs_c) - np.mean(logs_b))
    low, high, p_worse = stats.t_interval(shift, se, len(logs_b) - 1, policy.confidence)
    return shift, low, high, p_worse, 1.0 - p_worse


def _decide(verdict: Verdict, p_worse: float, p_better: float, alpha: float) -> Verdict:
    ratio = _given(verdict.ratio, 1.0)
    low, high = _given(verdict.ci_low, ratio), _given(verdict.ci_high, ratio)
    if math.isnan(low) or math.isnan(high):
        low = high = ratio
    limit = 1.0 + _given(verdict.threshold, 0.0)
    if p_worse < alpha and low > 1.0:
        if ratio > limit:
            return _set(verdict, Status.REGRESSED, p_worse, "significant, past threshold")
        if high >= limit:
            why = f"significant; past {limit - 1:.0%} not ruled out"
            return _set(verdict, Status.UNCERTAIN, p_worse, why)
        return _set(verdict, Status.WORSE, p_worse, "significant, smaller than threshold")
    if p_better < alpha and high < 1.0:
        if ratio < 1.0 / limit:
            return _set(verdict, Status.IMPROVED, p_better, "significant, past threshold")
        return _set(verdict, Status.BETTER, p_better, "significant, smaller than threshold")
    p_value = p_worse if ratio >= 1.0 else p_better
    if high >= limit or ratio <= 1.0 / limit:
        return _set(verdict, Status.UNCERTAIN, p_value, _why(verdict, alpha))
    return _set(verdict, Status.UNCHANGED, p_value, "within threshold")


def _set(verdict: Verdict, status: Status, p_value: float, reason: str) -> Verdict:
    return replace(verdict, status=status, p_value=p_value, reason=reason)


def _capped(verdict: Verdict, context: Context) -> Verdict:
    """What the design of the comparison cannot judge becomes uncertain, saying why; ``capped``
    says when measuring again cannot settle it either (confirmation leaves it alone)."""
    if verdict.status is Status.UNCHANGED:
        return verdict
    machine_speed = _machine_speed(verdict, context)
    if not context.interleaved and (machine_speed or _speed_of_cpu_work(verdict, context)):
        why = (
            "against a stored baseline this time also measures the machine's speed that hour; "
            f"its instructions judge its CPU work; settle it: {context.settle}"
        )
        return _uncertain(verdict, why, context.counted)
    if verdict.level is not Level.SAMPLES:
        if context.counted and machine_speed:
            return _uncertain(verdict, CORE_SPEED, counted=True)
        return verdict
    if not (verdict.status is Status.UNCERTAIN or _past(verdict)):
        return replace(verdict, status=Status.UNCHANGED, reason="within threshold (samples)")
    if context.counted and machine_speed:
        # Too few processes to judge this time, and no need: its CPU work is counted exactly.
        why = "CPU-bound, measured in too few processes: its instruction count judges it"
        return _uncertain(verdict, why, counted=True)
    why = (
        f"{verdict.baseline_n} vs {verdict.current_n} samples of too few worker processes to "
        f"see the noise between processes; settle it: {context.settle}"
    )
    # Interleaved, more processes on both sides settle it (confirmation measures them); a
    # stored baseline of one process stays what it is.
    return replace(
        verdict, status=Status.UNCERTAIN, reason=why, capped=None if context.interleaved else why
    )


def _uncertain(verdict: Verdict, why: str, counted: bool) -> Verdict:
    """``verdict`` capped at uncertain for ``why``; judged by its benchmark's instruction count
    where that was ``counted`` on both sides."""
    judged_by = INSTRUCTIONS if counted else None
    return replace(verdict, status=Status.UNCERTAIN, reason=why, capped=why, judged_by=judged_by)


def _past(verdict: Verdict) -> bool:
    ratio, limit = _given(verdict.ratio, 1.0), 1.0 + _given(verdict.threshold, 0.0)
    return ratio > limit or ratio < 1.0 / limit


def _machine_speed(verdict: Verdict, context: Context) -> bool:
    if verdict.metric == "cpu_time":
        return True
    return verdict.metric == "time" and context.cpu_bound


MEMORY_UNITS = ("bytes", "B", "KiB", "MiB", "GiB")


def _speed_of_cpu_work(verdict: Verdict, context: Context) -> bool:
    """A sampled metric of a CPU-bound benchmark other than memory — a rate, a latency, a
    ratio of times — measures the machine's speed as its time does. Against a stored baseline:
    ``cache.ConcurrentWriters``' 4 writers for 0.5 s on 2 cores did 39-113 k ops/s in runs of
    the same code (their CPU time 0.54 s or 1.02 s: one core or two), and a stored baseline
    measured at 105 k named later runs at 55-69 k regressed."""
    return context.cpu_bound and verdict.kind is Kind.SAMPLED and verdict.unit not in MEMORY_UNITS


def _given(value: float | None, default: float) -> float:
    """``value`` unless it is None (a ratio of 0.0 is a value, not a missing one)."""
    return default if value is None else value


def _why(verdict: Verdict, alpha: float) -> str:
    ratio, limit = _given(verdict.ratio, 1.0), 1.0 + _given(verdict.threshold, 0.0)
    past = ratio >= limit or ratio <= 1.0 / limit
    where = "past threshold" if past else f"a slowdown of {limit - 1:.0%} not ruled out"
    floor = stats.smallest_p_value(verdict.baseline_n, verdict.current_n)
    if verdict.level is not Level.BASELINE_SPREAD and floor >= alpha:
        need = stats.min_samples_per_side(alpha)
        return (
            f"{where}, too few {verdict.level} ({verdict.baseline_n} vs "
            f"{verdict.current_n}) to reach α={alpha:g}: need ≥{need} per side"
        )
    return f"{where}, not significant"
