"""Processes that do not outlive the run that started them (Linux; elsewhere a no-op).

A worker is started as the leader of its own process group with the parent-death signal set to
SIGTERM (``prctl(PR_SET_PDEATHSIG)``): when the run dies, even by ``kill -9``, the kernel sends
the worker SIGTERM, and the worker's handler kills its whole group, so whatever the benchmark
started (a ``bench analyze`` child, a server) goes too.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType

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
