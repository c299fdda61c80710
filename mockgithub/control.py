"""The control API under ``/_mock/``: configure, reset, read stats, change the data.

``GET|POST /_mock/config`` (POST applies a partial config), ``POST /_mock/reset``,
``GET /_mock/stats``, ``POST /_mock/runs`` (``{"count": N}`` new runs appear, in progress),
``POST /_mock/complete`` (``{"run_id": ID}``, or ``{}`` for every active run). Control requests
are never rate-limited, delayed, faulted or counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from mockgithub.model import MockModel, MockRequest, MockResponse

JSON = (("content-type", "application/json; charset=utf-8"),)


def control(model: MockModel, request: MockRequest) -> MockResponse:
    action = request.path.removeprefix("/_mock/").rstrip("/")
    handlers = {
        "config": ("GET", "POST"),
        "stats": ("GET",),
        "reset": ("POST",),
        "runs": ("POST",),
        "complete": ("POST",),
    }
    if action not in handlers:
        return _reply(404, {"message": "Not Found"})
    if request.method not in handlers[action]:
        return _reply(405, {"message": f"use {' or '.join(handlers[action])} for /_mock/{action}"})
    try:
        payload = orjson.loads(request.body) if request.body.strip() else {}
        if not isinstance(payload, dict):
            raise ValueError("expected a JSON object")
        return _reply(200, _act(model, action, request.method, payload))
    except (ValueError, TypeError) as exc:  # orjson.JSONDecodeError is a ValueError
        return _reply(422, {"message": str(exc)})


def _act(model: MockModel, action: str, method: str, payload: dict[str, Any]) -> Any:
    if action == "config":
        return (model.reconfigure(payload) if method == "POST" else model.config).to_dict()
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
    from mockgithub.model import MockResponse  # noqa: PLC0415 - the model imports this module

    return MockResponse(status, JSON, orjson.dumps(body))
