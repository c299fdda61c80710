"""Orchestration of a run: plan the cases, cut them into jobs, and have them executed
(:mod:`harness.execution`: lanes of fixtures, one worker process per job, saved after each).

A plan is every asv case of the selected suites plus the micro cases (pytest-benchmark tests
under ``suites/micro``), filtered by ``-b``, ``--shard`` and ids alike. Cases are cut into jobs
(``harness.job``): one per asv case, one for all micro cases. With ``--processes N`` the
schedule runs N rounds, process k of every job in round k, so a case's processes are spread
over the run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from harness import __version__
from harness.environment import git_info, machine_info, package_versions, python_info
from harness.errors import InputError
from harness.execution import (
    Progress,
    Recorder,
    Silent,
    Step,
    Unit,
    execute,
    lanes_for,
    now,
    started_lanes,
)
from harness.fixtures import RunFixture
from harness.isolation import WorkerSetup
from harness.job import Job, counting_jobs, jobs_of
from harness.measure import SampleSettings
from harness.meta import GitInfo, MachineInfo, PythonInfo, RunMeta
from harness.micro import MICRO, collect
from harness.records import RunResult, Side
from harness.shard import Shard, parse_shard, select_shard
from harness.suite import CaseRef, discover, ignored_warnings, import_suites, select

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
    instructions: bool = False  # also count each time case's instructions under callgrind
    duet: bool = False  # --against: both sides of a job at the same time, one per core
    one_sample: tuple[str, ...] = ()  # case ids whose processes take one sample each


def new_run_id(now_: datetime | None = None) -> str:
    """Sortable and unique enough: UTC time to the microsecond."""
    return (now_ or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def select_cases(
    suites_root: Path,
    suites: Sequence[str] = (),
    pattern: str | None = None,
    quick: bool = False,
    shard: str | None = None,
    ids: Sequence[str] = (),
) -> list[CaseRef]:
    """The cases of the suites at ``suites_root`` that a run so configured measures, in order:
    asv cases, then micro cases (when every suite, or ``micro``, is asked for)."""
    named = tuple(s for s in suites if s != MICRO)
    asv = select(discover(suites_root), named, pattern, quick) if named or not suites else []
    refs = [CaseRef.of(case) for case in asv]
    wants_micro = not ids or any(i.startswith(f"{MICRO}.") for i in ids)
    if (not suites or MICRO in suites) and wants_micro:
        regex = re.compile(pattern) if pattern else None  # select() has checked it
        refs += [c for c in collect(suites_root) if regex is None or regex.search(c.id)]
    if shard:
        refs = select_shard(refs, parse_shard(shard))
    return [r for r in refs if not ids or r.id in ids]


def plan(options: RunOptions) -> list[CaseRef]:
    """The cases a run with ``options`` would measure, in order."""
    return select_cases(
        options.suites_root,
        options.suites,
        options.pattern,
        options.quick,
        str(options.shard) if options.shard else None,
        options.ids,
    )


def rounds_of(
    cases: list[CaseRef], options: RunOptions, side: Side = Side.CURRENT
) -> list[list[Job]]:
    """The jobs of every round: round k holds process k of every job."""
    return [jobs_of(cases, k, side) for k in range(options.processes)]


def run(options: RunOptions, progress: Progress | None = None) -> tuple[RunResult, Path]:
    """Measure every planned case; the result file is rewritten after each job."""
    cases = plan(options)
    if not cases and options.shard is None:  # a shard of a small suite may well be empty
        raise InputError(nothing_planned(options))
    package = import_suites(options.suites_root).__name__
    counting = counting_jobs(cases) if options.instructions else []
    with started_lanes(package, lanes_for(bool(counting))) as lanes:
        setup = worker_setup(options, package)
        run_id = new_run_id()
        meta = run_metadata(options, lanes[0].fixtures, cases)
        recorder = Recorder(RunResult(run_id, meta), options.results_dir / f"{run_id}.json", setup)
        timed: list[Step] = [
            ((recorder, job),) for jobs in rounds_of(cases, options) for job in jobs
        ]
        counted: list[Unit] = [((recorder, job),) for job in counting]
        execute([recorder], timed, lanes, progress or Silent(), counted)
    recorder.finish()
    return recorder.result, recorder.path


def worker_setup(
    options: RunOptions,
    package: str,
    env: dict[str, str] | None = None,
    suites_root: Path | None = None,
    cwd: Path | None = None,
) -> WorkerSetup:
    """How workers of this run start: the run's settings, and for another revision's side its
    suites, working directory and environment (the lane adds its fixtures' environment)."""
    return WorkerSetup(
        suites_root or options.suites_root, package, options.settings, options.max_rss_mb,
        env or {}, cwd, options.quick,
    )  # fmt: skip


def nothing_planned(options: RunOptions) -> str:
    what = ", ".join(options.suites) or "every suite"
    where = f" matching -b {options.pattern!r}" if options.pattern else ""
    shard = f" in shard {options.shard}" if options.shard else ""
    return f"no benchmark of {what}{where}{shard} to run"


def run_metadata(options: RunOptions, fixtures: list[RunFixture], cases: list[CaseRef]) -> RunMeta:
    benchmarks = discover(options.suites_root)
    return RunMeta(
        harness_version=__version__,
        start_time=now(),
        command=options.command,
        quick=options.quick,
        planned_benchmarks=len(cases),
        planned_ids=tuple(c.id for c in cases),
        suites=options.suites,
        pattern=options.pattern,
        shard=str(options.shard) if options.shard else None,
        machine=MachineInfo(**machine_info()),
        python=PythonInfo(**python_info()),
        packages=package_versions(),
        git=GitInfo(**git_info(options.suites_root.resolve().parent)),
        fixtures={f.name: f.metadata() for f in fixtures},
        settings=vars(options.settings),
        processes=options.processes,
        warnings=tuple(ignored_warnings(benchmarks)),
    )
