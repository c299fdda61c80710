"""Replay of a recorded repository: JSON bodies captured from a real GitHub API.

The fixture file is ``{"format": "mockgithub-recording", "version": 1, "base_url": URL,
"responses": [{"url": URL, "status": 200, "body": {...}}, ...]}`` (a bare list of responses is
accepted too). The entities found in the bodies (repository, workflows, runs, jobs) are served
through the same routes as seeded data, so pagination, filters and ETags behave the same.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mockgithub import nodeids, payloads
from mockgithub.payloads import CANONICAL_BASE
from mockgithub.source import RunIndex

FORMAT = "mockgithub-recording"
VERSION = 1  # 1: first version
GITHUB_BASES = ("https://api.github.com", "https://github.com")
MAX_FIXTURE_BYTES = 256 * 1024 * 1024


class FixtureError(ValueError):
    """The fixture file cannot be read as a recording."""


def read_fixture(path: str | Path, limit: int = MAX_FIXTURE_BYTES) -> str:
    """The text of a regular file of at most ``limit`` bytes.

    One message for every reason a file cannot be had (missing, unreadable, a directory, a
    device such as /dev/zero, a FIFO, too large), so the answer says nothing about which.
    ``O_NONBLOCK`` keeps a FIFO from blocking the open itself.
    """
    message = (
        f"cannot read fixture {path}: not a readable regular file of at most {limit >> 20} MiB"
    )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        raise FixtureError(message) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise FixtureError(message)
        data = _read_at_most(fd, limit + 1)
    except OSError:
        raise FixtureError(message) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FixtureError(message)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise FixtureError(f"fixture {path} is not UTF-8 text") from None


def _read_at_most(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def load_recording(path: str | Path) -> RecordedSource:
    text = read_fixture(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FixtureError(f"fixture {path} is not JSON: {exc.msg} at line {exc.lineno}") from None
    responses = _responses(document, path)
    bases = list(GITHUB_BASES)
    if isinstance(document, dict) and document.get("base_url"):
        bases.insert(0, str(document["base_url"]).rstrip("/"))
    # Rewrite once, as text, so every URL in every body points at the canonical base.
    canonical = json.dumps([r.get("body") for r in responses])
    for base in bases:
        canonical = canonical.replace(base, CANONICAL_BASE)
    try:
        return RecordedSource(json.loads(canonical))
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        problem = f"{type(exc).__name__} {exc}"
        raise FixtureError(f"fixture {path}: an entity of the wrong shape ({problem})") from None


def _responses(document: Any, path: str | Path) -> list[dict[str, Any]]:
    if isinstance(document, list):
        return [r for r in document if isinstance(r, dict)]
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FixtureError(f"fixture {path}: expected a {FORMAT!r} document")
    if document.get("version") != VERSION:
        raise FixtureError(
            f"fixture {path}: version {document.get('version')!r} is not supported "
            f"(this mock reads version {VERSION}); re-record it"
        )
    return [r for r in document.get("responses", []) if isinstance(r, dict)]


class RecordedSource:
    """Entities of a recorded repository, served newest run first."""

    def __init__(self, bodies: list[Any]) -> None:
        self.version = 0
        self._repository: dict[str, Any] | None = None
        self._workflows: dict[int, dict[str, Any]] = {}
        self._runs: dict[int, dict[str, Any]] = {}
        self._jobs: dict[int, dict[str, Any]] = {}
        for body in bodies:
            self._collect(body)
        if not self._runs and self._repository is None:
            raise FixtureError("fixture holds no repository and no workflow runs")
        self._order = sorted(self._runs, key=lambda i: (self._runs[i]["created_at"], i))[::-1]
        self.full_name = self._name()
        self._nodes = self._node_ids()

    def _collect(self, body: Any) -> None:
        if not isinstance(body, dict):
            return
        if "full_name" in body and "owner" in body:
            self._repository = body
        for item in body.get("workflows", []):
            self._workflows[item["id"]] = item
        for item in body.get("workflow_runs", []):
            self._runs[item["id"]] = item
        for item in body.get("jobs", []):
            self._jobs[item["id"]] = item
        if "run_number" in body and "workflow_id" in body:
            self._runs[body["id"]] = body
        if "steps" in body and "run_id" in body:
            self._jobs[body["id"]] = body

    def _node_ids(self) -> dict[str, tuple[str, int]]:
        """The recording's own (GitHub's) node ids, for GraphQL's ``node(id:)``."""
        found: dict[str, tuple[str, int]] = {}
        for kind, table in (
            ("WorkflowRun", self._runs),
            ("CheckRun", self._jobs),
            ("Workflow", self._workflows),
        ):
            found.update({v["node_id"]: (kind, k) for k, v in table.items() if "node_id" in v})
        for run in self._runs.values():
            if run.get("check_suite_node_id") and run.get("check_suite_id"):
                found[run["check_suite_node_id"]] = ("CheckSuite", run["check_suite_id"])
        repository = self._repository
        if repository is not None and "node_id" in repository:
            found[repository["node_id"]] = ("Repository", repository["id"])
        return found

    def _name(self) -> str:
        if self._repository is not None:
            return str(self._repository["full_name"])
        first = self._runs[self._order[0]]
        return str(first["repository"]["full_name"])

    def repository(self) -> dict[str, Any]:
        if self._repository is not None:
            return self._repository
        return payloads.minimal_repository(self.full_name)

    def workflows(self) -> list[dict[str, Any]]:
        return [self._workflows[i] for i in sorted(self._workflows)]

    def run_count(self) -> int:
        return len(self._order)

    def newest_ids(self, offset: int, count: int) -> list[int]:
        return self._order[offset : offset + count]

    def index(self) -> Iterator[RunIndex]:
        for run_id in self._order:
            run = self._runs[run_id]
            yield RunIndex(
                id=run_id,
                workflow_id=run["workflow_id"],
                actor=(run.get("actor") or {}).get("login", ""),
                branch=run.get("head_branch"),
                event=run["event"],
                status=run.get("status"),
                conclusion=run.get("conclusion"),
                created=run["created_at"],
                head_sha=run["head_sha"],
                check_suite_id=run.get("check_suite_id"),
            )

    def run(self, run_id: int, with_prs: bool = True) -> dict[str, Any] | None:
        run = self._runs.get(run_id)
        if run is None or with_prs:
            return run
        return {**run, "pull_requests": []}

    def attempt(self, run_id: int, number: int) -> dict[str, Any] | None:
        run = self._runs.get(run_id)
        return run if run is not None and run.get("run_attempt", 1) == number else None

    def jobs(self, run_id: int, attempt: int | None) -> list[dict[str, Any]] | None:
        run = self._runs.get(run_id)
        if run is None:
            return None
        mine = [j for j in self._jobs.values() if j["run_id"] == run_id]
        if attempt is not None:
            mine = [j for j in mine if j.get("run_attempt", 1) == attempt]
        return sorted(mine, key=lambda j: (-j.get("run_attempt", 1), j["id"]))

    def job(self, job_id: int) -> dict[str, Any] | None:
        return self._jobs.get(job_id)

    def timing(self, run_id: int) -> dict[str, Any] | None:
        run = self._runs.get(run_id)
        if run is None:
            return None
        return {"billable": {}, "run_duration_ms": 0}

    def locate(self, node_id: str) -> tuple[str, int] | None:
        return self._nodes.get(node_id) or nodeids.decode(node_id)

    def add_runs(self, count: int) -> list[int]:
        raise ValueError("a recorded repository cannot grow new runs")

    def complete(self, run_id: int | None) -> list[int]:
        raise ValueError("a recorded repository cannot complete runs")

    def reset(self) -> None:
        self.version += 1
