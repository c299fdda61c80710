"""Counting workers that start once: a zygote under callgrind forks a child for each job.

Under valgrind, starting Python and importing a suite's code is most of what a counting worker
costs: ``valgrind --tool=callgrind --instr-atstart=no python -c "import harness.worker,
suites.analysis"`` took 4.5 s, a whole counting worker for a call of 160 k instructions ~6 s,
and a fork of a process that has imported them 0.1 s (this 2-core machine, quick suite). So a
zygote starts once per side and lane of a run: it imports the worker and every module of the
suites package (all of them, in discovery order, whatever the run selects: the modules a counted
call finds loaded do not depend on ``-b``), then forks one child per job. What does move with
the jobs a zygote served before is its allocator's state: an allocation-heavy call of 175,000
instructions moved by 409 (0.23%) between runs in the tests. The child runs the job as a fresh
worker would (a session of its own, stdin and stdout on /dev/null, its stderr and reply in
files of this run's private folder) and exits; callgrind writes each child's totals to a file
of its own (``%p``, the child's pid). Counting is never on in the zygote itself, only in a
child around its call.

The protocol, one JSON object per line: the parent writes ``{"task", "reply", "stderr"}``; the
zygote answers ``{"pid"}`` once the child runs and ``{"exit"}`` (its exit code) once it is gone.
The parent supervises the child as any worker (timeout, memory cap), knowing its pid.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import psutil

from harness import instructions
from harness.job import Task
from harness.lifetime import die_with_parent, kill_group, over_limits
from harness.micro import MICRO

START_TIMEOUT_S = 600.0  # importing a large suites package under valgrind


class ZygoteGone(Exception):
    """The zygote exited or stopped answering; the message says what it last wrote."""


@dataclass(frozen=True)
class Outcome:
    """How a child ended: its exit code, or why it was killed; its reply, stderr and count
    (callgrind's file written at exit, and those it wrote when asked to dump, in order)."""

    failure: str | None
    code: int
    reply: bytes
    stderr: bytes
    callgrind: str
    dumps: tuple[str, ...] = ()


class Zygote:
    """One zygote process and the pipe to it."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path | None, folder: Path):
        self.folder = folder
        self.stderr = folder / "zygote-stderr"
        with self.stderr.open("wb") as stderr:
            self.process = subprocess.Popen(
                command, env=env, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=stderr, start_new_session=True,
                preexec_fn=die_with_parent(os.getpid()),
            )  # fmt: skip
        self._buffer = b""
        self._jobs = 0

    def run(self, task: Task, timeout_s: float, max_rss_mb: float) -> Outcome:
        """The job ``task`` in a forked child, supervised like any worker."""
        self._jobs += 1
        reply, stderr = self.folder / f"reply-{self._jobs}", self.folder / f"stderr-{self._jobs}"
        request = {"task": task.to_dict(), "reply": str(reply), "stderr": str(stderr)}
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(json.dumps(request).encode() + b"\n")
            stdin.flush()
        except (OSError, ValueError):  # a broken pipe, or closed after an earlier failure
            raise ZygoteGone(self._last_words()) from None
        pid = int(self._message(START_TIMEOUT_S)["pid"])
        failure, code = self._supervise(pid, timeout_s, max_rss_mb)
        counts = self.folder / f"callgrind.{pid}"
        parts = sorted(self.folder.glob(f"callgrind.{pid}.*"), key=lambda p: int(p.suffix[1:]))
        dumps = tuple(_take(part).decode() for part in parts)
        return Outcome(failure, code, _take(reply), _take(stderr), _take(counts).decode(), dumps)

    def _supervise(self, pid: int, timeout_s: float, max_rss_mb: float) -> tuple[str | None, int]:
        deadline, failure = time.monotonic() + timeout_s, None
        try:
            watched: psutil.Process | None = psutil.Process(pid)
        except psutil.Error:
            watched = None
        while True:
            if self._ready(0.02):
                message = self._message(0.0)
                return failure, int(message["exit"])
            if failure is None:
                failure = over_limits(watched, deadline, timeout_s, max_rss_mb)
                if failure:
                    kill_group(pid)  # the zygote still reports the exit

    def _ready(self, wait_s: float) -> bool:
        if b"\n" in self._buffer:
            return True
        stdout = self.process.stdout
        assert stdout is not None
        readable, _, _ = select.select([stdout.fileno()], [], [], wait_s)
        if not readable:
            return False
        chunk = os.read(stdout.fileno(), 65536)
        if not chunk:
            raise ZygoteGone(self._last_words())
        self._buffer += chunk
        return b"\n" in self._buffer

    def _message(self, timeout_s: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while not self._ready(max(0.0, min(1.0, deadline - time.monotonic()))):
            if time.monotonic() > deadline:
                self.stop()
                raise ZygoteGone(f"no answer in {timeout_s:g} s")
        line, self._buffer = self._buffer.split(b"\n", 1)
        found: dict[str, Any] = json.loads(line)
        return found

    def _last_words(self) -> str:
        self.stop()
        lines = self.stderr.read_text(errors="replace").strip().splitlines()
        return f"the counting worker exited ({self.process.returncode}): " + (
            lines[-1] if lines else "no output"
        )

    def stop(self) -> None:
        """Close the zygote's input (it exits when it reads the end) and reap it."""
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill_group(self.process.pid)
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class Zygotes:
    """The zygotes of one run, one per way of starting a worker (side, lane environment),
    started on first use and stopped when the run leaves the ``with`` block."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bench-counting-"))
        self._started: dict[tuple[Any, ...], Zygote] = {}
        self._lock = threading.Lock()
        self._count = 0

    def __enter__(self) -> Zygotes:
        return self

    def __exit__(self, *exc: object) -> None:
        for zygote in self._started.values():
            zygote.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def run(
        self,
        task: Task,
        env: dict[str, str],
        cwd: Path | None,
        limits: tuple[float, float],
        lane: int = 0,
    ) -> Outcome | str:
        """``task`` counted in a child of the zygote for ``env`` and ``cwd`` on ``lane`` (jobs
        that run at the same time are on different lanes); ``limits`` are the timeout (s) and
        the memory cap (MB). A string says why it could not be run."""
        key = (lane, task.suites_root, task.package, str(cwd), tuple(sorted(env.items())))
        with self._lock:
            zygote = self._started.get(key)
            if zygote is None:
                self._count += 1
                folder = self.folder / str(self._count)
                folder.mkdir()
                zygote = Zygote(_command(task, folder), env, cwd, folder)
                self._started[key] = zygote
        try:
            return zygote.run(task, *limits)
        except ZygoteGone as exc:
            with self._lock:
                self._started.pop(key, None)  # the next job starts a new one
            return str(exc)


def _command(task: Task, folder: Path) -> list[str]:
    worker = [sys.executable, "-m", "harness.worker", "--zygote", task.suites_root]
    return instructions.command(worker, str(folder / "callgrind.%p"))


def _take(path: Path) -> bytes:
    """The file's content ('' if absent), the file removed."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return b""
    path.unlink()
    return data


# --- in the zygote -----------------------------------------------------------------------


def serve(root: str, run: Callable[[Task], object]) -> int:
    """The zygote's loop: import everything once, then fork a child per request line.
    ``run(task)`` measures a task and returns the reply to write (the worker's own)."""
    from harness.errors import BenchError
    from harness.suite import discover

    with contextlib.suppress(BenchError):  # a broken suite fails in the child that needs it
        discover(Path(root))
    if (Path(root) / MICRO).is_dir():  # pytest's start-up, paid once (micro.count runs it)
        import harness.micro_outcomes  # noqa: F401 - imports pytest
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    for line in iter(requests.readline, b""):
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request, run)
        answers.write(json.dumps({"pid": pid}).encode() + b"\n")
        answers.flush()
        _, status = os.waitpid(pid, 0)
        answers.write(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
        answers.flush()
    return 0


def _child(request: dict[str, Any], run: Callable[[Task], object]) -> NoReturn:
    """A forked child: the job as a fresh worker would run it, then exit (never return)."""
    code = 1
    try:
        os.setsid()
        die_with_parent(os.getppid())()
        _redirect(request["stderr"])
        from harness.lifetime import stop_group_on_term

        stop_group_on_term()
        reply = run(Task.from_dict(request["task"]))
        with open(request["reply"], "w", encoding="utf-8") as out:
            json.dump(reply, out, allow_nan=False)
        code = 0
    except BaseException:  # noqa: BLE001 - the parent reads the reason from stderr
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os._exit(code)


def _redirect(stderr_path: str) -> None:
    """stdin and stdout away from the zygote's pipes; stderr to the job's own file."""
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    err = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(err, 2)
    os.close(null)
    os.close(err)
