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
from dataclasses import dataclass
from pathlib import Path

import harness
from harness.environment import git_info
from harness.errors import InputError
from harness.isolation import WorkerSetup
from harness.results import RunResult
from harness.runner import (
    Progress,
    Recorder,
    RunOptions,
    Silent,
    execute,
    new_run_id,
    plan,
    run_metadata,
    started_fixtures,
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


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise InputError(f"git {' '.join(args[:2])}: {done.stderr.strip() or 'failed'}")
    return done.stdout.strip()


def commit_of(repo: Path, rev: str) -> str:
    """The full hash of the commit REV names in ``repo``; an input error if it names none."""
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except InputError:
        raise InputError(f"--against: {rev!r} is not a commit in {repo}") from None


@contextmanager
def worktree(repo: Path, rev: str) -> Iterator[tuple[Path, str]]:
    """REV checked out (detached) in a temporary worktree; removed afterwards."""
    commit = commit_of(repo, rev)
    holder = Path(tempfile.mkdtemp(prefix="bench-against-"))
    tree = holder / "tree"
    try:
        _git(repo, "worktree", "add", "--detach", "--quiet", str(tree), commit)
        yield tree, commit
    finally:
        if tree.exists():
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)],
                cwd=repo, capture_output=True, timeout=120, check=False,
            )  # fmt: skip
        shutil.rmtree(holder, ignore_errors=True)


def overlay(tree: Path, into: Path) -> Path:
    """A directory that puts the revision's packages, and this harness, first on sys.path."""
    into.mkdir(parents=True, exist_ok=True)
    for name in REVISION_PACKAGES:
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
        command, cwd=path_dir, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError(f"--against: cannot list the other revision's benchmarks: {last}")
    return [CaseRef.from_dict(item) for item in json.loads(done.stdout)]


def interleave(
    base: Recorder,
    base_cases: list[CaseRef],
    current: Recorder,
    cases: list[CaseRef],
    rounds: int = 1,
) -> list[tuple[Recorder, CaseRef]]:
    """A B for one case, B A for the next, and the other way round in the next round (one
    round per worker process); cases only the current tree has run alone."""
    by_id = {case.id: case for case in base_cases}
    schedule: list[tuple[Recorder, CaseRef]] = []
    for k in range(rounds):
        for i, case in enumerate(cases):
            pair = [(current, case)]
            if case.id in by_id:
                pair.append((base, by_id[case.id]))
            schedule.extend(pair if (i + k) % 2 else pair[::-1])
    return schedule


def run_against(
    options: RunOptions, rev: str, repo: Path, progress: Progress | None = None
) -> AgainstRun:
    """Measure REV's and the working tree's suites interleaved on this machine, in one run."""
    cases = plan(options)
    package = import_suites(options.suites_root).__name__
    with worktree(repo, rev) as (tree, commit), started_fixtures(package) as (fixtures, env):
        path_dir = overlay(tree, tree.parent / "path")
        base_cases = plan_in(path_dir, options)
        meta = run_metadata(options, fixtures, len(cases))
        against = {"rev": rev, "commit": commit}
        base_id = current_id = new_run_id()
        while current_id == base_id:  # ids have microseconds; two calls can still meet
            current_id = new_run_id()
        base_meta = {**meta, "git": git_info(tree), "role": "base", "against": against}
        current_meta = {**meta, "against": {**against, "base_run_id": base_id}}
        base = Recorder(
            RunResult(base_id, {**base_meta, "planned_benchmarks": len(base_cases)}),
            options.results_dir / f"{base_id}.json",
            WorkerSetup(
                path_dir / options.suites_root.name, package, options.settings,
                options.max_rss_mb, {**env, "PYTHONPATH": str(path_dir)}, cwd=path_dir,
            ),
        )  # fmt: skip
        current = Recorder(
            RunResult(current_id, current_meta),
            options.results_dir / f"{current_id}.json",
            WorkerSetup(options.suites_root, package, options.settings, options.max_rss_mb, env),
        )
        schedule = interleave(base, base_cases, current, cases, options.processes)
        execute([base, current], schedule, fixtures, progress or Silent())
        base.finish()
        current.finish()
    return AgainstRun(base.result, current.result, base.path, current.path)
