"""Same seed, same bytes: across servers, transports' ports, and without eager generation."""

from __future__ import annotations

import tracemalloc

from mockgithub import MockConfig, MockModel, MockRequest
from tests.mockgithub.conftest import REPO

PATHS = [
    f"/repos/{REPO}",
    f"/repos/{REPO}/actions/workflows",
    f"/repos/{REPO}/actions/runs?per_page=100&page=2",
    f"/repos/{REPO}/actions/runs?per_page=50&status=failure",
]


def test_two_servers_with_one_seed_serve_identical_bodies_and_etags(serve, http):
    one, two = serve(seed=7, runs=300), serve(seed=7, runs=300)
    assert one.base_url != two.base_url
    for path in PATHS:
        a, b = http.get(one.base_url + path), http.get(two.base_url + path)
        assert a.headers["etag"] == b.headers["etag"], path
        assert a.content.replace(one.base_url.encode(), b"BASE") == b.content.replace(
            two.base_url.encode(), b"BASE"
        ), path
        run = a.json().get("workflow_runs", [{}])
        if run and run[0]:
            jobs_a = http.get(run[0]["jobs_url"])
            jobs_b = http.get(run[0]["jobs_url"].replace(one.base_url, two.base_url))
            assert jobs_a.headers["etag"] == jobs_b.headers["etag"]


def test_same_base_url_gives_byte_identical_bodies():
    def body(seed: int) -> bytes:
        model = MockModel(MockConfig(seed=seed), "http://127.0.0.1:9")
        path = f"/repos/{REPO}/actions/runs"
        return model.handle(MockRequest("GET", path, {"per_page": "100"})).body

    assert body(3) == body(3)
    assert body(3) != body(4)


def test_100000_runs_cost_nothing_up_front():
    tracemalloc.start()
    model = MockModel(MockConfig(runs=100_000))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 1_000_000
    dataset = model.source.dataset  # type: ignore[attr-defined]
    assert dataset.generated == 0
    page = model.handle(MockRequest("GET", f"/repos/{REPO}/actions/runs", {"per_page": "100"}))
    assert page.json()["total_count"] == 100_000
    assert page.json()["workflow_runs"][0]["run_number"] == 100_000
    assert dataset.generated == 100
