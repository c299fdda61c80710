"""GitHub's GraphQL schema, built by graphql-core from the published SDL (never re-typed).

The SDL is ``schema.graphql`` of ``@octokit/graphql-schema`` (pinned in
:mod:`mockgithub.published`). graphql-core's builder checks SDL more strictly than GitHub's own
server: the published file defines two fields of ``EnterpriseOwnerInfo`` twice and has twelve
deprecation mismatches between ``Node.id`` and its implementations. Those are GitHub's, not
ours to fix, so the schema is built with ``assume_valid`` (the file is pinned and checksummed).

One deliberate difference from graphql-core's defaults: GitHub answers ``databaseId`` (an
``Int``) with values past 2^31 (run, job and check-suite ids are that large today, and clients
were changed to read them as 64-bit: octokit.graphql.net #312, cynic #711), where graphql-core's
``Int`` refuses anything outside 32 bits. ``databaseId`` fields therefore serialize any integer
JSON can carry exactly (|n| < 2^53); every other field keeps the standard ``Int``.

Building takes about a second, so the schema is built once per process, on first use.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLInt,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    build_schema,
)

from mockgithub.published import GRAPHQL_SDL, path_of

JSON_SAFE_INT = 2**53


def _serialize_wide_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= JSON_SAFE_INT:
        raise GraphQLError(f"Int cannot represent non-integer or unsafe value: {value!r}")
    return value


WIDE_INT = GraphQLScalarType(
    "WideInt",
    description=GraphQLInt.description,
    serialize=_serialize_wide_int,
    parse_value=GraphQLInt.parse_value,
    parse_literal=GraphQLInt.parse_literal,
)
# Named "Int" after construction (graphql-core refuses to construct a second "Int"): clients and
# introspection see GitHub's type name on databaseId, only serialization differs.
WIDE_INT.name = "Int"


@cache
def github_schema() -> GraphQLSchema:
    """GitHub's public schema as published (raises ``DescriptionUnavailable`` without it)."""
    sdl = path_of(GRAPHQL_SDL).read_text(encoding="utf-8")
    schema = build_schema(sdl, assume_valid_sdl=True, assume_valid=True)
    _widen_database_ids(schema)
    return schema


def _widen_database_ids(schema: GraphQLSchema) -> None:
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType):
            continue
        field = named.fields.get("databaseId")
        if field is None:
            continue
        if field.type is GraphQLInt:
            field.type = WIDE_INT
        elif isinstance(field.type, GraphQLNonNull) and field.type.of_type is GraphQLInt:
            field.type = GraphQLNonNull(WIDE_INT)
