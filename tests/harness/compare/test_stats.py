"""The statistics of verdicts, checked against numpy and scipy with fixed seeds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from harness.compare import stats
from tests.harness.compare.factory import noisy


def test_bad_ratio_is_above_one_when_worse_in_either_direction() -> None:
    assert stats.bad_ratio(10.0, 12.0, "lower") == pytest.approx(1.2)
    assert stats.bad_ratio(12.0, 10.0, "higher") == pytest.approx(1.2)
    assert stats.bad_ratio(0.0, 0.0, "lower") == 1.0
    assert math.isinf(stats.bad_ratio(0.0, 3.0, "lower"))
    with pytest.raises(ValueError):
        stats.bad_ratio(1.0, 1.0, "sideways")


def _reference_bootstrap(
    base: tuple[float, ...], cur: tuple[float, ...], seed: int, resamples: int, confidence: float
) -> tuple[float, float]:
    """The same resampling scheme written as a plain loop."""
    rng = np.random.default_rng(seed)
    b, c = np.asarray(base), np.asarray(cur)
    bi = rng.integers(0, len(b), size=(resamples, len(b)))
    ci = rng.integers(0, len(c), size=(resamples, len(c)))
    ratios = [np.median(c[ci[k]]) / np.median(b[bi[k]]) for k in range(resamples)]
    tail = (1 - confidence) / 2
    return np.quantile(ratios, tail), np.quantile(ratios, 1 - tail)


def test_bootstrap_ci_matches_a_plain_numpy_loop_with_the_same_seed() -> None:
    base, cur = noisy(1, 10.0, 0.1), noisy(2, 12.0, 0.1)
    ours = stats.bootstrap_ratio_ci(base, cur, "lower", 0.95, np.random.default_rng(7), 500)
    assert ours == pytest.approx(_reference_bootstrap(base, cur, 7, 500, 0.95), rel=1e-12)


def test_bootstrap_ci_agrees_with_scipy_bootstrap() -> None:
    base, cur = noisy(3, 10.0, 0.1, 30), noisy(4, 13.0, 0.1, 30)

    def ratio(b: np.ndarray, c: np.ndarray, axis: int) -> np.ndarray:
        return np.median(c, axis=axis) / np.median(b, axis=axis)

    reference = sps.bootstrap(
        (base, cur),
        ratio,
        paired=False,
        vectorized=True,
        method="percentile",
        confidence_level=0.95,
        n_resamples=20000,
        rng=np.random.default_rng(0),
    ).confidence_interval
    ours = stats.bootstrap_ratio_ci(base, cur, "lower", 0.95, np.random.default_rng(0), 20000)
    assert ours[0] == pytest.approx(reference.low, rel=0.02)
    assert ours[1] == pytest.approx(reference.high, rel=0.02)


def test_bootstrap_ratio_is_inverted_for_higher_is_better() -> None:
    base, cur = noisy(5, 100.0, 0.05), noisy(6, 80.0, 0.05)
    low, high = stats.bootstrap_ratio_ci(base, cur, "higher", 0.98, np.random.default_rng(1))
    assert 1.0 < low < 1.25 < high < 1.4


@pytest.mark.parametrize(("direction", "alternative"), [("lower", "greater"), ("higher", "less")])
def test_worse_p_value_is_scipys_one_sided_mann_whitney(direction: str, alternative: str) -> None:
    base, cur = noisy(8, 10.0, 0.2, 12), noisy(9, 12.0, 0.2, 9)
    expected = sps.mannwhitneyu(cur, base, alternative=alternative).pvalue
    assert stats.worse_p_value(base, cur, direction) == pytest.approx(expected, rel=1e-12)
    opposite = sps.mannwhitneyu(
        cur, base, alternative="less" if alternative == "greater" else "greater"
    )
    assert stats.better_p_value(base, cur, direction) == pytest.approx(opposite.pvalue, rel=1e-12)


def test_constant_identical_samples_give_no_evidence() -> None:
    assert stats.worse_p_value((5.0,) * 10, (5.0,) * 10, "lower") == 1.0


def test_smallest_p_value_is_the_exact_p_of_complete_separation() -> None:
    exact = sps.mannwhitneyu(range(5, 10), range(5), alternative="greater", method="exact")
    assert stats.smallest_p_value(5, 5) == pytest.approx(exact.pvalue) == pytest.approx(1 / 252)


def test_minimum_samples_per_side_for_alpha() -> None:
    assert stats.min_samples_per_side(0.01) == 5  # 1/C(8,4) = 0.014 is not enough
    assert stats.min_samples_per_side(0.05) == 4
    assert stats.smallest_p_value(4, 4) > 0.01 > stats.smallest_p_value(5, 5)


def test_run_level_statistics_follow_the_normal_model() -> None:
    se = stats.run_level_se(0.03, 0.1, (1, 3))
    assert se == pytest.approx(math.sqrt(0.03**2 + 0.01 * (1 + 1 / 3)))
    z = sps.norm.ppf(0.99)
    assert stats.normal_ci(1.2, se, 0.98) == pytest.approx(
        (1.2 * math.exp(-z * se), 1.2 * math.exp(z * se))
    )
    assert stats.normal_worse_p(1.2, se) == pytest.approx(sps.norm.sf(math.log(1.2) / se))
    assert stats.log_sd(np.array([1.0, math.e])) == pytest.approx(np.std([0.0, 1.0], ddof=1))
