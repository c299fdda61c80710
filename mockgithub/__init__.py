"""A faithful mock of GitHub's REST API for workflow runs, served on loopback.

One model (:mod:`mockgithub.model`) answers requests; thin transports carry them: a small
asyncio HTTP/1.1 server (:mod:`mockgithub.httpwire`) on a thread (:class:`MockServer`) or in its
own process (:func:`spawn_server`), and an in-process ``responses`` adapter
(:mod:`mockgithub.responses_adapter`).
"""

from mockgithub.config import MockConfig
from mockgithub.messages import MockRequest, MockResponse
from mockgithub.model import MockModel
from mockgithub.process import ServerProcess, ServerStartError, spawn_server
from mockgithub.server import MockServer

__all__ = [
    "MockConfig",
    "MockModel",
    "MockRequest",
    "MockResponse",
    "MockServer",
    "ServerProcess",
    "ServerStartError",
    "spawn_server",
]
