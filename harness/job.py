"""What one worker process is asked to do, and how the runner cuts a plan into such jobs.

A job is one asv case, or every micro case of a side (one pytest-benchmark session: pytest's
start-up is paid once, not once per test). The worker answers with one ``BenchmarkResult`` per
case, each metric holding the one ``ProcessRun`` it took (``harness.codec``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from harness.measure import SampleSettings
from harness.records import Side
from harness.suite import BenchKind, CaseRef

MICRO_JOB = "micro"  # the key of the micro batch in a schedule
MAX_MICRO_TIMEOUT_S = 900.0
INSTRUCTIONS_SLOWDOWN = 5.0  # a time case's own timeout covers its samples; one counted call


@dataclass(frozen=True)
class Job:
    """Cases measured by one worker process, in round ``round`` for side ``side``; with
    ``instructions``, a time case's instruction count under callgrind instead of its times."""

    cases: tuple[CaseRef, ...]
    round: int = 0
    side: Side = Side.CURRENT
    instructions: bool = False

    @property
    def key(self) -> str:
        """What pairs a job with its counterpart on the other side of an A/B run."""
        name = MICRO_JOB if self.micro else self.cases[0].id
        return f"{name} instructions" if self.instructions else name

    @property
    def micro(self) -> bool:
        return self.cases[0].kind is BenchKind.MICRO

    @property
    def timeout_s(self) -> float:
        total = sum(c.attrs.timeout_s for c in self.cases)
        if self.instructions:  # counted code runs ~50× slower than native
            return total * INSTRUCTIONS_SLOWDOWN
        return min(total, MAX_MICRO_TIMEOUT_S) if self.micro else total

    def max_rss_mb(self, default: float) -> float:
        return self.cases[0].attrs.max_rss_mb or default


def jobs_of(cases: Iterable[CaseRef], round_: int = 0, side: Side = Side.CURRENT) -> list[Job]:
    """One job per asv case, in order, then one job for all micro cases (if any)."""
    cases = list(cases)
    jobs = [Job((c,), round_, side) for c in cases if c.kind is not BenchKind.MICRO]
    micro = tuple(c for c in cases if c.kind is BenchKind.MICRO)
    return jobs + ([Job(micro, round_, side)] if micro else [])


def counting_jobs(cases: Iterable[CaseRef], side: Side = Side.CURRENT) -> list[Job]:
    """The jobs of :func:`jobs_of` that count instructions: each time case that allows it, and
    the one for all micro cases (one pytest session, each test's call counted on its own:
    ``harness.micro.count``)."""
    return [
        replace(job, instructions=True)
        for job in jobs_of(cases, 0, side)
        if job.micro or (job.cases[0].kind is BenchKind.TIME and job.cases[0].attrs.instructions)
    ]


@dataclass(frozen=True)
class Task:
    """A job with everything the worker needs to run it: the wire record parent → worker."""

    job: Job
    suites_root: str
    package: str
    settings: SampleSettings
    quick: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": [c.to_dict() for c in self.job.cases],
            "round": self.job.round,
            "side": self.job.side.value,
            "instructions": self.job.instructions,
            "suites_root": self.suites_root,
            "package": self.package,
            "settings": asdict(self.settings),
            "quick": self.quick,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Task:
        job = Job(
            tuple(CaseRef.from_dict(c) for c in data["cases"]),
            int(data["round"]),
            Side(data["side"]),
            bool(data["instructions"]),
        )
        settings = SampleSettings(**data["settings"])
        return cls(job, data["suites_root"], data["package"], settings, bool(data["quick"]))
