"""Each endpoint's body carries GitHub's required fields with the right types and own URLs."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import requests

from tests.mockgithub import schemas
from tests.mockgithub.conftest import REPO

API = f"/repos/{REPO}"


def urls_in(value: Any) -> list[str]:
    text = json.dumps(value)
    return [part.split('"', 1)[0] for part in text.split('"http')[1:]]


def get(server: Any, http: requests.Session, path: str, **params: Any) -> requests.Response:
    return http.get(f"{server.base_url}{path}", params=params, timeout=10)


def first_run_id(server: Any, http: requests.Session, **params: Any) -> int:
    return get(server, http, f"{API}/actions/runs", per_page=1, **params).json()["workflow_runs"][
        0
    ]["id"]


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (API, schemas.REPOSITORY),
        (f"{API}/actions/workflows", schemas.wrapper("workflows", schemas.WORKFLOW)),
        (f"{API}/actions/runs", schemas.wrapper("workflow_runs", schemas.RUN)),
        ("/rate_limit", schemas.RATE_LIMIT),
    ],
)
def test_top_level_bodies_match_github_schema(shared, http, path, schema) -> None:
    response = get(shared, http, path, per_page=100)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    jsonschema.validate(response.json(), schema)


def test_run_jobs_timing_and_workflow_runs_match_schema(shared, http) -> None:
    runs = get(shared, http, f"{API}/actions/runs", per_page=100).json()["workflow_runs"]
    run = runs[0]
    jsonschema.validate(get(shared, http, f"{API}/actions/runs/{run['id']}").json(), schemas.RUN)
    jobs = get(shared, http, f"{API}/actions/runs/{run['id']}/jobs").json()
    jsonschema.validate(jobs, schemas.wrapper("jobs", schemas.JOB))
    attempt = get(shared, http, f"{API}/actions/runs/{run['id']}/attempts/1/jobs").json()
    jsonschema.validate(attempt, schemas.wrapper("jobs", schemas.JOB))
    job = get(shared, http, f"{API}/actions/jobs/{jobs['jobs'][0]['id']}").json()
    jsonschema.validate(job, schemas.JOB)
    timing = get(shared, http, f"{API}/actions/runs/{run['id']}/timing").json()
    assert isinstance(timing["run_duration_ms"], int) and isinstance(timing["billable"], dict)
    per_workflow = get(shared, http, f"{API}/actions/workflows/{run['workflow_id']}/runs").json()
    jsonschema.validate(per_workflow, schemas.wrapper("workflow_runs", schemas.RUN))
    assert {r["workflow_id"] for r in per_workflow["workflow_runs"]} == {run["workflow_id"]}


def test_every_absolute_url_points_at_the_server(shared, http) -> None:
    run_id = first_run_id(shared, http)
    bodies = [
        get(shared, http, API).json(),
        get(shared, http, f"{API}/actions/workflows").json(),
        get(shared, http, f"{API}/actions/runs", per_page=100).json(),
        get(shared, http, f"{API}/actions/runs/{run_id}/jobs").json(),
    ]
    found = [url for body in bodies for url in urls_in(body)]
    assert len(found) > 1000
    assert all(f"http{url}".startswith(shared.base_url + "/") for url in found)


def test_urls_in_a_run_lead_to_its_jobs(shared, http) -> None:
    run = get(shared, http, f"{API}/actions/runs", per_page=1).json()["workflow_runs"][0]
    jobs = http.get(run["jobs_url"], timeout=10).json()
    assert jobs["total_count"] >= 1
    assert {j["run_id"] for j in jobs["jobs"]} == {run["id"]}
    assert http.get(run["url"], timeout=10).json() == run


@pytest.mark.parametrize(
    "path",
    [
        "/repos/someone/else",
        "/repos/someone/else/actions/runs",
        f"{API}/actions/runs/12345",
        f"{API}/actions/workflows/nope.yml/runs",
        f"{API}/actions/runs/9000000013/attempts/9/jobs",
        "/nothing/here",
    ],
)
def test_unknown_things_get_githubs_404(shared, http, path) -> None:
    response = get(shared, http, path)
    assert response.status_code == 404
    jsonschema.validate(response.json(), schemas.ERROR)
    assert response.json()["message"] == "Not Found"


@pytest.mark.parametrize(
    "params",
    [
        {"per_page": "lots"},
        {"page": "0"},
        {"status": "exploded"},
        {"created": "last tuesday"},
        {"exclude_pull_requests": "maybe"},
    ],
)
def test_invalid_parameters_get_422(shared, http, params) -> None:
    response = get(shared, http, f"{API}/actions/runs", **params)
    assert response.status_code == 422
    jsonschema.validate(response.json(), schemas.ERROR)


def test_jobs_filter_must_be_latest_or_all(shared, http) -> None:
    run_id = first_run_id(shared, http)
    response = get(shared, http, f"{API}/actions/runs/{run_id}/jobs", filter="newest")
    assert response.status_code == 422


def test_rejected_token_gets_401_bad_credentials(shared, http) -> None:
    headers = {"Authorization": "Bearer invalid-token"}
    response = http.get(f"{shared.base_url}{API}", headers=headers, timeout=10)
    assert response.status_code == 401
    assert response.json()["message"] == "Bad credentials"
    accepted = http.get(f"{shared.base_url}{API}", headers={"Authorization": "token ok"})
    assert accepted.status_code == 200


def test_workflow_can_be_named_by_file(shared, http) -> None:
    by_file = get(shared, http, f"{API}/actions/workflows/ci.yml").json()
    by_id = get(shared, http, f"{API}/actions/workflows/{by_file['id']}").json()
    assert by_file == by_id and by_file["path"] == ".github/workflows/ci.yml"
