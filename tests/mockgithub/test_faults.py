"""Injected faults and latency, seen by a real HTTP client at their configured rates."""

from __future__ import annotations

import json

import pytest
import requests

from mockgithub import MockConfig, MockModel, MockRequest
from tests.mockgithub.conftest import REPO, UNLIMITED

N = 200
PATH = f"/repos/{REPO}/actions/workflows"


def outcomes(base_url: str, n: int, timeout: float = 5.0) -> dict[str, int]:
    seen = {"ok": 0, "error": 0, "reset": 0, "truncate": 0, "timeout": 0}
    with requests.Session() as http:
        for _ in range(n):
            try:
                response = http.get(base_url + PATH, timeout=timeout)
            except requests.ReadTimeout:
                seen["timeout"] += 1
                continue
            except requests.ConnectionError:
                seen["reset"] += 1
                continue
            if response.status_code in (500, 502, 503):
                seen["error"] += 1
                continue
            try:
                json.loads(response.content)
                seen["ok"] += 1
            except ValueError:
                seen["truncate"] += 1
    return seen


@pytest.mark.parametrize("fault", ["error", "reset", "truncate"])
def test_each_fault_is_seen_at_its_rate(serve, fault):
    server = serve(seed=11, **{f"{fault}_rate": 0.2}, **UNLIMITED)
    seen = outcomes(server.base_url, N)
    counted = server.model.stats()["faults"].get(fault, 0)
    assert seen[fault] == counted
    assert 20 <= counted <= 60  # 200 draws at 0.2: mean 40, sd 5.7
    assert seen["ok"] == N - counted
    server.model.reset()
    assert outcomes(server.base_url, N) == seen  # same seed, same sequence, same faults


def test_stalls_outlast_a_client_timeout(serve):
    server = serve(seed=5, stall_rate=0.25, stall_ms=2000.0, **UNLIMITED)
    seen = outcomes(server.base_url, 12, timeout=0.3)
    counted = server.model.stats()["faults"].get("stall", 0)
    assert seen["timeout"] == counted >= 1
    assert seen["ok"] == 12 - counted


def test_error_statuses_are_500_502_503_with_json_bodies():
    model = MockModel(MockConfig(error_rate=1.0, **UNLIMITED))
    statuses = set()
    for _ in range(60):
        response = model.handle(MockRequest("GET", PATH))
        statuses.add(response.status)
        assert set(response.json()) == {"message", "documentation_url"}
    assert statuses == {500, 502, 503}


def test_latency_decisions_follow_the_config():
    model = MockModel(MockConfig(latency_ms=20.0, endpoint_latency_ms={"runs": 50.0}))
    assert model.handle(MockRequest("GET", PATH)).delay_s == pytest.approx(0.020)
    runs = model.handle(MockRequest("GET", f"/repos/{REPO}/actions/runs"))
    assert runs.delay_s == pytest.approx(0.050)
    jittered = MockModel(MockConfig(latency_ms=10.0, jitter_ms=5.0, **UNLIMITED))
    delays = [jittered.handle(MockRequest("GET", PATH)).delay_s for _ in range(200)]
    assert all(0.010 <= d <= 0.015 for d in delays) and len(set(delays)) > 100
    jittered.reset()
    assert [jittered.handle(MockRequest("GET", PATH)).delay_s for _ in range(200)] == delays


def test_control_requests_are_never_faulted():
    model = MockModel(MockConfig(error_rate=1.0))
    request = MockRequest("GET", "/_mock/stats", headers=model.control_access.headers())
    assert model.handle(request).status == 200
