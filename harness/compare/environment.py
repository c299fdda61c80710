"""The environment guard: results from different machines or Pythons are not compared silently."""

from __future__ import annotations

from typing import Any

from harness.meta import RunMeta
from harness.records import RunResult

# (section of the run metadata, key, what to call it in a warning)
GUARDED = (
    ("machine", "hostname", "hostname"),
    ("machine", "cpu_model", "CPU model"),
    ("machine", "cores", "CPU cores"),
    ("python", "implementation", "Python implementation"),
    ("python", "version", "Python version"),
)


def _value(meta: RunMeta, section: str, key: str) -> Any:
    return getattr(getattr(meta, section), key)


def env_mismatches(baseline: RunResult, current: RunResult) -> list[str]:
    """One warning per guarded fact that differs (an unknown value counts as different)."""
    found = []
    for section, key, label in GUARDED:
        before = _value(baseline.meta, section, key)
        after = _value(current.meta, section, key)
        if before is None or after is None or before != after:
            found.append(f"{label} differs: baseline {_show(before)}, current {_show(after)}")
    return found


def _show(value: Any) -> str:
    return "unknown" if value is None else repr(value)
