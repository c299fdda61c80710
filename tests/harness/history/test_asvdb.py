"""Mapping bench runs onto asv's database: names, types, units, grids, failures, merging."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from asv.results import Results

from harness.asv.db import (
    HistoryError,
    NotRecordable,
    record,
    recorded_runs,
    try_record,
    write_benchmarks_json,
)
from harness.asv.series import series_of
from harness.meta import GitInfo, MachineInfo, PythonInfo, RunMeta
from harness.records import BenchmarkResult, Direction, Kind, Metric, RunResult, Status

COMMIT = "0123456789abcdef0123456789abcdef01234567"
META = RunMeta(
    start_time="2026-11-27T09:00:00Z",
    machine=MachineInfo(hostname="box", cpu_model="CPU", cores=2, memory_bytes=1024,
                        os="Linux 6", arch="x86_64"),
    python=PythonInfo(version="3.11.9"),
    git=GitInfo(commit=COMMIT, branch="main", dirty=False),
)  # fmt: skip


def sampled(name: str, unit: str, values: tuple[float, ...]) -> Metric:
    return Metric.single(name, unit, Direction.LOWER, Kind.SAMPLED, values)


def exact(name: str, value: float) -> Metric:
    return Metric.single(name, "count", Direction.LOWER, Kind.EXACT, (value, value, value))


def case(n: int, t: float, status: Status = Status.OK) -> BenchmarkResult:
    metrics = (
        (sampled("time", "s", (t, t * 1.1, t * 0.9)), exact("mock.requests", n * 10.0))
        if status is Status.OK
        else ()
    )
    return BenchmarkResult(
        f"m.C.time_x(n={n})", "m.C.time_x", {"n": n}, status, metrics,
        None if status is Status.OK else "boom",
    )  # fmt: skip


def run(*benchmarks: BenchmarkResult, run_id: str = "r1", **git: Any) -> RunResult:
    meta = replace(META, git=replace(META.git, **git))
    return RunResult(run_id, meta, benchmarks, True)


def load_results(path: Path) -> Results:
    return Results.load(str(path))


def test_series_names_types_and_units() -> None:
    track = BenchmarkResult(
        "m.track_y", "m.track_y", {}, Status.OK,
        (Metric.single("track", "%", Direction.HIGHER, Kind.EXACT, (5.0,)),
         sampled("throughput", "req/s", (100.0, 110.0)),
         sampled("peakmem", "bytes", (1e6, 1.1e6))),
    )  # fmt: skip
    found = {s.name: s for s in series_of(run(case(1, 0.5), track))}
    assert {n: (s.type, s.unit) for n, s in found.items()} == {
        "m.C.time_x": ("time", "seconds"),
        "m.C.time_x.mock_requests": ("track", "count"),
        "m.track_y": ("track", "%"),
        "m.track_y.throughput": ("track", "req/s"),
        "m.track_y.peakmem": ("peakmemory", "bytes"),
    }
    assert found["m.C.time_x"].entry()["params"] == [["1"]]
    assert found["m.C.time_x"].entry()["param_names"] == ["n"]


def test_record_writes_asv_results_with_samples_and_exact_values(tmp_path: Path) -> None:
    path = record(run(case(1, 0.5), case(2, 1.0)), tmp_path)
    assert path == tmp_path / "results" / "box" / f"{COMMIT[:8]}-bench.json"
    results = load_results(path)
    assert results.params["machine"] == "box" and results.params["python"] == "3.11"
    assert results.get_result_value("m.C.time_x", [["1", "2"]]) == [0.5, 1.0]
    assert results.get_result_samples("m.C.time_x", [["1", "2"]])[1] == [1.0, 1.1, 0.9]
    assert results.get_result_value("m.C.time_x.mock_requests", [["1", "2"]]) == [10.0, 20.0]
    assert recorded_runs(tmp_path) == {"r1"}
    machine = json.loads((tmp_path / "results" / "box" / "machine.json").read_text())
    assert machine["cpu"] == "CPU" and machine["num_cpu"] == "2"


def test_failed_is_none_and_skipped_is_nan(tmp_path: Path) -> None:
    path = record(
        run(case(1, 0.5), case(2, 0, Status.FAILED), case(3, 0, Status.SKIPPED)), tmp_path
    )
    values = load_results(path).get_result_value("m.C.time_x", [["1", "2", "3"]])
    assert values[0] == 0.5 and values[1] is None and math.isnan(values[2])


def test_a_later_run_of_the_commit_keeps_what_it_did_not_measure(tmp_path: Path) -> None:
    record(run(case(1, 0.5), case(2, 1.0)), tmp_path)
    path = record(run(case(1, 0.25), run_id="r2"), tmp_path)  # e.g. one shard, or a quick run
    values = load_results(path).get_result_value("m.C.time_x", [["1", "2"]])
    assert values == [0.25, 1.0]
    assert recorded_runs(tmp_path) == {"r1", "r2"}


def test_the_benchmark_list_unions_parameters_across_runs(tmp_path: Path) -> None:
    record(run(case(2, 1.0)), tmp_path)
    record(run(case(10, 1.0), run_id="r2", commit="f" * 40), tmp_path)
    listed = json.loads((tmp_path / "results" / "benchmarks.json").read_text())
    assert listed["m.C.time_x"]["params"] == [["2", "10"]]  # numbers in numeric order
    assert listed["version"] == 2


def test_a_benchmark_asv_discovered_keeps_its_entry(tmp_path: Path) -> None:
    record(run(case(1, 0.5)), tmp_path)
    listing = tmp_path / "results" / "benchmarks.json"
    discovered = {
        "name": "m.C.time_x", "type": "time", "unit": "seconds", "version": "abc",
        "params": [["1", "2"]], "param_names": ["n"], "code": "def time_x(): ...",
    }  # fmt: skip
    listing.write_text(json.dumps({"m.C.time_x": discovered, "version": 2}))
    write_benchmarks_json(tmp_path)
    listed = json.loads(listing.read_text())
    assert listed["m.C.time_x"] == discovered
    assert listed["m.C.time_x.mock_requests"]["version"] is None


def test_runs_that_cannot_stand_for_a_commit_are_refused(tmp_path: Path) -> None:
    with pytest.raises(NotRecordable, match="no git commit"):
        record(run(case(1, 0.5), commit=None), tmp_path)
    with pytest.raises(NotRecordable, match="uncommitted changes"):
        record(run(case(1, 0.5), dirty=True), tmp_path)
    assert record(run(case(1, 0.5), dirty=True), tmp_path, allow_dirty=True).is_file()


@pytest.mark.parametrize("commit", ["../../../outside", "/tmp/elsewhere", "0123456789abcdeG"])
def test_a_commit_that_is_not_a_hash_never_names_a_file(tmp_path: Path, commit: str) -> None:
    """asv names its results file after the commit: ``../../../outside`` would climb out."""
    with pytest.raises(NotRecordable, match="is not a hash"):
        record(run(case(1, 0.5), commit=commit), tmp_path / "asv")
    assert not (tmp_path / "asv" / "results").exists()


def test_try_record_never_raises(tmp_path: Path) -> None:
    assert try_record(run(case(1, 0.5)), tmp_path) is None
    warning = try_record(run(case(1, 0.5), dirty=True), tmp_path)
    assert warning is not None and "uncommitted changes" in warning
    (tmp_path / "bench-series.json").write_text("{torn")
    warning = try_record(run(case(1, 0.5)), tmp_path)
    assert warning is not None and "cannot read bench's series registry" in warning


def test_a_registry_of_another_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bench-series.json").write_text(json.dumps({"format": "x", "format_version": 9}))
    with pytest.raises(HistoryError, match="upgrade bench"):
        record(run(case(1, 0.5)), tmp_path)


def test_the_machine_name_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCH_ASV_MACHINE", "ci runner/1")
    path = record(run(case(1, 0.5)), tmp_path)
    assert path.parent.name == "ci-runner-1"
