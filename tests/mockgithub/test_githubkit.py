"""A strict, generated client reads the mock unchanged: githubkit (pydantic models generated
from GitHub's OpenAPI description, validated on every response) against a real server process,
as ``bench serve`` runs it.

Before the mock's bodies carried every required field, one page of 100 runs failed githubkit's
validation with 9,600 errors (issue 13).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockgithub import MockConfig, ServerProcess, spawn_server

githubkit = pytest.importorskip("githubkit")

OWNER, NAME = "acme", "widgets"


@pytest.fixture(scope="module")
def served() -> Iterator[ServerProcess]:
    server = spawn_server(MockConfig(repo=f"{OWNER}/{NAME}", runs=250))
    yield server
    server.stop()


@pytest.fixture
def github(served: ServerProcess) -> Iterator[githubkit.GitHub]:  # type: ignore[name-defined]
    with githubkit.GitHub("ghp_githubkit", base_url=served.base_url) as client:
        yield client


def test_githubkit_lists_every_run_page_by_page(github: githubkit.GitHub) -> None:  # type: ignore[name-defined]
    runs = list(
        github.rest.paginate(
            github.rest.actions.list_workflow_runs_for_repo,
            map_func=lambda response: response.parsed_data.workflow_runs,
            owner=OWNER,
            repo=NAME,
            per_page=100,
        )
    )
    assert len(runs) == 250
    assert len({run.id for run in runs}) == 250
    assert runs[0].repository.full_name == f"{OWNER}/{NAME}"


def test_githubkit_reads_jobs_a_workflow_and_the_rate_limit(
    github: githubkit.GitHub,  # type: ignore[name-defined]
    served: ServerProcess,
) -> None:
    page = github.rest.actions.list_workflow_runs_for_repo(OWNER, NAME, per_page=100).parsed_data
    run = page.workflow_runs[0]
    jobs = github.rest.actions.list_jobs_for_workflow_run(OWNER, NAME, run.id).parsed_data
    assert jobs.total_count == len(jobs.jobs) >= 1
    assert {job.run_id for job in jobs.jobs} == {run.id}
    workflow = github.rest.actions.get_workflow(OWNER, NAME, run.workflow_id).parsed_data
    assert workflow.name == run.name
    limits = github.rest.rate_limit.get().parsed_data
    assert limits.resources.core.limit == 5000
    stats = served.stats()  # /rate_limit and authorized 304s (githubkit revalidates) are free
    assert limits.resources.core.used == stats["requests_total"] - stats["not_modified"] - 1
    repository = github.rest.repos.get(OWNER, NAME).parsed_data
    assert repository.owner.login == OWNER


def test_githubkit_runs_a_graphql_query(github: githubkit.GitHub) -> None:  # type: ignore[name-defined]
    query = """query($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) { nameWithOwner defaultBranchRef { target {
        ... on Commit { checkSuites(first: 10) { nodes { conclusion
          workflowRun { databaseId workflow { name } } } } } } } }
      rateLimit { cost remaining } }"""
    data = github.graphql(query, {"owner": OWNER, "name": NAME})
    assert data["repository"]["nameWithOwner"] == f"{OWNER}/{NAME}"
    suites = data["repository"]["defaultBranchRef"]["target"]["checkSuites"]["nodes"]
    run = github.rest.actions.get_workflow_run(
        OWNER, NAME, suites[0]["workflowRun"]["databaseId"]
    ).parsed_data
    assert suites[0]["workflowRun"]["workflow"]["name"] == run.name
    assert data["rateLimit"]["cost"] == 1
