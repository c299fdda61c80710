from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from harness import execution
from harness.errors import RunInterrupted
from harness.isolation import WorkerSetup
from harness.job import Job
from harness.measure import SampleSettings
from harness.records import (
    BenchmarkResult,
    Direction,
    Kind,
    Metric,
    ProcessRun,
    RunResult,
    Status,
)
from harness.results import load
from harness.runner import RunOptions, run
from harness.suite import BenchKind, CaseRef


def test_good_benchmarks_give_samples_and_counters(sample_options: RunOptions) -> None:
    options = replace(sample_options, suites=("basic",), quick=True)
    result, path = run(options)
    by_id = {b.id: b for b in result.benchmarks}
    statuses = {b.id: b.status for b in result.benchmarks}
    assert statuses.pop("basic.NeedsService.time_it") == "skipped"
    assert set(statuses.values()) == {"ok"}, [b.error for b in result.benchmarks]
    summed = by_id["basic.Arithmetic.time_sum(size=10, label='a')"]
    assert len(summed.metric("time").samples) == 3
    assert summed.metric("items").samples == (10.0, 10.0, 10.0)
    assert summed.metric("items").kind == "exact"
    assert by_id["basic.track_answer"].metric("track").samples[0] == 42.0
    assert by_id["basic.track_answer"].metric("track").unit == "answers"
    assert by_id["basic.peakmem_list"].metric("peakmem").samples[0] > 16_000_000
    timeline = by_id["basic.peakmem_list"].memory_timeline
    assert len(timeline) >= 2 and max(timeline) - min(timeline) > 10  # MiB: the 16 MB list
    assert by_id["basic.Cold.time_once"].status == "ok"  # setup ran before every sample
    assert load(path) == result
    assert result.complete


def test_misbehaving_benchmarks_fail_and_the_run_goes_on(sample_options: RunOptions) -> None:
    options = replace(sample_options, pattern="broken|time_empty")
    result, path = run(options)
    by_id = {b.id: b for b in result.benchmarks}
    assert "RuntimeError: boom from the benchmark" in by_id["broken.time_raises"].error
    assert by_id["broken.time_hangs"].error == "timed out after 2 s"
    assert "memory cap exceeded" in by_id["broken.time_greedy"].error
    assert by_id["basic.time_empty"].status == "ok"
    assert {b.status for b in result.benchmarks if b.name.startswith("broken")} == {"failed"}
    assert json.loads(path.read_text())["complete"] is True


def test_a_value_that_is_not_a_finite_number_fails_its_benchmark(
    sample_options: RunOptions,
) -> None:
    result, _ = run(replace(sample_options, pattern="track_nan|InfiniteCounter"))
    by_id = {b.id: b for b in result.benchmarks}
    assert [by_id[i].status for i in ("broken.track_nan", "broken.InfiniteCounter.time_it")] == [
        "failed",
        "failed",
    ]
    assert by_id["broken.track_nan"].error == (
        "metric 'track' has a sample that is not a finite number (NaN or infinity)"
    )
    assert "'requests'" in (by_id["broken.InfiniteCounter.time_it"].error or "")


def test_same_code_same_ids_and_counters(sample_options: RunOptions) -> None:
    options = replace(sample_options, pattern="time_sum", quick=True)
    first, _ = run(options)
    second, _ = run(options)
    assert [b.id for b in first.benchmarks] == [b.id for b in second.benchmarks]
    assert [b.metric("items").samples for b in first.benchmarks] == [
        b.metric("items").samples for b in second.benchmarks
    ]


def test_sampled_extras_and_counters_get_their_units(sample_options: RunOptions) -> None:
    result, _ = run(replace(sample_options, pattern="time_scenario"))
    (bench,) = result.benchmarks
    throughput, done = bench.metric("throughput"), bench.metric("done")
    assert (throughput.kind, throughput.unit, throughput.direction) == (
        "sampled",
        "req/s",
        "higher",
    )
    assert set(throughput.samples) == {105.0}
    assert (done.kind, done.unit, done.direction) == ("exact", "count", "lower")


def test_not_implemented_in_setup_skips_the_case(sample_options: RunOptions) -> None:
    result, _ = run(replace(sample_options, pattern="NeedsService"))
    (bench,) = result.benchmarks
    assert (bench.status, bench.error) == ("skipped", "service not installed")


def test_fixture_counters_restart_before_every_calibrated_sample(
    sample_options: RunOptions,
) -> None:
    result, _ = run(replace(sample_options, pattern="Counting"))
    (bench,) = result.benchmarks
    calls = bench.metric("probe.calls").samples
    # The calibrated call count, the same in every sample: warm-up and earlier samples
    # are not counted again.
    assert len(set(calls)) == 1 and calls[0] >= 1, calls


def test_several_processes_per_case_are_recorded_apart(sample_options: RunOptions) -> None:
    pattern = r"time_sum\(size=10, label='a'\)|track_answer|time_raises"
    options = replace(sample_options, pattern=pattern, processes=3)
    result, path = run(options)
    by_id = {b.id: b for b in result.benchmarks}
    summed = by_id["basic.Arithmetic.time_sum(size=10, label='a')"]
    time = summed.metric("time")
    assert [len(r.samples) for r in time.runs] == [3, 3, 3] and len(time.samples) == 9
    assert [r.round for r in time.runs] == [0, 1, 2]
    assert len({r.started_at for r in time.runs}) == 3  # three worker processes
    assert summed.metric("items").samples == (10.0,) * 9
    assert [len(r.samples) for r in by_id["basic.track_answer"].metric("track").runs] == [3] * 3
    assert by_id["broken.time_raises"].status == "failed"  # and its later processes not run
    assert len(result.benchmarks) == len(by_id)  # one entry per case, not per process
    assert load(path) == result and result.meta.processes == 3


def test_a_worker_starts_without_the_heavy_libraries() -> None:
    # Every case starts a worker; scipy alone costs ~0.7 s of start-up, paid per process.
    heavy = "{'scipy', 'numpy', 'pandas', 'matplotlib'}"
    code = f"import sys, harness.worker; print(sorted({heavy} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_queued_units_go_to_whichever_lane_is_free(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Unit "a" waits until "d" has run: with steps (every lane waiting for the slowest job of
    # each) "d" would never start; free lanes taking the next unit run b, c and d beside it.
    released, lanes_of = threading.Event(), {}

    def measure(recorder: object, job: Job, on: tuple[int, object], zygotes: object) -> list[None]:
        name = job.cases[0].id
        lanes_of[name] = on[0]
        if name == "a":
            assert released.wait(timeout=60), "d never ran while a was running"
        if name == "d":
            released.set()
        return []

    monkeypatch.setattr(execution, "_measure", measure)
    setup = WorkerSetup(tmp_path, "suites", SampleSettings(), 100.0)
    recorder = execution.Recorder(RunResult("20260101T000000000000Z"), tmp_path / "r.json", setup)
    refs = [CaseRef(i, i, {}, "m", None, "time_x", BenchKind.TIME) for i in "abcd"]
    units = [((recorder, Job((ref,), instructions=True)),) for ref in refs]
    lanes = [execution.Lane([], {}), execution.Lane([], {})]
    execution.execute([recorder], [], lanes, execution.Silent(), units)
    assert sorted(lanes_of) == ["a", "b", "c", "d"]
    assert {lanes_of[i] for i in "bcd"} == {1 - lanes_of["a"]}


def test_one_lane_counts_the_micro_session_first_then_the_slowest_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = []

    def measure(recorder: object, job: Job, on: tuple[int, object], zygotes: object) -> list[None]:
        order.append("micro" if job.micro else job.cases[0].id)
        return []

    monkeypatch.setattr(execution, "_measure", measure)
    setup = WorkerSetup(tmp_path, "suites", SampleSettings(), 100.0)
    recorder = execution.Recorder(RunResult("20260101T000000000000Z"), tmp_path / "r.json", setup)
    for case_id, seconds in (("fast", 0.001), ("slow", 0.5)):
        time = Metric("time", "s", Direction.LOWER, Kind.SAMPLED, (ProcessRun((seconds,)),))
        recorder.add([BenchmarkResult(case_id, case_id, {}, Status.OK, (time,))])
    refs = [CaseRef(i, i, {}, "m", None, "time_x", BenchKind.TIME) for i in ("fast", "slow")]
    micro = CaseRef(
        "micro.t.test_x", "micro.t.test_x", {}, "micro/t.py", None, "test_x", BenchKind.MICRO
    )
    units = [((recorder, Job((ref,), instructions=True)),) for ref in [*refs, micro]]
    execution.execute([recorder], [], [execution.Lane([], {})], execution.Silent(), units)
    assert order == ["micro", "slow", "fast"]


def test_a_ctrl_c_that_a_callback_swallowed_still_stops_the_run_at_the_next_job(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    measured = []

    def measure(recorder: object, job: Job, on: tuple[int, object], zygotes: object) -> list[None]:
        measured.append(job.cases[0].id)
        if len(measured) == 1:  # Ctrl-C lands in a callback that drops exceptions (after-fork)
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(1)
            except KeyboardInterrupt as lost:  # as Python reports it: not printed
                sys.unraisablehook(SimpleNamespace(exc_type=KeyboardInterrupt, exc_value=lost))
        return []

    monkeypatch.setattr(execution, "_measure", measure)
    # Ctrl-C as at a terminal, whatever this test inherited (SIGINT is ignored under nohup).
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    request.addfinalizer(lambda: signal.signal(signal.SIGINT, inherited))
    setup = WorkerSetup(tmp_path, "suites", SampleSettings(), 100.0)
    recorder = execution.Recorder(RunResult("20260101T000000000000Z"), tmp_path / "r.json", setup)
    refs = [CaseRef(i, i, {}, "m", None, "time_x", BenchKind.TIME) for i in "abc"]
    steps: list[execution.Step] = [((recorder, Job((ref,))),) for ref in refs]
    with pytest.raises(RunInterrupted, match="interrupted: kept"):
        execution.execute([recorder], steps, [execution.Lane([], {})], execution.Silent())
    assert measured == ["a"]
    assert "KeyboardInterrupt" not in capsys.readouterr().err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
