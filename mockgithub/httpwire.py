"""A small HTTP/1.1 server protocol on asyncio, just enough for GitHub clients.

Why not a framework: injected latency must be accurate to a millisecond with 16 concurrent
clients on two shared cores. Here the arrival time is taken the moment bytes arrive, the answer
is scheduled with ``call_at(arrival + delay)`` (no task per request), and each response leaves
in a single ``write`` (headers and body together, Nagle off). Keep-alive and pipelining are
supported; request bodies need ``Content-Length`` (what ``requests`` sends).

Hostile input: heads are parsed strictly (:mod:`mockgithub.httphead`); a refused request is
answered with its status and the connection closed. Pipelined requests are taken one at a time
by a loop (never by recursion), reading stops while a response is pending and
``input_limit`` bytes wait, or while unsent output is over ``output_high`` (backpressure), and
the timeouts of :class:`~mockgithub.wirelimits.WireLimits` close slow, idle and non-reading
clients. Control requests (``/_mock/``) run on a worker thread, so a slow one (a fixture being
loaded) never stalls the API.
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
from functools import partial
from http import HTTPStatus
from urllib.parse import parse_qsl, unquote

from mockgithub.httphead import MAX_HEAD, BadRequest, Head, parse_head
from mockgithub.messages import MockRequest, MockResponse
from mockgithub.model import MockModel
from mockgithub.wirelimits import Wire

# The event loop wakes on whole milliseconds, rounding up; aiming half a millisecond early
# centres responses on their target instead of landing them 0-1 ms late.
TIMER_ROUNDING_S = 0.0005
SERVER = "github.com"
CONTROL_PREFIX = "/_mock/"
_REASONS = {s.value: s.phrase for s in HTTPStatus}
_FAILURE = MockResponse(500, (("content-type", "application/json"),), b'{"message":"mock failure"}')


class _Clock:
    """``Date`` header text, formatted at most once a second."""

    def __init__(self) -> None:
        self.second, self.text = -1, ""

    def date(self, now: float) -> str:
        if int(now) != self.second:
            self.second, self.text = int(now), formatdate(now, usegmt=True)
        return self.text


_DATES = _Clock()
Parsed = tuple[MockRequest, bool, bool]  # request, keep-alive, HEAD


class HttpProtocol(asyncio.Protocol):
    """One client connection; requests are answered in order, one at a time."""

    def __init__(self, model: MockModel, wire: Wire) -> None:
        self.model, self.wire, self.limits = model, wire, wire.limits
        self.loop = asyncio.get_running_loop()
        self.buffer = bytearray()
        self.scanned = 0  # bytes of the buffer already searched for the end of the head
        self.head: tuple[Head, int] | None = None  # parsed head waiting for its body
        self.transport: asyncio.Transport | None = None
        self.client = "127.0.0.1"
        self.busy = False  # a request is being answered (or the connection is done)
        self.pumping = False
        self.reading = True
        self.eof = False
        self.writing_paused = False
        self.paused_at = self.arrival = self.idle_since = 0.0
        self.timer: asyncio.TimerHandle | None = None
        self.exchange: AbstractContextManager[MockResponse] | None = None

    # -- connection ----------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.client = peer[0] if peer else "127.0.0.1"
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transport.set_write_buffer_limits(high=self.limits.output_high, low=self.limits.output_low)
        self.idle_since = self.loop.time()
        self.wire.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.wire.connections.discard(self)
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self._end_exchange()
        self.transport = None
        self.buffer.clear()

    def data_received(self, data: bytes) -> None:
        if not self.buffer and not self.busy:
            self.arrival = self.loop.time()
        self.buffer += data
        self._pump()

    def eof_received(self) -> bool:
        """The client has sent all it will: answer the complete requests already here, then
        close. A client gone while its answer is pending is not waited for: a half-close is
        rare in HTTP, and waiting would hold its place under the concurrency limit."""
        self.eof = True
        if self.busy:
            return False  # the transport closes; connection_lost ends the exchange
        self._pump()
        return True  # _pump has closed the transport, or will once output drains

    def pause_writing(self) -> None:
        self.writing_paused, self.paused_at = True, self.loop.time()
        self._update_reading()

    def resume_writing(self) -> None:
        self.writing_paused = False
        self._pump()

    # -- gauges and deadlines, for the listener's sweep ------------------------------
    def buffered_input(self) -> int:
        return len(self.buffer)

    def buffered_output(self) -> int:
        transport = self.transport
        return transport.get_write_buffer_size() if transport is not None else 0

    def check_deadlines(self, now: float) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self.writing_paused:
            if now - self.paused_at > self.limits.send_timeout_s:
                self.wire.count("closed_send_timeout")
                transport.abort()
        elif self.busy:
            return  # the mock's own delay or stall, never the client's doing
        elif self.buffer:
            if now - self.arrival > self.limits.request_timeout_s:
                self._refuse(408, "closed_request_timeout")
        elif now - self.idle_since > self.limits.idle_timeout_s:
            self.wire.count("closed_idle")
            transport.close()

    # -- requests ------------------------------------------------------------------
    def _pump(self) -> None:
        """Start the complete requests in the buffer one after another, while idle.

        A response sent at once calls back here; the ``pumping`` flag turns that call into a
        return, so pipelined requests are taken by this loop and the stack never grows.
        """
        if self.pumping:
            return
        self.pumping = True
        try:
            while not self.busy and not self.writing_paused and self.transport is not None:
                parsed = self._take()
                if parsed is None:
                    break
                self._start(*parsed)
        finally:
            self.pumping = False
        if self.eof and not self.busy and not self.writing_paused and self.transport is not None:
            self.busy = True
            self.transport.close()  # what is left is an incomplete request
        self._update_reading()

    def _update_reading(self) -> None:
        transport = self.transport
        if transport is None or transport.is_closing() or self.eof:
            return
        wanted = not self.writing_paused and (
            not self.busy or len(self.buffer) < self.limits.input_limit
        )
        if wanted != self.reading:
            self.reading = wanted
            (transport.resume_reading if wanted else transport.pause_reading)()

    def _take(self) -> Parsed | None:
        """The next complete request, removed from the buffer; None if there is none yet."""
        if self.head is None:
            while self.buffer.startswith(b"\r\n"):  # RFC 9112: ignore blank lines before one
                del self.buffer[:2]
            end = self.buffer.find(b"\r\n\r\n", max(0, self.scanned - 3))
            if end < 0:
                self.scanned = len(self.buffer)
                if len(self.buffer) > MAX_HEAD:
                    self._refuse(431)
                return None
            try:
                self.head = parse_head(bytes(self.buffer[:end])), end + 4
            except BadRequest as refused:
                self._refuse(refused.status)
                return None
        head, start = self.head
        stop = start + head.content_length
        if len(self.buffer) < stop:
            return None
        body = bytes(self.buffer[start:stop])
        del self.buffer[:stop]
        self.head, self.scanned = None, 0
        path, _, query = head.target.partition("?")
        request = MockRequest(
            method=head.method,
            path=unquote(path),
            query=dict(parse_qsl(query, keep_blank_values=True)),
            headers=head.headers,
            body=body,
            client=self.client,
        )
        return request, head.keep_alive, head.method == "HEAD"

    def _start(self, request: MockRequest, keep_alive: bool, head_only: bool) -> None:
        self.busy = True
        if request.path.startswith(CONTROL_PREFIX):
            future = self.loop.run_in_executor(None, self.model.handle, request)
            future.add_done_callback(partial(self._control_done, keep_alive, head_only))
            return
        try:
            exchange = self.model.exchange(request)
            response = exchange.__enter__()
        except Exception:  # noqa: BLE001 - a bug in the model must not kill the server
            traceback.print_exc(file=sys.stderr)
            response = _FAILURE
        else:
            self.exchange = exchange
        when = self.arrival + response.delay_s - TIMER_ROUNDING_S
        if response.delay_s > 0 and when > self.loop.time():
            self.timer = self.loop.call_at(when, self._send, response, keep_alive, head_only)
        else:
            self._send(response, keep_alive, head_only)

    def _control_done(
        self, keep_alive: bool, head_only: bool, future: asyncio.Future[MockResponse]
    ) -> None:
        if future.cancelled():
            return
        failure = future.exception()
        if failure is not None:
            traceback.print_exception(failure, file=sys.stderr)
        self._send(future.result() if failure is None else _FAILURE, keep_alive, head_only)

    def _send(self, response: MockResponse, keep_alive: bool, head_only: bool) -> None:
        self.timer = None
        transport = self.transport
        try:
            if transport is None:
                return
            if response.fault == "reset":
                _reset(transport)
                return
            try:
                data = _head(response, keep_alive) + (b"" if head_only else response.body)
            except Exception:  # noqa: BLE001 - e.g. a header that is not latin-1
                traceback.print_exc(file=sys.stderr)
                data, keep_alive = _head(_FAILURE, False) + _FAILURE.body, False
            transport.write(data)
        finally:
            self._end_exchange()  # on every path: the model's in-flight counts go down here
        if not keep_alive:
            transport.close()
            return
        self.busy = False
        self.arrival = self.idle_since = self.loop.time()  # pipelined requests count from now
        self._pump()

    def _end_exchange(self) -> None:
        if self.exchange is not None:
            exchange, self.exchange = self.exchange, None
            exchange.__exit__(None, None, None)

    def _refuse(self, status: int, event: str | None = None) -> None:
        """Answer ``status`` and close: nothing more is read from this connection."""
        self.wire.count(event or f"refused_{status}")
        self.buffer.clear()
        self.head, self.scanned, self.busy = None, 0, True
        transport = self.transport
        if transport is not None and not transport.is_closing():
            reason = _REASONS.get(status, "Error").encode()
            response = MockResponse(
                status, (("content-type", "text/plain; charset=utf-8"),), reason
            )
            transport.write(_head(response, keep_alive=False) + reason)
            transport.close()


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
