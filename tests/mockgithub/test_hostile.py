"""Hostile HTTP input (issue 14, point 1): the mock refuses it, and stays whole afterwards."""

from __future__ import annotations

import pytest
import requests

from mockgithub.httphead import MAX_HEAD
from tests.mockgithub.conftest import REPO, UNLIMITED
from tests.mockgithub.rawhttp import connect, get, read_until_closed, send_and_close, statuses


def negative_length_request() -> bytes:
    """A request whose Content-Length is minus the length of its own head: the old parser
    consumed nothing and answered it again and again."""
    for digits in range(1, 6):
        head = f"GET /rate_limit HTTP/1.1\r\nHost: x\r\nContent-Length: -{'9' * digits}\r\n\r\n"
        size = len(head)
        if len(str(size)) == digits:
            return head.replace("-" + "9" * digits, f"-{size}").encode()
    raise AssertionError("no self-consistent length")


def test_a_negative_content_length_equal_to_minus_its_head_gets_one_400_and_a_close(serve):
    server = serve(**UNLIMITED)
    request = negative_length_request()
    assert request.endswith(b"\r\n\r\n") and str(len(request)).encode() in request
    with connect(server.base_url) as sock:
        sock.sendall(request)
        answer = read_until_closed(sock)  # no half-close: the server must close by itself
    assert statuses(answer) == [400]
    stats = server.model.stats()
    assert stats["requests_total"] == 0
    assert (stats["in_flight"], stats["admitted"]) == (0, 0)
    assert stats["connections"]["refused_400"] == 1


@pytest.mark.parametrize(
    "value",
    ["-1", "abc", "+5", " 5 5", "\u0663", "1_0", "5, 6", "0x10", "", "99999999999999999999"],
)
def test_a_content_length_that_is_not_plain_ascii_digits_gets_400(serve, value):
    server = serve(**UNLIMITED)
    head = f"POST /_mock/reset HTTP/1.1\r\nHost: x\r\nContent-Length: {value}\r\n\r\n"
    answer = send_and_close(server.base_url, head.encode("utf-8") + b"12345")
    assert statuses(answer) == [400]


def test_two_different_content_lengths_get_400(serve):
    server = serve(**UNLIMITED)
    head = "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"
    assert statuses(send_and_close(server.base_url, head.encode())) == [400]


def test_400_pipelined_gets_are_all_answered_in_order_without_leaking_admissions(serve):
    server = serve(secondary_concurrency=1, **UNLIMITED)
    kinds = [("/rate_limit", 200), (f"/repos/{REPO}", 200), (f"/repos/{REPO}/nope", 404)]
    chosen = [kinds[i % 3] for i in range(400)]
    batch = b"".join(get(path) for path, _ in chosen)  # one write: the server sees them at once
    answer = send_and_close(server.base_url, batch)
    assert statuses(answer) == [status for _, status in chosen]
    stats = server.model.stats()
    assert stats["requests_total"] == 400
    assert (stats["in_flight"], stats["admitted"], stats["secondary_rate_limited"]) == (0, 0, 0)
    # With a cap of one admitted request, a single leaked admission would refuse this one.
    assert requests.get(f"{server.base_url}/repos/{REPO}", timeout=10).status_code == 200


def test_after_100_bad_requests_the_api_answers_200_and_reset_clears_everything(serve, http):
    server = serve()  # default limits: 100 concurrent requests before a secondary refusal
    for _ in range(100):
        assert statuses(send_and_close(server.base_url, negative_length_request())) == [400]
    url = f"{server.base_url}/repos/{REPO}"
    auth = {"Authorization": "Bearer good"}
    assert http.get(url, headers=auth, timeout=10).status_code == 200
    reset = f"{server.base_url}/_mock/reset"
    http.post(reset, json={}, headers=server.control_headers(), timeout=10).raise_for_status()
    stats = server.model.stats()
    assert stats["requests_total"] == 0 and stats["connections"]["refused_400"] == 0
    assert (stats["in_flight"], stats["admitted"], stats["peak_concurrency"]) == (0, 0, 0)
    answer = http.get(url, headers=auth, timeout=10)
    assert answer.status_code == 200 and answer.headers["x-ratelimit-used"] == "1"


@pytest.mark.parametrize(
    ("fault", "closes"),
    [("error_rate", False), ("reset_rate", True), ("stall_rate", True), ("truncate_rate", False)],
)
def test_every_fault_path_releases_its_admission(serve, fault, closes):
    server = serve(**{fault: 1.0, "stall_ms": 60_000.0, "secondary_concurrency": 2}, **UNLIMITED)
    for _ in range(5):
        with connect(server.base_url, timeout=0.3) as sock:
            sock.sendall(get(f"/repos/{REPO}"))
            try:
                sock.recv(65536)  # a stall times out here; the client then gives up and closes
            except (TimeoutError, ConnectionResetError):
                assert closes
    assert wait_for_idle(server)
    assert server.model.stats()["faults"][fault.removesuffix("_rate")] == 5


def test_a_request_the_model_fails_on_gets_500_and_releases_its_admission(serve, monkeypatch):
    server = serve(secondary_concurrency=1, **UNLIMITED)

    def broken(path: str, query: object) -> object:
        raise RuntimeError("a bug in a route")

    monkeypatch.setattr(server.model.routes, "answer", broken)
    for _ in range(3):
        answer = send_and_close(server.base_url, get(f"/repos/{REPO}/actions/runs"))
        assert statuses(answer) == [500]
    assert wait_for_idle(server)


def test_a_client_that_closes_before_its_answer_releases_its_admission(serve):
    server = serve(latency_ms=60_000.0, secondary_concurrency=1, **UNLIMITED)
    with connect(server.base_url) as sock:
        sock.sendall(get(f"/repos/{REPO}"))
        assert wait_for(lambda: server.model.stats()["admitted"] == 1)
    assert wait_for_idle(server)


def test_a_head_over_the_limit_in_one_packet_gets_431(serve):
    server = serve(**UNLIMITED)
    padding = "x" * (MAX_HEAD + 10)
    answer = send_and_close(server.base_url, get("/rate_limit", f"X-Pad: {padding}\r\n"))
    assert statuses(answer) == [431]


def test_ten_thousand_headers_in_one_packet_get_431(serve):
    server = serve(**UNLIMITED)
    request = get("/rate_limit", "a:b\r\n" * 10_000)
    assert len(request) < MAX_HEAD  # the old size check alone let this through
    assert statuses(send_and_close(server.base_url, request)) == [431]
    assert server.model.stats()["requests_total"] == 0


@pytest.mark.parametrize(
    "request_line",
    [
        "GET /rate_limit",
        "GET  /rate_limit HTTP/1.1",
        "GET rate_limit HTTP/1.1",
        "GET http://x/rate_limit HTTP/1.1",
        "GET /rate limit HTTP/1.1",
        "G(T /rate_limit HTTP/1.1",
        "GET /rate_limit HTTP/1.1 extra",
        "GET /rate_limit HTTPS/1.1",
    ],
)
def test_a_malformed_request_line_gets_400(serve, request_line):
    server = serve(**UNLIMITED)
    answer = send_and_close(server.base_url, f"{request_line}\r\nHost: x\r\n\r\n".encode())
    assert statuses(answer) == [400]


@pytest.mark.parametrize(
    "header",
    ["Bad Name: x", "NoColon", " folded: x", "Name : x", "X: a\nb", "X: a\x00b", ": empty"],
)
def test_a_malformed_header_gets_400(serve, header):
    server = serve(**UNLIMITED)
    request = f"GET /rate_limit HTTP/1.1\r\nHost: x\r\n{header}\r\n\r\n".encode()
    assert statuses(send_and_close(server.base_url, request)) == [400]


def test_transfer_encoding_is_refused(serve):
    server = serve(**UNLIMITED)
    chunked = get("/rate_limit", "Transfer-Encoding: chunked\r\n")
    smuggled = get("/rate_limit", "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n")
    assert statuses(send_and_close(server.base_url, chunked)) == [501]
    assert statuses(send_and_close(server.base_url, smuggled)) == [400]


def test_an_unsupported_http_version_gets_505(serve):
    server = serve(**UNLIMITED)
    answer = send_and_close(server.base_url, b"GET /rate_limit HTTP/2.0\r\nHost: x\r\n\r\n")
    assert statuses(answer) == [505]


def wait_for_idle(server: object) -> bool:
    from tests.mockgithub.rawhttp import wait_for as poll

    model = server.model  # type: ignore[attr-defined]
    return poll(lambda: (model.stats()["in_flight"], model.stats()["admitted"]) == (0, 0))


def wait_for(predicate: object) -> bool:
    from tests.mockgithub.rawhttp import wait_for as poll

    return poll(predicate)  # type: ignore[arg-type]
