"""Redis for the cache suite: the run's own loopback server, or the one in BENCH_REDIS_URL."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from typing import Any

from suites._lifetime import dies_with_parent

REDIS_URL_ENV = "BENCH_REDIS_URL"
NAMESPACE = "bench-suite"


def redis_url() -> str:
    """The Redis URL for this run; a case without one is skipped (asv's NotImplementedError)."""
    url = os.environ.get(REDIS_URL_ENV)
    if not url:
        raise NotImplementedError(
            "no Redis: redis-server is not installed and BENCH_REDIS_URL is unset"
        )
    return url


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisFixture:
    """Starts a private redis-server on loopback for the run, unless one is given."""

    name = "redis"

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._url = os.environ.get(REDIS_URL_ENV, "")

    def start(self) -> dict[str, str]:
        if not self._url and shutil.which("redis-server"):
            self._url = self._spawn()
        return {REDIS_URL_ENV: self._url} if self._url else {}

    def _spawn(self) -> str:
        port = _free_port()
        self._dir = tempfile.TemporaryDirectory(prefix="bench-redis-")
        command = [
            "redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
            "--appendonly", "no", "--dir", self._dir.name,
        ]  # fmt: skip
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, preexec_fn=dies_with_parent()
        )
        url = f"redis://127.0.0.1:{port}/0"
        import redis  # here, not at the top: every worker loads the fixtures, few use Redis

        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return url
            except redis.ConnectionError:
                time.sleep(0.05)
        self.stop()
        return ""

    def reset(self) -> None:
        if self._url:
            import redis

            client = redis.Redis.from_url(self._url)
            keys = list(client.scan_iter(f"{NAMESPACE}*", count=1000))
            if keys:
                client.delete(*keys)

    def metadata(self) -> dict[str, Any]:
        return {"available": bool(self._url), "private_server": self._process is not None}

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def before_sample(self, env: dict[str, str]) -> None:
        return None

    def sample_counters(self, env: dict[str, str]) -> dict[str, int]:
        return {}
