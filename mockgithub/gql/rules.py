"""Validation of a GraphQL document the way GitHub answers it, plus the mock's served subset.

graphql-core's specified rules run unchanged except one: an unknown field gets GitHub's own
message and extensions (``Field 'x' doesn't exist on type 'Y'``, ``code: undefinedField``)
instead of graphql-core's wording. On top, :class:`ServedFieldsRule` refuses fields that exist
in GitHub's schema but that the mock does not resolve (it serves workflow runs, their workflows,
check suites and check runs, the default branch's head commit, ``node``/``nodes`` and
``rateLimit``), in the same error shape, so a client learns at once rather than from nulls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FieldsOnCorrectTypeRule,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationRule,
    specified_rules,
    validate,
)

# GraphQL type -> the fields the mock resolves (see mockgithub.gql.objects).
SERVED: dict[str, frozenset[str]] = {
    "Query": frozenset({"repository", "node", "nodes", "rateLimit"}),
    "Repository": frozenset(
        {"id", "databaseId", "name", "nameWithOwner", "url", "description", "isPrivate"}
        | {"createdAt", "updatedAt", "pushedAt", "defaultBranchRef"}
    ),
    "Ref": frozenset({"id", "name", "prefix", "target"}),
    "Commit": frozenset(
        {"id", "oid", "abbreviatedOid", "message", "committedDate", "url", "checkSuites"}
    ),
    "CheckSuite": frozenset(
        {"id", "databaseId", "status", "conclusion", "createdAt", "updatedAt", "url"}
        | {"resourcePath", "workflowRun", "checkRuns"}
    ),
    "WorkflowRun": frozenset(
        {"id", "databaseId", "runNumber", "event", "createdAt", "updatedAt", "url"}
        | {"resourcePath", "workflow", "checkSuite"}
    ),
    "Workflow": frozenset(
        {"id", "databaseId", "name", "state", "createdAt", "updatedAt", "url", "resourcePath"}
        | {"runs"}
    ),
    "CheckRun": frozenset(
        {"id", "databaseId", "name", "status", "conclusion", "startedAt", "completedAt"}
        | {"url", "permalink", "detailsUrl", "checkSuite"}
    ),
    "RateLimit": frozenset({"cost", "limit", "remaining", "resetAt", "used", "nodeCount"}),
    "PageInfo": frozenset({"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}),
    "Node": frozenset({"id"}),
    "GitObject": frozenset({"id", "oid", "abbreviatedOid", "url"}),
}
_CONNECTION_FIELDS = frozenset({"totalCount", "pageInfo", "nodes", "edges"})
_EDGE_FIELDS = frozenset({"cursor", "node"})
SERVED_CONNECTIONS = ("CheckSuite", "WorkflowRun", "CheckRun")


def served_fields(type_name: str) -> frozenset[str]:
    if type_name in {f"{t}Connection" for t in SERVED_CONNECTIONS}:
        return _CONNECTION_FIELDS
    if type_name in {f"{t}Edge" for t in SERVED_CONNECTIONS}:
        return _EDGE_FIELDS
    return SERVED.get(type_name, frozenset())


def github_path(ancestors: Sequence[Any], node: FieldNode) -> list[str]:
    """GitHub's ``path`` of a field in a document: operation, then each step down to it."""
    path: list[str] = []
    for ancestor in [*ancestors, node]:
        if isinstance(ancestor, OperationDefinitionNode):
            kind = ancestor.operation.value
            path.append(f"{kind} {ancestor.name.value}" if ancestor.name else kind)
        elif isinstance(ancestor, FragmentDefinitionNode):
            path.append(f"fragment {ancestor.name.value}")
        elif isinstance(ancestor, InlineFragmentNode):
            condition = ancestor.type_condition
            path.append(f"... on {condition.name.value}" if condition else "...")
        elif isinstance(ancestor, FieldNode):
            path.append((ancestor.alias or ancestor.name).value)
    return path


class UndefinedFieldRule(ValidationRule):
    """GitHub's answer to a field its schema does not have."""

    def enter_field(
        self, node: FieldNode, _key: Any, _parent: Any, _path: Any, ancestors: Any
    ) -> None:
        parent = self.context.get_parent_type()
        if parent is None or self.context.get_field_def() is not None:
            return
        name = node.name.value
        self.report_error(
            GraphQLError(
                f"Field '{name}' doesn't exist on type '{parent.name}'",
                node,
                path=github_path(ancestors, node),
                extensions={"code": "undefinedField", "typeName": parent.name, "fieldName": name},
            )
        )


class ServedFieldsRule(ValidationRule):
    """Fields of GitHub's schema that the mock does not resolve are refused up front."""

    def enter_field(
        self, node: FieldNode, _key: Any, _parent: Any, _path: Any, ancestors: Any
    ) -> Any:
        parent = self.context.get_parent_type()
        name = node.name.value
        if parent is None or name.startswith("__") or self.context.get_field_def() is None:
            return
        if name in served_fields(parent.name):
            return None
        self.report_error(
            GraphQLError(
                f"Field '{name}' on type '{parent.name}' is not served by mockgithub",
                node,
                path=github_path(ancestors, node),
                extensions={"code": "fieldNotServed", "typeName": parent.name, "fieldName": name},
            )
        )
        return self.SKIP  # one error for the field, none for what it selects


RULES: tuple[type[ASTValidationRule], ...] = (
    *(rule for rule in specified_rules if rule is not FieldsOnCorrectTypeRule),
    UndefinedFieldRule,
    ServedFieldsRule,
)


def validation_errors(schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
    """GitHub's validation errors of ``document`` (empty: it may be executed)."""
    return list(validate(schema, document, RULES))


__all__ = ["RULES", "SERVED", "served_fields", "validation_errors"]
