"""Orchestration of a run: start fixtures, one worker process per case, save after each case."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from harness import __version__
from harness.environment import git_info, machine_info, package_versions, python_info
from harness.errors import RunInterrupted
from harness.fixtures import RunFixture, load_fixtures
from harness.isolation import WorkerSetup, run_case
from harness.measure import SampleSettings
from harness.micro import run_micro
from harness.results import BenchmarkResult, RunResult, save
from harness.shard import Shard, select_shard, shard_of
from harness.suite import CaseRef, discover, import_suites, select

DEFAULT_MAX_RSS_MB = 400


@dataclass(frozen=True)
class RunOptions:
    """What to run and how; built by the CLI, used by :func:`run`."""

    suites_root: Path
    results_dir: Path
    suites: tuple[str, ...] = ()
    pattern: str | None = None
    quick: bool = False
    settings: SampleSettings = field(default_factory=SampleSettings)
    max_rss_mb: float = DEFAULT_MAX_RSS_MB
    shard: Shard | None = None
    ids: tuple[str, ...] = ()  # only these case ids (re-measuring suspects)
    command: tuple[str, ...] = ()
    processes: int = 1  # worker processes per case, each taking settings.samples samples


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
    """One result file being built: every finished case is saved at once, atomically."""

    def __init__(self, result: RunResult, path: Path, setup: WorkerSetup) -> None:
        self.result, self.path, self.setup = result, path, setup
        save(result, path)

    def add(self, outcome: BenchmarkResult) -> None:
        """Record a finished case, or one more worker process of a case already recorded."""
        self.result = self.result.with_process(outcome)
        save(self.result, self.path)

    def given_up(self, case_id: str) -> BenchmarkResult | None:
        """The case's result if an earlier process of it failed or was skipped."""
        known = next((b for b in self.result.benchmarks if b.id == case_id), None)
        return known if known is not None and known.status != "ok" else None

    def finish(self) -> None:
        self.result = self.result.finished({"end_time": now()})
        save(self.result, self.path)

    def interrupted(self) -> None:
        meta = {**self.result.meta, "end_time": now(), "interrupted": True}
        self.result = replace(self.result, meta=meta)
        save(self.result, self.path)


def new_run_id(now_: datetime | None = None) -> str:
    """Sortable and unique enough: UTC time to the microsecond."""
    return (now_ or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


MICRO = "micro"  # pytest-benchmark suites under suites/micro, run by pytest, not by workers


def plan(options: RunOptions) -> list[CaseRef]:
    """The cases a run with ``options`` would measure, in order (micro suites aside)."""
    named = tuple(s for s in options.suites if s != MICRO)
    if options.suites and not named:
        return []
    cases = select(discover(options.suites_root), named, options.pattern, options.quick)
    cases = select_shard(cases, options.shard) if options.shard else cases
    return [CaseRef.of(c) for c in cases if not options.ids or c.id in options.ids]


@contextmanager
def started_fixtures(package: str) -> Iterator[tuple[list[RunFixture], dict[str, str]]]:
    """The suites' run-level fixtures, started for the run and stopped after it."""
    fixtures, env, running = load_fixtures(package), {}, []
    try:
        for fixture in fixtures:
            env.update(fixture.start())
            running.append(fixture)
        yield running, env
    finally:
        for fixture in running:
            fixture.stop()


def execute(
    recorders: list[Recorder],
    schedule: list[tuple[Recorder, CaseRef]],
    fixtures: list[RunFixture],
    progress: Progress,
) -> None:
    """Measure each (recorder, case) in order, resetting the fixtures before every case.

    A case may appear several times (one entry per worker process); once one of its processes
    failed or was skipped, its later ones are not run. Ctrl-C keeps what finished: every
    recorder's file is marked interrupted. The caller marks the recorders finished once it has
    nothing more to add.
    """
    progress.started(len(schedule))
    try:
        for recorder, case in schedule:
            progress.case_started(case)
            known = recorder.given_up(case.id)
            if known is not None:
                progress.case_finished(case, known)
                continue
            for fixture in fixtures:
                fixture.reset()
            outcome = run_case(case, recorder.setup)
            recorder.add(outcome)
            progress.case_finished(case, outcome)
    except KeyboardInterrupt:
        kept = []
        for recorder in recorders:
            recorder.interrupted()
            kept.append(f"{len(recorder.result.benchmarks)} finished benchmarks in {recorder.path}")
        raise RunInterrupted(f"interrupted: kept {'; '.join(kept)}") from None


def run(options: RunOptions, progress: Progress | None = None) -> tuple[RunResult, Path]:
    """Measure every planned case; the result file is rewritten after each case."""
    cases = plan(options)
    package = import_suites(options.suites_root).__name__
    with started_fixtures(package) as (fixtures, env):
        setup = WorkerSetup(options.suites_root, package, options.settings, options.max_rss_mb, env)
        run_id = new_run_id()
        meta = run_metadata(options, fixtures, len(cases))
        recorder = Recorder(RunResult(run_id, meta), options.results_dir / f"{run_id}.json", setup)
        # Process k of every case in round k: a case's processes are spread over the run.
        schedule = [(recorder, case) for _ in range(options.processes) for case in cases]
        execute([recorder], schedule, fixtures, progress or Silent())
    if wants_micro(options):
        (progress or Silent()).phase("measuring: the micro suites, with pytest-benchmark")
        micro = run_micro(
            options.quick, root=options.suites_root / MICRO, pattern=options.pattern,
            ids=options.ids,
        )  # fmt: skip
        for outcome in micro:
            recorder.add(outcome)
        (progress or Silent()).phase(f"measured: {len(micro)} micro benchmark(s)")
    recorder.finish()
    return recorder.result, recorder.path


def wants_micro(options: RunOptions) -> bool:
    """Micro suites run when named, or with every suite; in one shard only; never by id unless
    one of the ids is a micro benchmark."""
    if not (options.suites_root / MICRO).is_dir():
        return False
    if options.suites and MICRO not in options.suites:
        return False
    if options.ids and not any(i.startswith(f"{MICRO}.") for i in options.ids):
        return False
    return options.shard is None or shard_of(MICRO, options.shard.count) == options.shard.index


def run_metadata(options: RunOptions, fixtures: list[RunFixture], planned: int) -> dict[str, Any]:
    return {
        "harness_version": __version__,
        "start_time": now(),
        "end_time": None,
        "command": list(options.command),
        "quick": options.quick,
        "planned_benchmarks": planned,
        "shard": str(options.shard) if options.shard else None,
        "machine": machine_info(),
        "python": python_info(),
        "packages": package_versions(),
        "git": git_info(options.suites_root.resolve().parent),
        "fixtures": {f.name: f.metadata() for f in fixtures},
        "settings": vars(options.settings),
        "processes": options.processes,
    }
