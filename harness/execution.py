"""Execution of a run's jobs: the lanes of fixtures they run on, the worker processes, and the
result files they are recorded in (each saved after every job).

A run is a schedule of steps (jobs at the same time, one per lane) and a queue of units (jobs
one after the other on whichever lane is free); :func:`execute` measures both and keeps what
finished on Ctrl-C. Planning what to run is :mod:`harness.runner`'s.
"""

from __future__ import annotations

import math
import os
import signal
import statistics
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from harness.errors import HarnessFailure, RunInterrupted
from harness.fixtures import RunFixture, load_fixtures
from harness.isolation import WorkerSetup, run_job
from harness.job import Job
from harness.records import BenchmarkResult, RunResult
from harness.results import save
from harness.suite import CaseRef
from harness.zygote import Zygotes


class Progress(Protocol):
    """Receives the run's progress; the CLI draws it, tests may record it."""

    def phase(self, description: str) -> None:
        """A new phase of the command begins (preparing, confirming round k of n, judging)."""

    def started(self, total: int) -> None: ...

    def case_started(self, case: CaseRef) -> None: ...

    def case_finished(self, case: CaseRef, result: BenchmarkResult) -> None: ...


class Silent:
    def phase(self, description: str) -> None:
        pass

    def started(self, total: int) -> None:
        pass

    def case_started(self, case: CaseRef) -> None:
        pass

    def case_finished(self, case: CaseRef, result: BenchmarkResult) -> None:
        pass


class Recorder:
    """One result file being built: every finished job is saved at once, atomically."""

    def __init__(self, result: RunResult, path: Path, setup: WorkerSetup) -> None:
        self.result, self.path, self.setup = result, path, setup
        save(result, path)

    def add(self, outcomes: Sequence[BenchmarkResult]) -> None:
        """Record finished cases, or more worker processes of cases already recorded."""
        for outcome in outcomes:
            self.result = self.result.with_outcome(outcome)
        save(self.result, self.path)

    def warn(self, warning: str) -> None:
        self.result = self.result.with_meta(warnings=(*self.result.meta.warnings, warning))
        save(self.result, self.path)

    def given_up(self, case_id: str) -> BenchmarkResult | None:
        """The case's result if an earlier process of it failed or was skipped."""
        known = self.result.benchmark(case_id)
        return known if known is not None and not known.ok else None

    def finish(self) -> None:
        self.result = self.result.finished(now())
        save(self.result, self.path)

    def interrupted(self) -> None:
        self.result = self.result.with_meta(end_time=now(), interrupted=True)
        save(self.result, self.path)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@contextmanager
def started_fixtures(package: str) -> Iterator[tuple[list[RunFixture], dict[str, str]]]:
    """The suites' run-level fixtures, started for the run and stopped after it."""
    fixtures, env, running = load_fixtures(package), {}, []
    try:
        for fixture in fixtures:
            env.update(_started(fixture))
            running.append(fixture)
        yield running, env
    finally:
        for fixture in running:
            fixture.stop()


def _started(fixture: RunFixture) -> dict[str, str]:
    try:
        return fixture.start()
    except Exception as exc:  # noqa: BLE001 - the suite's service, not a bug of the harness
        raise HarnessFailure(
            f"run fixture {fixture.name!r} did not start: {type(exc).__name__}: {exc}"
        ) from None


@dataclass(frozen=True)
class Lane:
    """One set of the run's fixtures (its own mock server, its own Redis) and the environment
    that points workers at them. Jobs that run at the same time each get a lane of their own,
    so that one never reconfigures or resets the service another is using."""

    fixtures: list[RunFixture]
    env: dict[str, str]


# Jobs run at the same time: entry k on lane k; None leaves a lane idle for the step.
Step = tuple[tuple["Recorder", Job] | None, ...]
# Jobs run one after the other on whichever lane is free (a case's two counted sides).
Unit = tuple[tuple["Recorder", Job], ...]


@contextmanager
def started_lanes(package: str, count: int) -> Iterator[list[Lane]]:
    """``count`` lanes of fixtures, started for the run and stopped after it."""
    with ExitStack() as stack:
        yield [Lane(*stack.enter_context(started_fixtures(package))) for _ in range(count)]


def lanes_for(counting: bool) -> int:
    """Two lanes where instructions are counted on a machine with two cores or more: counts do
    not depend on what runs beside them, so two counting workers can share the machine."""
    return 2 if counting and (os.cpu_count() or 1) >= 2 else 1


def execute(
    recorders: list[Recorder],
    schedule: list[Step],
    lanes: list[Lane],
    progress: Progress,
    queue: Sequence[Unit] = (),
) -> None:
    """Measure each step in order (its jobs at the same time, one per lane), then the units of
    ``queue`` (each lane takes the next as soon as it is free), resetting a lane's fixtures
    before each job on it.

    The queue (counting) does not overlap the steps (timing), even at idle priority: tried on
    the quick suite's ``--against`` (counting workers under ``SCHED_IDLE`` on lanes of their
    own), its timed workers took 278 s instead of 184 s in all, a warm ``bench analyze`` 1.6 s
    instead of 0.8 s, the mock's throughput half, for 36 s less wall time.

    A case may appear in several jobs (one per worker process); once one of its processes
    failed or was skipped, its later ones are not run. Ctrl-C keeps what finished: every
    recorder's file is marked interrupted. The caller marks the recorders finished once it has
    nothing more to add.
    """
    steps = sum(len(e[1].cases) for step in schedule for e in step if e is not None)
    progress.started(steps + sum(len(job.cases) for unit in queue for _, job in unit))
    try:
        # One pool for the run: a zygote dies with the thread that started it (the parent-death
        # signal follows the thread), so its threads must last as long as the zygotes.
        with (
            ctrl_c_remembered() as pressed,
            Zygotes() as zygotes,
            ThreadPoolExecutor(max_workers=len(lanes)) as pool,
        ):
            for step in schedule:
                _raise_if(pressed)
                _execute_step(step, lanes, progress, (zygotes, pool))
            units = sorted(queue, key=_cost, reverse=True)
            _drain(units, lanes, progress, (zygotes, pool), pressed)  # none taken once pressed
            _raise_if(pressed)
    except KeyboardInterrupt:
        kept = []
        for recorder in recorders:
            recorder.interrupted()
            kept.append(f"{len(recorder.result.benchmarks)} finished benchmarks in {recorder.path}")
        raise RunInterrupted(f"interrupted: kept {'; '.join(kept)}") from None


@contextmanager
def ctrl_c_remembered() -> Iterator[threading.Event]:
    """Ctrl-C while the block runs, remembered (the event is set) as well as raised.

    Python raises ``KeyboardInterrupt`` wherever the main thread is, and inside a callback whose
    exceptions are printed and dropped it is lost: spawning a worker runs logging's after-fork
    hook, and 1 run in 4 of ``bench run basic`` interrupted under load lost its Ctrl-C there
    ("Exception ignored in: <function _releaseLock>") and ran to the end, exit 0. With the
    event the run stops at the next job, and the lost exception is not printed as an ignored
    one with its traceback. Not installed off the main thread, nor where SIGINT is not
    Python's default handler (ignored under ``nohup``, or someone else's).
    """
    pressed = threading.Event()
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield pressed
        return

    def handler(signum: int, frame: object) -> None:
        pressed.set()
        raise KeyboardInterrupt

    def unraisable(info: Any) -> None:
        if not (pressed.is_set() and isinstance(info.exc_value, KeyboardInterrupt)):
            hook(info)

    previous, hook = signal.signal(signal.SIGINT, handler), sys.unraisablehook
    sys.unraisablehook = unraisable
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = hook


def _raise_if(pressed: threading.Event) -> None:
    if pressed.is_set():
        raise KeyboardInterrupt


def _execute_step(
    step: Step, lanes: list[Lane], progress: Progress, using: tuple[Zygotes, ThreadPoolExecutor]
) -> None:
    """Run the step's jobs, each on its lane; record them in the step's order."""
    work = []
    for k, (entry, lane) in enumerate(zip(step, lanes, strict=False)):
        if entry is None:
            continue
        recorder, job = entry
        todo = _todo(recorder, job, progress)
        if todo:
            work.append((recorder, replace(job, cases=tuple(todo)), (k, lane), using[0]))
    if len(work) > 1:
        results = list(using[1].map(lambda item: _measure(*item), work))
    else:
        results = [_measure(*item) for item in work]
    for (recorder, job, _, _), outcomes in zip(work, results, strict=True):
        _record(recorder, job, outcomes, progress)


def _drain(
    units: list[Unit],
    lanes: list[Lane],
    progress: Progress,
    using: tuple[Zygotes, ThreadPoolExecutor],
    pressed: threading.Event,
) -> None:
    """Each lane takes the next unit when it is free and runs its jobs one after the other,
    until the units or Ctrl-C (``pressed``) end it.

    Steps would make every lane wait for the slowest job of each step: counting the quick
    suite's two sides, a cold analysis (~10 s under callgrind) beside a warm one (~1.5 s), ~112 s
    of steps for ~85 s of work per lane (job costs estimated from the kept runs). The costliest
    units go first (the caller sorts them), so the last ones are short.
    """
    pending, lock, stop = iter(units), threading.Lock(), threading.Event()

    def lane_loop(k: int) -> None:
        while not stop.is_set() and not pressed.is_set():
            with lock:
                unit = next(pending, None)
            if unit is None:
                return
            for recorder, job in unit:
                with lock:
                    todo = _todo(recorder, job, progress)
                if todo and not stop.is_set():
                    job = replace(job, cases=tuple(todo))
                    outcomes = _measure(recorder, job, (k, lanes[k]), using[0])
                    with lock:
                        _record(recorder, job, outcomes, progress)

    running = [using[1].submit(lane_loop, k) for k in range(len(lanes))]
    try:
        for lane in running:
            lane.result()
    finally:
        stop.set()  # Ctrl-C: the lanes stop after the job they are running


def _cost(unit: Unit) -> float:
    """How long a unit's jobs may take: the time per call its cases measured so far (0 when
    none is known). A micro session goes first: counting it is a pytest session under valgrind,
    ~15-30 s on this machine, more than any one counted call of the quick suite."""
    total = 0.0
    for recorder, job in unit:
        if job.micro:
            return math.inf
        for case in job.cases:
            bench = recorder.result.benchmark(case.id)
            timed = bench.metric("time") if bench is not None else None
            total += statistics.median(timed.samples) if timed and timed.samples else 0.0
    return total


def _todo(recorder: Recorder, job: Job, progress: Progress) -> list[CaseRef]:
    """The job's cases still to measure; those given up are reported as they stand."""
    todo = []
    for case in job.cases:
        progress.case_started(case)
        known = recorder.given_up(case.id)
        if known is not None:
            progress.case_finished(case, known)
        else:
            todo.append(case)
    return todo


def _measure(
    recorder: Recorder, job: Job, on: tuple[int, Lane], zygotes: Zygotes
) -> list[BenchmarkResult]:
    k, lane = on
    for fixture in lane.fixtures:
        fixture.reset()
    setup = replace(recorder.setup, env={**lane.env, **recorder.setup.env})
    return run_job(job, setup, zygotes, k)


def _record(
    recorder: Recorder, job: Job, outcomes: list[BenchmarkResult], progress: Progress
) -> None:
    if job.instructions:
        # Counting is an extra: a case too slow or too big under valgrind keeps its times.
        for failed in (o for o in outcomes if not o.ok):
            recorder.warn(f"instructions of {failed.id} not counted: {failed.error}")
        outcomes = [o for o in outcomes if o.ok]
    recorder.add(outcomes)
    for outcome in outcomes:
        case = next(c for c in job.cases if c.id == outcome.id)
        progress.case_finished(case, outcome)
