"""How a benchmark reaches the mock server: bench's fixture, or one of its own under asv."""

from __future__ import annotations

import atexit
import os

from mockgithub import MockConfig, ServerProcess, spawn_server

MOCK_URL_ENV = "BENCH_MOCK_URL"
REPO = MockConfig().repo

_own_server: list[ServerProcess] = []


def mock_url() -> str:
    """The base URL of the run's mock server; under plain asv, a private one is started."""
    url = os.environ.get(MOCK_URL_ENV)
    if url:
        return url
    if not _own_server:
        _own_server.append(spawn_server(MockConfig()))
        atexit.register(_own_server[0].stop)
    return _own_server[0].base_url
