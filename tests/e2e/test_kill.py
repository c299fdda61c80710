"""``kill -9`` of ``bench run`` (and of ``bench run --against``) at five points each: 2 s later no
process of the run is alive, and after the next run no temporary folder and no git worktree of
the killed runs is left. The five runs of a mode run side by side, to keep the test short.

The suites are small and real: the run-level fixtures of bench's own suites (the mock GitHub
server in its own process, a private Redis where redis-server is installed) and benchmarks that
hold a worker open with a child process and a RAM-disk cache folder. Every process of a run is
recognised by a token in its environment (children inherit it), not by its parentage, which a
killed parent no longer tells.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

import psutil
import pytest

TOKEN_ENV = "BENCH_KILL_TEST_TOKEN"
MARKERS_ENV = "BENCH_KILL_TEST_MARKERS"
GRACE_S = 2.0

FIXTURES = '''"""The real run fixtures of bench's suites: the mock server and a private Redis."""

from suites._fixtures import run_fixtures

__all__ = ["run_fixtures"]
'''
QUICK = '''"""Sorts first: its worker ends before the holding ones start."""


def track_quick():
    return 1


track_quick.repeat = 1
'''
HOLD = f'''"""Benchmarks that hold a worker: a child process, a RAM-disk cache, a marker file; the
first briefly, the others for long (a worker that outlived its run would still be there)."""

import os
import subprocess
import time
from pathlib import Path

from suites._common import cache_dir


class Hold:
    params = [1, 2]
    repeat = 1

    def track_holding(self, n):
        cache = cache_dir()
        child = subprocess.Popen(["sleep", "60"])
        Path(os.environ["{MARKERS_ENV}"], str(os.getpid())).write_text(cache.name)
        time.sleep(0.3 if n == 1 else 30)
        child.kill()
        child.wait()
        cache.cleanup()
        return n
'''


class Watched:
    """A ``bench`` process whose output lines and marker files can be waited for."""

    def __init__(self, args: list[str], repo: Path, tmp: Path, markers: Path) -> None:
        self.token = uuid.uuid4().hex
        env = {**os.environ, "TMPDIR": str(tmp), MARKERS_ENV: str(markers), TOKEN_ENV: self.token}
        env.pop("FORCE_COLOR", None)
        self.markers = markers
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "harness.cli", *args],
            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str] | None) -> None:
        assert stream is not None
        for line in stream:
            self.lines.put(line)

    def wait_for(self, ready: Callable[[Watched], bool], timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not ready(self):
            assert self.process.poll() is None, f"bench ended first: {self.seen}"
            assert time.monotonic() < deadline, f"kill point never reached: {self.seen}"
            with contextlib.suppress(queue.Empty):
                self.seen.append(self.lines.get(timeout=0.02))

    def kill(self) -> None:
        """kill -9, noting the run's processes just before: a process that rewrites its
        environment (redis-server sets its title over it) cannot be found by the token."""
        try:
            self.family = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            self.family = []
        self.process.kill()
        self.process.wait()

    def alive(self) -> list[str]:
        """Processes of the run still running: by the token, or among those noted."""
        found = {p.pid: p for p in by_token(self.token)}
        found.update({p.pid: p for p in self.family if running(p)})
        return sorted(f"{pid} {_name(p)}" for pid, p in found.items())


def line(start: str, count: int = 1) -> Callable[[Watched], bool]:
    return lambda w: sum(seen.startswith(start) for seen in w.seen) >= count


def marker(count: int) -> Callable[[Watched], bool]:
    return lambda w: len(list(w.markers.iterdir())) >= count


# Five moments of a run: fixtures starting; workers starting; between two workers; a worker
# holding a child and a RAM-disk cache; a worker that holds them for long.
RUN_POINTS = [line("preparing:"), line("measuring:"), line("["), marker(1), marker(2)]
# --against: the worktree and fixtures being made, then as above; the interleaved order is
# quick (base, head), then Hold 1 (head, base): the second marker is the base side's worker.
AGAINST_POINTS = [line("preparing:"), line("measuring:"), line("["), marker(1), marker(2)]


def running(process: psutil.Process) -> bool:
    """Running and not a zombie (``is_running`` also tells a reused pid from the process)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def by_token(token: str) -> list[psutil.Process]:
    """Running processes whose environment carries ``token``."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get(TOKEN_ENV) == token and running(process):
                found.append(process)
        except psutil.Error:
            continue
    return found


def _name(process: psutil.Process) -> str:
    try:
        return process.name()
    except psutil.Error:
        return "?"


def gone_within(watched: Watched, seconds: float) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := watched.alive()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose one commit holds the small suites package."""
    root = tmp_path / "repo"
    suites = root / "killsuites"
    suites.mkdir(parents=True)
    (suites / "__init__.py").write_text("")
    (suites / "_fixtures.py").write_text(FIXTURES)
    (suites / "a.py").write_text(QUICK)
    (suites / "hold.py").write_text(HOLD)
    (root / ".gitignore").write_text("results/\n.asv/\n")
    for command in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "suites"],
    ):
        subprocess.run(["git", *command], cwd=root, check=True, capture_output=True)
    return root


def kill_at_each_point(
    args: list[str], points: list[Callable[[Watched], bool]], repo: Path, tmp_path: Path
) -> list[int]:
    """Start ``bench`` once per point, all at once, and kill -9 each at its point; check that
    2 s later none of its processes is alive. Returns the killed pids."""

    def one(k: int) -> tuple[int, list[str]]:
        markers = tmp_path / f"markers-{k}"
        markers.mkdir()
        watched = Watched(args, repo, tmp_path / "tmp", markers)
        watched.wait_for(points[k])
        watched.kill()
        return watched.process.pid, gone_within(watched, GRACE_S)

    with ThreadPoolExecutor(len(points)) as pool:
        outcomes = list(pool.map(one, range(len(points))))
    for k, (_, left) in enumerate(outcomes):
        assert not left, f"point {k}: still alive {GRACE_S} s after kill -9: {left}"
    return [pid for pid, _ in outcomes]


def next_run(args: list[str], repo: Path, tmp_path: Path) -> None:
    markers = tmp_path / "markers-next"
    markers.mkdir()
    watched = Watched(args, repo, tmp_path / "tmp", markers)
    assert watched.process.wait(timeout=120) == 0, watched.process.stderr


def leftovers(tmp_path: Path, killed: list[int]) -> list[str]:
    """Whatever the killed runs left: in the temp dir, their folders on /dev/shm, and the
    RAM-disk caches their workers made (each marker file names one)."""
    found = [p.name for p in (tmp_path / "tmp").iterdir()]
    shm = Path("/dev/shm")
    if shm.is_dir():
        found += [p.name for p in shm.iterdir() if any(f"-{pid}-" in p.name for pid in killed)]
    caches = [Path(m.read_text()) for m in tmp_path.glob("markers-*/*") if m.read_text()]
    return found + [str(c) for c in caches if c.exists()]


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    (tmp_path / "tmp").mkdir()
    return tmp_path


RUN = ["run", "--suites-dir", "killsuites", "--results-dir", "results"]
AGAINST = [*RUN, "--against", "HEAD", "--processes", "1", "--confirm-rounds", "0"]


# Each test kills a few runs side by side, so that none comes near its timeout on a busy machine.
@pytest.mark.parametrize("points", [(0, 1, 2), (3, 4)], ids=["early", "in workers"])
def test_kill_9_of_bench_run_leaves_no_process_and_the_next_run_no_folder(
    repo: Path, tmp: Path, points: tuple[int, ...]
) -> None:
    killed = kill_at_each_point(RUN, [RUN_POINTS[k] for k in points], repo, tmp)
    assert leftovers(tmp, killed)  # the killed runs did leave their folders behind
    next_run([*RUN, "-b", "track_quick"], repo, tmp)
    assert leftovers(tmp, killed) == []


@pytest.mark.parametrize("points", [(0, 1, 2), (3, 4)], ids=["early", "in workers"])
def test_kill_9_of_bench_run_against_leaves_no_process_no_folder_no_worktree(
    repo: Path, tmp: Path, points: tuple[int, ...]
) -> None:
    killed = kill_at_each_point(AGAINST, [AGAINST_POINTS[k] for k in points], repo, tmp)
    listed = subprocess.run(["git", "worktree", "list"], cwd=repo, capture_output=True, text=True)
    assert len(listed.stdout.splitlines()) > 1  # the killed runs' worktrees are registered
    next_run([*RUN, "-b", "track_quick"], repo, tmp)  # any next run: it sweeps what is dead
    assert leftovers(tmp, killed) == []
    listed = subprocess.run(["git", "worktree", "list"], cwd=repo, capture_output=True, text=True)
    assert listed.stdout.splitlines() == [f"{repo}  {_head(repo)} [main]"]


def _head(repo: Path) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True)
    return commit.stdout.decode().strip()
