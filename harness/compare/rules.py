"""The verdict rules for one metric: exact counters exactly, sampled metrics statistically.

Sampled metrics (t is the threshold, r the bad-direction ratio of medians, [lo, hi] its
bootstrap CI at 1 - 2α, p the one-sided Mann–Whitney p-value):

* regressed — the slowdown is significant (p_worse < α **and** lo > 1) **and** a slowdown of
  at least t is plausible (hi >= 1 + t). Requiring the point ratio itself to pass 1 + t would
  catch a true slowdown of exactly t only half the time.
* improved — the mirror image: p_better < α, hi < 1 and lo <= 1 / (1 + t).
* uncertain — neither, but a slowdown of t or more is not ruled out (hi >= 1 + t), or the
  point ratio shows an improvement past t that is not significant: the data cannot tell yet,
  so ``confirm`` measures more before the final verdict.
* unchanged — everything else: the CI rules out a slowdown of t (hi < 1 + t), including a
  significant change smaller than the threshold.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from harness.compare import stats
from harness.compare.model import Status, Verdict
from harness.compare.policy import Policy
from harness.compare.processes import Level, judged_values
from harness.records import Kind, Metric


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
) -> Verdict:
    """The verdict on one metric present, with samples, on both sides.

    ``runs`` is how many separate runs were pooled into the baseline and current samples.
    Sampled metrics measured in enough worker processes on both sides are judged on one value
    per process (``harness.compare.processes``).
    """
    old, new, level = base.samples, cur.samples, Level.SAMPLES
    if cur.kind is not Kind.EXACT:
        old, new, level = judged_values(base, cur, policy.min_processes, policy.process_statistic)
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
    return _sampled(verdict, old, new, policy, runs)


def _exact(verdict: Verdict) -> Verdict:
    """Counters have no noise: any change in the bad direction is a regression."""
    ratio = _given(verdict.ratio, 1.0)
    before, after = verdict.baseline_median, verdict.current_median
    if ratio > 1.0:
        return replace(verdict, status=Status.REGRESSED, reason=f"{before:g} → {after:g}")
    if ratio < 1.0:
        return replace(verdict, status=Status.IMPROVED, reason=f"{before:g} → {after:g}")
    return replace(verdict, reason="identical")


def _sampled(
    verdict: Verdict,
    base: Sequence[float],
    cur: Sequence[float],
    policy: Policy,
    runs: tuple[int, int],
) -> Verdict:
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
    verdict = _decide(replace(verdict, ci_low=low, ci_high=high), p_worse, p_better, policy.alpha)
    if verdict.level is Level.PROCESSES:
        where = f"{verdict.baseline_n} vs {verdict.current_n} processes"
        verdict = replace(verdict, reason=f"{verdict.reason}; {where} ({policy.process_statistic})")
    return verdict


def _decide(verdict: Verdict, p_worse: float, p_better: float, alpha: float) -> Verdict:
    ratio = _given(verdict.ratio, 1.0)
    low, high = _given(verdict.ci_low, ratio), _given(verdict.ci_high, ratio)
    limit = 1.0 + _given(verdict.threshold, 0.0)
    if p_worse < alpha and low > 1.0:
        if high >= limit:
            return replace(verdict, status=Status.REGRESSED, p_value=p_worse, reason="significant")
        return replace(verdict, p_value=p_worse, reason="significant, smaller than threshold")
    if p_better < alpha and high < 1.0:
        if low <= 1.0 / limit:
            return replace(verdict, status=Status.IMPROVED, p_value=p_better, reason="significant")
        return replace(verdict, p_value=p_better, reason="significant, smaller than threshold")
    p_value = p_worse if ratio >= 1.0 else p_better
    if high >= limit or ratio <= 1.0 / limit:
        return replace(
            verdict, status=Status.UNCERTAIN, p_value=p_value, reason=_why(verdict, alpha)
        )
    return replace(verdict, p_value=p_value, reason="within threshold")


def _given(value: float | None, default: float) -> float:
    """``value`` unless it is None (a ratio of 0.0 is a value, not a missing one)."""
    return default if value is None else value


def _why(verdict: Verdict, alpha: float) -> str:
    ratio, limit = _given(verdict.ratio, 1.0), 1.0 + _given(verdict.threshold, 0.0)
    past = ratio >= limit or ratio <= 1.0 / limit
    where = "past threshold" if past else f"a slowdown of {limit - 1:.0%} not ruled out"
    floor = stats.smallest_p_value(verdict.baseline_n, verdict.current_n)
    if floor >= alpha:
        need = stats.min_samples_per_side(alpha)
        return (
            f"{where}, too few {verdict.level} ({verdict.baseline_n} vs "
            f"{verdict.current_n}) to reach α={alpha:g}: need ≥{need} per side"
        )
    return f"{where}, not significant"
