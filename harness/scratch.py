"""A run's private temporary folders: removed on every way out; after ``kill -9``, by the next run.

``bench run`` makes one folder under the temp dir and, where the machine has one, one under
``/dev/shm``, each named ``bench-run-<pid>-<start>-<random>``: the pid and the start time of
the process that owns it (its start time tells a dead owner from a new process that reuses its
pid). While the run lasts, every temporary file of the run goes there: the parent's
``tempfile`` calls, and through ``TMPDIR`` its worker processes, fixtures (the mock, the private
Redis and its folder) and git; ``BENCH_SHM_DIR`` points the suites' RAM-disk caches at the
``/dev/shm`` folder. The folders go when the run ends, however it ends, except by ``kill -9``
(or a power cut): then the next run sweeps every such folder whose owner is gone, and asks git
to forget a worktree that was inside one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

PREFIX = "bench-run-"
SHM = Path("/dev/shm")
SHM_ENV = "BENCH_SHM_DIR"  # read by suites/_common.py
_NAME = re.compile(rf"{PREFIX}(\d+)-(\d+)-")


def _started(pid: int) -> int | None:
    """The process's start time in hundredths of a second since the epoch, or None if gone."""
    try:
        return int(psutil.Process(pid).create_time() * 100)
    except psutil.Error:
        return None


def owner_alive(folder: Path) -> bool:
    """Whether the process that made ``folder`` still runs (a folder not ours: assume so)."""
    match = _NAME.match(folder.name)
    if match is None:
        return True
    return _started(int(match[1])) == int(match[2])


def bases() -> list[Path]:
    """Where run folders are made: the temp dir, and /dev/shm where it can be written."""
    found = [Path(tempfile.gettempdir())]
    if SHM.is_dir() and os.access(SHM, os.W_OK):
        found.append(SHM)
    return found


def sweep(where: list[Path] | None = None) -> list[Path]:
    """Remove the run folders of runs that are gone; returns what was removed."""
    removed = []
    for base in where or bases():
        for folder in sorted(base.glob(f"{PREFIX}*")):
            if folder.is_dir() and not folder.is_symlink() and not owner_alive(folder):
                _forget_worktrees(folder)
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def _forget_worktrees(folder: Path) -> None:
    """A killed ``--against`` run left a git worktree in ``folder``: once the folder is gone,
    ``git worktree prune`` in its repository drops the registration (and only dead ones)."""
    for link in folder.glob("*/tree/.git"):
        with contextlib.suppress(OSError, ValueError):
            gitdir = Path(link.read_text().split("gitdir:", 1)[1].strip())
            common = gitdir.parent.parent  # <repo>/.git/worktrees/<name> -> <repo>/.git
            shutil.rmtree(link.parent, ignore_errors=True)
            subprocess.run(
                ["git", f"--git-dir={common}", "worktree", "prune"],
                capture_output=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
            )  # fmt: skip


@contextmanager
def run_scratch() -> Iterator[dict[str, str]]:
    """The run's temporary folders, set as this process's and its children's temp dir for the
    duration; yields the environment variables that point at them. Sweeps dead runs' first."""
    sweep()
    stamp = _started(os.getpid())
    prefix = f"{PREFIX}{os.getpid()}-{stamp}-"
    made = [Path(tempfile.mkdtemp(prefix=prefix))]
    env = {"TMPDIR": str(made[0])}
    if len(bases()) > 1:
        made.append(Path(tempfile.mkdtemp(prefix=prefix, dir=SHM)))
        env[SHM_ENV] = str(made[1])
    saved = {name: os.environ.get(name) for name in env}
    saved_tempdir = tempfile.tempdir
    os.environ.update(env)
    tempfile.tempdir = str(made[0])
    try:
        yield env
    finally:
        tempfile.tempdir = saved_tempdir
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for folder in made:
            _forget_worktrees(folder)
            shutil.rmtree(folder, ignore_errors=True)
