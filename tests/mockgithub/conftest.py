"""Fixtures of the mock's tests: servers on 127.0.0.1 with a clock the test can move."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import requests

from analyzer.clock import FakeClock
from mockgithub import MockConfig, MockServer

REPO = "octo-org/octo-repo"
UNLIMITED = {
    "rate_limit": "1000000/3600",
    "unauthenticated_rate_limit": "1000000/3600",
    "secondary_rate_limit": "0/60",
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def serve(clock: FakeClock) -> Iterator[Callable[..., MockServer]]:
    """``serve(**config)`` starts a thread server on the fake clock; all stop after the test."""
    started: list[MockServer] = []

    def start(**config: object) -> MockServer:
        server = MockServer(MockConfig(**config), clock=clock)  # type: ignore[arg-type]
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def shared() -> Iterator[MockServer]:
    """One default-data server for read-only tests of a module (limits lifted)."""
    server = MockServer(MockConfig(**UNLIMITED))  # type: ignore[arg-type]
    server.start()
    yield server
    server.stop()


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


from mockgithub.pytest_plugin import (  # noqa: E402, F401 - fixtures offered to every user
    mockgithub,
    mockgithub_responses,
    mockgithub_server,
)
