"""How a benchmark reaches the mock server: bench's fixture, or one of its own under asv.

The fixture hands workers the server's URL and its control secret in the environment (never on
a command line or in results); :func:`control_headers` is what a control request must carry.
"""

from __future__ import annotations

import atexit
import os

from mockgithub import MockConfig, ServerProcess, spawn_server
from mockgithub.control import SECRET_HEADER

MOCK_URL_ENV = "BENCH_MOCK_URL"
MOCK_SECRET_ENV = "BENCH_MOCK_CONTROL_SECRET"
REPO = MockConfig().repo

_own_server: list[ServerProcess] = []


def mock_url() -> str:
    """The base URL of the run's mock server; under plain asv, a private one is started."""
    url = os.environ.get(MOCK_URL_ENV)
    if url:
        return url
    return _own().base_url


def control_headers() -> dict[str, str]:
    """The headers of a control request (``/_mock/...``) to the server of :func:`mock_url`."""
    if os.environ.get(MOCK_URL_ENV):
        secret = os.environ.get(MOCK_SECRET_ENV)
        return {SECRET_HEADER: secret} if secret else {}
    return _own().control_headers()


def _own() -> ServerProcess:
    if not _own_server:
        _own_server.append(spawn_server(MockConfig()))
        atexit.register(_own_server[0].stop)
    return _own_server[0]
