"""A faithful mock of GitHub's REST API for workflow runs, served on loopback.

One model (:mod:`mockgithub.model`) answers requests; thin transports carry them: a small
asyncio HTTP/1.1 server (:mod:`mockgithub.httpwire`) on a thread (:class:`MockServer`) or in its
own process (:func:`spawn_server`), and an in-process ``responses`` adapter
(:mod:`mockgithub.responses_adapter`).

The names below are imported when first used: a benchmark worker needs the configuration and
the server process (``suites._mock``), not the model and its GraphQL schema, whose imports took
0.23 s of the 0.58 s a worker spent importing ``suites.cache`` (``python -X importtime``), in
every worker process.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockgithub.config import MockConfig
    from mockgithub.messages import MockRequest, MockResponse
    from mockgithub.model import MockModel
    from mockgithub.process import ServerProcess, ServerStartError, spawn_server
    from mockgithub.server import MockServer

_HOME = {
    "MockConfig": "mockgithub.config",
    "MockModel": "mockgithub.model",
    "MockRequest": "mockgithub.messages",
    "MockResponse": "mockgithub.messages",
    "MockServer": "mockgithub.server",
    "ServerProcess": "mockgithub.process",
    "ServerStartError": "mockgithub.process",
    "spawn_server": "mockgithub.process",
}

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


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'mockgithub' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
