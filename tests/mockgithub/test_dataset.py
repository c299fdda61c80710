"""The seeded repository looks like a real one: conclusion mix, re-runs, jobs, durations."""

from __future__ import annotations

import json
import statistics
from collections import Counter

from mockgithub import MockConfig, MockModel, MockRequest
from mockgithub.recorded import FORMAT, VERSION
from tests.mockgithub.conftest import REPO, UNLIMITED

RUNS = f"/repos/{REPO}/actions/runs"


def all_runs(model: MockModel, count: int) -> list[dict]:
    pages = -(-count // 100)
    return [
        run
        for page in range(1, pages + 1)
        for run in model.handle(
            MockRequest("GET", RUNS, {"per_page": "100", "page": str(page)})
        ).json()["workflow_runs"]
    ]


def test_conclusions_reruns_and_workflows_are_realistic():
    model = MockModel(MockConfig(runs=2000, workflows=6, **UNLIMITED))
    runs = all_runs(model, 2000)
    conclusions = Counter(r["conclusion"] for r in runs)
    assert set(conclusions) == {"success", "failure", "cancelled", "skipped", "timed_out"}
    assert conclusions["success"] > 0.6 * len(runs)
    attempts = Counter(r["run_attempt"] for r in runs)
    assert attempts[1] > 0.8 * len(runs) and attempts[2] > 10
    assert len({r["workflow_id"] for r in runs}) == 6
    durations: dict[str, list[float]] = {}
    for run in runs:
        if run["conclusion"] == "success" and run["run_attempt"] == 1:
            start, end = run["run_started_at"], run["updated_at"]
            durations.setdefault(run["name"], []).append(_seconds(end) - _seconds(start))
    medians = {name: statistics.median(values) for name, values in durations.items()}
    assert len(set(round(m) for m in medians.values())) == len(medians)  # own profiles


def _seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def test_jobs_fit_inside_their_run_and_carry_runners_and_steps():
    model = MockModel(MockConfig(runs=120, workflows=8, max_jobs=4, **UNLIMITED))
    counts = set()
    for run in all_runs(model, 120)[:60]:
        jobs = model.handle(MockRequest("GET", f"{RUNS}/{run['id']}/jobs")).json()["jobs"]
        counts.add(len(jobs))
        assert 1 <= len(jobs) <= 4
        ends = [j["completed_at"] for j in jobs]
        assert max(ends) == run["updated_at"]
        for job in jobs:
            assert job["created_at"] <= job["started_at"] <= job["completed_at"]
            if job["conclusion"] != "skipped":
                assert job["labels"] and job["runner_name"] and job["steps"]
                assert [s["number"] for s in job["steps"]] == list(range(1, len(job["steps"]) + 1))
    assert len(counts) > 1


def test_a_recorded_repository_is_replayed_on_the_servers_urls(tmp_path, serve, http):
    source = MockModel(MockConfig(runs=5), "https://api.github.com")
    recorded = []
    for path in (f"/repos/{REPO}", f"/repos/{REPO}/actions/workflows", RUNS):
        body = source.handle(MockRequest("GET", path)).json()
        recorded.append({"url": f"https://api.github.com{path}", "status": 200, "body": body})
    fixture = tmp_path / "recording.json"
    document = {"format": FORMAT, "version": VERSION, "responses": recorded}
    fixture.write_text(json.dumps(document))
    server = serve(fixture=str(fixture))
    page = http.get(f"{server.base_url}{RUNS}?per_page=2")
    assert page.json()["total_count"] == 5
    assert page.json()["workflow_runs"][0]["url"].startswith(server.base_url)
    assert page.links["next"]["url"].startswith(server.base_url)
    original = recorded[2]["body"]["workflow_runs"][0]
    assert page.json()["workflow_runs"][0]["id"] == original["id"]
    assert http.get(f"{server.base_url}{RUNS}?status=failure").status_code == 200
