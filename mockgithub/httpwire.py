"""A minimal HTTP/1.1 server protocol on asyncio, just enough for GitHub clients.

Why not a framework: injected latency must be accurate to a millisecond with 16 concurrent
clients on two shared cores. Here the arrival time is taken the moment bytes arrive, the answer
is scheduled with ``call_at(arrival + delay)`` (no task per request), and each response leaves
in a single ``write`` (headers and body together, Nagle off). Keep-alive and pipelining are
supported; request bodies need ``Content-Length`` (what ``requests`` sends).
"""

from __future__ import annotations

import asyncio
import socket
import struct
import sys
import time
import traceback
from contextlib import AbstractContextManager
from email.utils import formatdate
from http import HTTPStatus
from urllib.parse import parse_qsl, unquote

from mockgithub.model import MockModel, MockRequest, MockResponse

# The event loop wakes on whole milliseconds, rounding up; aiming half a millisecond early
# centres responses on their target instead of landing them 0-1 ms late.
TIMER_ROUNDING_S = 0.0005
MAX_HEAD = 64 * 1024
MAX_BODY = 8 * 1024 * 1024
SERVER = "github.com"
_REASONS = {s.value: s.phrase for s in HTTPStatus}


class _Clock:
    """``Date`` header text, formatted at most once a second."""

    def __init__(self) -> None:
        self.second, self.text = -1, ""

    def date(self, now: float) -> str:
        if int(now) != self.second:
            self.second, self.text = int(now), formatdate(now, usegmt=True)
        return self.text


_DATES = _Clock()


class HttpProtocol(asyncio.Protocol):
    """One client connection; requests are answered in order, one at a time."""

    def __init__(self, model: MockModel, connections: set[HttpProtocol]) -> None:
        self.model = model
        self.connections = connections
        self.loop = asyncio.get_running_loop()
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.client = "127.0.0.1"
        self.busy = False
        self.arrival = 0.0
        self.timer: asyncio.TimerHandle | None = None
        self.exchange: AbstractContextManager[MockResponse] | None = None

    # -- connection ----------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        peer = transport.get_extra_info("peername")
        self.client = peer[0] if peer else "127.0.0.1"
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.connections.discard(self)
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self._end_exchange()
        self.transport = None

    def data_received(self, data: bytes) -> None:
        if not self.buffer and not self.busy:
            self.arrival = self.loop.time()
        self.buffer += data
        self._next()

    # -- requests ------------------------------------------------------------------
    def _next(self) -> None:
        """Start the next complete request in the buffer, if idle."""
        while not self.busy and self.transport is not None:
            parsed = self._parse()
            if parsed is None:
                return
            request, keep_alive, head_only = parsed
            self._start(request, keep_alive, head_only)

    def _parse(self) -> tuple[MockRequest, bool, bool] | None:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > MAX_HEAD:
                self._fail(431)
            return None
        lines = self.buffer[:end].decode("latin-1").split("\r\n")
        try:
            method, target, version = lines[0].split(" ", 2)
        except ValueError:
            self._fail(400)
            return None
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip()] = value.strip()
        lower = {k.lower(): v for k, v in headers.items()}
        if "chunked" in lower.get("transfer-encoding", "").lower():
            self._fail(501)
            return None
        try:
            length = int(lower.get("content-length", "0"))
        except ValueError:
            self._fail(400)
            return None
        if length > MAX_BODY:
            self._fail(413)
            return None
        if len(self.buffer) < end + 4 + length:
            return None
        body = bytes(self.buffer[end + 4 : end + 4 + length])
        del self.buffer[: end + 4 + length]
        path, _, query = target.partition("?")
        connection = lower.get("connection", "").lower()
        keep_alive = connection != "close" and (version == "HTTP/1.1" or connection == "keep-alive")
        request = MockRequest(
            method=method,
            path=unquote(path),
            query=dict(parse_qsl(query, keep_blank_values=True)),
            headers=headers,
            body=body,
            client=self.client,
        )
        return request, keep_alive, method == "HEAD"

    def _start(self, request: MockRequest, keep_alive: bool, head_only: bool) -> None:
        self.busy = True
        try:
            self.exchange = self.model.exchange(request)
            response = self.exchange.__enter__()
        except Exception:  # noqa: BLE001 - a bug in the model must not kill the server
            traceback.print_exc(file=sys.stderr)
            self.exchange = None
            response = MockResponse(500, (), b'{"message":"mock failure"}')
        when = self.arrival + response.delay_s - TIMER_ROUNDING_S
        if response.delay_s > 0 and when > self.loop.time():
            self.timer = self.loop.call_at(when, self._send, response, keep_alive, head_only)
        else:
            self._send(response, keep_alive, head_only)

    def _send(self, response: MockResponse, keep_alive: bool, head_only: bool) -> None:
        self.timer = None
        transport = self.transport
        if transport is None:
            return
        if response.fault == "reset":
            self._end_exchange()
            _reset(transport)
            return
        transport.write(_head(response, keep_alive) + (b"" if head_only else response.body))
        self._end_exchange()
        if not keep_alive:
            transport.close()
            return
        self.busy = False
        self.arrival = self.loop.time()  # pipelined requests count from now
        self._next()

    def _end_exchange(self) -> None:
        if self.exchange is not None:
            exchange, self.exchange = self.exchange, None
            exchange.__exit__(None, None, None)

    def _fail(self, status: int) -> None:
        if self.transport is not None:
            response = MockResponse(status, (("content-type", "text/plain"),), b"")
            self.transport.write(_head(response, keep_alive=False))
            self.transport.close()
        self.buffer.clear()


def _head(response: MockResponse, keep_alive: bool) -> bytes:
    reason = _REASONS.get(response.status, "Unknown")
    lines = [f"HTTP/1.1 {response.status} {reason}"]
    lines += [f"{name}: {value}" for name, value in response.headers]
    lines.append(f"content-length: {len(response.body)}")
    lines.append(f"date: {_DATES.date(time.time())}")
    lines.append(f"server: {SERVER}")
    if not keep_alive:
        lines.append("connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _reset(transport: asyncio.Transport) -> None:
    """Close with SO_LINGER 0, so the client sees a TCP reset rather than a clean close."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
