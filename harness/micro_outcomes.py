"""A pytest plugin for ``harness.micro``: each test's outcome, by node id, written as JSON.

pytest-benchmark's JSON lists only the benchmarks that finished; this plugin tells which tests
failed or were skipped, and why, so a failing micro benchmark becomes a failed result.
Loaded with ``-p harness.micro_outcomes``; writes to the file named in $BENCH_MICRO_OUTCOMES.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

OUTCOMES_ENV = "BENCH_MICRO_OUTCOMES"
_outcomes: dict[str, dict[str, Any]] = {}


def _entry(nodeid: str) -> dict[str, Any]:
    return _outcomes.setdefault(
        nodeid, {"outcome": "passed", "error": None, "duration_s": 0.0, "params": {}}
    )


def pytest_itemcollected(item: pytest.Item) -> None:
    callspec = getattr(item, "callspec", None)
    params = dict(callspec.params) if callspec is not None else {}
    simple = (str, int, float, bool, type(None))
    _entry(item.nodeid)["params"] = {
        k: v if isinstance(v, simple) else repr(v) for k, v in params.items()
    }


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    seen = _entry(report.nodeid)
    seen["duration_s"] += report.duration
    if report.outcome == "passed" or seen["outcome"] == "failed":
        return
    seen["outcome"] = report.outcome
    seen["error"] = _reason(report)


def _reason(report: pytest.TestReport) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2])
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return f"{report.when}: {crash.message}"
    lines = str(report.longrepr).strip().splitlines() or ["failed"]
    return f"{report.when}: {lines[-1]}"


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get(OUTCOMES_ENV)
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(_outcomes, handle)
