from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from harness.errors import InputError
from harness.frame import to_dataframe
from harness.results import (
    FORMAT_VERSION,
    SCHEMA_PATH,
    BenchmarkResult,
    Metric,
    RunResult,
    from_dict,
    load,
    save,
    to_dict,
)
from harness.stats import summarize
from tests.harness.conftest import SAMPLE_SUITES


def _run() -> RunResult:
    samples = (0.5, 0.4, 0.6)
    metric = Metric("time", "s", "lower", "sampled", samples, summarize(samples))
    ok = BenchmarkResult("s.b(n=1)", "s.b", {"n": 1}, "ok", (metric,), None, 1.5)
    bad = BenchmarkResult("s.c", "s.c", {}, "failed", (), "timed out after 2 s", 2.0)
    meta = {
        "harness_version": "0.1.0",
        "start_time": "2026-11-27T08:00:00Z",
        "end_time": None,
        "command": ["bench", "run"],
        "machine": {"hostname": "h", "cpu_model": "c", "cores": 2, "memory_bytes": 1, "os": "L"},
        "python": {"version": "3.11.7", "implementation": "CPython"},
        "packages": {},
        "git": {"commit": None, "branch": None, "dirty": None},
        "fixtures": {},
    }
    return RunResult("20261127T080000000000Z", meta, (ok, bad), False)


def test_round_trip_and_schema(tmp_path: Path) -> None:
    run = _run()
    path = save(run, tmp_path / "r.json")
    assert load(path) == run
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.validate(json.loads(path.read_text()), schema)


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
        ("torn.json", "cannot read result file"),
        ("other.json", "not a bench result file"),
        ("absent.json", "no such result file"),
    ]:
        with pytest.raises(InputError, match=message):
            load(tmp_path / name)


def test_older_versions_migrate_through_explicit_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    import harness.results as results

    def step(data: dict) -> dict:
        data["run_id"] = data["run_id"].lower()
        return data

    old = to_dict(_run())
    now = results.FORMAT_VERSION
    monkeypatch.setattr(results, "FORMAT_VERSION", now + 1)
    monkeypatch.setattr(results, "MIGRATIONS", {**results.MIGRATIONS, now: step})
    migrated = from_dict(old)
    assert migrated.run_id == "20261127t080000000000z"


def test_dataframe_view_has_a_row_per_sample() -> None:
    frame = to_dataframe(_run())
    assert list(frame[frame.metric == "time"].value) == [0.5, 0.4, 0.6]
    assert frame[frame.benchmark == "s.c"].status.tolist() == ["failed"]


def test_kill_9_mid_run_leaves_a_valid_file(tmp_path: Path) -> None:
    results = tmp_path / "results"
    command = [
        sys.executable, "-m", "harness.cli", "run", "basic", "--suites-dir", str(SAMPLE_SUITES),
        "--results-dir", str(results), "--samples", "50",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            files = list(results.glob("*.json"))
            if files and len(load(files[0]).benchmarks) >= 2:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    (path,) = results.glob("*.json")
    survived = load(path)
    assert len(survived.benchmarks) >= 2
    assert all(b.status == "ok" for b in survived.benchmarks)
    assert not survived.complete


def test_a_version_1_file_migrates_with_empty_timelines() -> None:
    data = to_dict(_run())
    data["format_version"] = 1
    for bench in data["benchmarks"]:
        del bench["memory_timeline"]
        for metric in bench["metrics"]:
            del metric["processes"]
    assert from_dict(data) == _one_process(_run())


def test_a_version_2_file_migrates_to_one_process_per_metric() -> None:
    data = to_dict(_run())
    data["format_version"] = 2
    for bench in data["benchmarks"]:
        for metric in bench["metrics"]:
            del metric["processes"]
    migrated = from_dict(data)
    assert migrated == _one_process(_run())
    assert migrated.benchmarks[0].metrics[0].processes == (3,)


def _one_process(run: RunResult) -> RunResult:
    """``run`` as a version 2 file reads: every metric's samples from one process."""
    benchmarks = tuple(
        replace(b, metrics=tuple(replace(m, processes=(len(m.samples),)) for m in b.metrics))
        for b in run.benchmarks
    )
    return replace(run, benchmarks=benchmarks)


def test_extending_a_result_appends_samples_and_records_each_process() -> None:
    first = _run().benchmarks[0]
    grown = first.extended(first).extended(first)
    time = grown.metric("time")
    assert time is not None and time.samples == (0.5, 0.4, 0.6) * 3
    assert time.processes == (3, 3, 3)
    assert time.by_process() == [(0.5, 0.4, 0.6)] * 3
    assert time.summary["n"] == 9
    assert grown.duration_s == pytest.approx(3 * first.duration_s)


def test_a_failed_process_fails_the_benchmark() -> None:
    ok, failed = _run().benchmarks
    assert ok.extended(replace(failed, id=ok.id)).status == "failed"
    assert failed.extended(ok).status == "failed"


def test_a_run_extends_a_benchmark_it_already_has() -> None:
    run = _run()
    again = run.with_process(run.benchmarks[0])
    assert len(again.benchmarks) == 2
    metric = again.benchmarks[0].metric("time")
    assert metric is not None and len(metric.samples) == 6
