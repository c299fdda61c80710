"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def mock_server() -> Iterator[Any]:
    """One real HTTP mock on 127.0.0.1 for the whole session (default config)."""
    from mockgithub import MockConfig, MockServer

    server = MockServer(MockConfig())
    server.start()
    yield server
    server.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI (BENCH_REQUIRE_REDIS / _CHROMIUM / _DESCRIPTIONS set), a skip for a missing
    service fails.

    Tests skip with a clear reason where Redis, Chromium or GitHub's published descriptions
    (fetched with npm) are absent on a developer's machine; CI installs all three, so there such
    a skip would hide a broken set-up.
    """
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or not isinstance(report.longrepr, tuple):
        return
    reason = str(report.longrepr[2]).lower()
    for service, variable in (
        ("redis", "BENCH_REQUIRE_REDIS"),
        ("chromium", "BENCH_REQUIRE_CHROMIUM"),
        ("published descriptions", "BENCH_REQUIRE_DESCRIPTIONS"),
    ):
        if service in reason and os.environ.get(variable):
            report.outcome = "failed"
            report.longrepr = f"{variable} is set but the test skipped: {reason}"
