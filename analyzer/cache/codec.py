"""How entries become bytes and back, with every way a stored entry can be damaged detected.

File format, version 1: one header line of JSON, a newline, then exactly ``size`` bytes of the
value as JSON::

    {"v":1,"stored_at":1700000000.0,"retain_until":1700086700.0,"etag":"...","last_modified":null,
     "size":1234}\\n<value JSON>

The header can be read without parsing the value (TTL cleanup reads only headers) and ``size``
catches a truncated file. Redis stores one JSON object (its TTL is native, no header needed).
"""

from __future__ import annotations

from typing import Any

import orjson

from analyzer.cache.base import CacheEntry

FORMAT_VERSION = 1  # 1: first format (header line + value).


class CorruptEntry(ValueError):
    """A stored entry is not a valid entry of this format (bad JSON, wrong shape, truncated)."""


def encode_file(entry: CacheEntry, retain_until: float) -> bytes:
    """Header line plus value, ready to be written to one file."""
    body = _dumps(entry.value)
    header = {
        "v": FORMAT_VERSION,
        "stored_at": entry.stored_at,
        "retain_until": retain_until,
        "etag": entry.etag,
        "last_modified": entry.last_modified,
        "size": len(body),
    }
    return orjson.dumps(header) + b"\n" + body


def decode_file(data: bytes) -> CacheEntry:
    """Parse what `encode_file` wrote; raise `CorruptEntry` on any damage."""
    cut = data.find(b"\n")
    if cut < 0:
        raise CorruptEntry("no header line")
    header = decode_header(data[:cut])
    body = data[cut + 1 :]
    if len(body) != header["size"]:
        raise CorruptEntry(f"value is {len(body)} bytes, header says {header['size']}")
    return CacheEntry(_loads(body), header["stored_at"], header["etag"], header["last_modified"])


def decode_header(line: bytes) -> dict[str, Any]:
    """The checked header of a file entry."""
    header = _loads(line)
    if not isinstance(header, dict) or header.get("v") != FORMAT_VERSION:
        raise CorruptEntry("header is not a version-1 entry header")
    _check_meta(header)
    if not isinstance(header.get("retain_until"), float | int):
        raise CorruptEntry("retain_until is not a number")
    if not isinstance(header.get("size"), int) or header["size"] < 0:
        raise CorruptEntry("size is not a non-negative integer")
    return header


def encode_object(entry: CacheEntry) -> bytes:
    """One JSON object holding the entry (for Redis)."""
    return orjson.dumps(
        {
            "v": FORMAT_VERSION,
            "stored_at": entry.stored_at,
            "etag": entry.etag,
            "last_modified": entry.last_modified,
            "value": entry.value,
        }
    )


def decode_object(data: bytes) -> CacheEntry:
    """Parse what `encode_object` wrote; raise `CorruptEntry` on any damage."""
    obj = _loads(data)
    if not isinstance(obj, dict) or obj.get("v") != FORMAT_VERSION or "value" not in obj:
        raise CorruptEntry("not a version-1 entry object")
    _check_meta(obj)
    return CacheEntry(obj["value"], obj["stored_at"], obj["etag"], obj["last_modified"])


def _check_meta(meta: dict[str, Any]) -> None:
    if not isinstance(meta.get("stored_at"), float | int) or isinstance(meta["stored_at"], bool):
        raise CorruptEntry("stored_at is not a number")
    for name in ("etag", "last_modified"):
        if not isinstance(meta.get(name, 0), str | None):
            raise CorruptEntry(f"{name} is neither a string nor null")


def _dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError as exc:
        # A value the cache cannot store is the caller's bug, not a damaged entry.
        raise TypeError(f"cache values must be JSON-serialisable: {exc}") from None


def _loads(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise CorruptEntry(f"bad JSON: {exc}") from None
