"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockgithub import MockConfig, MockServer


@pytest.fixture(scope="session")
def mock_server() -> Iterator[MockServer]:
    """One real HTTP mock on 127.0.0.1 for the whole session (default config)."""
    server = MockServer(MockConfig())
    server.start()
    yield server
    server.stop()
