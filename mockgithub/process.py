"""The mock in its own process: ``spawn_server`` starts ``python -m mockgithub`` and drives it
through the control API, so the server's CPU work never competes with the caller's GIL.

The control secret is made here and handed to the child in its environment (readable by this
user only, unlike its command line); the child does not print it.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import requests

from mockgithub.config import MockConfig
from mockgithub.control import SECRET_ENV, SECRET_HEADER


class ServerStartError(RuntimeError):
    """The child process did not print a base URL in time."""


class ServerProcess:
    """A mock server running in a child process, driven through its control API."""

    def __init__(
        self, process: subprocess.Popen[str], base_url: str, control_secret: str | None = None
    ) -> None:
        self.process = process
        self.base_url = base_url
        self.control_secret = control_secret
        self._session = requests.Session()
        self._session.headers.update(self.control_headers())

    def control_headers(self) -> dict[str, str]:
        """Headers a control request to this server needs."""
        return {SECRET_HEADER: self.control_secret} if self.control_secret else {}

    def configure(self, **changes: Any) -> dict[str, Any]:
        """Apply config changes (``MockConfig`` field names); return the full config."""
        return self._post("config", changes)

    def reset(self) -> None:
        self._post("reset", {})

    def stats(self) -> dict[str, Any]:
        response = self._session.get(f"{self.base_url}/_mock/stats", timeout=10)
        response.raise_for_status()
        stats: dict[str, Any] = response.json()
        return stats

    def add_runs(self, count: int = 1) -> list[int]:
        added: list[int] = self._post("runs", {"count": count})["added"]
        return added

    def complete_runs(self, run_id: int | None = None) -> list[int]:
        done: list[int] = self._post("complete", {"run_id": run_id} if run_id else {})["completed"]
        return done

    def _post(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.base_url}/_mock/{action}"
        response = self._session.post(url, json=payload, timeout=10)
        if response.status_code == 422:
            raise ValueError(response.json().get("message", "rejected by the mock"))
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    def stop(self) -> None:
        self._session.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def spawn_server(
    config: MockConfig | None = None,
    startup_timeout: float = 20.0,
    preexec_fn: Callable[[], None] | None = None,
) -> ServerProcess:
    """Start the mock in its own process on an ephemeral loopback port; return once it serves.

    ``preexec_fn`` runs in the child before exec: a caller can tie the server's life to its
    own there (bench's run fixture asks Linux for SIGTERM when the run dies); without it the
    server still notices a dead parent by polling (``--exit-with-parent``)."""
    config = config or MockConfig()
    secret = secrets.token_urlsafe(32)
    command = [
        sys.executable, "-m", "mockgithub", "--exit-with-parent",
        "--config-json", json.dumps(config.to_dict()),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1", SECRET_ENV: secret}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env=env, preexec_fn=preexec_fn
    )
    line = _read_first_line(process, startup_timeout)
    if not line.startswith("http://"):
        process.kill()
        process.wait()
        raise ServerStartError(f"mock server did not start: {line or 'no output'}")
    return ServerProcess(process, line, secret)


def _read_first_line(process: subprocess.Popen[str], timeout: float) -> str:
    result: list[str] = []
    stdout = process.stdout
    assert stdout is not None  # Popen was given stdout=PIPE
    reader = threading.Thread(target=lambda: result.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0].strip() if result else ""
