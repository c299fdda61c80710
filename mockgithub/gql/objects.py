"""The objects behind GitHub's GraphQL types, read from the same source as the REST routes.

graphql-core's default resolver reads a field as the attribute of the same name, calling it
with the field's arguments when it is a method; so each class below *is* the resolver of one
GitHub type, and its camelCase members are GitHub's field names. Every object wraps the REST
body the routes would serve (``source.run``, ``source.jobs``, ...), so a run's jobs are the same
whichever API reads them: ``CheckRun`` is a job, ``CheckSuite`` is a run's check suite (its
status and conclusion are the run's), ``WorkflowRun.createdAt`` is the run's ``created_at``.

Choices where GitHub's behaviour is not documented: ``CheckSuite.checkRuns`` lists the latest
attempt's check runs unless ``filterBy: {checkType: ALL}`` asks for every attempt (as REST's
jobs ``filter=latest|all``); ``Workflow.runs`` is newest first unless ``orderBy`` says ``ASC``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mockgithub import nodeids
from mockgithub import query as q
from mockgithub.gql.connection import Connection, NotFound
from mockgithub.routes import Routes
from mockgithub.source import Source


@dataclass(frozen=True)
class RateLimitView:
    """The ``rateLimit`` object after this query was charged."""

    cost: int
    limit: int
    remaining: int
    used: int
    resetAt: str  # noqa: N815 - GitHub's field name
    nodeCount: int  # noqa: N815 - GitHub's field name


@dataclass
class Context:
    """What every resolver may read: the data, the routes' cached filters, the rate limit.

    ``errors`` collects errors that do not null a whole field (``nodes(ids:)`` answers the ids
    it knows and reports each unknown one, as GitHub does).
    """

    source: Source
    routes: Routes
    rate_limit: RateLimitView
    errors: list[dict[str, Any]] = field(default_factory=list)

    def run(self, run_id: int) -> dict[str, Any] | None:
        return self.source.run(run_id)

    def matching(self, **filters: str) -> list[int]:
        """Run ids matching REST-style filters, newest first (cached by the routes)."""
        key, predicate = q.run_filter(filters)
        return self.routes.matching(key, None, predicate)


def upper(value: str | None) -> str | None:
    return value.upper() if value else None


def path_of(url: str) -> str:
    return urlsplit(url).path


# -- GitHub's types -----------------------------------------------------------------------------


class Query:
    """The root: ``repository``, ``node``, ``nodes``, ``rateLimit``."""

    def __init__(self, context: Context) -> None:
        self._context = context

    def repository(self, _info: Any, owner: str, name: str, followRenames: bool = True) -> Any:  # noqa: N803
        full_name = self._context.source.full_name
        if f"{owner}/{name}".lower() != full_name.lower():
            raise NotFound(f"Could not resolve to a Repository with the name '{owner}/{name}'.")
        return Repository(self._context)

    def node(self, _info: Any, id: str) -> Any:  # noqa: A002 - GitHub's argument name
        found = locate(self._context, id)
        if found is None:
            raise NotFound(f"Could not resolve to a node with the global id of '{id}'")
        return found

    def nodes(self, info: Any, ids: list[str]) -> list[Any]:
        found = [locate(self._context, node_id) for node_id in ids]
        for index, (node_id, item) in enumerate(zip(ids, found, strict=True)):
            if item is None:
                self._context.errors.append(
                    {
                        "type": NotFound.type,
                        "path": [*info.path.as_list(), index],
                        "message": f"Could not resolve to a node with the global id of '{node_id}'",
                    }
                )
        return found

    def rateLimit(self, _info: Any, dryRun: bool = False) -> RateLimitView:  # noqa: N802, N803
        if dryRun:
            raise NotFound("rateLimit(dryRun: true) is not served by mockgithub")
        return self._context.rate_limit


class Repository:
    __typename = "Repository"

    def __init__(self, context: Context) -> None:
        self._context = context
        body = context.source.repository()
        self.id = body["node_id"]
        self.databaseId = body["id"]  # noqa: N815
        self.name = body["name"]
        self.nameWithOwner = body["full_name"]  # noqa: N815
        self.url = body["html_url"]
        self.description = body.get("description")
        self.isPrivate = bool(body.get("private"))  # noqa: N815
        self.createdAt = body.get("created_at")  # noqa: N815
        self.updatedAt = body.get("updated_at")  # noqa: N815
        self.pushedAt = body.get("pushed_at")  # noqa: N815
        self._default_branch = body.get("default_branch", "main")

    def defaultBranchRef(self, _info: Any) -> Ref | None:  # noqa: N802
        return Ref(self._context, self._default_branch, self.databaseId)


class Ref:
    __typename = "Ref"

    def __init__(self, context: Context, branch: str, repository_id: int) -> None:
        self._context = context
        self.id = nodeids.encode("REF", repository_id)
        self.name = branch
        self.prefix = "refs/heads/"

    def target(self, _info: Any) -> Commit | None:
        """The branch's head: the commit of its newest run."""
        newest = self._context.matching(branch=self.name)
        run = self._context.run(newest[0]) if newest else None
        return Commit(self._context, run) if run else None


class Commit:
    __typename = "Commit"

    def __init__(self, context: Context, run: dict[str, Any]) -> None:
        self._context = context
        head = run.get("head_commit") or {}
        self.id = nodeids.encode("C", run["id"])
        self.oid = run["head_sha"]
        self.abbreviatedOid = self.oid[:7]  # noqa: N815
        self.message = head.get("message", "")
        self.committedDate = head.get("timestamp") or run["created_at"]  # noqa: N815
        self.url = f"{run['repository']['html_url']}/commit/{self.oid}"

    def checkSuites(  # noqa: N802
        self,
        _info: Any,
        first: int | None = None,
        last: int | None = None,
        after: str | None = None,
        before: str | None = None,
        filterBy: dict[str, Any] | None = None,  # noqa: N803
    ) -> Connection:
        ids = self._context.matching(head_sha=self.oid)
        runs = [run for run in map(self._context.run, ids) if run is not None]
        return Connection(
            runs, lambda run: CheckSuite(self._context, run), first, last, after, before
        )


class CheckSuite:
    """A run's check suite: its status and conclusion are the run's."""

    __typename = "CheckSuite"

    def __init__(self, context: Context, run: dict[str, Any]) -> None:
        self._context, self._run = context, run
        self.id = run.get("check_suite_node_id") or nodeids.encode("CS", run["check_suite_id"])
        self.databaseId = run.get("check_suite_id")  # noqa: N815
        self.status = upper(run.get("status")) or "COMPLETED"
        self.conclusion = upper(run.get("conclusion"))
        self.createdAt = run["created_at"]  # noqa: N815
        self.updatedAt = run["updated_at"]  # noqa: N815
        self.url = f"{run['repository']['html_url']}/commit/{run['head_sha']}/checks"
        self.resourcePath = path_of(self.url)  # noqa: N815

    def workflowRun(self, _info: Any) -> WorkflowRun:  # noqa: N802
        return WorkflowRun(self._context, self._run)

    def checkRuns(  # noqa: N802
        self,
        _info: Any,
        first: int | None = None,
        last: int | None = None,
        after: str | None = None,
        before: str | None = None,
        filterBy: dict[str, Any] | None = None,  # noqa: N803
    ) -> Connection:
        wanted = filterBy or {}
        every = wanted.get("checkType") == "ALL"
        attempt = None if every else self._run.get("run_attempt", 1)
        jobs = self._context.source.jobs(self._run["id"], attempt) or []
        jobs = [job for job in jobs if _matches(job, wanted)]
        return Connection(
            jobs, lambda job: CheckRun(self._context, job), first, last, after, before
        )


def _matches(job: dict[str, Any], wanted: dict[str, Any]) -> bool:
    if wanted.get("checkName") is not None and job["name"] != wanted["checkName"]:
        return False
    statuses = wanted.get("statuses") or ([wanted["status"]] if wanted.get("status") else [])
    if statuses and upper(job["status"]) not in statuses:
        return False
    conclusions = wanted.get("conclusions")
    return not conclusions or upper(job.get("conclusion")) in conclusions


class WorkflowRun:
    __typename = "WorkflowRun"

    def __init__(self, context: Context, run: dict[str, Any]) -> None:
        self._context, self._run = context, run
        self.id = run["node_id"]
        self.databaseId = run["id"]  # noqa: N815
        self.runNumber = run["run_number"]  # noqa: N815
        self.event = run["event"]
        self.createdAt = run["created_at"]  # noqa: N815
        self.updatedAt = run["updated_at"]  # noqa: N815
        self.url = run["html_url"]
        self.resourcePath = path_of(self.url)  # noqa: N815

    def workflow(self, _info: Any) -> Workflow | None:
        wanted = self._run["workflow_id"]
        body = next((w for w in self._context.source.workflows() if w["id"] == wanted), None)
        return Workflow(self._context, body) if body else None

    def checkSuite(self, _info: Any) -> CheckSuite:  # noqa: N802
        return CheckSuite(self._context, self._run)


class Workflow:
    __typename = "Workflow"

    def __init__(self, context: Context, body: dict[str, Any]) -> None:
        self._context = context
        self.id = body["node_id"]
        self.databaseId = body["id"]  # noqa: N815
        self.name = body["name"]
        self.state = upper(body.get("state")) or "ACTIVE"
        self.createdAt = body["created_at"]  # noqa: N815
        self.updatedAt = body["updated_at"]  # noqa: N815
        self.url = body["html_url"]
        self.resourcePath = path_of(self.url)  # noqa: N815

    def runs(
        self,
        _info: Any,
        first: int | None = None,
        last: int | None = None,
        after: str | None = None,
        before: str | None = None,
        orderBy: dict[str, Any] | None = None,  # noqa: N803
    ) -> Connection:
        ids = self._context.routes.matching((), self.databaseId, lambda _run: True)
        if (orderBy or {}).get("direction") == "ASC":
            ids = ids[::-1]
        return Connection(ids, self._make_run, first, last, after, before)

    def _make_run(self, run_id: int) -> WorkflowRun | None:
        run = self._context.run(run_id)
        return WorkflowRun(self._context, run) if run else None


class CheckRun:
    """A job, as GitHub's GraphQL API shows it."""

    __typename = "CheckRun"

    def __init__(self, context: Context, job: dict[str, Any]) -> None:
        self._context, self._job = context, job
        self.id = job["node_id"]
        self.databaseId = job["id"]  # noqa: N815
        self.name = job["name"]
        self.status = upper(job["status"])
        self.conclusion = upper(job.get("conclusion"))
        self.startedAt = job.get("started_at")  # noqa: N815
        self.completedAt = job.get("completed_at")  # noqa: N815
        self.url = job.get("html_url") or ""
        self.permalink = self.url
        self.detailsUrl = self.url  # noqa: N815

    def checkSuite(self, _info: Any) -> CheckSuite | None:  # noqa: N802
        run = self._context.run(self._job["run_id"])
        return CheckSuite(self._context, run) if run else None


def locate(context: Context, node_id: str) -> Any:
    """The object behind a global node id, or None."""
    found = context.source.locate(node_id)
    if found is None:
        return None
    kind, number = found
    return _BY_KIND[kind](context, number) if kind in _BY_KIND else None


def _run_object(make: Callable[[Context, dict[str, Any]], Any]) -> Callable[[Context, int], Any]:
    def build(context: Context, run_id: int) -> Any:
        run = context.run(run_id)
        return make(context, run) if run else None

    return build


def _check_suite(context: Context, suite_id: int) -> CheckSuite | None:
    ids = context.matching(check_suite_id=str(suite_id))
    run = context.run(ids[0]) if ids else None
    return CheckSuite(context, run) if run else None


def _check_run(context: Context, job_id: int) -> CheckRun | None:
    job = context.source.job(job_id)
    return CheckRun(context, job) if job else None


def _workflow(context: Context, workflow_id: int) -> Workflow | None:
    body = next((w for w in context.source.workflows() if w["id"] == workflow_id), None)
    return Workflow(context, body) if body else None


def _repository(context: Context, repository_id: int) -> Repository | None:
    return Repository(context) if context.source.repository()["id"] == repository_id else None


_BY_KIND: dict[str, Callable[[Context, int], Any]] = {
    "WorkflowRun": _run_object(WorkflowRun),
    "Commit": _run_object(Commit),
    "CheckSuite": _check_suite,
    "CheckRun": _check_run,
    "Workflow": _workflow,
    "Repository": _repository,
}
