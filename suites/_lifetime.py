"""Services a run starts (the mock, a private Redis) stop when the run dies, even by kill -9.

``dies_with_parent()`` is a ``preexec_fn``: in the child, before exec, it asks Linux for
SIGTERM when the process that started it ends (``prctl(PR_SET_PDEATHSIG)``), and exits at once
if that process is already gone. Elsewhere it is a no-op. (bench's workers do the same with
``harness.lifetime``; the suites keep their own copy so they run under plain asv too.)
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


def dies_with_parent() -> Callable[[], None]:
    parent = os.getpid()

    def preexec() -> None:
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
                libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
            except (OSError, AttributeError):
                return
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)

    return preexec
