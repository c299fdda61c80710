"""HTTP transport for the model on loopback: on a background thread, or in the foreground.

The wire protocol is :mod:`mockgithub.httpwire`; this module binds it (ephemeral port by
default, a deep listen backlog so 100+ clients can connect at once), sweeps its connections for
timeouts, and runs it. An empty host is refused: it would bind every interface.
"""

from __future__ import annotations

import asyncio
import ipaddress
import signal
import threading
import time
from collections.abc import Callable
from types import TracebackType

from mockgithub.config import MockConfig
from mockgithub.control import ControlAccess
from mockgithub.httpwire import HttpProtocol
from mockgithub.model import MockModel
from mockgithub.wirelimits import Wire, WireLimits

LOOPBACK = "127.0.0.1"
BACKLOG = 1024


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_remote: bool, open_control: bool) -> None:
    """Refuse (``ValueError``) a bind that would expose the mock without being asked to."""
    if not host.strip():
        raise ValueError("an empty host binds every interface; give an address such as 127.0.0.1")
    if is_loopback(host):
        return
    if not allow_remote:
        raise ValueError(f"{host} is not loopback; add --allow-remote to serve other machines")
    if open_control:
        raise ValueError("--open-control is for loopback only: anyone who can connect could use it")


class Listener:
    """A bound server socket, its open connections, and the sweep that times them out."""

    def __init__(self, server: asyncio.Server, wire: Wire) -> None:
        self.server, self.wire = server, wire
        self._sweep: asyncio.TimerHandle | None = None
        self._schedule()

    def _schedule(self) -> None:
        loop = asyncio.get_running_loop()
        self._sweep = loop.call_later(self.wire.limits.sweep_s, self._swept)

    def _swept(self) -> None:
        self.wire.sweep(asyncio.get_running_loop().time())
        self._schedule()

    async def close(self) -> None:
        if self._sweep is not None:
            self._sweep.cancel()
        self.server.close()
        for connection in list(self.wire.connections):
            transport = getattr(connection, "transport", None)
            if transport is not None:
                transport.abort()  # stalled answers must not hold up a shutdown
        await self.server.wait_closed()


async def listen(
    model: MockModel, host: str, port: int, limits: WireLimits | None = None
) -> tuple[Listener, str]:
    """Serve ``model`` on ``host:port`` (0: any free port); return the listener and base URL."""
    if not host:
        raise ValueError("an empty host would bind every interface; name the address to bind")
    wire = Wire(limits)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: HttpProtocol(model, wire), host, port, backlog=BACKLOG, reuse_address=True
    )
    bound_port = server.sockets[0].getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    model.base_url = f"http://{shown}:{bound_port}"
    model.wire = wire
    return Listener(server, wire), model.base_url


class MockServer:
    """The mock on a background thread of this process: ``with MockServer() as url: ...``.

    Control requests over HTTP need ``server.control_headers()`` (the server's secret) unless
    ``open_control``; ``limits`` bounds what each connection may cost.
    """

    def __init__(
        self,
        config: MockConfig | None = None,
        host: str = LOOPBACK,
        port: int = 0,
        clock: Callable[[], float] = time.time,
        *,
        control: ControlAccess | None = None,
        limits: WireLimits | None = None,
    ) -> None:
        self.model = MockModel(config, clock=clock, control=control)
        self._host, self._port, self._limits = host, port, limits
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="mockgithub", daemon=True
        )
        self._listener: Listener | None = None
        self.base_url = ""

    @property
    def control_secret(self) -> str | None:
        return self.model.control_secret

    def control_headers(self) -> dict[str, str]:
        """Headers a control request to this server needs."""
        return self.model.control_access.headers()

    def start(self) -> str:
        """Bind and serve; return the base URL (``http://127.0.0.1:PORT``)."""
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(
            listen(self.model, self._host, self._port, self._limits), self._loop
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
    *,
    control: ControlAccess | None = None,
    limits: WireLimits | None = None,
) -> None:
    """Serve in the foreground until SIGINT or SIGTERM; ``on_ready`` gets the base URL."""

    async def main() -> None:
        model = MockModel(config, control=control)
        listener, url = await listen(model, host, port, limits)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if on_ready:
            on_ready(url)
        await stop.wait()
        await listener.close()

    asyncio.run(main())
