"""``--against``: another revision's code and this tree's, measured interleaved in one run."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from harness.against import counted_pairs, duet, interleave, run_against
from harness.compare import Status, judge
from harness.errors import InputError
from harness.job import Job, jobs_of
from harness.measure import SampleSettings
from harness.records import Side
from harness.results import load
from harness.runner import RunOptions
from harness.suite import BenchKind, CaseRef

SUITE = """
import os

import analyzer


class Version:
    params = [[1, 2]]
    param_names = ["n"]

    def setup(self, n):
        # Once per worker process (calibrated samples): which side, which case, which process.
        with open(os.environ["BENCH_TEST_LOG"], "a") as log:
            log.write(f"{analyzer.VERSION} n={n} {os.getpid()}\\n")

    def time_work(self, n):
        analyzer.work(n)

    def counters(self):
        return {"version": analyzer.VERSION}
"""
MICRO = """
import os

import analyzer


def test_work(benchmark):
    with open(os.environ["BENCH_TEST_LOG"], "a") as log:
        log.write(f"{analyzer.VERSION} micro {os.getpid()}\\n")
    benchmark(analyzer.work, 1)
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _write(repo: Path, version: int) -> None:
    (repo / "analyzer").mkdir(exist_ok=True)
    (repo / "analyzer" / "__init__.py").write_text(
        f"VERSION = {version}\n\ndef work(n):\n    return sum(range(n * {version} * 300))\n"
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "repo"
    (repo / "suites" / "micro").mkdir(parents=True)
    (repo / "suites" / "__init__.py").write_text("")
    (repo / "suites" / "versioned.py").write_text(SUITE)
    (repo / "suites" / "micro" / "test_m.py").write_text(MICRO)
    _write(repo, 1)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "v1")
    _write(repo, 2)  # the working tree: a new version, not committed
    monkeypatch.setenv("BENCH_TEST_LOG", str(tmp_path / "log.txt"))
    return repo


WAITS = """
import os
import time

import analyzer


def _log(case):
    with open(os.environ["BENCH_TEST_LOG"], "a") as log:
        log.write(f"{analyzer.VERSION} {case} {os.getpid()}\\n")


class Waits:
    def setup(self):
        _log("waits")

    def time_wait(self):
        time.sleep(0.02 * analyzer.VERSION)


class Computes:
    def setup(self):
        _log("computes")

    def time_compute(self):
        analyzer.work(100)
"""


def test_confirming_a_benchmark_that_waits_takes_one_sample_per_process_on_both_sides(
    repo: Path, tmp_path: Path
) -> None:
    (repo / "suites" / "waits.py").write_text(WAITS)
    _git(repo, "add", "suites/waits.py")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "waits")
    _write(repo, 2)  # both benchmarks now take twice as long: one waiting, one computing
    command = [
        sys.executable, "-m", "harness.cli", "run", "--against", "HEAD", "--samples", "3",
        "--processes", "2", "-b", "waits", "--suites-dir", str(repo / "suites"),
        "--results-dir", str(tmp_path / "r"), "--confirm-rounds", "2", "--no-instructions",
        "--no-duet",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    assert "confirming: round 1" in done.stderr + done.stdout
    # Both suspects are measured again on both sides, two processes each per round, still
    # interleaved (two rounds allowed: 2 + 2 × 2 processes per side can reach the 5 the rank
    # test needs, one round could not).
    log = [(side, case) for side, case, _ in _log(tmp_path)]
    measured = Counter(log[8:])  # after round 0 and 1: 2 benchmarks × 2 sides × 2 processes
    assert set(measured) == {(side, case) for side in "12" for case in ("waits", "computes")}
    for case in ("waits", "computes"):
        assert measured[("1", case)] == measured[("2", case)] in (2, 4)
    files = sorted((tmp_path / "r").glob("*.json"))
    assert len(files) == 2
    for path in files:
        runs = load(path).benchmark("waits.Waits.time_wait").metric("time").runs  # type: ignore[union-attr]
        assert [r.round for r in runs] == list(range(2 + measured[("1", "waits")]))
    for path in files:
        samples = {}
        for bench in load(path).benchmarks:
            time = bench.metric("time")
            assert time is not None
            samples[bench.name] = [len(run.samples) for run in time.runs]
        # Two processes of three samples each, then confirmation's: one sample for the waiting
        # benchmark, the run's three for the computing one (round 2 only if round 1 left it open).
        waits, computes = samples["waits.Waits.time_wait"], samples["waits.Computes.time_compute"]
        assert waits[:2] == [3, 3] and waits[2:] in ([1, 1], [1, 1, 1, 1])
        assert set(computes) == {3} and len(computes) >= 4


def _log(tmp_path: Path) -> list[tuple[str, str, str]]:
    lines = (tmp_path / "log.txt").read_text().splitlines()
    return [(side, case, pid) for side, case, pid in (line.split() for line in lines)]


def test_each_side_runs_its_own_code_interleaved(repo: Path, tmp_path: Path) -> None:
    fast = SampleSettings(samples=3, min_samples=3, max_time_s=2, warmup_s=0, min_sample_s=0.001)
    options = RunOptions(repo / "suites", tmp_path / "results", settings=fast, quick=True)
    done = run_against(options, "HEAD", repo)
    for result, version in ((done.base, 1.0), (done.current, 2.0)):
        assert [b.id for b in result.benchmarks] == [
            "versioned.Version.time_work(n=1)", "versioned.Version.time_work(n=2)",
            "micro.test_m.test_work",
        ]  # fmt: skip
        assert all(b.ok for b in result.benchmarks)
        asv = result.benchmarks[:2]
        assert {b.metric("version").samples for b in asv} == {(version,) * 3}  # type: ignore[union-attr]
    assert done.base.meta.role == "base" and done.base.complete and done.current.complete
    assert done.current.meta.against is not None
    assert done.current.meta.against.base_run_id == done.base.run_id
    assert done.base.meta.commit == done.current.meta.against.commit
    # A B, then B A for the next job, the micro suites included: base is version 1.
    assert [(side, case) for side, case, _ in _log(tmp_path)] == [
        ("1", "n=1"),
        ("2", "n=1"),
        ("2", "n=2"),
        ("1", "n=2"),
        ("1", "micro"),
        ("2", "micro"),
    ]
    assert len({pid for _, _, pid in _log(tmp_path)}) == 6  # a fresh process for each
    worktrees = subprocess.run(
        ["git", "worktree", "list"], cwd=repo, capture_output=True, text=True
    )
    assert len(worktrees.stdout.strip().splitlines()) == 1  # the temporary worktree is gone


def test_unknown_revision_is_an_input_error(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a commit"):
        run_against(RunOptions(repo / "suites", tmp_path), "no-such-rev", repo)


def _ref(case_id: str) -> CaseRef:
    return CaseRef(case_id, case_id, {}, "m", None, "time_x", BenchKind.TIME)


def _rounds(ids: list[str], rounds: int, side: Side) -> list[list[Job]]:
    return [jobs_of([_ref(i) for i in ids], k, side) for k in range(rounds)]


def test_interleave_alternates_and_runs_new_cases_alone() -> None:
    base, current = object(), object()
    schedule = interleave(
        base,  # type: ignore[arg-type]
        _rounds(["a", "b"], 1, Side.BASE),
        current,  # type: ignore[arg-type]
        _rounds(["a", "b", "c"], 1, Side.CURRENT),
    )
    sides = [("base" if rec is base else "current", job.key) for rec, job in schedule]
    assert sides == [
        ("base", "a"), ("current", "a"), ("current", "b"), ("base", "b"), ("current", "c"),
    ]  # fmt: skip


def test_interleave_swaps_the_order_in_each_round_of_processes() -> None:
    base, current = object(), object()
    schedule = interleave(
        base,
        _rounds(["a"], 3, Side.BASE),
        current,
        _rounds(["a"], 3, Side.CURRENT),  # type: ignore[arg-type]
    )
    sides = ["B" if rec is base else "C" for rec, _ in schedule]
    assert sides == ["B", "C", "C", "B", "B", "C"]
    assert [job.round for _, job in schedule] == [0, 0, 1, 1, 2, 2]


def test_bench_run_against_judges_the_revision_and_stops_confirming_on_a_regressed_count(
    repo: Path, tmp_path: Path
) -> None:
    command = [
        sys.executable, "-m", "harness.cli", "run", "--against", "HEAD", "--samples", "3",
        "--processes", "2", "-b", "n=1|micro", "--suites-dir", str(repo / "suites"),
        "--results-dir", str(tmp_path / "r"), "--format", "json", "--confirm-rounds", "2",
        "--no-instructions", "--no-duet",  # the order of timing workers one after the other
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # the exact counter "version" went from 1 to 2
    report = json.loads(done.stdout[done.stdout.index("{") :])
    verdicts = {(v["benchmark"], v["metric"]): v for v in report["verdicts"] if v["metric"]}
    work = "versioned.Version.time_work(n=1)"
    assert verdicts[(work, "version")]["status"] == "regressed"
    assert ("micro.test_m.test_work", "time") in verdicts  # the micro suites are judged too
    log = [(side, case) for side, case, _ in _log(tmp_path)]
    assert log == [
        ("1", "n=1"),
        ("2", "n=1"),
        ("2", "micro"),
        ("1", "micro"),  # round 0
        ("2", "n=1"),
        ("1", "n=1"),
        ("1", "micro"),
        ("2", "micro"),  # round 1
    ]
    # The slower work of version 2 makes its time a suspect, but the regressed counter already
    # fails the gate: nothing is measured again, and the report says what was left.
    stopped = [w for w in report["warnings"] if w.startswith("confirmation stopped after 0")]
    assert len(stopped) == 1 and f"{work} regressed on a count" in stopped[0]
    assert report["rounds"] == 0 and report["remeasured"] == []


def test_a_cases_two_counted_sides_are_one_unit_of_work_for_one_lane() -> None:
    base, current = object(), object()
    refs = [_ref(i) for i in ("a", "b", "c")]
    micro = replace(_ref("micro.t.test_x"), kind=BenchKind.MICRO)
    units = counted_pairs(base, [*refs[:2], micro], current, [*refs, micro])  # type: ignore[arg-type]
    named = [[("base" if r is base else "current", job.key) for r, job in unit] for unit in units]
    assert named == [
        [("current", "a instructions"), ("base", "a instructions")],
        [("current", "b instructions"), ("base", "b instructions")],
        [("current", "c instructions")],  # only the current tree has c
        [("current", "micro instructions")],  # the micro sessions: one lane each, at once
        [("base", "micro instructions")],
    ]  # fmt: skip


def test_against_counts_each_sides_instructions_and_judges_the_change(
    repo: Path, tmp_path: Path
) -> None:
    fast = SampleSettings(samples=3, min_samples=3, max_time_s=2, warmup_s=0, min_sample_s=0.001)
    options = RunOptions(
        repo / "suites", tmp_path / "results", suites=("versioned",), pattern="n=2",
        settings=fast, instructions=True,
    )  # fmt: skip
    done = run_against(options, "HEAD", repo)
    (base,), (current,) = done.base.benchmarks, done.current.benchmarks
    counts = [b.metric("instructions") for b in (base, current)]
    assert counts[0] is not None and counts[0].runs[0].side == "base"
    assert counts[1] is not None and counts[1].runs[0].side == "current"
    ratio = counts[1].samples[0] / counts[0].samples[0]  # type: ignore[union-attr]
    assert 1.8 < ratio < 2.5  # version 2 loops twice as far
    verdicts = {v.metric: v.status for v in judge(done.base, done.current).verdicts}
    assert verdicts["instructions"] is Status.REGRESSED


def test_a_duet_runs_both_sides_of_each_job_at_the_same_time(repo: Path, tmp_path: Path) -> None:
    fast = SampleSettings(samples=3, min_samples=3, max_time_s=2, warmup_s=0, min_sample_s=0.001)
    options = RunOptions(
        repo / "suites", tmp_path / "results", settings=fast, quick=True, duet=True, processes=2
    )
    done = run_against(options, "HEAD", repo)
    assert all(b.ok for b in done.base.benchmarks + done.current.benchmarks)
    log = _log(tmp_path)
    # Two rounds of three jobs: each job's two sides side by side, in different processes.
    pairs = [log[i : i + 2] for i in range(0, len(log), 2)]
    assert len(pairs) == 6
    for pair in pairs:
        assert {side for side, _, _ in pair} == {"1", "2"}
        assert len({case for _, case, _ in pair}) == 1 and len({pid for *_, pid in pair}) == 2


def test_in_a_duet_the_sides_swap_lanes_from_job_to_job_round_to_round_and_measurement() -> None:
    base, current = object(), object()

    def first_lane(turn: int) -> list[str]:
        steps = duet(
            base,  # type: ignore[arg-type]
            _rounds(["a", "b"], 2, Side.BASE),
            current,  # type: ignore[arg-type]
            _rounds(["a", "b", "c"], 2, Side.CURRENT),
            turn,
        )
        return ["base" if step[0][0] is base else "current" for step in steps]  # type: ignore[index]

    # Rounds 0 and 1 of a, b and c (c only on the current side: alone, on lane 0).
    assert first_lane(0) == ["current", "base", "current", "base", "current", "current"]
    assert first_lane(1) == ["base", "current", "current", "current", "base", "current"]
