"""GitHub's GraphQL resource limits: pagination bounds, the node limit, and a query's point cost.

From GitHub's "Rate limits and query limits for the GraphQL API":

- every connection whose ``nodes`` or ``edges`` are asked for needs ``first`` or ``last``,
  between 1 and 100 (``MISSING_PAGINATION_BOUNDARIES``, ``EXCESSIVE_PAGINATION``);
- a call may request at most 500,000 nodes: each connection adds its limit times the number of
  parents it is fetched for (``MAX_NODE_LIMIT_EXCEEDED``, naming the connection where the total
  went past the limit);
- the cost in points: add up the requests needed to fulfil each connection (one per possible
  parent object, assuming every connection returns its full ``first``/``last``), divide by 100,
  round to the nearest whole number; at least 1. GitHub's worked example (100 repositories,
  50 issues each, 60 labels each: 1 + 100 + 5,000 requests) costs 51.

``nodes(ids: [...])`` fetches up to 100 objects by id (the mock refuses more, as GitHub does);
its ids count as nodes and as parents of the connections below it. The analysis walks the
document's syntax tree with the schema's types; it never executes anything.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
)

MAX_NODES = 500_000
MAX_PAGE = 100
MAX_IDS = 100


@dataclass(frozen=True)
class QueryCost:
    """What a query may cost: connection requests, and nodes it may return."""

    requests: int
    nodes: int

    @property
    def points(self) -> int:
        """GitHub's points: requests / 100 rounded to the nearest whole number, at least 1."""
        return max(1, math.floor(self.requests / 100 + 0.5))


class LimitExceeded(Exception):
    """The query breaks a GitHub limit; ``error`` is GitHub's error object for it."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error["message"])
        self.error = error


def measure(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> QueryCost:
    """The cost of ``operation``; raises :class:`LimitExceeded` with GitHub's error."""
    root = schema.get_root_type(operation.operation)
    walker = _Walker(schema, fragments, _variable_values(operation, variables))
    name = f"{operation.operation.value} {operation.name.value}" if operation.name else None
    walker.walk(operation.selection_set, root, 1, [name or operation.operation.value])
    return QueryCost(walker.requests, walker.nodes)


def _variable_values(
    operation: OperationDefinitionNode, variables: Mapping[str, Any]
) -> dict[str, Any]:
    """Variables as given, else their declared defaults (literal values only)."""
    values = dict(variables)
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and definition.default_value is not None:
            values[name] = _literal(definition.default_value, {})
    return values


def _literal(node: ValueNode, variables: Mapping[str, Any]) -> Any:
    if isinstance(node, VariableNode):
        return variables.get(node.name.value)
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, ListValueNode):
        return [_literal(v, variables) for v in node.values]
    if isinstance(node, NullValueNode):
        return None
    return getattr(node, "value", None)


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables
        self.requests = self.nodes = 0

    def walk(
        self,
        selections: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        parents: int,
        path: list[str],
    ) -> None:
        if selections is None or not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                self._field(selection, parent, parents, path)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                kind = self._type_of(parent, condition.name.value if condition else None)
                step = f"... on {condition.name.value}" if condition else "..."
                self.walk(selection.selection_set, kind, parents, [*path, step])
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    kind = self._type_of(parent, fragment.type_condition.name.value)
                    self.walk(fragment.selection_set, kind, parents, path)

    def _type_of(self, parent: GraphQLNamedType, name: str | None) -> GraphQLNamedType | None:
        return parent if name is None else self.schema.get_type(name)

    def _field(
        self,
        node: FieldNode,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        parents: int,
        path: list[str],
    ) -> None:
        name = node.name.value
        definition = parent.fields.get(name)
        if definition is None or name.startswith("__"):
            return
        here = [*path, (node.alias or node.name).value]
        target = get_named_type(definition.type)
        children = parents
        if _is_connection(definition, target):
            children = parents * self._page_size(node, target, here)
            self.requests += parents
            self._add_nodes(children, name, here)
        elif name == "nodes" and "ids" in definition.args:
            children = parents * self._ids(node, here)
            self._add_nodes(children, name, here)
        self.walk(node.selection_set, target, children, here)

    def _add_nodes(self, count: int, connection: str, path: list[str]) -> None:
        self.nodes += count
        if self.nodes > MAX_NODES:
            raise LimitExceeded(
                {
                    "type": "MAX_NODE_LIMIT_EXCEEDED",
                    "message": (
                        f"By the time this query traverses to the {connection} connection, it "
                        f"is requesting up to {self.nodes:,} possible nodes which exceeds the "
                        f"maximum limit of {MAX_NODES:,}."
                    ),
                }
            )

    def _page_size(self, node: FieldNode, target: GraphQLNamedType, path: list[str]) -> int:
        arguments = {a.name.value: _literal(a.value, self.variables) for a in node.arguments or ()}
        first, last = arguments.get("first"), arguments.get("last")
        connection = node.name.value
        if first is None and last is None:
            if not _selects_items(node):
                return 0  # totalCount alone needs no page
            raise LimitExceeded(
                _error(
                    "MISSING_PAGINATION_BOUNDARIES",
                    f"You must provide a `first` or `last` value to properly paginate the "
                    f"`{connection}` connection.",
                    node,
                    path,
                )
            )
        if first is not None and last is not None:
            raise LimitExceeded(
                _error(
                    "ARGUMENT_LIMIT",
                    f"Passing both `first` and `last` to paginate the `{connection}` connection "
                    f"is not supported.",
                    node,
                    path,
                )
            )
        argument, value = ("first", first) if first is not None else ("last", last)
        if not isinstance(value, int) or value < 0:
            raise LimitExceeded(
                _error(
                    "ARGUMENT_LIMIT",
                    f"`{argument}` on the `{connection}` connection cannot be less than zero.",
                    node,
                    path,
                )
            )
        if value > MAX_PAGE:
            raise LimitExceeded(
                _error(
                    "EXCESSIVE_PAGINATION",
                    f"Requesting {value} records on the `{connection}` connection exceeds the "
                    f"`{argument}` limit of {MAX_PAGE} records.",
                    node,
                    path,
                )
            )
        return value

    def _ids(self, node: FieldNode, path: list[str]) -> int:
        arguments = {a.name.value: _literal(a.value, self.variables) for a in node.arguments or ()}
        ids = arguments.get("ids")
        count = len(ids) if isinstance(ids, list) else 1
        if count > MAX_IDS:
            raise LimitExceeded(
                _error(
                    "EXCESSIVE_PAGINATION",
                    f"You may not request more than {MAX_IDS} nodes at once (requested {count}).",
                    node,
                    path,
                )
            )
        return count


def _is_connection(definition: GraphQLField, target: GraphQLNamedType) -> bool:
    return target.name.endswith("Connection") and (
        "first" in definition.args or "last" in definition.args
    )


def _selects_items(node: FieldNode) -> bool:
    selections = node.selection_set.selections if node.selection_set else ()
    return any(
        not isinstance(s, FieldNode) or s.name.value in ("nodes", "edges") for s in selections
    )


def _error(kind: str, message: str, node: FieldNode, path: list[str]) -> dict[str, Any]:
    location = GraphQLError("", node).locations or []
    return {
        "type": kind,
        "path": path,
        "locations": [{"line": loc.line, "column": loc.column} for loc in location],
        "message": message,
    }
