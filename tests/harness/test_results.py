"""The result file: round trip, schema, one test per migration step, bad files, atomic writes."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from harness.errors import InputError
from harness.frame import to_dataframe
from harness.meta import GitInfo, MachineInfo, PythonInfo, RunMeta
from harness.records import (
    BenchmarkResult,
    Direction,
    Kind,
    Metric,
    ProcessRun,
    RunResult,
    Side,
    Status,
)
from harness.results import (
    FORMAT_VERSION,
    MIGRATIONS,
    SCHEMA_PATH,
    from_dict,
    load,
    save,
    to_dict,
)
from tests.harness.conftest import SAMPLE_SUITES

DATA = Path(__file__).parent / "data"


def _run() -> RunResult:
    runs = (ProcessRun((0.5, 0.4), 0, Side.CURRENT, 1e9, 0.7), ProcessRun((0.6,), 1))
    metric = Metric("time", "s", Direction.LOWER, Kind.SAMPLED, runs)
    ok = BenchmarkResult("s.b(n=1)", "s.b", {"n": 1}, Status.OK, (metric,), None, 1.5)
    bad = BenchmarkResult("s.c", "s.c", {}, Status.FAILED, (), "timed out after 2 s", 2.0)
    meta = RunMeta(
        harness_version="0.1.0",
        start_time="2026-11-27T08:00:00Z",
        command=("bench", "run"),
        machine=MachineInfo(hostname="h", cpu_model="c", cores=2, memory_bytes=1, os="L"),
        python=PythonInfo(version="3.11.7", implementation="CPython"),
        git=GitInfo(commit="0123abc", branch="main", dirty=False, subject="Fix the cache"),
        extra={"from_a_newer_bench": {"x": 1}},
    )
    return RunResult("20261127T080000000000Z", meta, (ok, bad), False)


def test_a_run_survives_the_file_and_the_file_follows_the_schema(tmp_path: Path) -> None:
    run = _run()
    path = save(run, tmp_path / "r.json")
    assert load(path) == run
    written = json.loads(path.read_text())
    jsonschema.validate(written, json.loads(SCHEMA_PATH.read_text()))
    assert written["meta"]["from_a_newer_bench"] == {"x": 1}  # unknown keys are kept
    time = written["benchmarks"][0]["metrics"][0]
    assert time["summary"]["n"] == 3  # derived from every run's samples, for readers


def test_metric_samples_and_summary_are_derived_from_its_runs() -> None:
    time = _run().benchmarks[0].metric("time")
    assert time is not None and time.samples == (0.5, 0.4, 0.6)
    assert time.summary["median"] == 0.5 and time.summary["n"] == 3


def test_unknown_version_is_refused_with_advice(tmp_path: Path) -> None:
    data = to_dict(_run())
    data["format_version"] = FORMAT_VERSION + 1
    path = tmp_path / "future.json"
    path.write_text(json.dumps(data))
    with pytest.raises(
        InputError,
        match=rf"future.json: result format version {FORMAT_VERSION + 1} .*upgrade bench",
    ):
        load(path)


def test_corrupt_missing_and_foreign_files_are_input_errors(tmp_path: Path) -> None:
    (tmp_path / "torn.json").write_text('{"format": "bench-result", "format_')
    (tmp_path / "other.json").write_text("[1, 2]")
    for name, message in [
        ("torn.json", "not valid JSON"),
        ("other.json", "not a bench result file"),
        ("absent.json", "no such result file"),
    ]:
        with pytest.raises(InputError, match=message):
            load(tmp_path / name)


def test_older_versions_migrate_through_explicit_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    import harness.results as results

    def step(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "run_id": "20261127T080000000001Z"}

    old = to_dict(_run())
    now = results.FORMAT_VERSION
    monkeypatch.setattr(results, "FORMAT_VERSION", now + 1)
    monkeypatch.setattr(results, "MIGRATIONS", {**results.MIGRATIONS, now: step})
    monkeypatch.setattr(results, "_schema_problem", lambda data: None)
    assert from_dict(old).run_id == "20261127T080000000001Z"


def test_there_is_one_migration_per_older_version() -> None:
    assert sorted(MIGRATIONS) == list(range(1, FORMAT_VERSION))


def _fixture(version: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"result-v{version}.json").read_text())
    return data


def test_the_step_from_1_to_2_adds_empty_memory_timelines() -> None:
    migrated = MIGRATIONS[1](_fixture(1))
    assert migrated["format_version"] == 2
    assert [b["memory_timeline"] for b in migrated["benchmarks"]] == [[], []]


def test_the_step_from_2_to_3_records_one_process_per_metric() -> None:
    migrated = MIGRATIONS[2](_fixture(2))
    assert migrated["format_version"] == 3
    assert [m["processes"] for m in migrated["benchmarks"][0]["metrics"]] == [[4], [4]]


def test_the_step_from_3_to_4_cuts_the_samples_into_runs() -> None:
    migrated = MIGRATIONS[3](_fixture(3))
    assert migrated["format_version"] == 4
    time = migrated["benchmarks"][0]["metrics"][0]
    assert time["runs"] == [
        {"samples": [0.5, 0.4], "round": 0, "side": "current"},
        {"samples": [0.3, 0.6], "round": 1, "side": "current"},
    ]
    assert "samples" not in time and "processes" not in time and "summary" not in time


def test_the_step_from_3_to_4_gives_a_base_file_base_runs() -> None:
    data = _fixture(3)
    data["meta"]["role"] = "base"
    time = MIGRATIONS[3](data)["benchmarks"][0]["metrics"][0]
    assert {run["side"] for run in time["runs"]} == {"base"}


@pytest.mark.parametrize("version", [1, 2, 3])
def test_a_file_of_every_older_version_still_loads(version: int) -> None:
    run = load(DATA / f"result-v{version}.json")
    assert run.meta.machine.hostname == "h" and run.meta.commit == "abc"
    assert run.meta.extra == {"a_key_a_newer_bench_wrote": [1, 2]}
    time = run.benchmarks[0].metric("time")
    requests = run.benchmarks[0].metric("requests")
    assert time is not None and requests is not None
    assert time.samples == (0.5, 0.4, 0.3, 0.6) and requests.kind is Kind.EXACT
    rounds = [0, 1] if version == 3 else [0]  # version 3 knew two processes, older ones one
    assert [r.round for r in time.runs] == rounds
    assert run.benchmarks[1].status is Status.FAILED


def test_dataframe_view_has_a_row_per_sample() -> None:
    frame = to_dataframe(_run())
    assert list(frame[frame.metric == "time"].value) == [0.5, 0.4, 0.6]
    assert frame[frame.benchmark == "s.c"].status.tolist() == ["failed"]


def test_a_result_file_read_in_a_tight_loop_through_kill_9_is_always_whole(
    tmp_path: Path,
) -> None:
    """A reader polling the file while ``bench run`` rewrites it after every case, until a
    SIGKILL at a random moment, never sees a torn or invalid file: every distinct content read
    is loaded through the schema afterwards. Made to fail once by writing the file in place
    instead of through ``write_atomic``: the reader then saw empty and half-written files."""
    results = tmp_path / "results"
    command = [
        sys.executable, "-m", "harness.cli", "run", "basic", "--suites-dir", str(SAMPLE_SUITES),
        "--results-dir", str(results), "--samples", "5", "--processes", "4",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: set[str] = set()
    reads = 0
    stop = threading.Event()

    def read_forever() -> None:
        nonlocal reads
        while not stop.is_set():
            for path in results.glob("*.json"):
                seen.add(path.read_text())
                reads += 1

    reader = threading.Thread(target=read_forever)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(results.glob("*.json")):
            time.sleep(0.01)
        reader.start()
        while time.monotonic() < deadline and len(seen) < 2:  # one case written, at least
            time.sleep(0.01)
        time.sleep(random.Random().uniform(0.0, 2.0))  # then a random point of the run
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(0.2)  # keep reading the last state
    finally:
        stop.set()
        process.kill()
        process.wait()
        if reader.is_alive():
            reader.join()
    assert reads > 100 and len(seen) > 1
    for text in seen:
        from_dict(json.loads(text))  # raises on a torn or invalid state
    (path,) = results.glob("*.json")
    survived = load(path)
    # Nothing the kill interrupted is recorded as failed; the suite's own skip may be there.
    statuses = {b.id: b.status for b in survived.benchmarks}
    assert not survived.complete and Status.FAILED not in statuses.values()
    assert all(s is Status.OK or i == "basic.NeedsService.time_it" for i, s in statuses.items())


def test_extending_a_result_appends_the_runs_of_each_process() -> None:
    first = _run().benchmarks[0]
    grown = first.extended(first).extended(first, shift_rounds=2)
    time = grown.metric("time")
    assert time is not None and time.samples == (0.5, 0.4, 0.6) * 3
    assert [r.round for r in time.runs] == [0, 1, 0, 1, 2, 3]
    assert time.summary["n"] == 9
    assert grown.duration_s == pytest.approx(3 * first.duration_s)


def test_a_failed_process_fails_the_benchmark() -> None:
    ok, failed = _run().benchmarks
    assert ok.extended(replace(failed, id=ok.id)).status is Status.FAILED
    assert failed.extended(ok).status is Status.FAILED


def test_a_run_extends_a_benchmark_it_already_has() -> None:
    run = _run()
    again = run.with_outcome(run.benchmarks[0])
    assert len(again.benchmarks) == 2
    metric = again.benchmarks[0].metric("time")
    assert metric is not None and len(metric.samples) == 6
