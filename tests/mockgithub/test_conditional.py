"""ETags, Last-Modified and 304s, and how data changes move them."""

from __future__ import annotations

from tests.mockgithub.conftest import REPO

RUNS = f"/repos/{REPO}/actions/runs"


def test_etag_is_stable_and_if_none_match_gets_304(serve, http):
    server = serve(active_runs=2)
    url = f"{server.base_url}{RUNS}?per_page=10"
    first, second = http.get(url), http.get(url)
    assert first.headers["etag"] == second.headers["etag"]
    assert first.headers["etag"].startswith('W/"')
    cached = http.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["etag"] == first.headers["etag"]
    other = http.get(url, headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200


def test_representations_have_their_own_etags(shared, http):
    base = f"{shared.base_url}{RUNS}"
    tags = {http.get(f"{base}?per_page={n}").headers["etag"] for n in (10, 20, 30)}
    assert len(tags) == 3


def test_if_modified_since(shared, http):
    url = f"{shared.base_url}/repos/{REPO}"
    modified = http.get(url).headers["last-modified"]
    assert http.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    old = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert http.get(url, headers={"If-Modified-Since": old}).status_code == 200


def test_new_runs_and_completed_runs_change_etags(serve, http):
    server = serve(runs=50, active_runs=1)
    http.headers.update(server.control_headers())
    url = f"{server.base_url}{RUNS}?per_page=5"
    before = http.get(url)
    newest = before.json()["workflow_runs"][0]
    assert newest["status"] == "queued" and newest["conclusion"] is None
    added = http.post(f"{server.base_url}/_mock/runs", json={"count": 2}).json()["added"]
    grown = http.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert grown.status_code == 200 and grown.json()["total_count"] == 52
    assert [r["id"] for r in grown.json()["workflow_runs"][:2]] == added[::-1]
    assert grown.json()["workflow_runs"][1]["status"] == "in_progress"
    run_url = f"{server.base_url}{RUNS}/{added[0]}"
    running = http.get(run_url)
    done = http.post(f"{server.base_url}/_mock/complete", json={"run_id": added[0]}).json()
    assert done == {"completed": [added[0]]}
    finished = http.get(run_url, headers={"If-None-Match": running.headers["etag"]})
    assert finished.status_code == 200
    assert finished.json()["status"] == "completed" and finished.json()["conclusion"]
    http.post(f"{server.base_url}/_mock/reset", json={}).raise_for_status()
    restored = http.get(url)
    assert restored.headers["etag"] == before.headers["etag"]
    assert restored.content == before.content
