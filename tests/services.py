"""Tests that need a service skip with a tagged reason; in CI such a skip fails.

A test that needs Redis, Chromium, asv's page scripts or GitHub's published descriptions skips
where they are missing, through :func:`needs` (a marker) or :func:`skip_for` (at run time),
whose reason starts with ``[needs <service>]``. CI installs every service and sets
``BENCH_REQUIRE_<SERVICE>=1`` (``.ci/run``); this plugin then turns such a skip into a failure,
so a broken set-up cannot pass as "skipped". Only the tag counts: a reason that merely mentions
a service is an ordinary skip.
"""

from __future__ import annotations

import os
import re
from enum import StrEnum
from typing import Any, NoReturn

import pytest


class Service(StrEnum):
    REDIS = "redis"
    CHROMIUM = "chromium"
    ASSETS = "assets"  # asv's page scripts, fetched by `make assets`
    DESCRIPTIONS = "descriptions"  # GitHub's OpenAPI description and GraphQL schema (npm)
    VALGRIND = "valgrind"  # instruction counts

    @property
    def variable(self) -> str:
        return f"BENCH_REQUIRE_{self.name}"


_TAG = re.compile(r"\[needs (\w+)\]")


def reason(service: Service, why: str) -> str:
    return f"[needs {service.value}] {why}"


def needs(service: Service, available: bool, why: str) -> pytest.MarkDecorator:
    """A ``skipif`` marker for a test that cannot run without ``service``."""
    return pytest.mark.skipif(not available, reason=reason(service, why))


def skip_for(service: Service, why: str) -> NoReturn:
    pytest.skip(reason(service, why))


def required(text: str, environ: os._Environ[str] | dict[str, str] = os.environ) -> str | None:
    """The variable that makes a skip with reason ``text`` a failure, if it is set."""
    match = _TAG.search(text)
    if match is None or match.group(1) not in Service._value2member_map_:
        return None
    variable = Service(match.group(1)).variable
    return variable if environ.get(variable) == "1" else None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or not isinstance(report.longrepr, tuple):
        return
    text = str(report.longrepr[2])
    variable = required(text)
    if variable is not None:
        report.outcome = "failed"
        report.longrepr = f"{variable} is set but the test skipped: {text}"
