"""Count each quick time benchmark's instructions in N separate worker processes; print the spread.

    .venv/bin/python calibration/repeat_instructions.py N [REGEX]     (from the project's root)

Every count is a worker under callgrind, as ``bench run --instructions`` counts one: a child
forked by a counting zygote (``harness.zygote``). The N counts of a benchmark come from N
repetitions, each with zygotes of its own (a fresh interpreter under valgrind: what one run of
bench and the next share), two jobs at a time on two lanes of fixtures. Prints,
per benchmark, the smallest and largest count and (largest - smallest) / smallest
(docs/verdicts.md, "Instruction counts: how repeatable").
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from harness.execution import Recorder, Silent, execute, started_lanes
from harness.job import counting_jobs
from harness.records import RunResult
from harness.runner import RunOptions, plan, worker_setup
from harness.suite import import_suites


def main(count: int, pattern: str | None) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        options = RunOptions(Path("suites"), Path(scratch), quick=True, pattern=pattern)
        jobs = counting_jobs(plan(options))
        package = import_suites(options.suites_root).__name__
        with started_lanes(package, 2) as lanes:
            recorder = Recorder(
                RunResult("repeat"), Path(scratch) / "r.json", worker_setup(options, package)
            )
            for k in range(count):  # each execute starts zygotes of its own
                units = [((recorder, replace(job, round=k)),) for job in jobs]
                execute([recorder], [], lanes, Silent(), units)
    for bench in recorder.result.benchmarks:
        metric = bench.metric("instructions")
        if metric is None:
            print(f"{bench.id}: not counted")
            continue
        low, high = min(metric.samples), max(metric.samples)
        spread, n = (high - low) / low, len(metric.samples)
        print(f"{spread:7.3%}  {n:3d} processes  {low:13,.0f} {high:13,.0f}  {bench.id}")
    for warning in recorder.result.meta.warnings:
        print(f"warning: {warning}")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
