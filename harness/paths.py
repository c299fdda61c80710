"""Names read from files (run ids, commits) that become parts of paths: checked first.

An id in a result file is data, never a path: before one names a folder or a file it must be a
plain name (no separator, no ``..``, not absolute), so whatever a file says, bench writes only
inside the directory it was given.
"""

from __future__ import annotations

import re
from pathlib import Path

from harness.errors import InputError

# Letters, digits, '.', '_' and '-', starting with a letter or digit: never '..', never '/'.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def child(directory: Path, name: str, what: str) -> Path:
    """``directory / name`` for a ``name`` that is a plain name; else an ``InputError``."""
    if not NAME.fullmatch(name):
        raise InputError(f"{what} {name!r} cannot name a file or folder: not a plain name")
    return directory / name
