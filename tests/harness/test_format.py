"""Golden test of ``bench run``'s table; regenerate with BENCH_UPDATE_GOLDEN=1."""

from __future__ import annotations

from pathlib import Path

from harness.format import format_value, plain_text, run_table
from harness.meta import RunMeta
from harness.records import BenchmarkResult, Direction, Kind, Metric, RunResult, Status
from tests.golden import check_golden

GOLDEN = Path(__file__).parent / "golden" / "run_table.txt"
LONG_ID = "rate_limit.ClientAgainstServer.time_paced_requests(rpm=100, burst=5, server='pat')"


def _metric(name: str, unit: str, kind: Kind, samples: tuple[float, ...]) -> Metric:
    return Metric.single(name, unit, Direction.LOWER, kind, samples)


def _run() -> RunResult:
    timed = _metric("time", "s", Kind.SAMPLED, (0.101, 0.099, 0.1, 0.102))
    requests = _metric("requests", "count", Kind.EXACT, (51.0, 51.0, 51.0, 51.0))
    micro = _metric("time", "s", Kind.SAMPLED, (2.5e-6, 2.6e-6, 2.4e-6))
    return RunResult(
        "20261127T000000000000Z",
        RunMeta(),
        (
            BenchmarkResult("analysis.A.time_x(runs=50)", "analysis.A.time_x", {"runs": 50},
                            Status.OK,
                            (timed, requests)),
            BenchmarkResult(LONG_ID, "rate_limit.C.time_paced_requests", {}, Status.OK, (timed,)),
            BenchmarkResult("micro.test_cache.test_get[file]", "micro.test_cache.test_get",
                            {"backend": "file"}, Status.OK, (micro,)),
            BenchmarkResult("broken.time_hangs", "broken.time_hangs", {}, Status.FAILED,
                            error="timed out after 2 s"),
            BenchmarkResult("cache.C.time_y(backend='redis')", "cache.C.time_y", {}, Status.SKIPPED,
                            error="no Redis"),
        ),
    )  # fmt: skip


def test_run_table_matches_golden() -> None:
    # What `bench run` prints off a terminal (a CI log, where rich would assume 80 columns).
    text = plain_text(run_table(_run()))
    check_golden(GOLDEN, text)
    assert "test_get[file]" in text  # ids are not read as rich markup


def test_off_a_terminal_every_row_is_one_line_with_its_full_id() -> None:
    lines = plain_text(run_table(_run())).splitlines()
    for bench in _run().benchmarks:
        assert len([line for line in lines if bench.id in line]) == 1, bench.id
    assert len(lines) == 5 + len(_run().benchmarks)  # title, 3 header lines, bottom border


def test_format_value_picks_a_readable_unit() -> None:
    assert format_value(0.000012, "s") == "12 µs"
    assert format_value(3 * 2**20, "bytes") == "3 MiB"
    assert format_value(51.0, "count") == "51"


def test_counted_instructions_get_a_column_of_their_own() -> None:
    counted = Metric.single(
        "instructions", "instructions", Direction.LOWER, Kind.DETERMINISTIC, (1_234_567.0,)
    )
    timed = _metric("time", "s", Kind.SAMPLED, (0.1, 0.1, 0.1))
    run = RunResult(
        "20261127T000000000000Z",
        RunMeta(),
        (BenchmarkResult("a.A.time_x", "a.A.time_x", {}, Status.OK, (timed, counted)),),
    )
    lines = plain_text(run_table(run)).splitlines()
    assert "instructions" in lines[2]
    assert next(line for line in lines if "a.A.time_x" in line).rstrip(" │").endswith("1,234,567")
    assert "instructions" not in plain_text(run_table(_run()))  # none counted: no column
