"""GitHub's worked examples of GraphQL node counts and point costs, computed by the mock's rules.

The queries are GitHub's own (docs: "Rate limits and query limits for the GraphQL API"); the mock
does not serve ``viewer``, but costing needs only the schema.
"""

from __future__ import annotations

import pytest
from graphql import FragmentDefinitionNode, get_operation_ast, parse

from mockgithub.gql.limits import LimitExceeded, QueryCost, measure
from mockgithub.published import DescriptionUnavailable
from tests.services import Service, skip_for


@pytest.fixture(scope="module")
def schema():  # type: ignore[no-untyped-def]
    try:
        from mockgithub.gql.schema import github_schema

        return github_schema()
    except DescriptionUnavailable as exc:
        skip_for(Service.DESCRIPTIONS, f"GitHub's published descriptions are unavailable: {exc}")


def cost_of(schema, query: str, **variables: object) -> QueryCost:  # type: ignore[no-untyped-def]
    document = parse(query)
    operation = get_operation_ast(document)
    assert operation is not None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return measure(schema, operation, fragments, variables)


def test_githubs_point_example_costs_51(schema) -> None:
    query = """query { viewer { login repositories(first: 100) { edges { node { id
      issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } }
    } } } } }"""
    cost = cost_of(schema, query)
    assert (cost.requests, cost.points) == (5_101, 51)
    assert cost.nodes == 100 + 100 * 50 + 100 * 50 * 60


def test_githubs_simple_node_example_has_550_nodes(schema) -> None:
    query = """query { viewer { repositories(first: 50) { edges { repository: node { name
      issues(first: 10) { totalCount edges { node { title bodyHTML } } } } } } } }"""
    assert cost_of(schema, query).nodes == 550


def test_githubs_complex_node_example_has_22060_nodes(schema) -> None:
    query = """query { viewer {
      repositories(first: 50) { edges { repository: node { name
        pullRequests(first: 20) { edges { pullRequest: node { title
          comments(first: 10) { edges { comment: node { bodyHTML } } } } } }
        issues(first: 20) { totalCount edges { issue: node { title bodyHTML
          comments(first: 10) { edges { comment: node { bodyHTML } } } } } } } } }
      followers(first: 10) { edges { follower: node { login } } } } }"""
    assert cost_of(schema, query).nodes == 22_060


@pytest.mark.parametrize(("requests", "points"), [(0, 1), (49, 1), (150, 2), (249, 2), (250, 3)])
def test_points_round_to_the_nearest_whole_number_and_are_at_least_one(requests, points) -> None:
    assert QueryCost(requests, 0).points == points


def test_variables_and_fragments_count_like_literals(schema) -> None:
    query = """query($n: Int = 40) { viewer { repositories(first: $n) { ...issues } } }
      fragment issues on RepositoryConnection { nodes { issues(last: 25) { nodes { id } } } }"""
    assert cost_of(schema, query) == QueryCost(requests=41, nodes=40 + 40 * 25)
    assert cost_of(schema, query, n=4) == QueryCost(requests=5, nodes=4 + 4 * 25)


def test_more_than_100_ids_are_refused(schema) -> None:
    with pytest.raises(LimitExceeded) as refused:
        cost_of(schema, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", ids=["x"] * 101)
    assert refused.value.error["type"] == "EXCESSIVE_PAGINATION"
