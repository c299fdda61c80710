"""Bounded-memory quantiles: exact for small samples, a log-bucket sketch beyond.

Up to :data:`EXACT_LIMIT` values per sketch are kept and quantiles are exact (linear
interpolation between order statistics, numpy's default). Past that, the values move into
logarithmic buckets whose bounds grow by a factor ``gamma = (1 + a) / (1 - a)``: every value in
a bucket is within relative error ``a`` (1%) of the bucket's representative, so a quantile is
reported within 1% of a value whose rank is the requested one. Memory is then a few hundred
buckets at most (log(max / min) / log(gamma)), whatever the number of values, and the result
depends only on the multiset of values, never on their order.
"""

from __future__ import annotations

import math

EXACT_LIMIT = 1024
RELATIVE_ACCURACY = 0.01
MIN_POSITIVE = 1e-3  # values below a millisecond count as zero
METHOD = (
    f"exact up to {EXACT_LIMIT} values per workflow, then a log-bucket sketch "
    f"with {RELATIVE_ACCURACY:.0%} relative accuracy"
)


class QuantileSketch:
    """Quantiles of a stream of non-negative numbers in bounded memory."""

    def __init__(self, relative_accuracy: float = RELATIVE_ACCURACY) -> None:
        self._gamma = (1 + relative_accuracy) / (1 - relative_accuracy)
        self._log_gamma = math.log(self._gamma)
        self._values: list[float] | None = []
        self._buckets: dict[int, int] = {}
        self._zeros = 0
        self.count = 0

    @property
    def exact(self) -> bool:
        return self._values is not None

    def add(self, value: float) -> None:
        self.count += 1
        if self._values is None:
            self._bucket(value)
            return
        self._values.append(value)
        if len(self._values) > EXACT_LIMIT:
            for kept in self._values:
                self._bucket(kept)
            self._values = None

    def quantile(self, q: float) -> float | None:
        """The ``q``-quantile (0 <= q <= 1), or None when empty."""
        if self.count == 0:
            return None
        if self._values is not None:
            return _interpolated(sorted(self._values), q)
        return self._from_buckets(round(q * (self.count - 1)))

    def _bucket(self, value: float) -> None:
        if value < MIN_POSITIVE:
            self._zeros += 1
            return
        index = math.ceil(math.log(value) / self._log_gamma)
        self._buckets[index] = self._buckets.get(index, 0) + 1

    def _from_buckets(self, rank: int) -> float:
        seen = self._zeros
        if rank < seen:
            return 0.0
        for index in sorted(self._buckets):
            seen += self._buckets[index]
            if rank < seen:
                # The bucket holds (gamma^(i-1), gamma^i]; this point is within a of both ends.
                return 2 * self._gamma**index / (self._gamma + 1)
        raise AssertionError("rank beyond the sketch's count")  # unreachable: rank < count


def _interpolated(ordered: list[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
