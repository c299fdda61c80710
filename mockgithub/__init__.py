"""A mock of GitHub's REST API for workflow runs, served on loopback.

One model (:mod:`mockgithub.model`) answers requests; transports (:mod:`mockgithub.server`)
carry them over real HTTP.
"""

from mockgithub.config import MockConfig
from mockgithub.model import MockModel, MockRequest, MockResponse
from mockgithub.server import MockServer, ServerProcess, spawn_server

__all__ = [
    "MockConfig",
    "MockModel",
    "MockRequest",
    "MockResponse",
    "MockServer",
    "ServerProcess",
    "spawn_server",
]
