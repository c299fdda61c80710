"""A small HTTP/1.1 load generator, run in its own process(es) against the mock.

``python -m mockgithub.loadgen URL [--connections N] [--duration S] [--processes P]`` keeps N
keep-alive connections busy for S seconds and prints one JSON line: requests, errors, bytes,
seconds, and latency percentiles in ms. It reads raw sockets (no JSON parsing, no HTTP library)
so that on a small machine the client costs little next to the server it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import multiprocessing
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    bytes: int
    seconds: float
    latencies_ms: list[float]

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.latencies_ms)

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0

        return {
            "requests": self.requests,
            "errors": self.errors,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 4),
            "requests_per_s": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(pct(0.50), 3),
            "p90_ms": round(pct(0.90), 3),
            "p99_ms": round(pct(0.99), 3),
            "max_ms": round(ordered[-1], 3) if ordered else 0.0,
        }


class _Connection(asyncio.Protocol):
    """One keep-alive connection sending the same GET again as soon as the answer is in."""

    def __init__(self, request: bytes, stop_at: float, done: asyncio.Future[None]) -> None:
        self.request, self.stop_at, self.done = request, stop_at, done
        self.buffer = b""
        self.needed = -1
        self.requests = self.errors = self.bytes = 0
        self.latencies: list[float] = []
        self.sent_at = 0.0
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._send()

    def _send(self) -> None:
        self.sent_at = time.perf_counter()
        assert self.transport is not None
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.needed < 0:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            start = head.find(b"content-length:")
            length = int(head[start + 15 : head.find(b"\r\n", start)]) if start >= 0 else 0
            if not head.startswith((b"http/1.1 2", b"http/1.1 3")):
                self.errors += 1
            self.needed = end + 4 + length
        if len(self.buffer) < self.needed:
            return
        now = time.perf_counter()
        self.latencies.append((now - self.sent_at) * 1000.0)
        self.requests += 1
        self.bytes += self.needed
        self.buffer, self.needed = self.buffer[self.needed :], -1
        if now < self.stop_at:
            self._send()
        else:
            assert self.transport is not None
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(None)


async def _run(url: str, connections: int, duration: float) -> LoadResult:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: */*\r\n\r\n".encode()
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    stop_at = started + duration
    protocols: list[_Connection] = []
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    for _ in range(connections):
        done: asyncio.Future[None] = loop.create_future()
        _, protocol = await loop.create_connection(
            functools.partial(_Connection, request, stop_at, done), host, port
        )
        protocols.append(protocol)
    await asyncio.wait_for(asyncio.gather(*(p.done for p in protocols)), duration + 30)
    elapsed = time.perf_counter() - started
    return LoadResult(
        requests=sum(p.requests for p in protocols),
        errors=sum(p.errors for p in protocols),
        bytes=sum(p.bytes for p in protocols),
        seconds=elapsed,
        latencies_ms=[x for p in protocols for x in p.latencies],
    )


def _worker(args: tuple[str, int, float]) -> dict[str, Any]:
    return asdict(asyncio.run(_run(*args)))


def generate(url: str, connections: int, duration: float, processes: int = 1) -> LoadResult:
    """Load ``url`` from ``processes`` processes sharing ``connections`` connections."""
    if processes <= 1:
        return asyncio.run(_run(url, connections, duration))
    shares = [connections // processes + (i < connections % processes) for i in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        parts = pool.map(_worker, [(url, n, duration) for n in shares if n])
    return LoadResult(
        requests=sum(p["requests"] for p in parts),
        errors=sum(p["errors"] for p in parts),
        bytes=sum(p["bytes"] for p in parts),
        seconds=max(p["seconds"] for p in parts),
        latencies_ms=[x for p in parts for x in p["latencies_ms"]],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mockgithub.loadgen")
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=2.0)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args(argv)
    result = generate(args.url, args.connections, args.duration, args.processes)
    print(json.dumps(result.summary()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
