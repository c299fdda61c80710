"""The head of an HTTP/1.1 request, read strictly: anything ambiguous is refused, never guessed.

The mock faces whatever reaches its port, so the rules err on refusing: a request line of three
parts with an origin-form target, ``HTTP/1.0`` or ``HTTP/1.1``, header names that are tokens
with no space before the colon, no line folding, no control characters, at most
:data:`MAX_HEADERS` headers, and a ``Content-Length`` of ASCII digits only (one value however
often it is repeated). ``Transfer-Encoding`` is not supported (501), and with a
``Content-Length`` beside it is a smuggling attempt (400). Each refusal is a :class:`BadRequest`
carrying its status; the transport answers it and closes the connection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_HEAD = 64 * 1024  # the whole head: request line, headers and the blank line
MAX_HEADERS = 100  # as Python's http.client; 10,000 tiny headers fit in 64 KB
MAX_BODY = 1024 * 1024  # control requests are small JSON; API requests carry no body
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_REQUEST_LINE = re.compile(rf"({_TOKEN}) (/[\x21-\x7e]*) (HTTP/[0-9]\.[0-9])")
# Greedy, and trailing blanks stripped in Python: a lazy group before ``[ \t]*`` backtracks
# quadratically on a long run of spaces.
_HEADER = re.compile(rf"({_TOKEN}):[ \t]*([^\x00-\x08\x0a-\x1f\x7f]*)")
_DIGITS = re.compile(r"[0-9]{1,18}")


class BadRequest(Exception):
    """A request the mock refuses; ``status`` is the answer (400, 413, 431, 501, 505)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Head:
    """A parsed request head."""

    method: str
    target: str
    version: str
    headers: dict[str, str]  # names as sent; a repeated name keeps its last value
    content_length: int
    keep_alive: bool


def parse_head(raw: bytes) -> Head:
    """Parse ``raw`` (the head without its final blank line) or raise :class:`BadRequest`."""
    if len(raw) + 4 > MAX_HEAD:
        raise BadRequest(431, "request head too large")
    lines = raw.decode("latin-1").split("\r\n")
    if len(lines) - 1 > MAX_HEADERS:
        raise BadRequest(431, "too many headers")
    match = _REQUEST_LINE.fullmatch(lines[0])
    if match is None:
        raise BadRequest(400, "malformed request line")
    method, target, version = match.groups()
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise BadRequest(505, "HTTP version not supported")
    headers: dict[str, str] = {}
    lengths: set[str] = set()
    connection = transfer = ""
    for line in lines[1:]:
        field = _HEADER.fullmatch(line)
        if field is None:
            raise BadRequest(400, "malformed header line")
        name, value = field[1], field[2].rstrip(" \t")
        headers[name] = value
        lower = name.lower()
        if lower == "content-length":
            lengths.update(part.strip() for part in value.split(","))
        elif lower == "connection":
            connection += "," + value.lower()
        elif lower == "transfer-encoding":
            transfer += value
    return Head(method, target, version, headers, _length(lengths, transfer),
                _keep_alive(version, connection))  # fmt: skip


def _length(values: set[str], transfer: str) -> int:
    if transfer:
        if values:
            raise BadRequest(400, "both Transfer-Encoding and Content-Length")
        raise BadRequest(501, "Transfer-Encoding is not supported")
    if not values:
        return 0
    if len(values) > 1:
        raise BadRequest(400, "conflicting Content-Length values")
    (value,) = values
    if not _DIGITS.fullmatch(value):
        raise BadRequest(400, "Content-Length is not a non-negative integer")
    length = int(value)
    if length > MAX_BODY:
        raise BadRequest(413, "request body too large")
    return length


def _keep_alive(version: str, connection: str) -> bool:
    tokens = {token.strip() for token in connection.split(",")}
    if "close" in tokens:
        return False
    return version == "HTTP/1.1" or "keep-alive" in tokens
