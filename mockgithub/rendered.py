"""Serialized responses: body bytes on the server's own base URL, ETag, Last-Modified, Link.

Bodies are serialized once (orjson) and cached by request, so a hot page costs a dictionary
lookup. The ETag is computed over the canonical bytes, before the base URL is swapped in, so
two servers with the same seed give the same ETags whatever their ports.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime

import orjson

from mockgithub.payloads import CANONICAL_BASE
from mockgithub.routes import Outcome

CACHE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Rendered:
    status: int
    body: bytes
    etag: str = ""
    last_modified: str = ""
    last_modified_s: float | None = None
    link: str = ""
    endpoint: str = ""

    def validators(self) -> tuple[tuple[str, str], ...]:
        headers: tuple[tuple[str, str], ...] = (("etag", self.etag),) if self.etag else ()
        if self.last_modified:
            headers += (("last-modified", self.last_modified),)
        return headers

    def not_modified(self, if_none_match: str | None, if_modified_since: str | None) -> bool:
        """RFC 9110: If-None-Match wins; otherwise If-Modified-Since against Last-Modified."""
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or self.etag.removeprefix("W/") in tags
        if if_modified_since is not None and self.last_modified_s is not None:
            since = parse_http_date(if_modified_since)
            return since is not None and self.last_modified_s <= since
        return False


def render(outcome: Outcome, base_url: str) -> Rendered:
    canonical = orjson.dumps(outcome.body)
    body = canonical.replace(CANONICAL_BASE.encode(), base_url.encode())
    if outcome.status != 200:
        return Rendered(outcome.status, body, endpoint=outcome.endpoint)
    stamp = outcome.last_modified
    return Rendered(
        status=200,
        body=body,
        etag=etag_of(canonical),
        last_modified=formatdate(stamp, usegmt=True) if stamp is not None else "",
        last_modified_s=stamp,
        link=outcome.link.replace(CANONICAL_BASE, base_url),
        endpoint=outcome.endpoint,
    )


def etag_of(canonical: bytes) -> str:
    # A validator, not a signature: SHA-1 runs on the CPU's SHA instructions here, about 4x
    # faster than BLAKE2b on a 1.2 MB page of 100 runs (0.9 ms against 3.8 ms, timeit).
    digest = hashlib.sha1(canonical, usedforsecurity=False).hexdigest()[:32]
    return f'W/"{digest}"'


def parse_http_date(text: str) -> float | None:
    try:
        return parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


class RenderCache:
    """Least-recently-used rendered responses, bounded by their total body size."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self._items: OrderedDict[object, Rendered] = OrderedDict()
        self._bytes = 0
        self._max = max_bytes

    def get(self, key: object) -> Rendered | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: object, rendered: Rendered) -> None:
        if len(rendered.body) > self._max:
            return
        old = self._items.pop(key, None)
        self._bytes -= len(old.body) if old else 0
        self._items[key] = rendered
        self._bytes += len(rendered.body)
        while self._bytes > self._max:
            _, dropped = self._items.popitem(last=False)
            self._bytes -= len(dropped.body)
