"""HTTP transport for the model: aiohttp on loopback, in a thread or in its own process."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

import requests
from aiohttp import web

from mockgithub.config import MockConfig
from mockgithub.model import MockModel, MockRequest

LOOPBACK = "127.0.0.1"


def build_app(model: MockModel) -> web.Application:
    """An aiohttp application that hands every request to ``model``."""

    async def dispatch(request: web.Request) -> web.StreamResponse:
        body = await request.read() if request.can_read_body else b""
        mock_request = MockRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers=dict(request.headers),
            body=body,
        )
        response = model.handle(mock_request)
        if response.delay_s > 0:
            await asyncio.sleep(response.delay_s)
        return web.Response(status=response.status, body=response.body, headers=response.headers)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", dispatch)
    return app


async def _start(model: MockModel, host: str, port: int) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(build_app(model), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=512, reuse_address=True)
    await site.start()
    sockets = site._server.sockets if site._server else []  # noqa: SLF001 - bound port
    bound_port = sockets[0].getsockname()[1]
    model.base_url = f"http://{host}:{bound_port}"
    return runner, model.base_url


class MockServer:
    """The mock on a background thread of this process: ``with MockServer() as url: ...``."""

    def __init__(self, config: MockConfig | None = None, host: str = LOOPBACK, port: int = 0):
        self.model = MockModel(config)
        self._host, self._port = host, port
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    def start(self) -> str:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(
            _start(self.model, self._host, self._port), self._loop
        )
        self._runner, self.base_url = future.result(timeout=10)
        return self.base_url

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._runner = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

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
        runner, url = await _start(MockModel(config), host, port)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if on_ready:
            on_ready(url)
        await stop.wait()
        await runner.cleanup()

    asyncio.run(main())


class ServerProcess:
    """A mock server running in a child process, driven through its control API."""

    def __init__(self, process: subprocess.Popen[str], base_url: str) -> None:
        self.process = process
        self.base_url = base_url
        self._session = requests.Session()

    def configure(self, **changes: Any) -> dict[str, Any]:
        return self._post("config", changes)

    def reset(self) -> None:
        self._post("reset", {})

    def stats(self) -> dict[str, Any]:
        response = self._session.get(f"{self.base_url}/_mock/stats", timeout=10)
        response.raise_for_status()
        return response.json()

    def _post(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.base_url}/_mock/{action}"
        response = self._session.post(url, data=json.dumps(payload), timeout=10)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        self._session.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def spawn_server(config: MockConfig | None = None, startup_timeout: float = 20.0) -> ServerProcess:
    """Start the mock in its own process on an ephemeral loopback port; return once it serves."""
    config = config or MockConfig()
    command = [sys.executable, "-m", "mockgithub", "--config-json", json.dumps(config.to_dict())]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    line = _read_first_line(process, startup_timeout)
    if not line.startswith("http://"):
        process.kill()
        raise RuntimeError(f"mock server did not start: {line or 'no output'}")
    return ServerProcess(process, line)


def _read_first_line(process: subprocess.Popen[str], timeout: float) -> str:
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    return result[0].strip() if result else ""
