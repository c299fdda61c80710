"""The mock's route logic, independent of any transport.

A transport turns an HTTP request into a :class:`MockRequest`, calls :meth:`MockModel.handle`
and writes the :class:`MockResponse` back, waiting ``delay_s`` first.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from mockgithub.config import MockConfig
from mockgithub.dataset import Dataset, RunRecord, iso

DOCS = "https://docs.github.com/rest"
JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class MockRequest:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class MockResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    delay_s: float = 0.0

    def json(self) -> Any:
        return json.loads(self.body)


class MockModel:
    """Answers GitHub REST requests from a seeded dataset; thread-safe."""

    def __init__(
        self, config: MockConfig | None = None, base_url: str = "http://127.0.0.1"
    ) -> None:
        self._lock = threading.Lock()
        self.base_url = base_url.rstrip("/")
        self._configure(config or MockConfig())

    def _configure(self, config: MockConfig) -> None:
        self.config = config
        self.dataset = Dataset(config.seed, config.runs, config.workflows)
        self._stats: Counter[str] = Counter()

    # -- control -------------------------------------------------------------
    def reconfigure(self, changes: dict[str, Any]) -> MockConfig:
        with self._lock:
            self._configure(self.config.updated(changes))
            return self.config

    def reset(self) -> None:
        with self._lock:
            self._stats = Counter()

    def stats(self) -> dict[str, Any]:
        with self._lock:
            requests = {k[4:]: v for k, v in self._stats.items() if k.startswith("req:")}
            return {"requests_total": sum(requests.values()), "requests": requests}

    # -- dispatch ------------------------------------------------------------
    def handle(self, request: MockRequest) -> MockResponse:
        if request.path.startswith("/_mock/"):
            return self._control(request)
        endpoint, response = self._route(request)
        with self._lock:
            self._stats[f"req:{endpoint} {response.status}"] += 1
        return response

    def _route(self, request: MockRequest) -> tuple[str, MockResponse]:
        path = request.path.rstrip("/") or "/"
        if path == "/rate_limit":
            return "rate_limit", self._json(200, self._rate_limit_body())
        prefix = f"/repos/{self.config.repo}"
        if path == prefix:
            return "repository", self._json(200, self._repository())
        if path == f"{prefix}/actions/runs":
            return "runs", self._runs_page(request)
        if re.fullmatch(r"/repos/[^/]+/[^/]+(/.*)?", path):
            return "not_found", self._error(404, "Not Found")
        return "not_found", self._error(404, "Not Found")

    # -- bodies --------------------------------------------------------------
    def _rate_limit_body(self) -> dict[str, Any]:
        reset = int(time.time()) + 3600
        core = {"limit": 5000, "remaining": 5000, "reset": reset, "used": 0, "resource": "core"}
        return {"resources": {"core": core}, "rate": core}

    def _repository(self) -> dict[str, Any]:
        owner, name = self.config.repo.split("/", 1)
        return {
            "id": 1296269,
            "name": name,
            "full_name": self.config.repo,
            "owner": {"login": owner},
            "url": f"{self.base_url}/repos/{self.config.repo}",
        }

    def _run(self, run: RunRecord) -> dict[str, Any]:
        url = f"{self.base_url}/repos/{self.config.repo}/actions/runs/{run.id}"
        return {
            "id": run.id,
            "name": run.workflow.name,
            "head_branch": run.head_branch,
            "head_sha": run.head_sha,
            "path": run.workflow.path,
            "run_number": run.run_number,
            "event": run.event,
            "status": run.status,
            "conclusion": run.conclusion,
            "workflow_id": run.workflow.id,
            "url": url,
            "created_at": iso(run.created_at),
            "updated_at": iso(run.updated_at),
            "run_started_at": iso(run.started_at),
            "jobs_url": f"{url}/jobs",
        }

    def _runs_page(self, request: MockRequest) -> MockResponse:
        per_page = min(100, int(request.query.get("per_page", 30)))
        page = int(request.query.get("page", 1))
        total = self.config.runs
        runs = self.dataset.newest_first((page - 1) * per_page, per_page)
        body = {"total_count": total, "workflow_runs": [self._run(r) for r in runs]}
        last = max(1, -(-total // per_page))
        headers = self._link_header(request.path, per_page, page, last)
        return self._json(200, body, headers)

    def _link_header(
        self, path: str, per_page: int, page: int, last: int
    ) -> tuple[tuple[str, str], ...]:
        def url(n: int) -> str:
            return f"{self.base_url}{path}?{urlencode({'per_page': per_page, 'page': n})}"

        links = []
        if page < last:
            links += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
        if page > 1:
            links += [f'<{url(1)}>; rel="first"', f'<{url(page - 1)}>; rel="prev"']
        return (("Link", ", ".join(links)),) if links else ()

    # -- control API ---------------------------------------------------------
    def _control(self, request: MockRequest) -> MockResponse:
        action = request.path.removeprefix("/_mock/")
        if action == "stats":
            return self._json(200, self.stats())
        if action == "reset" and request.method == "POST":
            self.reset()
            return self._json(200, {"reset": True})
        if action == "config":
            if request.method == "POST":
                try:
                    self.reconfigure(json.loads(request.body or b"{}"))
                except (ValueError, TypeError) as exc:
                    return self._error(422, str(exc))
            return self._json(200, self.config.to_dict())
        return self._error(404, "Not Found")

    # -- helpers -------------------------------------------------------------
    def _json(
        self, status: int, body: Any, extra: tuple[tuple[str, str], ...] = ()
    ) -> MockResponse:
        data = json.dumps(body, separators=(",", ":")).encode()
        headers = (("Content-Type", JSON_TYPE),) + extra
        return MockResponse(status, headers, data, self._delay())

    def _error(self, status: int, message: str) -> MockResponse:
        return self._json(status, {"message": message, "documentation_url": DOCS})

    def _delay(self) -> float:
        return self.config.latency_ms / 1000.0
