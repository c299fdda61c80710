"""The records of a comparison: verdict statuses, one verdict per metric, the whole comparison."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from harness.compare.policy import Policy
from harness.compare.processes import Level
from harness.errors import EXIT_FAILURE, EXIT_OK, EXIT_REGRESSION
from harness.records import Direction, Kind, RunResult


class FailOn(StrEnum):
    """What fails a build, each level adding to the one before: ``regression`` only;
    ``missing``, also a benchmark or metric that should have been judged and was not (the
    default of gating commands); ``uncertain``, also an uncertain verdict."""

    REGRESSION = "regression"
    MISSING = "missing"
    UNCERTAIN = "uncertain"

    def includes(self, level: FailOn) -> bool:
        order = list(FailOn)
        return order.index(self) >= order.index(level)


class Status(StrEnum):
    """What a comparison concluded about one metric (or a whole benchmark)."""

    FAILED = "failed"
    REGRESSED = "regressed"  # worse past the threshold, and real: fails the gate
    UNCERTAIN = "uncertain"  # the data cannot tell yet whether it is past the threshold
    WORSE = "worse"  # really worse, but by less than the threshold: shown, never failing
    MISSING = "missing"
    NEW = "new"
    IMPROVED = "improved"  # better past the threshold, and real
    BETTER = "better"  # really better, by less than the threshold
    UNCHANGED = "unchanged"

    @property
    def severity(self) -> int:
        """0 is the most severe; reports sort by it."""
        return list(Status).index(self)


@dataclass(frozen=True)
class Verdict:
    """The verdict on one metric of one benchmark (``metric`` is None for whole benchmarks).

    ``ratio`` and its CI are in the metric's bad direction: above 1 is worse.
    """

    benchmark: str
    metric: str | None
    status: Status
    reason: str
    kind: Kind | None = None  # None for a verdict on a whole benchmark
    unit: str = ""
    direction: Direction = Direction.LOWER
    ratio: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    baseline_median: float | None = None
    current_median: float | None = None
    baseline_n: int = 0
    current_n: int = 0
    threshold: float | None = None
    env_guarded: bool = False
    level: Level = Level.SAMPLES
    # Why measuring again cannot settle this verdict (it is capped by design), or None.
    capped: str | None = None
    # The metric of the same benchmark that judges what this one cannot (a CPU-bound time
    # capped at uncertain: "instructions"), or None.
    judged_by: str | None = None


@dataclass(frozen=True)
class Comparison:
    """Every verdict of a baseline/current pair, the warnings, and the confirmation history."""

    baseline: RunResult
    current: RunResult
    policy: Policy
    verdicts: tuple[Verdict, ...]
    warnings: tuple[str, ...] = ()
    rounds: int = 0
    remeasured: tuple[str, ...] = ()
    pooled_runs: dict[str, tuple[int, int]] = field(default_factory=dict)

    def counts(self) -> Counter[Status]:
        return Counter(v.status for v in self.verdicts)

    def has(self, status: Status) -> bool:
        return any(v.status is status for v in self.verdicts)

    def sorted_verdicts(self) -> list[Verdict]:
        """Most severe first, an uncertain verdict settled elsewhere after the other uncertain
        ones; then by benchmark id and metric for a stable order."""
        return sorted(
            self.verdicts,
            key=lambda v: (
                v.status.severity,
                self.settled_elsewhere(v),
                v.benchmark,
                v.metric or "",
            ),
        )

    def benchmark_ids(self) -> list[str]:
        return list(dict.fromkeys(v.benchmark for v in self.verdicts))

    def settled_elsewhere(self, verdict: Verdict) -> bool:
        """An uncertain verdict that another metric of its benchmark settles: a CPU-bound time
        capped because its instruction count judges the CPU work, and that count was judged
        (not itself uncertain or missing). Reports fold it away; ``fail_on=UNCERTAIN`` lets it
        pass. In two ``--against`` runs of the quick suite on the same code, 32 of 44 and 25 of
        42 uncertain verdicts were such times, each beside an unchanged count (``bench
        compare`` of each run's two result files)."""
        if verdict.status is not Status.UNCERTAIN or verdict.judged_by is None:
            return False
        return (verdict.benchmark, verdict.judged_by) in self._judged

    @cached_property
    def _judged(self) -> frozenset[tuple[str, str | None]]:
        """(benchmark, metric) of every verdict that reached a judgement: reports ask
        :meth:`settled_elsewhere` of every verdict, several times over."""
        judging = (Status.REGRESSED, Status.WORSE, Status.IMPROVED, Status.BETTER, Status.UNCHANGED)
        return frozenset((v.benchmark, v.metric) for v in self.verdicts if v.status in judging)

    def benchmark_status(self, benchmark_id: str) -> Status:
        """The worst verdict among the benchmark's metrics."""
        statuses = [v.status for v in self.verdicts if v.benchmark == benchmark_id]
        return min(statuses, key=lambda s: s.severity, default=Status.MISSING)

    def exit_code(self, fail_on: FailOn = FailOn.REGRESSION) -> int:
        """3 if a benchmark failed (or, from ``fail_on=MISSING`` on, one is missing), else 1 if
        one regressed (or was uncertain with ``fail_on=UNCERTAIN``, unless another metric settles
        it: :meth:`settled_elsewhere`), else 0. A failure
        outranks a regression: the comparison is incomplete, and CI fails either way."""
        if self.has(Status.FAILED):
            return EXIT_FAILURE
        if fail_on.includes(FailOn.MISSING) and self.has(Status.MISSING):
            return EXIT_FAILURE
        if self.has(Status.REGRESSED):
            return EXIT_REGRESSION
        if fail_on.includes(FailOn.UNCERTAIN) and any(
            v.status is Status.UNCERTAIN and not self.settled_elsewhere(v) for v in self.verdicts
        ):
            return EXIT_REGRESSION
        return EXIT_OK
