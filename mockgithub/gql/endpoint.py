"""One ``POST /graphql`` request: parse, validate, cost, charge, execute, in GitHub's shapes.

The order is GitHub's: a body that is not JSON is a 400 like REST's; everything about the query
itself is answered with HTTP 200 and an ``errors`` list (a syntax error, an unknown or unserved
field, a limit broken); an exhausted points budget is HTTP 200 with a ``RATE_LIMITED`` error;
only a query that passes all of that is charged its points and executed. Authentication, the
secondary limits, latency and faults are the model's, as for REST.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    execute_sync,
    get_operation_ast,
    parse,
)

from mockgithub.gql.connection import NotFound
from mockgithub.gql.limits import LimitExceeded, QueryCost, measure
from mockgithub.gql.objects import Context, Query, RateLimitView
from mockgithub.gql.rules import validation_errors
from mockgithub.gql.schema import github_schema
from mockgithub.payloads import iso
from mockgithub.published import DescriptionUnavailable
from mockgithub.ratelimit import Quota
from mockgithub.routes import Routes
from mockgithub.source import Source

DOCS = "https://docs.github.com/graphql"


class PointsBucket(Protocol):
    """The caller's GraphQL points: read, and charge."""

    label: str  # whom GitHub names when refusing ("user ID 1234")

    def quota(self) -> Quota: ...
    def spend(self, points: int) -> Quota: ...


@dataclass(frozen=True)
class GraphQLAnswer:
    status: int
    body: dict[str, Any]
    quota: Quota  # the points bucket after this request
    points: int = 0  # charged
    limited: bool = False  # refused: no points left


@dataclass(frozen=True)
class _Request:
    document: DocumentNode
    operation: OperationDefinitionNode
    variables: dict[str, Any]
    operation_name: str | None


class _Refusal(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status, self.body = status, body


def answer(body: bytes, source: Source, routes: Routes, bucket: PointsBucket) -> GraphQLAnswer:
    """The answer to one GraphQL request body."""
    try:
        request = _request(body)
        cost = _cost(request)
    except _Refusal as refusal:
        return GraphQLAnswer(refusal.status, refusal.body, bucket.quota())
    if bucket.quota().remaining <= 0:
        message = f"API rate limit already exceeded for {bucket.label}."
        error = {"type": "RATE_LIMITED", "code": "graphql_rate_limit", "message": message}
        return GraphQLAnswer(200, {"errors": [error]}, bucket.quota(), limited=True)
    quota = bucket.spend(cost.points)
    view = RateLimitView(
        cost.points, quota.limit, quota.remaining, quota.used, iso(quota.reset) or "", cost.nodes
    )
    context = Context(source, routes, view)
    result = execute_sync(
        github_schema(),
        request.document,
        root_value=Query(context),
        context_value=context,
        variable_values=request.variables,
        operation_name=request.operation_name,
    )
    errors = [_formatted(error) for error in result.errors or ()] + context.errors
    out: dict[str, Any] = {"errors": errors} if errors else {}
    if result.data is not None or not errors:
        out["data"] = result.data
    return GraphQLAnswer(200, out, quota, points=cost.points)


def _request(body: bytes) -> _Request:
    """The parsed and validated request; raises :class:`_Refusal` with GitHub's answer."""
    try:
        payload = orjson.loads(body or b"null")
    except orjson.JSONDecodeError:
        raise _Refusal(
            400, {"message": "Problems parsing JSON", "documentation_url": DOCS}
        ) from None
    query = payload.get("query") if isinstance(payload, dict) else None
    if not isinstance(query, str):
        raise _errors([{"message": "A query attribute must be specified and must be a string."}])
    variables = payload.get("variables") or {}
    name = payload.get("operationName") or None
    if not isinstance(variables, dict) or not (name is None or isinstance(name, str)):
        raise _errors([{"message": "Variables must be a JSON object; operationName a string."}])
    try:
        schema = github_schema()
    except DescriptionUnavailable as exc:
        message = f"mockgithub cannot serve GraphQL: {exc}"
        raise _Refusal(503, {"message": message, "documentation_url": DOCS}) from None
    try:
        document = parse(query)
    except GraphQLError as error:
        raise _errors([_formatted(error)]) from None
    problems = validation_errors(schema, document)
    if problems:
        raise _errors([_formatted(error) for error in problems])
    operation = get_operation_ast(document, name)
    if operation is None:
        raise _errors([{"message": f"No operation named {name!r}" if name else "No operation"}])
    return _Request(document, operation, variables, name)


def _cost(request: _Request) -> QueryCost:
    fragments = {
        d.name.value: d
        for d in request.document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    try:
        return measure(github_schema(), request.operation, fragments, request.variables)
    except LimitExceeded as exc:
        raise _errors([exc.error]) from None


def _errors(errors: list[dict[str, Any]]) -> _Refusal:
    return _Refusal(200, {"errors": errors})


def _formatted(error: GraphQLError) -> dict[str, Any]:
    """GitHub's error entry: ``type`` (when it has one), path, extensions, locations, message."""
    formatted: dict[str, Any] = {}
    original = error.original_error
    if isinstance(original, NotFound):
        formatted["type"] = original.type
    if error.path:
        formatted["path"] = list(error.path)
    if error.extensions:
        formatted["extensions"] = dict(error.extensions)
    if error.locations:
        formatted["locations"] = [{"line": at.line, "column": at.column} for at in error.locations]
    formatted["message"] = error.message
    return formatted
