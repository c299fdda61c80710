"""Relay connections as GitHub serves them: ``nodes``, ``edges``, ``pageInfo``, ``totalCount``.

Cursors are opaque to clients (GitHub's are base64 too); a page is cut from the whole ordered
list by ``after``/``before`` first, then ``first``/``last``, as the Relay specification says.
Items become objects only when ``nodes`` or ``edges`` are asked for.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any


class NotFound(Exception):
    """GitHub's ``NOT_FOUND``: the error entry carries ``type`` beside its message."""

    type = "NOT_FOUND"


def cursor(index: int) -> str:
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def position(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(base64.b64decode(text).decode().rsplit(":", 1)[1])
    except (ValueError, IndexError, UnicodeDecodeError):
        raise NotFound(f"`{text}` does not appear to be a valid cursor.") from None


class Connection:
    """A page of a list in Relay's form: ``nodes``, ``edges``, ``pageInfo``, ``totalCount``."""

    def __init__(
        self,
        items: Sequence[Any],
        make: Callable[[Any], Any],
        first: int | None = None,
        last: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> None:
        start, end = 0, len(items)
        after_at, before_at = position(after), position(before)
        if after_at is not None:
            start = max(start, after_at + 1)
        if before_at is not None:
            end = min(end, before_at)
        if first is not None:
            end = min(end, start + first)
        if last is not None:
            start = max(start, end - last)
        self.totalCount = len(items)  # noqa: N815 - GitHub's field name
        self._start, self._end = start, max(start, end)
        self._window = items[self._start : self._end]
        self._make = make
        self._nodes: list[Any] | None = None

    def nodes(self, _info: Any) -> list[Any]:
        if self._nodes is None:
            self._nodes = [self._make(item) for item in self._window]
        return self._nodes

    def edges(self, info: Any) -> list[dict[str, Any]]:
        return [
            {"cursor": cursor(self._start + i), "node": node}
            for i, node in enumerate(self.nodes(info))
        ]

    def pageInfo(self, _info: Any) -> dict[str, Any]:  # noqa: N802 - GitHub's field name
        empty = self._start == self._end
        return {
            "hasNextPage": self._end < self.totalCount,
            "hasPreviousPage": self._start > 0,
            "startCursor": None if empty else cursor(self._start),
            "endCursor": None if empty else cursor(self._end - 1),
        }
