"""The model served in-process through ``responses``: no socket, same bodies and headers.

``register(mock, model, base_url)`` routes every request under ``base_url`` to the model;
``mocked_github(config)`` does it in a context manager. Latency is slept; a stall longer than
the request's timeout raises ``ReadTimeout``; a reset raises ``ConnectionError``, as requests
would raise them against the real server.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
import responses

from mockgithub.config import MockConfig
from mockgithub.messages import MockRequest, MockResponse
from mockgithub.model import MockModel

GITHUB_API = "https://api.github.com"
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def register(mock: responses.RequestsMock, model: MockModel, base_url: str | None = None) -> None:
    """Answer every request under ``base_url`` (default: the model's) from ``model``."""
    base = (base_url or model.base_url).rstrip("/")
    model.base_url = base
    pattern = re.compile(re.escape(base) + r"(/.*)?(\?.*)?$")
    for method in METHODS:
        mock.add_callback(method, pattern, lambda r: _answer(model, r), content_type=None)


def _answer(model: MockModel, request: requests.PreparedRequest) -> Any:
    parts = urlsplit(request.url or "")
    body = request.body or b""
    mock_request = MockRequest(
        method=request.method or "GET",
        path=parts.path or "/",
        query=dict(parse_qsl(parts.query, keep_blank_values=True)),
        headers=dict(request.headers),
        body=body.encode() if isinstance(body, str) else bytes(body),
    )
    with model.exchange(mock_request) as response:
        _wait(response, _read_timeout(request))
        if response.fault == "reset":
            reset = ConnectionResetError(104, "Connection reset by peer")
            return requests.ConnectionError(("Connection aborted.", reset), request=request)
        return response.status, list(response.headers), response.body


def _wait(response: MockResponse, timeout: float | None) -> None:
    if response.delay_s <= 0:
        return
    if timeout is not None and timeout < response.delay_s:
        time.sleep(timeout)
        raise requests.ReadTimeout(f"read timed out after {timeout} s (injected stall)")
    time.sleep(response.delay_s)


def _read_timeout(request: requests.PreparedRequest) -> float | None:
    timeout = getattr(request, "req_kwargs", {}).get("timeout")
    if isinstance(timeout, tuple):
        timeout = timeout[1]
    return float(timeout) if timeout is not None else None


@contextmanager
def mocked_github(
    config: MockConfig | None = None, base_url: str = GITHUB_API
) -> Iterator[MockModel]:
    """``with mocked_github() as model:`` requests to ``base_url`` reach a fresh model."""
    model = MockModel(config, base_url)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        register(mock, model, base_url)
        yield model
