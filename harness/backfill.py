"""Backfill: measure past commits into asv's history (``bench run --commits RANGE``).

A project adopting bench starts with a one-point graph; asv answers that with ``asv run A..B``.
Here each commit of the range (oldest first) is checked out in a temporary git worktree (the
worktree and the path overlay of ``harness.against``: the commit's ``analyzer``, ``mockgithub``
and ``suites``, this tree's harness), its suites are run as a normal run, and the result is
recorded into asv's database under that commit. Commits already recorded for this machine are
skipped, so a backfill can be run again after an interruption, or over a wider range. The
micro suites are cases like the others: the commit's tests, run through the same overlay.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from harness.against import commit_of, overlay, plan_in, worktree
from harness.asv.db import DEFAULT_ASV_DIR, machine_name, record, recorded_commits
from harness.environment import git_info, machine_info
from harness.errors import InputError
from harness.execution import Progress, Recorder, Step, execute, started_lanes
from harness.git import GitError, run_git, try_git
from harness.meta import GitInfo, MachineInfo
from harness.records import RunResult, Status
from harness.runner import RunOptions, new_run_id, rounds_of, run_metadata, worker_setup
from harness.suite import import_suites

BACKFILL_DIR = "backfill"  # under the results folder: these runs are not the latest run


@dataclass(frozen=True)
class Backfilled:
    """What a backfill did: the commits it measured (with their result files) and skipped."""

    measured: tuple[tuple[str, Path], ...]
    skipped: tuple[str, ...]
    machine: str
    failed: tuple[tuple[str, str], ...] = ()  # (commit, benchmark id) of failed benchmarks


def commits_in(repo: Path, spec: str) -> list[str]:
    """The commits ``spec`` names, oldest first: a range ``A..B`` (as ``git rev-list A..B``)
    or a single revision."""
    if ".." not in spec:
        return [commit_of(repo, spec)]
    try:
        listed = run_git(repo, "rev-list", "--reverse", spec, "--")
    except GitError:
        raise InputError(f"--commits: {spec!r} is not a range of commits in {repo}") from None
    if not listed:
        raise InputError(f"--commits: {spec!r} holds no commits")
    return listed.split()


def run_revision(options: RunOptions, rev: str, repo: Path, progress: Progress) -> RunResult:
    """Run the suites of commit ``rev`` (in a temporary worktree) as one run; save and return it."""
    package = import_suites(options.suites_root).__name__
    with worktree(repo, rev) as (tree, _), started_lanes(package, 1) as lanes:
        path_dir = overlay(tree, tree.parent / "path", options.suites_root.name)
        cases = plan_in(path_dir, options)
        meta = replace(
            run_metadata(options, lanes[0].fixtures, cases), git=GitInfo(**git_info(tree))
        )
        run_id = new_run_id()
        setup = worker_setup(
            options, package, {"PYTHONPATH": str(path_dir)},
            suites_root=path_dir / options.suites_root.name, cwd=path_dir,
        )  # fmt: skip
        recorder = Recorder(RunResult(run_id, meta), options.results_dir / f"{run_id}.json", setup)
        schedule: list[Step] = [
            ((recorder, job),) for jobs in rounds_of(cases, options) for job in jobs
        ]
        execute([recorder], schedule, lanes, progress)
        recorder.finish()
    return recorder.result


def backfill(
    options: RunOptions,
    spec: str,
    repo: Path,
    progress: Progress,
    asv_dir: Path = DEFAULT_ASV_DIR,
) -> Backfilled:
    """Measure and record every commit of ``spec`` that this machine has not recorded yet."""
    commits = commits_in(repo, spec)
    machine = machine_name(MachineInfo(**machine_info()))
    known = recorded_commits(asv_dir, machine)
    todo = [c for c in commits if c not in known]
    where = replace(options, results_dir=options.results_dir / BACKFILL_DIR)
    measured, failed = [], []
    for k, commit in enumerate(todo, start=1):
        subject = try_git(repo, "log", "-1", "--format=%s", commit) or ""
        progress.phase(f"backfilling: commit {k} of {len(todo)}, {commit[:8]} {subject}".rstrip())
        run = run_revision(where, commit, repo, progress)
        record(run, asv_dir, repo=repo)
        measured.append((commit, where.results_dir / f"{run.run_id}.json"))
        failed += [(commit, b.id) for b in run.benchmarks if b.status is Status.FAILED]
    skipped = tuple(c for c in commits if c in known)
    return Backfilled(tuple(measured), skipped, machine, tuple(failed))
