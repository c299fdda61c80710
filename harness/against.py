"""Same-machine comparison: another git revision's suites and this tree's, interleaved.

``bench run --against REV`` checks REV out in a temporary git worktree, runs each case of REV
and of the working tree one after the other (A B, then B A for the next case, so drift in the
machine's speed hits both sides alike; with several worker processes per case, round after
round), and writes one result file per side.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import harness
from harness.environment import git_info
from harness.errors import InputError
from harness.execution import (
    Lane,
    Progress,
    Recorder,
    Silent,
    Step,
    Unit,
    execute,
    lanes_for,
    started_lanes,
)
from harness.git import GitError, run_git, try_git
from harness.job import Job, counting_jobs
from harness.lifetime import die_with_parent
from harness.meta import Against, GitInfo
from harness.records import RunResult, Side
from harness.runner import (
    RunOptions,
    new_run_id,
    plan,
    rounds_of,
    run_metadata,
    worker_setup,
)
from harness.suite import CaseRef, import_suites

# The packages a revision brings; the harness itself always comes from this tree, so the
# worker protocol matches.
REVISION_PACKAGES = ("analyzer", "mockgithub", "suites")


@dataclass(frozen=True)
class AgainstRun:
    base: RunResult
    current: RunResult
    base_path: Path
    current_path: Path


def commit_of(repo: Path, rev: str) -> str:
    """The full hash of the commit REV names in ``repo``; an input error if it names none."""
    try:
        return run_git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except GitError:
        raise InputError(f"--against: {rev!r} is not a commit in {repo}") from None


@contextmanager
def worktree(repo: Path, rev: str) -> Iterator[tuple[Path, str]]:
    """REV checked out (detached) in a temporary worktree; removed afterwards."""
    commit = commit_of(repo, rev)
    prune_stale_worktrees(repo)
    holder = Path(tempfile.mkdtemp(prefix="bench-against-"))
    tree = holder / "tree"
    try:
        try:
            run_git(repo, "worktree", "add", "--detach", "--quiet", str(tree), commit)
        except GitError as exc:
            raise InputError(f"--against: {exc}") from None
        yield tree, commit
    finally:
        if tree.exists():
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)],
                cwd=repo, capture_output=True, timeout=120, check=False,
            )  # fmt: skip
        shutil.rmtree(holder, ignore_errors=True)


def prune_stale_worktrees(repo: Path) -> None:
    """Forget the worktrees of bench runs that were killed and whose folders are gone (git
    keeps them registered until pruned); only when there is one, so others stay as they are."""
    listing = try_git(repo, "worktree", "list", "--porcelain") or ""
    paths = [
        line[len("worktree ") :] for line in listing.splitlines() if line.startswith("worktree ")
    ]
    if any("/bench-" in p and not Path(p).exists() for p in paths):
        try_git(repo, "worktree", "prune")


def overlay(tree: Path, into: Path, suites: str = "suites") -> Path:
    """A directory that puts the revision's packages (its suites package is ``suites``), and
    this harness, first on sys.path."""
    into.mkdir(parents=True, exist_ok=True)
    for name in dict.fromkeys((*REVISION_PACKAGES, suites)):
        if (tree / name).is_dir():
            (into / name).symlink_to(tree / name, target_is_directory=True)
    (into / "harness").symlink_to(Path(harness.__file__).parent, target_is_directory=True)
    return into


def plan_in(path_dir: Path, options: RunOptions) -> list[CaseRef]:
    """The plan of the suites under ``path_dir``, made in a child process that imports them."""
    wanted = {
        "suites": list(options.suites),
        "pattern": options.pattern,
        "quick": options.quick,
        "shard": str(options.shard) if options.shard else None,
        "ids": list(options.ids),
    }
    root = path_dir / options.suites_root.name
    command = [sys.executable, "-m", "harness.worker", "--plan", str(root), json.dumps(wanted)]
    env = {**os.environ, "PYTHONPATH": str(path_dir)}
    done = subprocess.run(
        command, cwd=path_dir, env=env, capture_output=True, text=True, timeout=300, check=False,
        preexec_fn=die_with_parent(os.getpid()),
    )  # fmt: skip
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError(f"--against: cannot list the other revision's benchmarks: {last}")
    return [CaseRef.from_dict(item) for item in json.loads(done.stdout)]


def interleave(
    base: Recorder,
    base_rounds: list[list[Job]],
    current: Recorder,
    rounds: list[list[Job]],
) -> list[tuple[Recorder, Job]]:
    """A B for one job, B A for the next, and the other way round in the next round (one
    round per worker process); jobs only the current tree has run alone."""
    schedule: list[tuple[Recorder, Job]] = []
    for k, (jobs, base_jobs) in enumerate(zip(rounds, base_rounds, strict=True)):
        by_key = {job.key: job for job in base_jobs}
        for i, job in enumerate(jobs):
            pair = [(current, job)]
            if job.key in by_key:
                pair.append((base, by_key[job.key]))
            schedule.extend(pair if (i + k) % 2 else pair[::-1])
    return schedule


def duet(
    base: Recorder,
    base_rounds: list[list[Job]],
    current: Recorder,
    rounds: list[list[Job]],
    turn: int = 0,
) -> list[Step]:
    """Both sides of each job at the same time, one per lane (core): they live through the same
    slow stretches of the machine (Bulej et al.'s duet measurement); jobs only the current tree
    has run alone. The sides swap lanes from job to job and round to round (``turn`` shifts the
    pattern: one more for each confirmation round), so that a difference between the lanes
    is not taken for one between the sides."""
    steps: list[Step] = []
    for k, (jobs, base_jobs) in enumerate(zip(rounds, base_rounds, strict=True)):
        by_key = {job.key: job for job in base_jobs}
        for i, job in enumerate(jobs):
            twin = by_key.get(job.key)
            pair: Step = ((current, job), (base, twin)) if twin else ((current, job),)
            steps.append(pair[::-1] if twin and (i + k + turn) % 2 else pair)
    return steps


def counted_pairs(
    base: Recorder,
    base_cases: list[CaseRef],
    current: Recorder,
    cases: list[CaseRef],
) -> list[Unit]:
    """The instruction-counting jobs of both sides: a case's two sides one after the other on
    the same lane (the same mock server: its port is in the URLs the code hashes, worth up to
    0.4% of a count between lanes); the lanes take the cases as they come free. The micro
    sessions are a unit each: their tests build what they need in the process (no lane's
    server), and each costs ~15-30 s, so the two lanes count them at once."""
    by_id = {job.key: job for job in counting_jobs(base_cases, Side.BASE)}
    units: list[Unit] = []
    for job in counting_jobs(cases):
        twin = by_id.get(job.key)
        if twin and job.micro:
            units += [((current, job),), ((base, twin),)]
        else:
            units.append(((current, job), (base, twin)) if twin else ((current, job),))
    return units


@dataclass
class Session:
    """REV checked out and the lanes of fixtures started, kept for every measurement of one
    ``--against`` run: confirmation rounds reuse them (a worktree, two plans and two lanes of
    fixtures cost ~7 s a round on the 2-core machine) and filter the first plans by id."""

    rev: str
    tree: Path
    commit: str
    path_dir: Path
    package: str
    lanes: list[Lane]
    plans: tuple[list[CaseRef], list[CaseRef]] | None = None
    measured: int = 0  # measurements so far: the first, then one per confirmation round

    def plan(self, options: RunOptions) -> tuple[list[CaseRef], list[CaseRef]]:
        """(the revision's cases, the working tree's) that ``options`` selects."""
        if self.plans is None or not options.ids:
            found = (plan_in(self.path_dir, options), plan(options))
            if not options.ids:
                self.plans = found
            return found
        wanted = set(options.ids)
        base, current = self.plans
        return [c for c in base if c.id in wanted], [c for c in current if c.id in wanted]

    def measure(self, options: RunOptions, progress: Progress | None = None) -> AgainstRun:
        """Measure REV's and the working tree's suites interleaved on this machine, in one run."""
        base_cases, cases = (once(found, options.one_sample) for found in self.plan(options))
        if not cases and not base_cases and options.shard is None:
            raise InputError("--against: no benchmark to run on either side")
        meta = run_metadata(options, self.lanes[0].fixtures, cases)
        base_id = current_id = new_run_id()
        while current_id == base_id:  # ids have microseconds; two calls can still meet
            current_id = new_run_id()
        base_meta = replace(
            meta,
            git=GitInfo(**git_info(self.tree)),
            role="base",
            against=Against(self.rev, self.commit),
            planned_benchmarks=len(base_cases),
            planned_ids=tuple(c.id for c in base_cases),
        )
        current_meta = replace(meta, against=Against(self.rev, self.commit, base_id))
        base_setup = worker_setup(
            options, self.package, {"PYTHONPATH": str(self.path_dir)},
            suites_root=self.path_dir / options.suites_root.name, cwd=self.path_dir,
        )  # fmt: skip
        base = Recorder(
            RunResult(base_id, base_meta), options.results_dir / f"{base_id}.json", base_setup
        )
        current = Recorder(
            RunResult(current_id, current_meta),
            options.results_dir / f"{current_id}.json",
            worker_setup(options, self.package),
        )
        base_rounds = rounds_of(base_cases, options, Side.BASE)
        sides = (base, base_rounds, current, rounds_of(cases, options))
        turn, self.measured = self.measured, self.measured + 1
        schedule: list[Step] = (
            duet(*sides, turn) if options.duet else [(e,) for e in interleave(*sides)]
        )
        counted = counted_pairs(base, base_cases, current, cases) if options.instructions else []
        execute([base, current], schedule, self.lanes, progress or Silent(), counted)
        base.finish()
        current.finish()
        return AgainstRun(base.result, current.result, base.path, current.path)


def once(cases: list[CaseRef], ids: tuple[str, ...]) -> list[CaseRef]:
    """``cases``, those of ``ids`` taking one sample per worker process (``repeat = 1``)."""
    return [replace(c, attrs=replace(c.attrs, repeat=(1,))) if c.id in ids else c for c in cases]


@contextmanager
def session(options: RunOptions, rev: str, repo: Path) -> Iterator[Session]:
    """REV in a temporary worktree and the run's lanes of fixtures, for one or more
    measurements; removed and stopped afterwards."""
    package = import_suites(options.suites_root).__name__
    width = 2 if options.duet else lanes_for(options.instructions)
    with worktree(repo, rev) as (tree, commit), started_lanes(package, width) as lanes:
        path_dir = overlay(tree, tree.parent / "path", options.suites_root.name)
        yield Session(rev, tree, commit, path_dir, package, lanes)


def run_against(
    options: RunOptions, rev: str, repo: Path, progress: Progress | None = None
) -> AgainstRun:
    """Measure REV's and the working tree's suites interleaved on this machine, in one run."""
    with session(options, rev, repo) as running:
        return running.measure(options, progress)
