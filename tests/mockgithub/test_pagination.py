"""Pagination exactly as GitHub does it, and the run-list filters."""

from __future__ import annotations

import requests

from mockgithub import MockConfig, MockModel, MockRequest
from tests.mockgithub.conftest import REPO

RUNS = f"/repos/{REPO}/actions/runs"


def test_250_runs_in_3_pages_of_100_then_an_empty_page(shared, http) -> None:
    seen: list[int] = []
    url: str | None = f"{shared.base_url}{RUNS}?per_page=100"
    pages = 0
    while url and pages < 10:
        response = http.get(url, timeout=10)
        body = response.json()
        assert body["total_count"] == 250
        seen += [run["id"] for run in body["workflow_runs"]]
        url = response.links.get("next", {}).get("url")
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 250
    past = http.get(f"{shared.base_url}{RUNS}", params={"per_page": 100, "page": 4}, timeout=10)
    assert past.status_code == 200
    assert past.json() == {"total_count": 250, "workflow_runs": []}


def test_link_header_has_githubs_shape(shared, http) -> None:
    response = http.get(f"{shared.base_url}{RUNS}?per_page=10&page=2&event=push", timeout=10)
    link = response.headers["link"]
    entries = link.split(", ")
    rels = [entry.split('; rel="')[1].rstrip('"') for entry in entries]
    assert rels == ["prev", "next", "last", "first"]
    assert all(e.startswith(f"<{shared.base_url}{RUNS}?") for e in entries)
    links = response.links
    assert links["next"]["url"].endswith("event=push&per_page=10&page=3")
    assert links["first"]["url"].endswith("per_page=10&page=1")
    first = http.get(f"{shared.base_url}{RUNS}?per_page=100", timeout=10).links
    assert sorted(first) == ["last", "next"]


def test_no_link_header_when_everything_fits(shared, http) -> None:
    response = http.get(f"{shared.base_url}/repos/{REPO}/actions/workflows", timeout=10)
    assert "link" not in response.headers


def test_per_page_is_capped_at_100_and_defaults_to_30(shared, http) -> None:
    capped = http.get(f"{shared.base_url}{RUNS}?per_page=500", timeout=10)
    assert len(capped.json()["workflow_runs"]) == 100
    assert "per_page=100" in capped.links["next"]["url"]
    default = http.get(f"{shared.base_url}{RUNS}", timeout=10).json()
    assert len(default["workflow_runs"]) == 30


def test_runs_come_newest_first_with_monotonic_numbers(shared, http) -> None:
    runs = http.get(f"{shared.base_url}{RUNS}?per_page=100", timeout=10).json()["workflow_runs"]
    numbers = [r["run_number"] for r in runs]
    created = [r["created_at"] for r in runs]
    assert numbers == list(range(250, 150, -1))
    assert created == sorted(created, reverse=True) and len(set(created)) == 100


def _runs(model: MockModel, **query: str) -> dict:
    response = model.handle(MockRequest("GET", RUNS, {"per_page": "100", **query}))
    assert response.status == 200, response.body
    return response.json()


def test_filters_select_matching_runs_and_total_count_follows() -> None:
    model = MockModel(MockConfig(runs=400))
    everything = [r for p in range(1, 5) for r in _runs(model, page=str(p))["workflow_runs"]]
    for name, field, value in (
        ("event", "event", "push"),
        ("branch", "head_branch", "main"),
        ("status", "conclusion", "failure"),
        ("actor", None, "octocat"),
        ("head_sha", "head_sha", everything[7]["head_sha"]),
        ("check_suite_id", "check_suite_id", str(everything[3]["check_suite_id"])),
    ):
        wanted = [
            r["id"]
            for r in everything
            if (r["actor"]["login"] if field is None else str(r[field])) == value
        ]
        body = _runs(model, **{name: value})
        assert body["total_count"] == len(wanted) > 0, name
        assert [r["id"] for r in body["workflow_runs"]] == wanted[:100], name


def test_created_filter_ranges() -> None:
    model = MockModel(MockConfig(runs=400))
    all_runs = [r for p in range(1, 5) for r in _runs(model, page=str(p))["workflow_runs"]]
    day = all_runs[200]["created_at"][:10]
    on_day = [r for r in all_runs if r["created_at"].startswith(day)]
    assert _runs(model, created=day)["total_count"] == len(on_day)
    after = [r for r in all_runs if r["created_at"][:10] >= day]
    assert _runs(model, created=f">={day}")["total_count"] == len(after)
    before = [r for r in all_runs if r["created_at"][:10] < day]
    assert _runs(model, created=f"<{day}")["total_count"] == len(before)
    assert _runs(model, created=f"{day}..{day}")["total_count"] == len(on_day)
    assert _runs(model, created=f"*..{day}")["total_count"] == len(before) + len(on_day)


def test_a_filtered_list_reaches_at_most_1000_results() -> None:
    model = MockModel(MockConfig(runs=1500, workflows=1))
    body = _runs(model, status="completed", page="10")
    assert body["total_count"] > 1000
    assert len(body["workflow_runs"]) == 100
    assert _runs(model, status="completed", page="11")["workflow_runs"] == []


def test_exclude_pull_requests_empties_the_array(shared, http) -> None:
    url = f"{shared.base_url}{RUNS}?per_page=100&event=pull_request"
    with_prs = http.get(url, timeout=10).json()["workflow_runs"]
    without = http.get(f"{url}&exclude_pull_requests=true", timeout=10).json()["workflow_runs"]
    assert with_prs and all(r["pull_requests"] for r in with_prs)
    assert all(r["pull_requests"] == [] for r in without)


def test_jobs_latest_and_all_attempts(http: requests.Session) -> None:
    model = MockModel(MockConfig(runs=600))
    runs = [r for p in range(1, 7) for r in _runs(model, page=str(p))["workflow_runs"]]
    rerun = next(r for r in runs if r["run_attempt"] > 1)
    assert rerun["previous_attempt_url"].endswith(f"/attempts/{rerun['run_attempt'] - 1}")

    def jobs(path: str, **query: str) -> dict:
        return model.handle(MockRequest("GET", path, query)).json()

    base = f"/repos/{REPO}/actions/runs/{rerun['id']}"
    latest = jobs(f"{base}/jobs")
    every = jobs(f"{base}/jobs", filter="all")
    first = jobs(f"{base}/attempts/1/jobs")
    assert {j["run_attempt"] for j in latest["jobs"]} == {rerun["run_attempt"]}
    assert every["total_count"] == latest["total_count"] * rerun["run_attempt"]
    assert {j["run_attempt"] for j in first["jobs"]} == {1}
    attempt = model.handle(MockRequest("GET", f"{base}/attempts/1")).json()
    assert attempt["run_attempt"] == 1 and attempt["previous_attempt_url"] is None
