"""HTTP access to GitHub's REST API: one session, Link pagination, exact request counters."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from analyzer.config import Config
from analyzer.errors import ApiError

API_VERSION = "2022-11-28"


@dataclass
class ApiCounters:
    """Exact counts of what the client did; the harness records them as metrics."""

    by_status: Counter[int] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, status: int) -> None:
        with self._lock:
            self.by_status[status] += 1

    @property
    def requests(self) -> int:
        return sum(self.by_status.values())

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            counts = {"requests": sum(self.by_status.values())}
            counts.update({f"status_{code}": n for code, n in sorted(self.by_status.items())})
            return counts


class GitHubClient:
    """Reads JSON from the API; every request goes through :meth:`get`."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.counters = ApiCounters()
        self.session = requests.Session()
        self.session.headers.update(
            {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}
        )
        if config.token:
            self.session.headers["Authorization"] = f"Bearer {config.token}"

    def get(self, url: str, params: dict[str, Any] | None = None) -> requests.Response:
        if not url.startswith(("http://", "https://")):
            url = f"{self.config.api_url.rstrip('/')}/{url.lstrip('/')}"
        try:
            response = self.session.get(url, params=params, timeout=self.config.request_timeout_s)
        except requests.RequestException as exc:
            raise ApiError(f"request to {_path_of(url)} failed: {type(exc).__name__}") from None
        self.counters.record(response.status_code)
        if response.status_code >= 400:
            raise ApiError(f"GET {_path_of(url)} answered {response.status_code}")
        return response

    def paginate(self, path: str, key: str, limit: int, per_page: int = 100) -> Iterator[dict]:
        """Items of a list endpoint, following ``Link: rel="next"`` until ``limit`` items."""
        url: str | None = path
        params: dict[str, Any] | None = {"per_page": min(per_page, 100, max(limit, 1))}
        seen = 0
        while url and seen < limit:
            response = self.get(url, params)
            for item in response.json()[key]:
                yield item
                seen += 1
                if seen >= limit:
                    return
            url, params = response.links.get("next", {}).get("url"), None

    def close(self) -> None:
        self.session.close()


def _path_of(url: str) -> str:
    """The URL without scheme and host, so messages stay short and free of credentials."""
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
