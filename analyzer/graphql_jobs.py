"""Runs' jobs read through GitHub's GraphQL API, 100 runs per request (``GITHUB_API_MODE=graphql``).

The runs themselves still come from REST's list (GraphQL has no repository-wide, newest-first
list of workflow runs, and the list carries everything the analysis needs about a run); their
REST ``node_id`` s then go to ``nodes(ids:)`` in batches of 100 (GitHub's most per call), each
run's check suite giving its check runs, which are its jobs. A cold analysis of N runs costs
``ceil(N/100)`` REST pages plus ``ceil(N/100)`` GraphQL requests of one point each (100 parents
of one ``checkRuns`` connection: 100 requests' worth, GitHub's formula gives 1).

A check run becomes the job dict the analysis reads. GraphQL has no job creation time; a job's
``created_at`` is its run attempt's start (``run_started_at``), which is when GitHub creates an
attempt's jobs and what REST reports for them (and exactly so in the mock, where a test proves
both modes give identical reports). A run with more than 100 jobs gets follow-up pages of its
check suite.

Cache: each run's jobs are stored under the run's node id and attempt (a re-run is a new key),
fresh for ``API_CACHE_TTL``; a batch asks GraphQL only for the runs whose entry is missing or
stale. GraphQL answers carry no ETag (they are POSTs), so a stale entry is fetched again (costing
points) where REST would revalidate it for free with a 304.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from analyzer.cache import CacheLevel, cache_key
from analyzer.client import GitHubClient
from analyzer.errors import ApiError
from analyzer.fetcher import ordered_map
from analyzer.graphql_client import post_graphql
from analyzer.scope import cache_scope

Run = dict[str, Any]
Job = dict[str, Any]
BATCH = 100  # nodes(ids:) takes at most 100 ids
CHECK_RUN = "databaseId name status conclusion startedAt completedAt"
RATE = "rateLimit { cost remaining resetAt }"
PAGE = "pageInfo { hasNextPage endCursor }"
JOBS_OF_RUNS = f"""query($ids: [ID!]!) {{
  nodes(ids: $ids) {{ ... on WorkflowRun {{ databaseId checkSuite {{ id
    checkRuns(first: 100, filterBy: {{checkType: LATEST}}) {{ {PAGE} nodes {{ {CHECK_RUN} }} }}
  }} }} }}
  {RATE}
}}"""
MORE_JOBS = f"""query($suite: ID!, $after: String!) {{
  node(id: $suite) {{ ... on CheckSuite {{
    checkRuns(first: 100, after: $after, filterBy: {{checkType: LATEST}}) {{
      {PAGE} nodes {{ {CHECK_RUN} }} }} }} }}
  {RATE}
}}"""


def points_of(runs: int) -> int:
    """GitHub's cost of :data:`JOBS_OF_RUNS` for ``runs`` ids: ``runs`` connection requests,
    divided by 100, rounded to the nearest whole number, at least 1."""
    return max(1, math.floor(runs / 100 + 0.5))


def runs_with_jobs_graphql(
    client: GitHubClient, runs: Iterable[Run], workers: int
) -> Iterator[tuple[Run, list[Job]]]:
    """Each run with its jobs, in list order; batches of 100 runs fetched by ``workers``."""
    batches = _chunks(iter(runs), BATCH)
    for _, pairs in ordered_map(
        lambda batch: _batch_jobs(client, batch), batches, workers, workers + 1, client.cancel
    ):
        yield from pairs


def _chunks(runs: Iterator[Run], size: int) -> Iterator[list[Run]]:
    while chunk := list(islice(runs, size)):
        yield chunk


def _batch_jobs(client: GitHubClient, batch: list[Run]) -> list[tuple[Run, list[Job]]]:
    """The jobs of every run of ``batch``: cached ones from the cache, the others in one query."""
    found = {index: _cached(client, run) for index, run in enumerate(batch)}
    wanted = [index for index, jobs in found.items() if jobs is None]
    if wanted:
        fetched = _fetch(client, [batch[i] for i in wanted])
        for index, jobs in zip(wanted, fetched, strict=True):
            found[index] = jobs
            _store(client, batch[index], jobs)
    return [(run, found[index] or []) for index, run in enumerate(batch)]


def _fetch(client: GitHubClient, runs: list[Run]) -> list[list[Job]]:
    ids = [_node_id(run) for run in runs]
    data = post_graphql(client, JOBS_OF_RUNS, {"ids": ids}, points_of(len(ids)))
    nodes = data.get("nodes")
    if not isinstance(nodes, list) or len(nodes) != len(runs):
        raise ApiError("POST /graphql: the answer does not hold one node per run asked for")
    return [_jobs_of(client, run, node) for run, node in zip(runs, nodes, strict=True)]


def _jobs_of(client: GitHubClient, run: Run, node: Any) -> list[Job]:
    if not isinstance(node, dict) or node.get("databaseId") != run["id"]:
        raise ApiError(f"POST /graphql: workflow run {run['id']} was not found")
    suite = node.get("checkSuite") or {}
    connection = suite.get("checkRuns") or {}
    checks = list(connection.get("nodes") or [])
    page = connection.get("pageInfo") or {}
    while page.get("hasNextPage"):
        variables = {"suite": suite["id"], "after": page["endCursor"]}
        more = post_graphql(client, MORE_JOBS, variables, 1).get("node") or {}
        connection = more.get("checkRuns") or {}
        checks += connection.get("nodes") or []
        page = connection.get("pageInfo") or {}
    return [_as_job(run, check) for check in checks]


def _as_job(run: Run, check: dict[str, Any]) -> Job:
    """A check run as the job dict the analysis reads (REST's field names and values)."""
    return {
        "id": check["databaseId"],
        "run_id": run["id"],
        "name": check["name"],
        "status": _lower(check["status"]),
        "conclusion": _lower(check.get("conclusion")),
        "created_at": run.get("run_started_at") or run["created_at"],
        "started_at": check.get("startedAt"),
        "completed_at": check.get("completedAt"),
    }


def _lower(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) else None


def _node_id(run: Run) -> str:
    node_id = run.get("node_id")
    if not isinstance(node_id, str) or not node_id:
        raise ApiError(f"workflow run {run.get('id')} has no node_id to look it up by")
    return node_id


def _key(client: GitHubClient, run: Run) -> str:
    """Scoped like every cache key (the API's identity and the credential's), then the run."""
    params = {"run": _node_id(run), "attempt": run.get("run_attempt", 1)}
    scope = cache_scope(client.config)
    return cache_key(CacheLevel.API, "/graphql#check-runs", {**params, **scope})


def _cached(client: GitHubClient, run: Run) -> list[Job] | None:
    if client.cache is None:
        return None
    entry, fresh = client.cache.lookup(CacheLevel.API, _key(client, run))
    if entry is not None and fresh and isinstance(entry.value, list):
        client.counters.record_event("cache_hits")
        return list(entry.value)
    client.counters.record_event("cache_misses")
    return None


def _store(client: GitHubClient, run: Run, jobs: list[Job]) -> None:
    if client.cache is not None:
        client.cache.store(CacheLevel.API, _key(client, run), jobs)
