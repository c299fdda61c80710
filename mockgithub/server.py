"""HTTP transport for the model on loopback: on a background thread, or in the foreground.

The wire protocol is :mod:`mockgithub.httpwire`; this module binds it (ephemeral port by
default, a deep listen backlog so 100+ clients can connect at once) and runs it.
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections.abc import Callable
from types import TracebackType

from mockgithub.config import MockConfig
from mockgithub.httpwire import HttpProtocol
from mockgithub.model import MockModel

LOOPBACK = "127.0.0.1"
BACKLOG = 1024


class Listener:
    """A bound server socket and its open connections."""

    def __init__(self, server: asyncio.Server, connections: set[HttpProtocol]) -> None:
        self.server, self.connections = server, connections

    async def close(self) -> None:
        self.server.close()
        for connection in list(self.connections):
            if connection.transport is not None:
                connection.transport.abort()  # stalled answers must not hold up a shutdown
        await self.server.wait_closed()


async def listen(model: MockModel, host: str, port: int) -> tuple[Listener, str]:
    """Serve ``model`` on ``host:port`` (0: any free port); return the listener and base URL."""
    connections: set[HttpProtocol] = set()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: HttpProtocol(model, connections), host, port, backlog=BACKLOG, reuse_address=True
    )
    bound_port = server.sockets[0].getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    model.base_url = f"http://{shown}:{bound_port}"
    return Listener(server, connections), model.base_url


class MockServer:
    """The mock on a background thread of this process: ``with MockServer() as url: ...``."""

    def __init__(
        self,
        config: MockConfig | None = None,
        host: str = LOOPBACK,
        port: int = 0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.model = MockModel(config, clock=clock)
        self._host, self._port = host, port
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="mockgithub", daemon=True
        )
        self._listener: Listener | None = None
        self.base_url = ""

    def start(self) -> str:
        """Bind and serve; return the base URL (``http://127.0.0.1:PORT``)."""
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(
            listen(self.model, self._host, self._port), self._loop
        )
        self._listener, self.base_url = future.result(timeout=10)
        return self.base_url

    def stop(self) -> None:
        if self._listener is not None:
            asyncio.run_coroutine_threadsafe(self._listener.close(), self._loop).result(10)
            self._listener = None
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop.close()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve_forever(
    config: MockConfig,
    host: str = LOOPBACK,
    port: int = 0,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve in the foreground until SIGINT or SIGTERM; ``on_ready`` gets the base URL."""

    async def main() -> None:
        listener, url = await listen(MockModel(config), host, port)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if on_ready:
            on_ready(url)
        await stop.wait()
        await listener.close()

    asyncio.run(main())
