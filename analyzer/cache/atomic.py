"""Atomic, private file writes: a reader sees the old file or the new one, never a torn one.

The analyzer must not depend on the harness, so this is its own small helper. It does not
fsync unless asked: atomicity against concurrent readers and crashed writers comes from the
rename; durability across a power cut is optional (and a cut file is detected as corrupt).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading

_sequence = itertools.count()  # next() on a count is atomic under the GIL
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
TEMP_SUFFIX = ".tmp"


def temp_name(path: str) -> str:
    """A name beside ``path`` unique to this process, thread and call (no random retries)."""
    head, tail = os.path.split(path)
    unique = f"{os.getpid()}.{threading.get_ident()}.{next(_sequence)}"
    return os.path.join(head, f".{tail}.{unique}{TEMP_SUFFIX}")


def write_private_atomic(path: str, data: bytes, fsync: bool = False) -> None:
    """Write ``data`` to ``path`` as a 0600 file via a temporary file and a rename."""
    tmp = temp_name(path)
    fd = os.open(tmp, _FLAGS, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _unlink_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
