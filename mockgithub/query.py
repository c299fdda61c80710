"""Query parameters as GitHub reads them: pagination and the workflow-run filters.

Invalid values raise :class:`InvalidParameter`, which the routes answer with a 422.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from mockgithub.source import RunIndex

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 30
FILTERED_RESULT_CAP = 1_000  # GitHub: with any filter set, only 1,000 results are reachable
RUN_STATUSES = frozenset(
    [
        "completed",
        "action_required",
        "cancelled",
        "failure",
        "neutral",
        "skipped",
        "stale",
        "success",
        "timed_out",
        "in_progress",
        "queued",
        "requested",
        "waiting",
        "pending",
    ]
)
RUN_FILTERS = ("actor", "branch", "event", "status", "created", "head_sha", "check_suite_id")
# [0-9], not \d: \d also matches other scripts' digits (٣), which int() would then accept.
_DATE_RE = re.compile(
    r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:T(?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2})?)(?P<zone>Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_INTEGER = re.compile(r"[0-9]+")


class InvalidParameter(ValueError):
    """A query parameter GitHub would reject with 422."""


@dataclass(frozen=True)
class Page:
    per_page: int
    number: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    def last(self, total: int) -> int:
        return max(1, -(-total // self.per_page))


def integer(query: Mapping[str, str], name: str, default: int, low: int = 1) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    # Python's int() also takes " 7", "+7", "1_0" and "٣"; GitHub takes ASCII digits only.
    if not _INTEGER.fullmatch(raw) or len(raw) > 18:
        raise InvalidParameter(f"Invalid value for parameter '{name}': {raw!r}")
    value = int(raw)
    if value < low:
        raise InvalidParameter(f"Invalid value for parameter '{name}': {raw!r}")
    return value


def page_of(query: Mapping[str, str]) -> Page:
    """``per_page`` (default 30, anything above 100 is 100) and ``page`` (default 1)."""
    per_page = min(MAX_PER_PAGE, integer(query, "per_page", DEFAULT_PER_PAGE))
    return Page(per_page, integer(query, "page", 1))


def boolean(query: Mapping[str, str], name: str) -> bool:
    raw = query.get(name, "false").lower()
    if raw not in ("true", "false", "1", "0"):
        raise InvalidParameter(f"Invalid value for parameter '{name}': {raw!r}")
    return raw in ("true", "1")


RunPredicate = Callable[[RunIndex], bool]


def run_filter(query: Mapping[str, str]) -> tuple[tuple[tuple[str, str], ...], RunPredicate]:
    """The filters set in ``query`` (as a cache key) and a predicate that applies them."""
    chosen = tuple((name, query[name]) for name in RUN_FILTERS if query.get(name))
    tests: list[RunPredicate] = []
    for name, value in chosen:
        tests.append(_test(name, value))
    return chosen, lambda run: all(test(run) for test in tests)


def _test(name: str, value: str) -> RunPredicate:
    if name == "status":
        if value not in RUN_STATUSES:
            raise InvalidParameter(f"Invalid value for parameter 'status': {value!r}")
        return lambda r: r.status == value or r.conclusion == value
    if name == "created":
        return _created(value)
    if name == "check_suite_id":
        wanted = integer({name: value}, name, 0)
        return lambda r: r.check_suite_id == wanted
    if name == "branch":
        return lambda r: r.branch == value
    attribute = {"actor": "actor", "event": "event", "head_sha": "head_sha"}[name]
    return lambda r: getattr(r, attribute) == value


def _created(value: str) -> RunPredicate:
    """GitHub's date-range syntax: ``D``, ``>D``, ``>=D``, ``<D``, ``<=D``, ``A..B`` (``*``)."""
    for op in (">=", "<=", ">", "<"):
        if value.startswith(op):
            return _bound(op, _date(value[len(op) :]))
    if ".." in value:
        low, high = value.split("..", 1)
        tests = [_bound(">=", _date(low))] if low != "*" else []
        tests += [_bound("<=", _date(high))] if high != "*" else []
        return lambda r: all(t(r) for t in tests)
    day = _date(value)
    return lambda r: r.created.startswith(day)


def _bound(op: str, date: str) -> RunPredicate:
    """Compare ISO strings; a shorter bound (a day) covers the whole of that day."""
    size = len(date)
    if op == ">=":
        return lambda r: r.created >= date
    if op == ">":
        return lambda r: r.created[:size] > date
    if op == "<=":
        return lambda r: r.created[:size] <= date
    return lambda r: r.created < date


def _date(text: str) -> str:
    """``text`` if it is a real date (and time), as GitHub checks: 9999-99-99 is refused."""
    match = _DATE_RE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        moment = match["day"] + (f"T{match['time']}" if match["time"] else "")
        datetime.fromisoformat(moment)
        zone = match["zone"] or "Z"
        if zone != "Z" and not (int(zone[1:3]) <= 23 and int(zone[-2:]) <= 59):
            raise ValueError(zone)
    except ValueError:
        raise InvalidParameter(f"Invalid value for parameter 'created': {text!r}") from None
    return text.rstrip("Z")
