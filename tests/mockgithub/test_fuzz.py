"""Fuzzing the mock's HTTP parser (issue 14): 10,000 malformed requests from a seeded generator,
on loopback, then a valid request must get 200 and nothing may be left counted as in flight."""

from __future__ import annotations

import random
import socket
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from mockgithub import MockConfig, spawn_server
from tests.mockgithub.conftest import REPO, UNLIMITED
from tests.mockgithub.rawhttp import address, statuses, wait_for

CASES = 10_000
SEED = 14
VALID = (
    f"GET /repos/{REPO}/actions/runs?per_page=3 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "Authorization: Bearer fuzz\r\nAccept: application/vnd.github+json\r\n\r\n"
).encode()
NASTY = [b"\r", b"\n", b"\r\n", b"\x00", b" ", b":", b"\t", b"\xff", b"\r\n\r\n", b"-", b"\x7f"]
LENGTHS = [
    b"-1",
    b"-99",
    b"+3",
    b"1e3",
    b"0x10",
    b"\xd9\xa3",
    b"99999999999999999999",
    b"",
    b"3, 4",
]


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data or b"?")
    for _ in range(rng.randint(1, 4)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _insert(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(NASTY) + data[at:]


def _length(rng: random.Random, data: bytes) -> bytes:
    head, _, rest = data.partition(b"\r\n\r\n")
    value = rng.choice(LENGTHS)
    return head + b"\r\nContent-Length: " + value + b"\r\n\r\n" + rng.randbytes(rng.randrange(9))


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))] or b"\r\n"


def _garbage(rng: random.Random, data: bytes) -> bytes:
    return rng.randbytes(rng.randint(1, 300))


def _headers(rng: random.Random, data: bytes) -> bytes:
    head, _, rest = data.partition(b"\r\n\r\n")
    if rng.random() < 0.5:
        extra = b"\r\n".join(
            b"h%d:%d" % (i, rng.randrange(9)) for i in range(rng.randint(101, 3000))
        )
    else:
        extra = b"X: " + b"y" * rng.randint(65_000, 70_000)
    return head + b"\r\n" + extra + b"\r\n\r\n" + rest


def _request_line(rng: random.Random, data: bytes) -> bytes:
    line = rng.choice([b"GET", b"GET / HTTP/9.9", b"GET /a b HTTP/1.1", b"\x16\x03\x01", b"/"])
    rest = data[data.find(b"\r\n") :] if b"\r\n" in data else b"\r\n\r\n"
    return line + b"%d" % rng.randrange(1000) + rest


def _smuggle(rng: random.Random, data: bytes) -> bytes:
    second = b"POST /_mock/reset HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    return VALID + _insert(rng, second) if rng.random() < 0.5 else VALID + second


MUTATIONS = [_flip, _insert, _length, _truncate, _garbage, _headers, _request_line, _smuggle]


def malformed(rng: random.Random) -> bytes:
    """One malformed request: one to three mutations of a valid one."""
    data = VALID
    for mutate in rng.sample(MUTATIONS, rng.randint(1, 3)):
        data = mutate(rng, data) or VALID
    return data if data != VALID else _garbage(rng, data)


def exchange(target: tuple[str, int], data: bytes) -> list[int]:
    with socket.create_connection(target, timeout=10) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may refuse and close before all of a huge request is sent
        received = bytearray()
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
    return statuses(bytes(received))


def test_ten_thousand_malformed_requests_leave_the_mock_answering_and_nothing_in_flight():
    rng = random.Random(SEED)
    cases = [malformed(rng) for _ in range(CASES)]
    assert len(set(cases)) > CASES * 0.8 and VALID not in cases
    with spawn_server(MockConfig(secondary_concurrency=1, **UNLIMITED)) as server:  # type: ignore[arg-type]
        target = address(server.base_url)
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda data: exchange(target, data), cases))
        seen = Counter(status for answer in answers for status in answer)
        assert seen[400] > CASES // 4 and seen[431] > 0 and seen[500] == 0, seen
        assert exchange(target, VALID) == [200]
        assert wait_for(lambda: server.stats()["in_flight"] == 0)
        stats = server.stats()
        assert (stats["in_flight"], stats["admitted"]) == (0, 0)
        # Only the control session's own keep-alive connection is left open.
        assert wait_for(lambda: server.stats()["connections"]["connections_open"] == 1)
