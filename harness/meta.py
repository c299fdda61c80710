"""A run's metadata as typed records: where and how it ran, and what became of it.

Every field a part of bench reads has a name here; keys bench does not know (written by a newer
bench, or by hand) are kept in ``extra`` and written back unchanged. Cheap to import (workers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MachineInfo:
    hostname: str | None = None
    cpu_model: str | None = None
    cores: int | None = None
    memory_bytes: int | None = None
    os: str | None = None
    arch: str | None = None


@dataclass(frozen=True)
class PythonInfo:
    version: str | None = None
    implementation: str | None = None
    executable: str | None = None


@dataclass(frozen=True)
class GitInfo:
    """The checkout that holds the suites (nulls outside git)."""

    commit: str | None = None
    branch: str | None = None
    dirty: bool | None = None
    subject: str | None = None  # the commit's first line


@dataclass(frozen=True)
class Against:
    """``--against REV``: the revision, its commit, and (on the current side) the base's run."""

    rev: str
    commit: str
    base_run_id: str | None = None
    # A merged head: the base run of each of its shards (``base_run_id`` then names the merged
    # base, once ``bench merge --base`` is told it).
    base_run_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Confirmation:
    """Suspects re-measured before the final verdict, and how many rounds it took."""

    rounds: int
    remeasured: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunMeta:
    """Where and how a run happened. ``role`` is ``"base"`` for the other revision's side."""

    harness_version: str = ""
    start_time: str = ""
    end_time: str | None = None
    command: tuple[str, ...] = ()
    quick: bool = False
    planned_benchmarks: int = 0
    planned_ids: tuple[str, ...] = ()
    suites: tuple[str, ...] = ()  # the suites named on the command line; none: every suite
    pattern: str | None = None  # the -b regular expression
    shard: str | None = None
    machine: MachineInfo = field(default_factory=MachineInfo)
    python: PythonInfo = field(default_factory=PythonInfo)
    packages: Mapping[str, str] = field(default_factory=dict)
    git: GitInfo = field(default_factory=GitInfo)
    fixtures: Mapping[str, Any] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    processes: int = 1
    role: str | None = None
    against: Against | None = None
    interrupted: bool = False
    confirmation: Confirmation | None = None
    merged_from: tuple[str, ...] = ()
    shard_machines: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def commit(self) -> str | None:
        return self.git.commit
