"""GitHub's REST routes for one repository: which body, status, Link and Last-Modified a GET gets.

Routes speak canonical URLs (see :mod:`mockgithub.payloads`) and know nothing about rate limits,
faults or transports; the model wraps them.
"""

from __future__ import annotations

import calendar
import re
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from mockgithub import query as q
from mockgithub.payloads import CANONICAL_BASE
from mockgithub.source import Source

DOCS = "https://docs.github.com/rest"
# Ids are [0-9]+, not \d+: \d matches any script's digits (٣), which int() then accepts.
_SEGMENT = r"[^/]+"
_ROUTES = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("repository", r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)"),
        ("workflows", r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/workflows"),
        ("workflow", r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/workflows/(?P<w>[^/]+)"),
        ("workflow_runs", r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/workflows/(?P<w>[^/]+)/runs"),
        ("runs", r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/runs"),
        ("run", r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/runs/(?P<id>[0-9]+)"),
        (
            "attempt",
            r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/runs/(?P<id>[0-9]+)/attempts/(?P<n>[0-9]+)",
        ),
        (
            "attempt_jobs",
            r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/runs/(?P<id>[0-9]+)/attempts/(?P<n>[0-9]+)/jobs",
        ),
        ("jobs", r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/runs/(?P<id>[0-9]+)/jobs"),
        ("timing", r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/runs/(?P<id>[0-9]+)/timing"),
        ("job", r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/jobs/(?P<id>[0-9]+)"),
    )
)


@dataclass(frozen=True)
class Outcome:
    """A route's answer before serialization; ``link`` and URLs in ``body`` are canonical."""

    endpoint: str
    status: int
    body: Any
    link: str = ""
    last_modified: int | None = None


def classify(path: str) -> tuple[str, dict[str, str]]:
    """The endpoint name of ``path`` and its path parameters (``not_found`` if none)."""
    path = path.rstrip("/") or "/"
    if path == "/rate_limit":
        return "rate_limit", {}
    if path == "/graphql":
        return "graphql", {}
    if path.startswith("/repos/"):
        for name, pattern in _ROUTES:
            match = pattern.fullmatch(path)
            if match:
                return name, match.groupdict()
    return "not_found", {}


def error(endpoint: str, status: int, message: str) -> Outcome:
    return Outcome(endpoint, status, {"message": message, "documentation_url": DOCS})


def epoch(iso_text: str | None) -> int | None:
    if not iso_text:
        return None
    return calendar.timegm(time.strptime(iso_text[:19], "%Y-%m-%dT%H:%M:%S"))


class Routes:
    """Answers GETs for the repository held by ``source``."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._filtered: OrderedDict[tuple[object, ...], list[int]] = OrderedDict()

    def answer(self, path: str, query: Mapping[str, str]) -> Outcome:
        endpoint, params = classify(path)
        if endpoint in ("not_found", "rate_limit", "graphql"):
            return error("not_found", 404, "Not Found")
        if f"{params['o']}/{params['r']}".lower() != self.source.full_name.lower():
            return error(endpoint, 404, "Not Found")
        try:
            outcome = getattr(self, f"_{endpoint}")(path.rstrip("/"), query, params)
        except q.InvalidParameter as exc:
            return error(endpoint, 422, str(exc))
        return outcome or error(endpoint, 404, "Not Found")

    # -- single objects --------------------------------------------------------
    def _repository(self, path: str, query: Mapping[str, str], params: dict[str, str]) -> Outcome:
        body = self.source.repository()
        return Outcome("repository", 200, body, last_modified=epoch(body.get("pushed_at")))

    def _workflow_by(self, ref: str) -> dict[str, Any] | None:
        for item in self.source.workflows():
            if str(item["id"]) == ref or item["path"].rsplit("/", 1)[-1] == ref:
                return item
        return None

    def _workflow(
        self, path: str, query: Mapping[str, str], params: dict[str, str]
    ) -> Outcome | None:
        item = self._workflow_by(params["w"])
        if item is None:
            return None
        return Outcome("workflow", 200, item, last_modified=epoch(item.get("updated_at")))

    def _run(self, path: str, query: Mapping[str, str], params: dict[str, str]) -> Outcome | None:
        with_prs = not q.boolean(query, "exclude_pull_requests")
        body = self.source.run(int(params["id"]), with_prs)
        return self._single("run", body)

    def _attempt(
        self, path: str, query: Mapping[str, str], params: dict[str, str]
    ) -> Outcome | None:
        body = self.source.attempt(int(params["id"]), int(params["n"]))
        return self._single("attempt", body)

    def _job(self, path: str, query: Mapping[str, str], params: dict[str, str]) -> Outcome | None:
        body = self.source.job(int(params["id"]))
        if body is None:
            return None
        stamp = body.get("completed_at") or body.get("started_at")
        return Outcome("job", 200, body, last_modified=epoch(stamp))

    def _timing(
        self, path: str, query: Mapping[str, str], params: dict[str, str]
    ) -> Outcome | None:
        run = self.source.run(int(params["id"]))
        body = self.source.timing(int(params["id"])) if run else None
        if body is None or run is None:
            return None
        return Outcome("timing", 200, body, last_modified=epoch(run["updated_at"]))

    @staticmethod
    def _single(endpoint: str, body: dict[str, Any] | None) -> Outcome | None:
        if body is None:
            return None
        return Outcome(endpoint, 200, body, last_modified=epoch(body.get("updated_at")))

    # -- lists -------------------------------------------------------------------
    def _workflows(self, path: str, query: Mapping[str, str], params: dict[str, str]) -> Outcome:
        page = q.page_of(query)
        items = self.source.workflows()
        chosen = items[page.offset : page.offset + page.per_page]
        stamps = [epoch(i.get("updated_at")) or 0 for i in chosen]
        body = {"total_count": len(items), "workflows": chosen}
        link = _link(path, query, page, len(items))
        return Outcome("workflows", 200, body, link, max(stamps, default=None))

    def _runs(self, path: str, query: Mapping[str, str], params: dict[str, str]) -> Outcome:
        return self._run_list("runs", path, query, None)

    def _workflow_runs(
        self, path: str, query: Mapping[str, str], params: dict[str, str]
    ) -> Outcome | None:
        item = self._workflow_by(params["w"])
        if item is None:
            return None
        return self._run_list("workflow_runs", path, query, item["id"])

    def _run_list(
        self, endpoint: str, path: str, query: Mapping[str, str], workflow_id: int | None
    ) -> Outcome:
        page = q.page_of(query)
        with_prs = not q.boolean(query, "exclude_pull_requests")
        key, predicate = q.run_filter(query)
        if not key and workflow_id is None:
            total = self.source.run_count()
            ids = self.source.newest_ids(page.offset, page.per_page)
        else:
            matching = self.matching(key, workflow_id, predicate)
            total = len(matching)
            reachable = matching[: q.FILTERED_RESULT_CAP] if key else matching
            ids = reachable[page.offset : page.offset + page.per_page]
        runs = [self.source.run(i, with_prs) for i in ids]
        body = {"total_count": total, "workflow_runs": runs}
        stamps = [epoch(r["updated_at"]) or 0 for r in runs if r]
        link = _link(path, query, page, total)
        return Outcome(endpoint, 200, body, link, max(stamps, default=None))

    def matching(
        self, key: tuple[tuple[str, str], ...], workflow_id: int | None, predicate: q.RunPredicate
    ) -> list[int]:
        """Ids of matching runs, newest first; cached until the data changes."""
        cache_key = (key, workflow_id, self.source.version)
        found = self._filtered.get(cache_key)
        if found is None:
            found = [
                r.id
                for r in self.source.index()
                if (workflow_id is None or r.workflow_id == workflow_id) and predicate(r)
            ]
            self._filtered[cache_key] = found
            while len(self._filtered) > 32:
                self._filtered.popitem(last=False)
        return found

    def _jobs(self, path: str, query: Mapping[str, str], params: dict[str, str]) -> Outcome | None:
        which = query.get("filter", "latest")
        if which not in ("latest", "all"):
            raise q.InvalidParameter(f"Invalid value for parameter 'filter': {which!r}")
        run = self.source.run(int(params["id"]))
        if run is None:
            return None
        attempt = run.get("run_attempt", 1) if which == "latest" else None
        return self._job_list("jobs", path, query, int(params["id"]), attempt)

    def _attempt_jobs(
        self, path: str, query: Mapping[str, str], params: dict[str, str]
    ) -> Outcome | None:
        return self._job_list("attempt_jobs", path, query, int(params["id"]), int(params["n"]))

    def _job_list(
        self, endpoint: str, path: str, query: Mapping[str, str], run_id: int, attempt: int | None
    ) -> Outcome | None:
        page = q.page_of(query)
        jobs = self.source.jobs(run_id, attempt)
        if jobs is None:
            return None
        chosen = jobs[page.offset : page.offset + page.per_page]
        stamps = [epoch(j.get("completed_at") or j.get("started_at")) or 0 for j in chosen]
        body = {"total_count": len(jobs), "jobs": chosen}
        link = _link(path, query, page, len(jobs))
        return Outcome(endpoint, 200, body, link, max(stamps, default=None))


def _link(path: str, query: Mapping[str, str], page: q.Page, total: int) -> str:
    """GitHub's Link header: next/last before the last page, first/prev from page 2 on."""
    last = page.last(total)
    if last == 1 and page.number == 1:
        return ""
    kept = [(k, v) for k, v in query.items() if k not in ("page", "per_page")]

    def url(number: int) -> str:
        params = urlencode([*kept, ("per_page", page.per_page), ("page", number)])
        return f"<{CANONICAL_BASE}{path}?{params}>"

    links = []
    if page.number > 1:
        links += [f'{url(page.number - 1)}; rel="prev"']
    if page.number < last:
        links += [f'{url(page.number + 1)}; rel="next"', f'{url(last)}; rel="last"']
    if page.number > 1:
        links += [f'{url(1)}; rel="first"']
    return ", ".join(links)
