"""Where the served data comes from: a seeded generator or a recorded repository.

Both sources speak GitHub's JSON with URLs on :data:`~mockgithub.payloads.CANONICAL_BASE`, and
index their runs by :class:`RunIndex` so the routes can filter without building bodies.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from mockgithub import nodeids, payloads
from mockgithub.dataset import Dataset, RunFacts, run_id, run_number
from mockgithub.jobs import attempt_jobs, locate_job


@dataclass(frozen=True)
class RunIndex:
    """What the list filters look at, for one run."""

    id: int
    workflow_id: int
    actor: str
    branch: str | None
    event: str
    status: str | None
    conclusion: str | None
    created: str  # ISO 8601, so prefixes compare as dates
    head_sha: str
    check_suite_id: int | None


class Source(Protocol):
    """The data behind the routes; ``version`` changes whenever the data does."""

    full_name: str
    version: int

    def repository(self) -> dict[str, Any]: ...
    def workflows(self) -> list[dict[str, Any]]: ...
    def run_count(self) -> int: ...
    def newest_ids(self, offset: int, count: int) -> list[int]: ...
    def index(self) -> Iterator[RunIndex]: ...
    def run(self, run_id: int, with_prs: bool = True) -> dict[str, Any] | None: ...
    def attempt(self, run_id: int, number: int) -> dict[str, Any] | None: ...
    def jobs(self, run_id: int, attempt: int | None) -> list[dict[str, Any]] | None: ...
    def job(self, job_id: int) -> dict[str, Any] | None: ...
    def timing(self, run_id: int) -> dict[str, Any] | None: ...
    def locate(self, node_id: str) -> tuple[str, int] | None: ...
    def add_runs(self, count: int) -> list[int]: ...
    def complete(self, run_id: int | None) -> list[int]: ...
    def reset(self) -> None: ...


class SeededSource:
    """The seeded, lazily generated repository of :mod:`mockgithub.dataset`."""

    def __init__(self, full_name: str, dataset: Dataset) -> None:
        self.full_name = full_name
        self.dataset = dataset
        self.version = 0
        self._repo = payloads.minimal_repository(full_name)

    def repository(self) -> dict[str, Any]:
        newest = self.dataset.run(self.dataset.run_count) if self.dataset.run_count else None
        return payloads.repository(self.full_name, newest.created if newest else 0)

    def workflows(self) -> list[dict[str, Any]]:
        return [payloads.workflow(self.full_name, w) for w in self.dataset.workflows]

    def run_count(self) -> int:
        return self.dataset.run_count

    def newest_ids(self, offset: int, count: int) -> list[int]:
        first = self.dataset.run_count - offset
        return [run_id(n) for n in range(first, max(0, first - count), -1)]

    def index(self) -> Iterator[RunIndex]:
        for number in range(self.dataset.run_count, 0, -1):
            facts = self.dataset.run(number)
            yield RunIndex(
                id=facts.id,
                workflow_id=facts.workflow.id,
                actor=facts.actor[0],
                branch=facts.branch,
                event=facts.event,
                status=facts.status,
                conclusion=facts.conclusion,
                created=payloads.iso(facts.created) or "",
                head_sha=facts.sha,
                check_suite_id=facts.check_suite_id,
            )

    def _facts(self, run_id_: int) -> RunFacts | None:
        number = run_number(run_id_)
        if number is None or number > self.dataset.run_count:
            return None
        return self.dataset.run(number)

    def run(self, run_id: int, with_prs: bool = True) -> dict[str, Any] | None:
        facts = self._facts(run_id)
        return payloads.run(self.full_name, facts, self._repo, with_prs) if facts else None

    def attempt(self, run_id: int, number: int) -> dict[str, Any] | None:
        facts = self._facts(run_id)
        if facts is None or not 1 <= number <= len(facts.attempts):
            return None
        return payloads.run_attempt(self.full_name, facts, self._repo, number)

    def jobs(self, run_id: int, attempt: int | None) -> list[dict[str, Any]] | None:
        """Jobs of one attempt, or of every attempt (latest first) when ``attempt`` is None."""
        facts = self._facts(run_id)
        if facts is None or (attempt is not None and not 1 <= attempt <= len(facts.attempts)):
            return None
        chosen = facts.attempts[::-1] if attempt is None else (facts.attempts[attempt - 1],)
        seed = self.dataset.seed
        return [
            payloads.job(self.full_name, facts, j)
            for a in chosen
            for j in attempt_jobs(seed, facts, a)
        ]

    def job(self, job_id: int) -> dict[str, Any] | None:
        place = locate_job(job_id)
        facts = self._facts(run_id(place[0])) if place else None
        if facts is None or place is None or place[1] > len(facts.attempts):
            return None
        jobs = attempt_jobs(self.dataset.seed, facts, facts.attempts[place[1] - 1])
        found = [j for j in jobs if j.id == job_id]
        return payloads.job(self.full_name, facts, found[0]) if found else None

    def timing(self, run_id: int) -> dict[str, Any] | None:
        facts = self._facts(run_id)
        if facts is None:
            return None
        jobs = attempt_jobs(self.dataset.seed, facts, facts.latest)
        latest = facts.latest
        duration = (latest.completed - latest.started) * 1000 if facts.status == "completed" else 0
        return payloads.timing(jobs, duration)

    def locate(self, node_id: str) -> tuple[str, int] | None:
        """``(GraphQL type, database id)`` behind a node id (the seeded ids are reversible)."""
        return nodeids.decode(node_id)

    def add_runs(self, count: int) -> list[int]:
        self.version += 1
        return [run_id(n) for n in self.dataset.add_runs(count)]

    def complete(self, run_id_: int | None) -> list[int]:
        """Complete one active run, or every active run when ``run_id_`` is None."""
        active = self.dataset.state.active_numbers()
        wanted = active if run_id_ is None else [n for n in active if run_id(n) == run_id_]
        for number in wanted:
            self.dataset.complete(number)
        self.version += 1 if wanted else 0
        return [run_id(n) for n in wanted]

    def reset(self) -> None:
        self.dataset.reset()
        self.version += 1
