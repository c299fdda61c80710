"""Progress off a terminal: one plain line per phase and per finished worker process."""

from __future__ import annotations

import io
import subprocess
import sys

from rich.console import Console

from harness.cli.progress import LineProgress, RunProgress, run_progress
from harness.records import BenchmarkResult, Direction, Kind, Metric, Status
from harness.suite import BenchKind, CaseRef


def case(case_id: str) -> CaseRef:
    return CaseRef(case_id, case_id, {}, "suites.x", None, "time_x", BenchKind.TIME)


def ok(case_id: str, seconds: float) -> BenchmarkResult:
    samples = (seconds, seconds)
    metric = Metric.single("time", "s", Direction.LOWER, Kind.SAMPLED, samples)
    return BenchmarkResult(case_id, case_id, {}, Status.OK, (metric,))


def test_each_phase_and_finished_case_is_one_line() -> None:
    stream = io.StringIO()
    with LineProgress(stream) as progress:
        progress.phase("preparing: discovering benchmarks, starting fixtures")
        progress.started(12)
        progress.case_started(case("analysis.A.time_a(runs=50, cache='cold')"))
        progress.case_finished(
            case("analysis.A.time_a(runs=50, cache='cold')"),
            ok("analysis.A.time_a(runs=50, cache='cold')", 0.0787),
        )
        failed = BenchmarkResult(
            "b.time_b", "b.time_b", {}, Status.FAILED, error="timed out\nafter 2 s"
        )
        progress.case_finished(case("b.time_b"), failed)
        progress.phase("confirming: round 1 of up to 4, 1 benchmark(s)")
        progress.started(2)
        skipped = BenchmarkResult("c.time_c", "c.time_c", {}, Status.SKIPPED, error="no Redis")
        progress.case_finished(case("c.time_c"), skipped)
    assert stream.getvalue().splitlines() == [
        "preparing: discovering benchmarks, starting fixtures",
        "measuring: 12 benchmark runs",
        "[  1/12] ok  analysis.A.time_a(runs=50, cache='cold')  78.7 ms",
        "[  2/12] failed  b.time_b  timed out after 2 s",
        "confirming: round 1 of up to 4, 1 benchmark(s)",
        "measuring: 2 benchmark runs",
        "[  1/2] skipped  c.time_c  no Redis",
    ]


def test_the_bar_is_for_terminals_and_lines_for_everything_else() -> None:
    log = Console(file=io.StringIO(), force_terminal=False)
    terminal = Console(file=io.StringIO(), force_terminal=True)
    assert isinstance(run_progress(log), LineProgress)
    assert isinstance(run_progress(terminal), RunProgress)


def test_bench_run_starts_without_scipy_stats_so_its_first_line_comes_early() -> None:
    # The first progress line is printed after the command's imports; scipy.stats took 3.8 of
    # 5.1 s of them on a loaded machine. Judging imports it when it first computes a p-value.
    code = "import sys, harness.cli.run; print('scipy.stats' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
