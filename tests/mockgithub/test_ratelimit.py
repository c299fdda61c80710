"""Primary and secondary rate limits as GitHub applies them (clock moved, never slept)."""

from __future__ import annotations

import threading

import pytest
import requests

from tests.mockgithub.conftest import REPO

REPO_URL = f"/repos/{REPO}"
TOKEN = {"Authorization": "Bearer test-token"}


def hit(server, http, path=REPO_URL, headers=None) -> requests.Response:
    return http.get(f"{server.base_url}{path}", headers=headers or TOKEN, timeout=10)


@pytest.mark.parametrize("status", [403, 429])
def test_the_11th_request_of_10_is_refused_until_the_window_ends(serve, http, clock, status):
    server = serve(rate_limit="10/2", rate_limit_status=status)
    answers = [hit(server, http) for _ in range(11)]
    assert [a.status_code for a in answers[:10]] == [200] * 10
    assert [a.headers["x-ratelimit-remaining"] for a in answers[:10]] == [
        str(n) for n in range(9, -1, -1)
    ]
    refused = answers[10]
    assert refused.status_code == status
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert refused.json()["message"].startswith("API rate limit exceeded")
    assert "retry-after" not in refused.headers
    assert int(refused.headers["x-ratelimit-reset"]) >= clock.now
    clock.advance(2.0)
    again = hit(server, http)
    assert again.status_code == 200
    assert again.headers["x-ratelimit-remaining"] == "9"
    assert server.model.stats()["rate_limited"] == 1


def test_every_response_carries_rate_limit_headers(serve, http):
    server = serve(rate_limit="10/2")
    for path in (REPO_URL, "/repos/x/y", "/rate_limit", f"{REPO_URL}/actions/runs?page=0"):
        response = hit(server, http, path)
        for name in ("limit", "remaining", "used", "reset", "resource"):
            assert f"x-ratelimit-{name}" in response.headers, (path, name)


def test_authorized_304_and_rate_limit_do_not_count(serve, http):
    server = serve(rate_limit="10/2")
    first = hit(server, http)
    etag = first.headers["etag"]
    for _ in range(5):
        cached = hit(server, http, headers={**TOKEN, "If-None-Match": etag})
        assert cached.status_code == 304 and cached.content == b""
        assert cached.headers["x-ratelimit-remaining"] == "9"
    for _ in range(5):
        hit(server, http, "/rate_limit")
    body = hit(server, http, "/rate_limit").json()
    assert body["rate"]["remaining"] == 9 and body["resources"]["core"]["used"] == 1
    stats = server.model.stats()
    assert stats["not_modified"] == 5 and stats["requests_total"] == 12


def test_unauthenticated_304_counts_against_the_address(serve, http):
    server = serve(unauthenticated_rate_limit="10/2")
    etag = http.get(f"{server.base_url}{REPO_URL}").headers["etag"]
    cached = http.get(f"{server.base_url}{REPO_URL}", headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.headers["x-ratelimit-remaining"] == "8"


def test_tokens_and_addresses_have_separate_buckets(serve, http):
    server = serve(rate_limit="3/60", unauthenticated_rate_limit="2/60")
    for _ in range(3):
        assert hit(server, http).status_code == 200
    assert hit(server, http).status_code == 403
    other = hit(server, http, headers={"Authorization": "token another-one"})
    assert other.status_code == 200 and other.headers["x-ratelimit-remaining"] == "2"
    anonymous = [http.get(f"{server.base_url}{REPO_URL}") for _ in range(3)]
    assert [a.status_code for a in anonymous] == [200, 200, 403]
    assert "Authenticated requests get a higher rate limit" in anonymous[2].json()["message"]


def test_secondary_points_per_endpoint_give_retry_after(serve, http, clock):
    server = serve(secondary_rate_limit="5/60")
    statuses = [hit(server, http).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [403]
    refused = hit(server, http)
    assert "secondary rate limit" in refused.json()["message"]
    assert refused.headers["retry-after"] == "60"
    assert refused.headers["x-ratelimit-remaining"] != "0"
    assert hit(server, http, f"{REPO_URL}/actions/runs").status_code == 200  # other endpoint
    clock.advance(60)
    assert hit(server, http).status_code == 200
    assert server.model.stats()["secondary_rate_limited"] == 2


def test_101_concurrent_requests_trip_the_concurrency_limit(serve):
    server = serve(latency_ms=1500.0)
    results: list[requests.Response] = []
    lock = threading.Lock()

    def one() -> None:
        response = requests.get(f"{server.base_url}{REPO_URL}", headers=TOKEN, timeout=30)
        with lock:
            results.append(response)

    threads = [threading.Thread(target=one) for _ in range(101)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    limited = [r for r in results if r.status_code != 200]
    assert len(results) == 101
    assert len(limited) == 1
    assert limited[0].status_code == 403 and "retry-after" in limited[0].headers
    assert "secondary rate limit" in limited[0].json()["message"]
    stats = server.model.stats()
    assert stats["secondary_rate_limited"] == 1 and stats["peak_concurrency"] == 101


def test_reset_refills_buckets(serve, http):
    server = serve(rate_limit="2/3600")
    assert [hit(server, http).status_code for _ in range(3)] == [200, 200, 403]
    reset = f"{server.base_url}/_mock/reset"
    http.post(reset, json={}, headers=server.control_headers(), timeout=10).raise_for_status()
    assert hit(server, http).headers["x-ratelimit-remaining"] == "1"
