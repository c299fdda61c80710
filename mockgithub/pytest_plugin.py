"""pytest fixtures for code that talks to GitHub: ``pytest_plugins = ["mockgithub.pytest_plugin"]``.

``mockgithub_server``: one real HTTP mock on 127.0.0.1 per session (default config).
``mockgithub``: that server, reset to its seeded state and default config before each test.
``mockgithub_responses``: an in-process model behind ``https://api.github.com`` (``responses``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockgithub.config import MockConfig
from mockgithub.model import MockModel
from mockgithub.responses_adapter import mocked_github
from mockgithub.server import MockServer


@pytest.fixture(scope="session")
def mockgithub_server() -> Iterator[MockServer]:
    server = MockServer(MockConfig())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mockgithub(mockgithub_server: MockServer) -> MockServer:
    mockgithub_server.model.reconfigure(MockConfig().to_dict())
    mockgithub_server.model.reset()
    return mockgithub_server


@pytest.fixture
def mockgithub_responses() -> Iterator[MockModel]:
    with mocked_github() as model:
        yield model
