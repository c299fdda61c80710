"""Summary statistics of samples: pure functions, samples in and numbers out."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def quantile(samples: Sequence[float], q: float) -> float:
    """Linear-interpolation quantile (numpy's default method) of non-empty ``samples``."""
    ordered = sorted(samples)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median_ci(samples: Sequence[float], confidence: float = 0.95) -> tuple[float, float]:
    """Distribution-free CI of the median from order statistics (binomial); needs no bootstrap.

    With too few samples for the requested confidence, the CI is the full range.
    """
    # scipy is imported here, not at the top: it takes ~0.7 s, and worker processes, which
    # import this module through harness.results, must start fast.
    from scipy.stats import binom

    ordered = sorted(samples)
    n = len(ordered)
    alpha = 1.0 - confidence
    # Largest k with P(Binom(n, 1/2) < k) <= alpha/2: [x_(k), x_(n-k+1)] covers the median.
    k = int(binom.ppf(alpha / 2, n, 0.5))
    while k > 0 and binom.cdf(k - 1, n, 0.5) > alpha / 2:
        k -= 1
    if k < 1:
        return ordered[0], ordered[-1]
    return ordered[k - 1], ordered[n - k]


def summarize(samples: Sequence[float]) -> dict[str, float | int]:
    """Median, mean, stdev, IQR, min, max and a 95% CI of the median."""
    if not samples:
        return {"n": 0}
    low, high = median_ci(samples)
    return {
        "n": len(samples),
        "median": statistics.median(samples),
        "mean": statistics.fmean(samples),
        "stdev": statistics.stdev(samples) if len(samples) > 1 else 0.0,
        "iqr": quantile(samples, 0.75) - quantile(samples, 0.25),
        "min": min(samples),
        "max": max(samples),
        "ci_low": low,
        "ci_high": high,
    }
