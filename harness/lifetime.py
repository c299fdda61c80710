"""Processes that do not outlive the run that started them (Linux; elsewhere a no-op).

A worker is started as the leader of its own process group with the parent-death signal set to
SIGTERM (``prctl(PR_SET_PDEATHSIG)``): when the run dies, even by ``kill -9``, the kernel sends
the worker SIGTERM, and the worker's handler kills its whole group, so whatever the benchmark
started (a ``bench analyze`` child, a server) goes too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType

import psutil

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> Callable[[], None]:
    """A ``preexec_fn`` for ``subprocess.Popen``: SIGTERM to the child when ``parent_pid``
    dies; a child whose parent is already gone exits at once."""

    def preexec() -> None:
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before the signal was armed
            os._exit(1)

    return preexec


def stop_group_on_term() -> None:
    """In a group leader: on SIGTERM, kill the whole process group (this process included)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        os.killpg(os.getpgrp(), signal.SIGKILL)

    signal.signal(signal.SIGTERM, handler)


def kill_group(pgid: int) -> None:
    """SIGKILL to the process group ``pgid`` (a worker and what it started), if it is there."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def over_limits(
    watched: psutil.Process | None, deadline: float, timeout_s: float, max_rss_mb: float
) -> str | None:
    """Why a worker must be stopped now (``time.monotonic()`` past ``deadline``, its timeout,
    or its RSS past ``max_rss_mb``), or None."""
    if time.monotonic() > deadline:
        return f"timed out after {timeout_s:g} s"
    rss = _rss_mb(watched) if watched is not None else 0.0
    if rss > max_rss_mb:
        return f"memory cap exceeded: RSS {rss:.0f} MB > {max_rss_mb:g} MB"
    return None


def _rss_mb(process: psutil.Process) -> float:
    try:
        return float(process.memory_info().rss) / 2**20
    except psutil.Error:
        return 0.0
