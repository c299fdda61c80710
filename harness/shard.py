"""Sharding: split a run's cases into N stable parts, and merge shard results back into one run."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from harness.errors import InputError
from harness.meta import Confirmation, RunMeta
from harness.records import RunResult

# Metadata that must be equal across shards for their merge to be one run.
MUST_MATCH = (
    "harness_version",
    "quick",
    "suites",
    "pattern",
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


def merge(runs: Sequence[RunResult], names: Sequence[str] = ()) -> RunResult:
    """One run from the results of every shard of it; mismatched or missing shards are refused.

    ``names`` (the files the runs came from, in order) name them in refusals; run ids otherwise.
    """
    if not runs:
        raise InputError("merge: no result files given")
    named = list(zip(names or [run.run_id for run in runs], runs, strict=True))
    _check_roles(named)
    first_name, first = named[0]
    _check_shards([(name, _shard_meta(name, run)) for name, run in named])
    for name, run in named[1:]:
        for key in MUST_MATCH:
            if getattr(run.meta, key) != getattr(first.meta, key):
                raise InputError(
                    f"merge: {name} differs from {first_name} in {key!r}; "
                    "shards of one run must share it"
                )
        if run.meta.commit != first.meta.commit:
            raise InputError(f"merge: {name} was run on another git commit than {first_name}")
    seen: set[str] = set()
    benchmarks = []
    for name, run in named:
        for bench in run.benchmarks:
            if bench.id in seen:
                raise InputError(
                    f"merge: benchmark {bench.id} appears in more than one shard (again in {name})"
                )
            seen.add(bench.id)
            benchmarks.append(bench)
    meta = _merged_meta(runs)
    # Complete: every shard finished, and every planned benchmark has its result.
    planned = set(meta.planned_ids)
    complete = all(run.complete for run in runs) and (not planned or seen == planned)
    return replace(
        first,
        meta=meta,
        benchmarks=tuple(sorted(benchmarks, key=lambda b: b.id)),
        complete=complete,
    )


def unmerged(run: RunResult) -> list[str]:
    """The planned ids of a (merged) run that have no result."""
    done = {b.id for b in run.benchmarks}
    return [i for i in run.meta.planned_ids if i not in done]


def _merged_meta(runs: Sequence[RunResult]) -> RunMeta:
    first = runs[0]
    confirmed = [run.meta.confirmation for run in runs if run.meta.confirmation]
    against = first.meta.against
    if against is not None and first.meta.role != "base":
        # Each shard points at its own base file; the merged run points at none of them until
        # it is told its merged base (point_at_base), never at one shard's base alone.
        against = replace(
            against,
            base_run_id=None,
            base_run_ids=tuple(r.meta.against.base_run_id or "" for r in runs if r.meta.against),
        )
    return replace(
        first.meta,
        shard=None,
        merged_from=tuple(run.run_id for run in runs),
        shard_machines=tuple(sorted({run.meta.machine.hostname or "?" for run in runs})),
        planned_benchmarks=sum(run.meta.planned_benchmarks for run in runs),
        planned_ids=tuple(sorted(i for run in runs for i in run.meta.planned_ids)),
        end_time=max((run.meta.end_time or "") for run in runs) or None,
        against=against,
        confirmation=Confirmation(
            max(c.rounds for c in confirmed),
            tuple(sorted({i for c in confirmed for i in c.remeasured})),
        )
        if confirmed
        else None,
    )


def point_at_base(head: RunResult, base: RunResult, base_name: str) -> RunResult:
    """The merged head of an ``--against`` run, pointing at its merged base run.

    The base must be the merge of exactly the base files the head's shards were measured
    against, or the pair would judge a head against another run's base.
    """
    against = head.meta.against
    if against is None or not against.base_run_ids:
        raise InputError("merge: --base is for the head side of --against shards")
    wanted = sorted(against.base_run_ids)
    if base.meta.role != "base" or sorted(base.meta.merged_from) != wanted:
        raise InputError(
            f"merge: {base_name} is not the merge of the base files these shards were measured "
            f"against ({', '.join(wanted)}): merge the base side of the same runs first "
            "(bench merge --role base ...)"
        )
    meta = replace(head.meta, against=replace(against, base_run_id=base.run_id))
    return replace(head, meta=meta)


def role_of(run: RunResult) -> str:
    """``base`` for the other revision's file of an ``--against`` run, else ``head``."""
    return "base" if run.meta.role == "base" else "head"


def _check_roles(named: list[tuple[str, RunResult]]) -> None:
    roles = {role_of(run): name for name, run in named}
    if len(roles) > 1:
        raise InputError(
            f"merge: {roles['base']} is the base side of an --against run and {roles['head']} "
            "the head side: merge each side on its own (bench merge --role base ..., "
            "bench merge --role head ...)"
        )


def _shard_meta(name: str, run: RunResult) -> Shard:
    text = run.meta.shard
    if not text:
        raise InputError(f"merge: {name} is not a shard result (run with --shard I/N)")
    return parse_shard(text)


def _check_shards(shards: list[tuple[str, Shard]]) -> None:
    counts = {s.count for _, s in shards}
    if len(counts) != 1:
        listed = ", ".join(f"{name} ({shard})" for name, shard in shards)
        raise InputError(f"merge: shards of different splits: {listed}")
    (count,) = counts
    for index in range(1, count + 1):
        holders = [name for name, s in shards if s.index == index]
        if len(holders) > 1:
            raise InputError(
                f"merge: shard {index}/{count} is in {len(holders)} files ({', '.join(holders)}): "
                "files of more than one run are mixed; pass one file per shard (delete the "
                "files of the older run, or name those of one run)"
            )
        if not holders:
            raise InputError(
                f"merge: shard {index}/{count} is missing (given: "
                f"{', '.join(f'{name} ({s})' for name, s in shards)}); pass the file of every "
                f"shard 1..{count}"
            )
