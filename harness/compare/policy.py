"""The policy of a comparison: thresholds (with overrides), significance level, guards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from harness.compare.processes import DEFAULT_MIN_PROCESSES, Statistic
from harness.errors import InputError

DEFAULT_THRESHOLD = 0.20
DEFAULT_INSTRUCTION_TOLERANCE = 0.01
DEFAULT_INSTRUCTION_FLOOR = 5000.0
DEFAULT_ALPHA = 0.01
ALL_METRICS = "*"


@dataclass(frozen=True)
class Policy:
    """How strict a comparison is.

    ``benchmark_thresholds`` maps a benchmark id (``name(params)``) or name to metric name
    (or ``"*"`` for every metric) to a fraction; ``metric_thresholds`` maps a metric name to a
    fraction. The most specific match wins: id, then name, then metric, then ``threshold``.

    ``run_noise`` is this machine's run-to-run noise of a median (the SD of its log, as
    ``bench calibrate`` measures it); 0 trusts the samples of one run to show all the noise.

    ``benchmark_floors`` maps a benchmark name to metric name to a noise floor in the metric's
    own unit (a suite's ``noise_floors``): medians closer than that are unchanged, whatever
    the ratio (a quantity near zero, such as a leak check's RSS growth).
    """

    threshold: float = DEFAULT_THRESHOLD
    alpha: float = DEFAULT_ALPHA
    benchmark_thresholds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    metric_thresholds: Mapping[str, float] = field(default_factory=dict)
    benchmark_floors: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    allow_env_mismatch: bool = False
    run_noise: float = 0.0
    resamples: int = 2000
    seed: int = 0
    # Judge sampled metrics on one value per worker process once both sides have this many.
    min_processes: int = DEFAULT_MIN_PROCESSES
    process_statistic: Statistic = Statistic.BEST
    # Exact counters: any change counts unless a threshold is set for the metric itself.
    exact_threshold: float = 0.0
    # Instruction counts within this fraction of each other are equal (measured spread of one
    # case's count over 10 processes; docs/verdicts.md).
    instruction_tolerance: float = DEFAULT_INSTRUCTION_TOLERANCE
    # ... or within this many instructions, for short calls: the allocator's state moves a
    # call's count by up to 2,700 instructions between processes (networkx's asv suite, calls
    # of 24,000-64,000 instructions: up to 4.2%).
    instruction_floor: float = DEFAULT_INSTRUCTION_FLOOR

    def __post_init__(self) -> None:
        _check_threshold(self.threshold, "threshold")
        if not 0.0 < self.alpha < 0.5:
            raise InputError(f"alpha must be between 0 and 0.5, not {self.alpha:g}")
        if not 0.0 <= self.run_noise <= 2.0:
            raise InputError(f"run noise must be between 0 and 2 (log SD), not {self.run_noise:g}")
        if self.min_processes < 2:
            raise InputError(f"min processes must be at least 2, not {self.min_processes}")
        if self.resamples < 100:
            raise InputError(f"resamples must be at least 100, not {self.resamples}")
        for value in self.metric_thresholds.values():
            _check_threshold(value, "metric threshold")
        for per_metric in self.benchmark_thresholds.values():
            for value in per_metric.values():
                _check_threshold(value, "benchmark threshold")

    @property
    def confidence(self) -> float:
        """CI level: two-sided 1 - 2α, so each bound alone is a one-sided test at α."""
        return 1.0 - 2.0 * self.alpha

    def threshold_for(
        self, benchmark_id: str, benchmark_name: str, metric: str, exact: bool = False
    ) -> float:
        """The most specific threshold; an exact counter without one of its own has
        ``exact_threshold`` (0: any extra request is a regression)."""
        for key in (benchmark_id, benchmark_name):
            per_metric = self.benchmark_thresholds.get(key, {})
            for metric_key in (metric, ALL_METRICS):
                if metric_key in per_metric:
                    return float(per_metric[metric_key])
        if metric in self.metric_thresholds:
            return float(self.metric_thresholds[metric])
        return self.exact_threshold if exact else self.threshold

    def floor_for(self, benchmark_name: str, metric: str) -> float:
        """The suite's noise floor of this metric (0: none)."""
        return float(self.benchmark_floors.get(benchmark_name, {}).get(metric, 0.0))


def _check_threshold(value: float, what: str) -> None:
    if not 0.0 < value <= 10.0:
        raise InputError(f"{what} must be a fraction above 0 (e.g. 0.2 for 20%), not {value:g}")
