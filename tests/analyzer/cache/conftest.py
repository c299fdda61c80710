"""Fixtures for the cache tests: a fake clock, every backend kind, and a Redis server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from analyzer.cache import CacheBackend, FileBackend, MemoryBackend, RedisBackend
from analyzer.clock import FakeClock
from tests.services import Service, skip_for

REDIS_START_TIMEOUT_S = 10.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_700_000_000.0)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_redis(url: str, proc: subprocess.Popen[bytes]) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, retry=None)
    deadline = time.monotonic() + REDIS_START_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"redis-server exited with status {proc.returncode}")
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer within {REDIS_START_TIMEOUT_S} s")
    finally:
        client.close()


def spawn_redis() -> tuple[subprocess.Popen[bytes], str]:
    """A private redis-server on a free loopback port, no persistence; skip if none installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_for(Service.REDIS, "no BENCH_REDIS_URL and no redis-server on PATH")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_redis(url, proc)
    except BaseException:
        stop_redis(proc)
        raise
    return proc, url


def stop_redis(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """BENCH_REDIS_URL if set (CI), else our own redis-server on a free loopback port."""
    configured = os.environ.get("BENCH_REDIS_URL")
    if configured:
        yield configured
        return
    proc, url = spawn_redis()
    try:
        yield url
    finally:
        stop_redis(proc)


@pytest.fixture
def namespace() -> str:
    """A namespace of this test's own, so tests never touch each other's (or anyone's) keys."""
    return f"bench-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def redis_backend(redis_url: str, namespace: str) -> Iterator[RedisBackend]:
    backend = RedisBackend.connect(redis_url, namespace)
    yield backend
    backend.clear()  # only this namespace
    backend.close()


@pytest.fixture(params=["memory", "file", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CacheBackend]:
    """Each backend kind in turn, empty."""
    if request.param == "memory":
        yield MemoryBackend()
    elif request.param == "file":
        yield FileBackend(tmp_path / "cache")
    else:
        yield request.getfixturevalue("redis_backend")
