"""What an export may be asked besides the run itself."""

from __future__ import annotations

from dataclasses import dataclass

from harness.records import Direction


@dataclass(frozen=True)
class ExportOptions:
    """``direction``: which metrics a one-direction format exports (github-action-benchmark
    reads a file as all smaller-is-better or all bigger-is-better)."""

    direction: Direction = Direction.LOWER
