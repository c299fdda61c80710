"""Raw sockets to the mock, for requests no HTTP library would send."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable
from urllib.parse import urlsplit

_STATUS = re.compile(rb"HTTP/1\.1 (\d{3}) ")


def address(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def connect(base_url: str, timeout: float = 10.0) -> socket.socket:
    return socket.create_connection(address(base_url), timeout=timeout)


def read_until_closed(sock: socket.socket, limit: int = 64 * 1024 * 1024) -> bytes:
    """Everything the server sends until it closes (or resets) the connection."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def send_and_close(base_url: str, data: bytes, timeout: float = 10.0) -> bytes:
    """Send ``data`` on a fresh connection, say we are done, and read to the end."""
    with connect(base_url, timeout) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        return read_until_closed(sock)


def statuses(data: bytes) -> list[int]:
    """The status of each response in ``data``, in order (bodies skipped by Content-Length)."""
    found, at = [], 0
    while True:
        end = data.find(b"\r\n\r\n", at)
        match = _STATUS.match(data, at)
        if end < 0 or match is None:
            return found
        found.append(int(match.group(1)))
        length = re.search(rb"(?i)\r\ncontent-length: (\d+)", data[at:end])
        at = end + 4 + (int(length.group(1)) if length else 0)


def get(path: str, extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0, every: float = 0.02) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()
