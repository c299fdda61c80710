"""The control API under ``/_mock/``: configure, reset, read stats, change the data.

``GET|POST /_mock/config`` (POST applies a partial config), ``POST /_mock/reset``,
``GET /_mock/stats``, ``POST /_mock/runs`` (``{"count": N}`` new runs appear, in progress),
``POST /_mock/complete`` (``{"run_id": ID}``, or ``{}`` for every active run). Control requests
are never rate-limited, delayed, faulted or counted.

Who may use it (:class:`ControlAccess`): a request must carry the server's secret in
``X-Mock-Control-Secret`` (random, made when the server starts) unless the server was started
with its control API open; a ``Host`` header must name an IP address or ``localhost`` (a DNS
name could be an attacker's, rebound to 127.0.0.1); a POST must be ``application/json`` (a
browser form cannot send that without the server's consent). A new ``fixture`` is read only
from inside the directory the server was given for that, so the API reveals nothing about
other paths.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from mockgithub.messages import MockRequest, MockResponse

if TYPE_CHECKING:  # the model imports this module; the type alone is needed here
    from mockgithub.model import MockModel

JSON = (("content-type", "application/json; charset=utf-8"),)
SECRET_HEADER = "X-Mock-Control-Secret"
SECRET_ENV = "MOCKGITHUB_CONTROL_SECRET"  # how a parent hands the secret to a child server
_HANDLERS = {
    "config": ("GET", "POST"),
    "stats": ("GET",),
    "reset": ("POST",),
    "runs": ("POST",),
    "complete": ("POST",),
}


class ControlRefused(Exception):
    """A control request that is well-formed but not allowed (HTTP 403)."""


@dataclass(frozen=True)
class ControlAccess:
    """Who may use the control API, and which fixtures it may load."""

    secret: str | None = field(default=None, repr=False)  # None: open to anyone who connects
    fixture_dir: Path | None = None

    @classmethod
    def guarded(cls, secret: str | None = None, fixture_dir: Path | None = None) -> ControlAccess:
        """Access with ``secret`` (a fresh random one if not given)."""
        return cls(secret or secrets.token_urlsafe(32), fixture_dir)

    @classmethod
    def from_environment(cls, open_control: bool, fixture_dir: Path | None) -> ControlAccess:
        """Open, or guarded by the secret a parent put in ``$MOCKGITHUB_CONTROL_SECRET``."""
        if open_control:
            return cls(None, fixture_dir)
        return cls.guarded(os.environ.get(SECRET_ENV) or None, fixture_dir)

    def headers(self) -> dict[str, str]:
        """The headers a control request needs."""
        return {SECRET_HEADER: self.secret} if self.secret else {}

    def allows(self, request: MockRequest) -> bool:
        if self.secret is None:
            return True
        given = request.header(SECRET_HEADER) or ""
        return hmac.compare_digest(given.encode("latin-1", "replace"), self.secret.encode())

    def fixture_path(self, wanted: str) -> str:
        """``wanted`` resolved inside ``fixture_dir``; the same refusal for any other path."""
        if self.fixture_dir is not None:
            root = os.path.realpath(self.fixture_dir)
            resolved = os.path.realpath(os.path.join(root, wanted))
            if resolved.startswith(root + os.sep):
                return resolved
        where = f"inside {self.fixture_dir}" if self.fixture_dir else "(no --fixture-dir given)"
        raise ControlRefused(f"fixture: the control API loads fixtures only from {where}")


def control(model: MockModel, request: MockRequest) -> MockResponse:
    refusal = _refusal(model.control_access, request)
    if refusal is not None:
        return refusal
    action = request.path.removeprefix("/_mock/").rstrip("/")
    if action not in _HANDLERS:
        return _reply(404, {"message": "Not Found"})
    if request.method not in _HANDLERS[action]:
        return _reply(405, {"message": f"use {' or '.join(_HANDLERS[action])} for /_mock/{action}"})
    if request.method == "POST" and not _is_json(request.header("content-type")):
        return _reply(415, {"message": "control requests take Content-Type: application/json"})
    try:
        payload = orjson.loads(request.body) if request.body.strip() else {}
        if not isinstance(payload, dict):
            raise ValueError("expected a JSON object")
        return _reply(200, _act(model, action, request.method, payload))
    except ControlRefused as exc:
        return _reply(403, {"message": str(exc)})
    except (ValueError, TypeError) as exc:  # orjson.JSONDecodeError is a ValueError
        return _reply(422, {"message": str(exc)})


def _refusal(access: ControlAccess, request: MockRequest) -> MockResponse | None:
    if not _host_allowed(request.header("host")):
        return _reply(403, {"message": "control requests must name the server by address"})
    if not access.allows(request):
        message = f"control requests need the {SECRET_HEADER} header printed when the mock started"
        return _reply(403, {"message": message})
    return None


def _host_allowed(host: str | None) -> bool:
    """No Host, an IP address, or localhost: never a DNS name that could be rebound to us."""
    if not host:
        return True
    if host.startswith("["):  # [v6]:port
        name = host[1 : host.find("]")] if "]" in host else ""
    else:
        name = host.rsplit(":", 1)[0]
    if name.lower() == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json"


def _act(model: MockModel, action: str, method: str, payload: dict[str, Any]) -> Any:
    if action == "config":
        if method == "GET":
            return model.config.to_dict()
        fixture = payload.get("fixture")
        if isinstance(fixture, str) and fixture != model.config.fixture:
            payload = {**payload, "fixture": model.control_access.fixture_path(fixture)}
        return model.reconfigure(payload).to_dict()
    if action == "stats":
        return model.stats()
    if action == "reset":
        model.reset()
        return {"reset": True}
    if action == "runs":
        count = payload.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 10_000:
            raise ValueError("count: expected an integer from 1 to 10000")
        return {"added": model.add_runs(count)}
    run_id = payload.get("run_id")
    if run_id is not None and (not isinstance(run_id, int) or isinstance(run_id, bool)):
        raise ValueError("run_id: expected an integer")
    return {"completed": model.complete_runs(run_id)}


def _reply(status: int, body: Any) -> MockResponse:
    return MockResponse(status, JSON, orjson.dumps(body))
