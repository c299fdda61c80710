"""GitHub's GraphQL API on the mock: ``POST /graphql``, from the same data as REST.

The executable schema is graphql-core's build of GitHub's published SDL (:mod:`.schema`), so
every type and field name is GitHub's own; :mod:`.objects` resolves the part that reaches
workflow runs and their jobs (check runs), paged by :mod:`.connection`; :mod:`.rules`
validates as GitHub does and refuses what is not served; :mod:`.limits` applies GitHub's
pagination and node limits and prices a query in points; :mod:`.endpoint` runs one request
through all of it.
"""

from mockgithub.gql.endpoint import DOCS, GraphQLAnswer, PointsBucket, answer

__all__ = ["DOCS", "GraphQLAnswer", "PointsBucket", "answer"]
