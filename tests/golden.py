"""Golden files: compared exactly; rewritten only with BENCH_UPDATE_GOLDEN=1, and then the test
fails once so that every rewrite is looked at (``git diff``) before it is committed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

UPDATE_VARIABLE = "BENCH_UPDATE_GOLDEN"


def updating() -> bool:
    return os.environ.get(UPDATE_VARIABLE) == "1"


def check_golden(path: Path, text: str) -> None:
    """Assert that ``text`` is the content of ``path``; in update mode, rewrite it and fail if
    it changed."""
    old = path.read_text() if path.exists() else None
    if updating() and text != old:
        path.write_text(text)
        pytest.fail(f"{path.name} rewritten ({UPDATE_VARIABLE}=1): review the diff, run again")
    assert text == old, f"{path.name} changed; set {UPDATE_VARIABLE}=1 to rewrite it"
