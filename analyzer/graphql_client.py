"""One GraphQL query through the analyzer's client: its session, retries, pacing and budgets.

GitHub's GraphQL endpoint sits beside its REST API (``/graphql``; ``/api/graphql`` on a GitHub
Enterprise Server whose REST API is ``/api/v3``). A query's expected points are reserved in the
client's points budget before it goes (:class:`analyzer.ratelimit.PointsBudget`); a
``RATE_LIMITED`` answer, HTTP 200 on GitHub, waits for the reset and goes again like a REST 403;
any other error in the answer fails the query with :class:`ApiError`. Points are counted from
the answer's ``rateLimit.cost``, so ask for it: the count is then exact.
"""

from __future__ import annotations

import json
from typing import Any

from analyzer.client import GitHubClient
from analyzer.errors import ApiError

RATE_LIMITED = ("RATE_LIMITED", "RATE_LIMIT")  # GitHub's GraphQL error types for it
WHAT = "POST /graphql"


def graphql_url(api_url: str) -> str:
    """The GraphQL endpoint of the REST API at ``api_url``."""
    base = api_url.rstrip("/")
    if base.endswith("/api/v3"):
        return f"{base.removesuffix('/v3')}/graphql"
    return f"{base}/graphql"


def post_graphql(
    client: GitHubClient, query: str, variables: dict[str, Any], points: int
) -> dict[str, Any]:
    """The ``data`` of one query expected to cost ``points``."""
    url = graphql_url(client.config.api_url)
    body = json.dumps({"query": query, "variables": variables}).encode()
    limited = 0
    while True:
        with client.points.spending(points, WHAT):
            response, answer = client.post_json(url, body)
        client.counters.record_event("graphql_requests")
        errors = answer.get("errors") if isinstance(answer, dict) else None
        if errors and any(e.get("type") in RATE_LIMITED for e in errors):
            limited += 1
            client.wait_for_rate_limit(response, limited, WHAT, "graphql")
            continue
        data = answer.get("data") if isinstance(answer, dict) else None
        if errors or not isinstance(data, dict):
            first = (errors or [{}])[0]
            detail = f"{first.get('type') or 'error'}: {str(first.get('message'))[:200]}"
            raise ApiError(f"{WHAT} answered {detail}")
        cost = (data.get("rateLimit") or {}).get("cost")
        if isinstance(cost, int):
            client.counters.record_event("graphql_points", cost)
        return data
