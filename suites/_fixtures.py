"""Run-level fixtures of these suites: the mock GitHub server, in its own process."""

from __future__ import annotations

from typing import Any

import requests

from mockgithub import MockConfig, ServerProcess, spawn_server
from mockgithub.control import SECRET_HEADER
from suites._lifetime import dies_with_parent
from suites._mock import MOCK_SECRET_ENV, MOCK_URL_ENV
from suites._redis import RedisFixture


class MockGitHubFixture:
    """Starts the mock once per run, resets it between benchmarks, counts requests per sample."""

    name = "mock"

    def __init__(self, config: MockConfig | None = None) -> None:
        self.config = config or MockConfig()
        self._server: ServerProcess | None = None
        self._session: requests.Session | None = None

    def start(self) -> dict[str, str]:
        # The server dies with the run (kill -9 included), at once, not at its next poll.
        self._server = spawn_server(self.config, preexec_fn=dies_with_parent())
        return {
            MOCK_URL_ENV: self._server.base_url,
            MOCK_SECRET_ENV: self._server.control_secret or "",
        }

    def reset(self) -> None:
        assert self._server is not None
        self._server.configure(**self.config.to_dict())
        self._server.reset()

    def metadata(self) -> dict[str, Any]:
        return {"server": "mockgithub", **self.config.to_dict()}

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def _http(self, env: dict[str, str]) -> requests.Session:
        if self._session is None:
            self._session = requests.Session()
            if env.get(MOCK_SECRET_ENV):
                self._session.headers[SECRET_HEADER] = env[MOCK_SECRET_ENV]
        return self._session

    def before_sample(self, env: dict[str, str]) -> None:
        url = f"{env[MOCK_URL_ENV]}/_mock/reset"
        self._http(env).post(url, json={}, timeout=10).raise_for_status()

    def sample_counters(self, env: dict[str, str]) -> dict[str, int]:
        response = self._http(env).get(f"{env[MOCK_URL_ENV]}/_mock/stats", timeout=10)
        response.raise_for_status()
        return {"requests": int(response.json()["requests_total"])}


def run_fixtures() -> list[MockGitHubFixture | RedisFixture]:
    return [MockGitHubFixture(), RedisFixture()]
