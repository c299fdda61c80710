"""Every REST response the mock serves, success and error, conforms to GitHub's published OpenAPI
description (``@octokit/openapi``, pinned in :mod:`mockgithub.published`): zero errors.

Each endpoint of ``shared/GITHUB_API.md`` is read over real HTTP: plain, paginated, filtered, with
live (queued / in-progress) runs, conditionally (304), and in every error the mock can answer
(401; 403 and 429 for primary and secondary limits; 404; 422; injected 500, 502 and 503).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from mockgithub import MockConfig, MockServer
from mockgithub.published import OPENAPI, DescriptionUnavailable, path_of
from tests.mockgithub.conftest import REPO, UNLIMITED
from tests.mockgithub.openapi import Description, Exchange
from tests.services import Service, skip_for

API = f"/repos/{REPO}"
TEMPLATES = {
    "repository": "/repos/{owner}/{repo}",
    "workflows": "/repos/{owner}/{repo}/actions/workflows",
    "workflow": "/repos/{owner}/{repo}/actions/workflows/{workflow_id}",
    "runs": "/repos/{owner}/{repo}/actions/runs",
    "workflow_runs": "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
    "run": "/repos/{owner}/{repo}/actions/runs/{run_id}",
    "attempt": "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}",
    "jobs": "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs",
    "attempt_jobs": "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs",
    "job": "/repos/{owner}/{repo}/actions/jobs/{job_id}",
    "timing": "/repos/{owner}/{repo}/actions/runs/{run_id}/timing",
    "rate_limit": "/rate_limit",
}
ENDPOINTS = sorted(TEMPLATES)
LIMITED = [e for e in ENDPOINTS if e != "rate_limit"]  # /rate_limit is never limited
LISTS = ["workflows", "runs", "workflow_runs", "jobs", "attempt_jobs"]
TOKEN = {"Authorization": "Bearer ghp_openapi"}
LIFTED = {**UNLIMITED, "secondary_concurrency": 0}


@pytest.fixture(scope="module")
def description() -> Description:
    try:
        return Description(path_of(OPENAPI))
    except DescriptionUnavailable as exc:
        skip_for(Service.DESCRIPTIONS, f"GitHub's published descriptions are unavailable: {exc}")


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    mock = MockServer(MockConfig(**LIFTED))  # type: ignore[arg-type]
    mock.start()
    yield mock
    mock.stop()


def exchange(
    server: MockServer,
    path: str,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    method: str = "GET",
) -> Exchange:
    response = requests.request(
        method, f"{server.base_url}{path}", params=query, headers={**TOKEN, **(headers or {})},
        timeout=10,
    )  # fmt: skip
    lowered = {k.lower(): v for k, v in response.headers.items()}
    return Exchange(response.status_code, lowered, response.content)


def body(answer: Exchange) -> Any:
    return json.loads(answer.body)


def runs_of(server: MockServer, **query: str) -> list[dict[str, Any]]:
    answer = exchange(server, f"{API}/actions/runs", {"per_page": "100", **query})
    return list(body(answer)["workflow_runs"])


def paths(server: MockServer, run: dict[str, Any]) -> dict[str, str]:
    """A concrete path of each endpoint, on ``run``."""
    here = f"{API}/actions/runs/{run['id']}"
    jobs = body(exchange(server, f"{here}/jobs"))["jobs"]
    attempt = run["run_attempt"]
    concrete = {
        "repository": API,
        "workflows": f"{API}/actions/workflows",
        "workflow": f"{API}/actions/workflows/{run['workflow_id']}",
        "runs": f"{API}/actions/runs",
        "workflow_runs": f"{API}/actions/workflows/{run['workflow_id']}/runs",
        "run": here,
        "attempt": f"{here}/attempts/{attempt}",
        "jobs": f"{here}/jobs",
        "attempt_jobs": f"{here}/attempts/{attempt}/jobs",
        "job": f"{API}/actions/jobs/{jobs[0]['id']}",
        "timing": f"{here}/timing",
        "rate_limit": "/rate_limit",
    }
    assert set(concrete) == set(TEMPLATES)
    return concrete


def check(description: Description, endpoint: str | None, answer: Exchange, method: str = "get"):
    """The answer's departures from the description, with its status for the message."""
    template = TEMPLATES.get(endpoint or "")
    return answer.status, description.errors(template, method, answer)


# -- successes ------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_answers_as_githubs_description_says(
    description: Description, server: MockServer, endpoint: str
) -> None:
    path = paths(server, runs_of(server)[0])[endpoint]
    assert check(description, endpoint, exchange(server, path, {"per_page": "100"})) == (200, [])


@pytest.mark.parametrize("endpoint", ["attempt", "jobs", "attempt_jobs", "run", "timing"])
def test_a_rerun_and_its_earlier_attempts_conform(
    description: Description, server: MockServer, endpoint: str
) -> None:
    rerun = next(r for r in runs_of(server) if r["run_attempt"] > 1)
    path = paths(server, rerun)[endpoint].replace(
        f"/attempts/{rerun['run_attempt']}", "/attempts/1"
    )
    for query in ({}, {"filter": "all"}):
        assert check(description, endpoint, exchange(server, path, query)) == (200, [])


@pytest.mark.parametrize(
    "query",
    [
        {"page": "99"},  # past the end: an empty page
        {"status": "failure"},
        {"event": "pull_request", "exclude_pull_requests": "true"},
        {"created": ">=2026-01-01", "per_page": "7", "page": "2"},
        {"branch": "no-such-branch"},
    ],
)
def test_list_variants_conform(
    description: Description, server: MockServer, query: dict[str, str]
) -> None:
    for endpoint in ("runs", "workflow_runs"):
        path = paths(server, runs_of(server)[0])[endpoint]
        assert check(description, endpoint, exchange(server, path, query)) == (200, [])


def test_live_runs_and_their_jobs_conform(
    description: Description, serve: Callable[..., MockServer]
) -> None:
    """Queued and in-progress runs carry nulls (conclusion, completed_at): still GitHub's shape."""
    live = serve(active_runs=3, **LIFTED)
    runs = runs_of(live)
    assert [r["status"] for r in runs[:4]] == ["queued", "in_progress", "in_progress", "completed"]
    for run in runs[:3]:
        for endpoint, path in paths(live, run).items():
            assert check(description, endpoint, exchange(live, path)) == (200, []), endpoint


@pytest.mark.parametrize("endpoint", LIMITED)
def test_not_modified_answers_conform(
    description: Description, server: MockServer, endpoint: str
) -> None:
    path = paths(server, runs_of(server)[0])[endpoint]
    etag = exchange(server, path).headers["etag"]
    answer = exchange(server, path, headers={"If-None-Match": etag})
    assert check(description, endpoint, answer) == (304, [])


# -- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_bad_credentials_conform(
    description: Description, server: MockServer, endpoint: str
) -> None:
    path = paths(server, runs_of(server)[0])[endpoint]
    answer = exchange(server, path, headers={"Authorization": "Bearer invalid-token"})
    assert check(description, endpoint, answer) == (401, [])


@pytest.mark.parametrize("endpoint", LIMITED)
def test_not_found_answers_conform(
    description: Description, server: MockServer, endpoint: str
) -> None:
    path = paths(server, runs_of(server)[0])[endpoint].replace(REPO, "someone/else")
    assert check(description, endpoint, exchange(server, path)) == (404, [])


@pytest.mark.parametrize("endpoint", ["run", "attempt", "jobs", "attempt_jobs", "job", "timing"])
def test_unknown_ids_get_a_conforming_404(
    description: Description, server: MockServer, endpoint: str
) -> None:
    path = paths(server, runs_of(server)[0])[endpoint]
    unknown = path.replace("/runs/9", "/runs/1").replace("/jobs/3", "/jobs/1")
    assert unknown != path
    assert check(description, endpoint, exchange(server, unknown)) == (404, [])


def test_unknown_paths_and_methods_get_githubs_404(
    description: Description, server: MockServer
) -> None:
    assert check(description, None, exchange(server, "/nothing/here")) == (404, [])
    answer = exchange(server, f"{API}/actions/runs", method="POST")
    assert check(description, "runs", answer, method="post") == (404, [])


@pytest.mark.parametrize("endpoint", LISTS)
def test_invalid_parameters_get_a_conforming_422(
    description: Description, server: MockServer, endpoint: str
) -> None:
    path = paths(server, runs_of(server)[0])[endpoint]
    for query in ({"page": "0"}, {"per_page": "lots"}):
        assert check(description, endpoint, exchange(server, path, query)) == (422, [])


def test_invalid_filters_get_a_conforming_422(description: Description, server: MockServer) -> None:
    run = runs_of(server)[0]
    jobs = exchange(server, paths(server, run)["jobs"], {"filter": "newest"})
    assert check(description, "jobs", jobs) == (422, [])
    for query in ({"status": "exploded"}, {"created": "last tuesday"}):
        assert check(description, "runs", exchange(server, f"{API}/actions/runs", query)) == (
            422,
            [],
        )


@pytest.mark.parametrize("status", [403, 429])
def test_primary_rate_limit_answers_conform(
    description: Description, serve: Callable[..., MockServer], status: int
) -> None:
    mock = serve(rate_limit=f"{len(LIMITED) * 3 + 10}/3600", rate_limit_status=status)
    concrete = paths(mock, runs_of(mock)[0])
    while exchange(mock, API).status == 200:
        pass  # spend the rest of the window
    for endpoint in LIMITED:
        answer = exchange(mock, concrete[endpoint])
        assert answer.headers["x-ratelimit-remaining"] == "0"
        assert check(description, endpoint, answer) == (status, [])


@pytest.mark.parametrize("endpoint", LIMITED)
def test_secondary_rate_limit_answers_conform(
    description: Description, serve: Callable[..., MockServer], endpoint: str
) -> None:
    mock = serve(secondary_rate_limit="1/60")
    path = paths(mock, runs_of(mock)[0])[endpoint]
    exchange(mock, path)
    answer = exchange(mock, path)
    assert "retry-after" in answer.headers
    assert check(description, endpoint, answer) == (403, [])


@pytest.mark.parametrize("endpoint", LIMITED)
def test_injected_server_errors_conform(
    description: Description, server: MockServer, endpoint: str
) -> None:
    path = paths(server, runs_of(server)[0])[endpoint]
    server.model.reconfigure({"error_rate": 1.0})
    try:
        answers = [exchange(server, path) for _ in range(12)]
    finally:
        server.model.reconfigure({"error_rate": 0.0})
    assert {a.status for a in answers} == {500, 502, 503}
    assert [check(description, endpoint, a)[1] for a in answers] == [[]] * len(answers)


def test_the_description_is_the_pinned_one(description: Description) -> None:
    assert description.version == "23.0.2"
    assert description.document["openapi"] == "3.0.3"


def test_a_missing_required_field_is_caught(description: Description, server: MockServer) -> None:
    """The validator is not blind: the mock's own page, minus one required field, fails."""
    answer = exchange(server, f"{API}/actions/runs", {"per_page": "2"})
    page = body(answer)
    del page["workflow_runs"][1]["actor"]["followers_url"]
    broken = Exchange(200, answer.headers, json.dumps(page).encode())
    assert description.errors(TEMPLATES["runs"], "get", broken) == [
        "workflow_runs/1/actor: 'followers_url' is a required property"
    ]
