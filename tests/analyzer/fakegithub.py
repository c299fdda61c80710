"""A small GitHub stand-in on the ``responses`` library, for exact and fault-scripted tests.

It serves ``/repos/{repo}/actions/runs`` (Link pagination) and ``/actions/runs/{id}/jobs`` with
ETags and 304s and ``x-ratelimit-*`` headers. ``faults`` is a list consumed in request order:
``None`` answers normally, an int answers with that status, ``"reset"`` raises a connection
error and ``"truncate"`` cuts the body in half.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import responses

BASE = "https://api.example.test"
REPO = "octo/repo"
WORKFLOWS = ((11, "CI", 600.0), (12, "Nightly", 1500.0), (13, "Docs", 60.0))


def make_run(number: int) -> dict[str, Any]:
    """Run ``number`` (1 oldest): deterministic workflow, duration and conclusion."""
    wf_id, name, base = WORKFLOWS[number % len(WORKFLOWS)]
    duration = base + (number * 37) % 120
    conclusion = ("success", "success", "success", "failure", "cancelled")[number % 5]
    minute = number * 7
    return {
        "id": 5000 + number,
        "name": name,
        "workflow_id": wf_id,
        "status": "completed",
        "conclusion": conclusion,
        "run_attempt": 2 if number % 10 == 0 else 1,
        "created_at": _stamp(minute * 60),
        "run_started_at": _stamp(minute * 60 + 5),
        "updated_at": _stamp(minute * 60 + 5 + int(duration)),
        "jobs_url": f"{BASE}/repos/{REPO}/actions/runs/{5000 + number}/jobs",
    }


def make_jobs(run_id: int) -> list[dict[str, Any]]:
    number = run_id - 5000
    jobs = []
    for index in range(1 + number % 3):
        start = number * 420 + 10 + index
        jobs.append(
            {
                "id": run_id * 10 + index,
                "run_id": run_id,
                "name": f"job-{index}",
                "status": "completed",
                "conclusion": "success",
                "created_at": _stamp(start - 3 - index),
                "started_at": _stamp(start),
                "completed_at": _stamp(start + 30 + (number * 13 + index * 7) % 400),
            }
        )
    return jobs


def _stamp(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    day, hour = divmod(hours, 24)
    return f"2026-01-{1 + day:02d}T{hour:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


@dataclass
class FakeGitHub:
    """Route logic plus exact counts of what it answered."""

    runs: int = 250
    faults: list[Any] = field(default_factory=list)
    remaining: int = 5000
    reset_at: int = 2_000_000_000
    extra_headers: dict[str, str] = field(default_factory=dict)
    seen: Counter[str] = field(default_factory=Counter)
    auth_headers: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)  # every URL requested, query string included

    def install(self, mock: responses.RequestsMock) -> None:
        mock.add_callback(responses.GET, re.compile(rf"{re.escape(BASE)}/.*"), self.handle)

    def handle(self, request: requests.PreparedRequest) -> Any:
        self.auth_headers.append(request.headers.get("Authorization", ""))
        self.urls.append(str(request.url))
        fault = self.faults.pop(0) if self.faults else None
        kind = "jobs" if request.path_url.split("?")[0].endswith("/jobs") else "runs"
        if fault == "reset":
            self.seen[f"{kind} reset"] += 1
            return requests.ConnectionError("Connection reset by peer")
        status, body = self._route(request)
        if isinstance(fault, int):
            self.seen[f"{kind} {fault}"] += 1
            return fault, self._headers(), json.dumps({"message": "boom"})
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
        headers = {**self._headers(), "ETag": etag, **self._links(request)}
        if request.headers.get("If-None-Match") == etag:
            self.seen[f"{kind} 304"] += 1
            return 304, headers, ""
        self.seen[f"{kind} {status}"] += 1
        if fault == "truncate":
            return status, headers, body[: len(body) // 2]
        return status, headers, body

    def _headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(self.reset_at),
            **self.extra_headers,
        }

    def _route(self, request: requests.PreparedRequest) -> tuple[int, str]:
        parts = urlsplit(request.url or "")
        query = parse_qs(parts.query)
        match = re.fullmatch(rf"/repos/{REPO}/actions/runs/(\d+)/jobs", parts.path)
        if match:
            jobs = make_jobs(int(match.group(1)))
            return 200, json.dumps({"total_count": len(jobs), "jobs": jobs})
        if parts.path == f"/repos/{REPO}/actions/runs":
            per_page, page = _int(query, "per_page", 30), _int(query, "page", 1)
            first = self.runs - (page - 1) * per_page
            numbers = range(first, max(0, first - per_page), -1)
            body = {"total_count": self.runs, "workflow_runs": [make_run(n) for n in numbers]}
            return 200, json.dumps(body)
        return 404, json.dumps({"message": "Not Found"})

    def _links(self, request: requests.PreparedRequest) -> dict[str, str]:
        parts = urlsplit(request.url or "")
        if not parts.path.endswith("/actions/runs"):
            return {}
        query = parse_qs(parts.query)
        per_page, page = min(100, _int(query, "per_page", 30)), _int(query, "page", 1)
        last = max(1, -(-self.runs // per_page))
        if page >= last:
            return {}
        url = f"{BASE}{parts.path}?per_page={per_page}&page={page + 1}"
        return {"Link": f'<{url}>; rel="next", <{BASE}{parts.path}?page={last}>; rel="last"'}


def _int(query: dict[str, list[str]], name: str, default: int) -> int:
    return int(query.get(name, [default])[0])
