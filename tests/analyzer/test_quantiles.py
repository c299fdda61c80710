"""The bounded quantile sketch against numpy."""

from __future__ import annotations

import random

import numpy as np
import pytest

from analyzer.quantiles import EXACT_LIMIT, QuantileSketch


def sample(n: int, seed: int = 7) -> list[float]:
    rng = random.Random(seed)
    return [rng.lognormvariate(6, 0.6) for _ in range(n)]


@pytest.mark.parametrize("n", [1, 2, 10, EXACT_LIMIT])
def test_small_samples_are_exact(n: int) -> None:
    values = sample(n)
    sketch = QuantileSketch()
    for v in values:
        sketch.add(v)
    assert sketch.exact
    for q in (0.0, 0.5, 0.9, 1.0):
        assert sketch.quantile(q) == pytest.approx(float(np.quantile(values, q)), rel=1e-12)


def test_large_samples_stay_within_one_percent_and_bounded() -> None:
    values = sample(50_000) + [0.0] * 10
    sketch = QuantileSketch()
    for v in values:
        sketch.add(v)
    assert not sketch.exact and sketch.count == 50_010
    assert len(sketch._buckets) < 600
    for q in (0.5, 0.9, 0.99):
        rank = round(q * (len(values) - 1))
        assert sketch.quantile(q) == pytest.approx(sorted(values)[rank], rel=0.0101)


def test_the_result_does_not_depend_on_order() -> None:
    values = sample(5_000)
    forward, backward = QuantileSketch(), QuantileSketch()
    for v in values:
        forward.add(v)
    for v in reversed(values):
        backward.add(v)
    assert [forward.quantile(q) for q in (0.5, 0.9)] == [backward.quantile(q) for q in (0.5, 0.9)]


def test_empty_has_no_quantile() -> None:
    assert QuantileSketch().quantile(0.5) is None
