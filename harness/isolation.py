"""One job in one fresh worker process: spawn, supervise (timeout, memory cap), collect.

The worker gets its task on stdin and writes its reply to an inherited file descriptor; both
are anonymous temporary files, and its stderr another, so a run killed at any moment leaves no
files behind. The worker leads a process group of its own and is told to stop if the run dies
(Linux's parent-death signal): it then takes its whole group, children included, down with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import psutil

from harness import codec, instructions
from harness.job import Job, Task
from harness.lifetime import die_with_parent, kill_group, over_limits
from harness.measure import SampleSettings
from harness.records import (
    BenchmarkResult,
    Direction,
    Kind,
    Metric,
    ProcessRun,
    Status,
)
from harness.zygote import Zygotes

INSTRUCTIONS = "instructions"  # the metric's name
VALGRIND_RSS_MB = 300.0  # callgrind's own memory on top of the worker's


@dataclass(frozen=True)
class WorkerSetup:
    """Where a worker finds the suites, and what it gets in its environment."""

    suites_root: Path
    package: str
    settings: SampleSettings
    max_rss_mb: float
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    quick: bool = False


def run_job(
    job: Job, setup: WorkerSetup, zygotes: Zygotes | None = None, lane: int = 0
) -> list[BenchmarkResult]:
    """Measure ``job`` in a fresh worker process (an instruction count in a child of the run's
    counting zygote for ``lane``, ``harness.zygote``): one result per case, failures included."""
    task = Task(job, str(setup.suites_root.resolve()), setup.package, setup.settings, setup.quick)
    started = time.perf_counter()
    cap = job.max_rss_mb(setup.max_rss_mb)
    if job.instructions:
        with contextlib.ExitStack() as stack:
            pool = zygotes or stack.enter_context(Zygotes())
            outcome = _count(task, setup, pool, (job.timeout_s, cap * 2 + VALGRIND_RSS_MB), lane)
    else:
        outcome = _run_worker(task, setup, job.timeout_s, cap)
    elapsed = time.perf_counter() - started
    if isinstance(outcome, str):
        return [
            BenchmarkResult(
                c.id, c.name, c.params, Status.FAILED, error=outcome, duration_s=elapsed
            )
            for c in job.cases
        ]
    # One case: the parent's clock, worker start-up included; a batch keeps pytest's per test.
    return [replace(r, duration_s=elapsed) for r in outcome] if len(outcome) == 1 else outcome


def _run_worker(
    task: Task, setup: WorkerSetup, timeout_s: float, max_rss_mb: float
) -> list[BenchmarkResult] | str:
    """The worker's results, or why there are none."""
    with (
        tempfile.TemporaryFile() as task_file,
        tempfile.TemporaryFile() as reply,
        tempfile.TemporaryFile() as stderr,
    ):
        task_file.write(json.dumps(task.to_dict()).encode())
        task_file.seek(0)
        command = [sys.executable, "-m", "harness.worker", "-", str(reply.fileno())]
        process = subprocess.Popen(
            command,
            env={**os.environ, **setup.env},
            cwd=setup.cwd,
            stdin=task_file,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            pass_fds=(reply.fileno(),),
            start_new_session=True,
            preexec_fn=die_with_parent(os.getpid()),
        )
        failure = _supervise(process, timeout_s, max_rss_mb)
        if failure:
            return failure
        reply.seek(0)
        stderr.seek(0)
        return _reply(reply.read(), stderr.read(), process.returncode, len(task.job.cases))


def _count(
    task: Task, setup: WorkerSetup, zygotes: Zygotes, limits: tuple[float, float], lane: int
) -> list[BenchmarkResult] | str:
    """The counting child's results with their counts as the ``instructions`` metric: the count
    at exit for an asv case, each case's own dump (labelled with its index) for micro cases."""
    env = {**os.environ, **setup.env, "PYTHONHASHSEED": instructions.HASH_SEED}
    outcome = zygotes.run(task, env, setup.cwd, limits, lane)
    if isinstance(outcome, str):
        return outcome
    if outcome.failure:
        return outcome.failure
    results = _reply(outcome.reply, outcome.stderr, outcome.code, len(task.job.cases))
    if isinstance(results, str):
        return results
    try:
        if task.job.micro:
            found = dict(d for d in map(instructions.dumped, outcome.dumps) if d is not None)
            counts = [found.get(str(i)) for i in range(len(results))]
        else:
            counts = [instructions.totals(outcome.callgrind)]
    except ValueError as exc:
        return f"instructions not counted: {exc}"
    return [_with_count(r, n, task.job) for r, n in zip(results, counts, strict=True)]


def _with_count(result: BenchmarkResult, count: int | None, job: Job) -> BenchmarkResult:
    if not result.ok:
        return result
    if count is None:
        return replace(result, status=Status.FAILED, error="instructions not counted: no call")
    run = ProcessRun((float(count),), job.round, job.side)
    metric = Metric(INSTRUCTIONS, "instructions", Direction.LOWER, Kind.DETERMINISTIC, (run,))
    return replace(result, metrics=(metric,))


def _reply(data: bytes, stderr: bytes, code: int, expected: int) -> list[BenchmarkResult] | str:
    if not data:
        lines = stderr.decode(errors="replace").strip().splitlines()
        return f"worker exited with code {code}: {(lines[-1:] or ['no output'])[0]}"
    try:
        raw: Any = json.loads(data)
        results = [codec.decode_benchmark(r, f"results[{i}]") for i, r in enumerate(raw["results"])]
    except (ValueError, KeyError, TypeError) as exc:
        return f"worker sent an unreadable reply ({exc})"
    if len(results) != expected:
        return f"worker sent {len(results)} results for {expected} cases"
    return results


def _supervise(process: subprocess.Popen[bytes], timeout_s: float, max_rss_mb: float) -> str | None:
    """Wait for the worker; kill it past its timeout or memory cap and say why."""
    deadline = time.monotonic() + timeout_s
    watched = psutil.Process(process.pid)
    try:
        while process.poll() is None:
            failure = over_limits(watched, deadline, timeout_s, max_rss_mb)
            if failure:
                _kill(process)
                return failure
            time.sleep(0.02)
    except BaseException:
        _kill(process)
        raise
    kill_group(process.pid)  # whatever the worker started and left running
    return None


def _kill(process: subprocess.Popen[bytes]) -> None:
    kill_group(process.pid)
    process.kill()
    process.wait()
