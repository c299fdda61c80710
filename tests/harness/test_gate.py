"""A gated run keeps what confirmation measured: the pooled samples land in the run's file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.calibrate import slowed
from harness.compare import Policy
from harness.gate import Gate, gated_run
from harness.records import BenchmarkResult
from harness.results import load, save
from harness.runner import RunOptions, run
from harness.suite import CaseRef


class Phases:
    """A progress that keeps the phase lines and the size of each measuring phase."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def phase(self, description: str) -> None:
        self.lines.append(description)

    def started(self, total: int) -> None:
        self.lines.append(f"{total} to measure")

    def case_started(self, case: CaseRef) -> None:
        pass

    def case_finished(self, case: CaseRef, result: BenchmarkResult) -> None:
        pass


def test_confirmation_rounds_are_pooled_into_the_run_file(
    sample_options: RunOptions, tmp_path: Path
) -> None:
    options = replace(sample_options, pattern=r"Waiting.time_wait")
    first, _ = run(replace(options, processes=5))
    # A baseline of 5 processes (its spread known), four times faster than this machine can
    # wait: the latency-bound time is suspect (a CPU-bound one would be left to instructions).
    baseline = tmp_path / "fast.json"
    save(slowed(first, -0.75), baseline)
    gate = Gate(Policy(), compare=str(baseline), confirm_rounds=2)
    phases = Phases()
    done = gated_run(options, gate, phases)
    assert done.comparison is not None and done.comparison.rounds == 2
    suspect = "basic.Waiting.time_wait"
    assert phases.lines == [
        "preparing: 1 benchmark(s) found, starting fixtures",
        "1 to measure",
        f"judging: against {baseline}",
        f"confirming: round 1 of up to 2, 1 benchmark(s) regressed or undecided: {suspect}",
        "1 to measure",
        f"confirming: round 2 of up to 2, 1 benchmark(s) regressed or undecided: {suspect}",
        "1 to measure",
    ]
    kept = load(done.path)
    assert kept == done.result
    assert kept.meta.confirmation is not None and kept.meta.confirmation.rounds == 2
    assert set(kept.meta.confirmation.remeasured) == {b.id for b in kept.benchmarks}
    for bench in kept.benchmarks:
        runs = bench.metric("time").runs  # type: ignore[union-attr]
        assert [r.round for r in runs] == [0, 1, 2]  # the run's own and two rounds
    assert len(list((options.results_dir / "confirm").glob("*.json"))) == 2
