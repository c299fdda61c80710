"""The HTTP server and the ``responses`` adapter answer alike: same bodies, same headers."""

from __future__ import annotations

import requests
import responses

from mockgithub import MockConfig, MockModel
from mockgithub.responses_adapter import mocked_github, register
from tests.mockgithub.conftest import REPO, FakeClock

PATHS = [
    f"/repos/{REPO}",
    f"/repos/{REPO}/actions/workflows",
    f"/repos/{REPO}/actions/runs?per_page=100&page=2",
    f"/repos/{REPO}/actions/runs?per_page=7&event=push",
    f"/repos/{REPO}/actions/runs/9000000013/jobs?filter=all",
    f"/repos/{REPO}/actions/runs/9000000013/timing",
    "/rate_limit",
    "/repos/other/repo",
    f"/repos/{REPO}/actions/runs?page=zero",
]
MOCK_HEADERS = ("content-type", "etag", "last-modified", "link", "x-ratelimit-limit",
                "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset",
                "x-ratelimit-resource", "retry-after", "cache-control")  # fmt: skip


def fetch_all(base_url: str) -> list[tuple[int, bytes, dict[str, str | None]]]:
    found = []
    with requests.Session() as http:
        for path in PATHS:
            response = http.get(base_url + path, headers={"Authorization": "token t"})
            headers = {name: response.headers.get(name) for name in MOCK_HEADERS}
            found.append((response.status_code, response.content, headers))
    return found


def test_http_and_responses_give_equal_bodies_and_headers(serve, clock: FakeClock):
    server = serve(seed=3, runs=120, rate_limit="100/60")
    over_http = fetch_all(server.base_url)
    twin = MockModel(MockConfig(seed=3, runs=120, rate_limit="100/60"), clock=clock)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        register(mock, twin, server.base_url)  # same URLs; the real server is not reached
        in_process = fetch_all(server.base_url)
    assert server.model.stats()["requests_total"] == len(PATHS)
    assert twin.stats()["requests_total"] == len(PATHS)
    for path, http_answer, adapter_answer in zip(PATHS, over_http, in_process, strict=True):
        assert http_answer == adapter_answer, path


def test_mocked_github_serves_api_github_com():
    with mocked_github(MockConfig(runs=30)) as model:
        body = requests.get(f"https://api.github.com/repos/{REPO}/actions/runs").json()
        assert body["total_count"] == 30
        assert body["workflow_runs"][0]["url"].startswith("https://api.github.com/repos/")
        assert model.stats()["requests_total"] == 1


def test_adapter_raises_what_requests_would_raise():
    config = MockConfig(reset_rate=1.0)
    with mocked_github(config):
        try:
            requests.get(f"https://api.github.com/repos/{REPO}")
        except requests.ConnectionError:
            pass
        else:
            raise AssertionError("expected a connection error")
    with mocked_github(MockConfig(stall_rate=1.0, stall_ms=5000.0)):
        try:
            requests.get(f"https://api.github.com/repos/{REPO}", timeout=0.01)
        except requests.ReadTimeout:
            pass
        else:
            raise AssertionError("expected a read timeout")


def test_the_pytest_plugin_server_fixture_starts_clean(mockgithub):
    url = f"{mockgithub.base_url}/repos/{REPO}"
    assert requests.get(url, timeout=10).json()["full_name"] == REPO
    assert mockgithub.model.stats()["requests_total"] == 1


def test_the_pytest_plugin_responses_fixture(mockgithub_responses):
    assert requests.get(f"https://api.github.com/repos/{REPO}").status_code == 200
    assert mockgithub_responses.stats()["requests_total"] == 1
