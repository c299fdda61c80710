"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest_plugins = ["tests.services", "pytester"]


@pytest.fixture(scope="session")
def mock_server() -> Iterator[Any]:
    """One real HTTP mock on 127.0.0.1 for the whole session (default config)."""
    from mockgithub import MockConfig, MockServer

    server = MockServer(MockConfig())
    server.start()
    yield server
    server.stop()
