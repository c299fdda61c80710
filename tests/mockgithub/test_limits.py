"""What one connection may cost the mock (issue 14, point 6): bounded input, backpressure on
output, timeouts for slow, idle and non-reading clients. Byte counts come from the server's own
gauges in ``/_mock/stats``; the memory checks read the server process's RSS."""

from __future__ import annotations

import contextlib
import select
import socket
import time

import psutil
import pytest
import requests

from mockgithub import MockConfig, spawn_server
from mockgithub.wirelimits import WireLimits
from tests.mockgithub.conftest import REPO, UNLIMITED
from tests.mockgithub.rawhttp import connect, get, read_until_closed, statuses, wait_for

READ_CHUNK = 256 * 1024  # asyncio reads at most this much per data_received
PAGE = f"/repos/{REPO}/actions/runs?per_page=100"
FAST = WireLimits(request_timeout_s=0.3, idle_timeout_s=0.4, send_timeout_s=0.4, sweep_s=0.05)
MB = 1024 * 1024


def flood(sock: socket.socket, budget: int, stall_s: float = 0.5) -> int:
    """Send junk until the peer stops taking it for ``stall_s`` or ``budget`` bytes are sent."""
    sock.setblocking(False)
    chunk, sent = b"\x00junk" * 13_107, 0
    while sent < budget:
        _, writable, _ = select.select([], [sock], [], stall_s)
        if not writable:
            break
        try:
            sent += sock.send(chunk)
        except BlockingIOError:
            continue
    return sent


def test_a_connection_with_a_pending_answer_does_not_take_64_mb_of_junk():
    config = MockConfig(latency_ms=20_000.0, **UNLIMITED)  # type: ignore[arg-type]
    with spawn_server(config) as server:
        process = psutil.Process(server.process.pid)
        before = process.memory_info().rss
        with connect(server.base_url) as sock:
            sock.sendall(get("/rate_limit"))
            sent = flood(sock, budget=64 * MB)
            buffered = server.stats()["connections"]["buffered_input_bytes"]
            grown = process.memory_info().rss - before
    limit = WireLimits().input_limit
    assert buffered <= limit + READ_CHUNK  # the rest waits in the kernel, then is refused
    assert sent < 64 * MB and grown < 16 * MB, (sent, grown)


def test_a_client_that_never_reads_1600_pipelined_pages_does_not_grow_the_server():
    with spawn_server(MockConfig(**UNLIMITED)) as server:  # type: ignore[arg-type]
        page = len(requests.get(f"{server.base_url}{PAGE}", timeout=10).content)
        server.reset()
        process = psutil.Process(server.process.pid)
        before = process.memory_info().rss
        with connect(server.base_url) as sock:
            sock.sendall(b"".join(get(PAGE) for _ in range(1600)))
            answered = settled(lambda: server.stats()["requests_total"])
            stats = server.stats()
            grown = process.memory_info().rss - before
            assert stats["connections"]["buffered_output_bytes"] <= WireLimits().output_high + page
            assert answered < 100  # of 1,600: the rest wait until the client reads
            sock.settimeout(5)
            received = 0  # reading makes room: the server goes on answering
            while server.stats()["requests_total"] == answered and received < 256 * MB:
                received += len(sock.recv(MB))
            assert server.stats()["requests_total"] > answered
    assert grown < 32 * MB, grown


def settled(read: object, quiet_s: float = 0.3, timeout_s: float = 10.0) -> int:
    """A counter's value once it has stopped moving for ``quiet_s``."""
    deadline, last, since = time.monotonic() + timeout_s, -1, time.monotonic()
    while time.monotonic() < deadline:
        value = read()  # type: ignore[operator]
        if value != last:
            last, since = value, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            break
        time.sleep(0.05)
    return int(last)


def test_slowloris_connections_are_cut_at_the_request_timeout(serve_with):
    server = serve_with(FAST)
    sockets = [connect(server.base_url, timeout=5) for _ in range(20)]
    try:
        for sock in sockets:
            sock.sendall(b"GET /rate_limit HTTP/1.1\r\n")
        for _ in range(6):  # a header byte every 0.1 s keeps each connection busy but never done
            time.sleep(0.1)
            for sock in sockets:
                with contextlib.suppress(OSError):  # the server may have cut it already
                    sock.sendall(b"X")
        answers = [read_until_closed(sock) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
    assert [statuses(a) for a in answers] == [[408]] * 20
    assert server.model.stats()["connections"]["closed_request_timeout"] == 20


def test_idle_connections_are_closed_at_the_idle_timeout(serve_with):
    server = serve_with(FAST)
    silent = [connect(server.base_url, timeout=5) for _ in range(5)]
    kept_alive = connect(server.base_url, timeout=5)
    kept_alive.sendall(get("/rate_limit"))
    try:
        assert statuses(kept_alive.recv(65536)) == [200]
        assert [read_until_closed(sock) for sock in silent] == [b""] * 5
        assert read_until_closed(kept_alive) == b""
    finally:
        for sock in [*silent, kept_alive]:
            sock.close()
    assert server.model.stats()["connections"]["closed_idle"] == 6
    assert wait_for(lambda: server.model.stats()["connections"]["connections_open"] == 0)


def test_a_client_that_reads_nothing_is_cut_at_the_send_timeout(serve_with):
    server = serve_with(FAST)
    with connect(server.base_url, timeout=5) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(b"".join(get(PAGE) for _ in range(200)))
        assert wait_for(lambda: counters(server)["closed_send_timeout"] == 1)
    assert counters(server)["buffered_output_bytes"] == 0


def test_a_busy_answer_is_never_cut_by_the_timeouts(serve_with):
    server = serve_with(FAST, latency_ms=1_000.0)  # longer than every timeout of FAST
    with connect(server.base_url, timeout=5) as sock:
        sock.sendall(get("/rate_limit"))
        assert statuses(sock.recv(65536)) == [200]
    assert counters(server)["closed_request_timeout"] == 0


def counters(server: object) -> dict[str, int]:
    return server.model.stats()["connections"]  # type: ignore[attr-defined, no-any-return]


@pytest.fixture
def serve_with(serve):
    from mockgithub import MockServer

    started: list[MockServer] = []

    def start(limits: WireLimits, **config: object) -> MockServer:
        server = MockServer(MockConfig(**{**UNLIMITED, **config}), limits=limits)  # type: ignore[arg-type]
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
