"""Parallel fetch of each run's jobs by a pool of ``MAX_PARALLEL_JOBS`` threads.

Runs stream in from pagination; at most ``window`` job requests are in flight or waiting to be
consumed, so memory stays bounded however many runs there are. Results come out in the order
the runs came in, so whatever the job count the analysis sees the same sequence. On any error
or Ctrl-C, pending work is cancelled and the client is told to stop before the error propagates.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from analyzer.adaptive import AdaptiveLimit
from analyzer.client import GitHubClient

T = TypeVar("T")
R = TypeVar("R")
Run = dict[str, Any]
Job = dict[str, Any]
WINDOW_PER_WORKER = 4


def ordered_map(
    func: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    window: int | None = None,
    on_abort: Callable[[], None] | None = None,
) -> Iterator[tuple[T, R]]:
    """``(item, func(item))`` in input order, computed by ``workers`` threads.

    ``window`` bounds how many items are submitted ahead of the consumer. When the consumer
    stops early, pending work is cancelled; when an exception escapes or the user presses
    Ctrl-C, ``on_abort`` runs first (it makes running calls give up at their next request or
    wait), then the pool shuts down.
    """
    window = window or workers * WINDOW_PER_WORKER
    pending: deque[tuple[T, Future[R]]] = deque()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="analyzer-fetch")
    try:
        for item in items:
            pending.append((item, pool.submit(func, item)))
            while len(pending) >= window:
                yield _next_result(pending)
        while pending:
            yield _next_result(pending)
    except BaseException as exc:
        # An error or Ctrl-C (not a consumer that simply stopped early): stop in-flight work.
        if on_abort is not None and not isinstance(exc, GeneratorExit):
            on_abort()
        raise
    finally:
        for _, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _next_result(pending: deque[tuple[T, Future[R]]]) -> tuple[T, R]:
    item, future = pending.popleft()
    return item, future.result()


def jobs_url(client: GitHubClient, repo: str, run: Run) -> str:
    """The run's jobs endpoint, built from its id: the path GitHub's ``jobs_url`` names, but
    under this client's API even when the listing came from a cache filled through another
    host (the built-in mock is on a new port every run)."""
    return f"/repos/{repo}/actions/runs/{run['id']}/jobs"


def fetch_jobs(client: GitHubClient, repo: str, run: Run) -> list[Job]:
    """Every job of one run (one request unless the run has more than 100 jobs)."""
    return list(client.paginate(jobs_url(client, repo, run), "jobs", limit=10_000))


def runs_with_jobs(
    client: GitHubClient, repo: str, runs: Iterable[Run], workers: int, adaptive: bool = False
) -> Iterator[tuple[Run, list[Job]]]:
    """Each run with its jobs, in list order, fetched by ``workers`` threads; with
    ``adaptive``, at most as many at once as an :class:`AdaptiveLimit` allows."""

    def fetch(run: Run) -> list[Job]:
        return fetch_jobs(client, repo, run)

    task = _adapted(fetch, client, AdaptiveLimit(workers)) if adaptive else fetch
    return ordered_map(task, runs, workers, on_abort=client.cancel)


def _adapted(
    fetch: Callable[[Run], list[Job]], client: GitHubClient, limit: AdaptiveLimit
) -> Callable[[Run], list[Job]]:
    """``fetch`` inside one of the limit's slots, its latency and rate limits reported."""

    def call(run: Run) -> list[Job]:
        with limit.slot() as ticket:
            concurrency = limit.in_flight
            before = client.counters.snapshot()["rate_limited_responses"]
            start = time.perf_counter()
            jobs = fetch(run)
            limited = client.counters.snapshot()["rate_limited_responses"] > before
            limit.record(time.perf_counter() - start, limited, concurrency, ticket)
        return jobs

    return call
