"""Sharding: split a run's cases into N stable parts, and merge shard results back into one run."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from harness.errors import InputError
from harness.meta import Confirmation
from harness.records import RunResult

# Metadata that must be equal across shards for their merge to be one run.
MUST_MATCH = (
    "harness_version",
    "quick",
    "settings",
    "processes",
    "python",
    "fixtures",
    "packages",
)


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``"I/N"`` with 1 <= I <= N; anything else is an input error."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise InputError(f"--shard: expected I/N such as 1/4, got {text!r}")
    shard = Shard(int(match[1]), int(match[2]))
    if not 1 <= shard.index <= shard.count:
        raise InputError(f"--shard: I must be between 1 and N, got {text!r}")
    return shard


def shard_of(case_id: str, count: int) -> int:
    """The 1-based shard a case belongs to: a hash of its id, so it never moves between shards."""
    digest = hashlib.sha256(case_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


C = TypeVar("C", bound=_HasId)


def select_shard(cases: Sequence[C], shard: Shard) -> list[C]:
    return [c for c in cases if shard_of(c.id, shard.count) == shard.index]


def merge(runs: Sequence[RunResult]) -> RunResult:
    """One run from the results of every shard of it; mismatched or missing shards are refused."""
    if not runs:
        raise InputError("merge: no result files given")
    first = runs[0]
    shards = [_shard_meta(run) for run in runs]
    _check_shards(shards)
    for run in runs[1:]:
        for key in MUST_MATCH:
            if getattr(run.meta, key) != getattr(first.meta, key):
                raise InputError(
                    f"merge: {run.run_id} differs from {first.run_id} in {key!r}; "
                    "shards of one run must share it"
                )
        if run.meta.commit != first.meta.commit:
            raise InputError(
                f"merge: {run.run_id} was run on another git commit than {first.run_id}"
            )
    seen: set[str] = set()
    benchmarks = []
    for run in runs:
        for bench in run.benchmarks:
            if bench.id in seen:
                raise InputError(f"merge: benchmark {bench.id} appears in more than one shard")
            seen.add(bench.id)
            benchmarks.append(bench)
    confirmed = [run.meta.confirmation for run in runs if run.meta.confirmation]
    meta = replace(
        first.meta,
        shard=None,
        merged_from=tuple(run.run_id for run in runs),
        shard_machines=tuple(sorted({run.meta.machine.hostname or "?" for run in runs})),
        planned_benchmarks=sum(run.meta.planned_benchmarks for run in runs),
        planned_ids=tuple(sorted(i for run in runs for i in run.meta.planned_ids)),
        end_time=max((run.meta.end_time or "") for run in runs) or None,
        confirmation=Confirmation(
            max(c.rounds for c in confirmed),
            tuple(sorted({i for c in confirmed for i in c.remeasured})),
        )
        if confirmed
        else None,
    )
    return replace(
        first,
        meta=meta,
        benchmarks=tuple(sorted(benchmarks, key=lambda b: b.id)),
        complete=all(run.complete for run in runs),
    )


def _shard_meta(run: RunResult) -> Shard:
    text = run.meta.shard
    if not text:
        raise InputError(f"merge: {run.run_id} is not a shard result (run with --shard I/N)")
    return parse_shard(text)


def _check_shards(shards: list[Shard]) -> None:
    counts = {s.count for s in shards}
    if len(counts) != 1:
        raise InputError(f"merge: shards of different splits: {', '.join(map(str, shards))}")
    (count,) = counts
    indexes = sorted(s.index for s in shards)
    if indexes != list(range(1, count + 1)):
        raise InputError(
            f"merge: need each shard 1..{count} exactly once, got {', '.join(map(str, shards))}"
        )
