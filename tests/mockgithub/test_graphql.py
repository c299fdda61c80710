"""``POST /graphql``: GitHub's schema over the same data as REST, GitHub's limits and errors."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from mockgithub import MockConfig, MockServer
from mockgithub.published import DescriptionUnavailable
from mockgithub.responses_adapter import mocked_github
from tests.mockgithub.conftest import REPO, UNLIMITED
from tests.services import Service, skip_for

OWNER, NAME = REPO.split("/")
TOKEN = {"Authorization": "Bearer ghp_graphql"}
API = f"/repos/{REPO}"
RUN_FIELDS = "databaseId runNumber event createdAt updatedAt workflow { databaseId name }"
CHECK_RUN_FIELDS = "databaseId name status conclusion startedAt completedAt"
JOBS_OF_RUNS = f"""
query($ids: [ID!]!, $type: CheckRunType = LATEST) {{
  nodes(ids: $ids) {{
    ... on WorkflowRun {{
      {RUN_FIELDS}
      checkSuite {{ status conclusion
        checkRuns(first: 100, filterBy: {{checkType: $type}}) {{
          totalCount nodes {{ {CHECK_RUN_FIELDS} }} }} }}
    }}
  }}
  rateLimit {{ cost limit remaining used resetAt nodeCount }}
}}"""
# The toolkit's example: the default branch's head commit, its check suites and their runs.
SEED_QUERY = f"""
query {{
  repository(owner: "{OWNER}", name: "{NAME}") {{
    defaultBranchRef {{ name target {{ ... on Commit {{ oid
      checkSuites(first: 10) {{ nodes {{ status conclusion createdAt updatedAt
        workflowRun {{ workflow {{ name }} createdAt updatedAt databaseId }} }} }} }} }} }}
  }}
}}"""


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    mock = MockServer(MockConfig(**UNLIMITED))  # type: ignore[arg-type]
    mock.start()
    try:
        mock.model.source  # noqa: B018
        from mockgithub.gql.schema import github_schema

        github_schema()
    except DescriptionUnavailable as exc:
        mock.stop()
        skip_for(Service.DESCRIPTIONS, f"GitHub's published descriptions are unavailable: {exc}")
    yield mock
    mock.stop()


def post(
    server: MockServer,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    body = {"query": query, "variables": variables or {}}
    return requests.post(
        f"{server.base_url}/graphql",
        json=body,
        headers=TOKEN if headers is None else headers,
        timeout=30,
    )


def rest(server: MockServer, path: str, **query: str) -> Any:
    return requests.get(f"{server.base_url}{path}", params=query, headers=TOKEN, timeout=10).json()


def as_check_run(job: dict[str, Any]) -> dict[str, Any]:
    """A REST job in GraphQL's terms."""
    upper = lambda v: v.upper() if v else None  # noqa: E731
    return {
        "databaseId": job["id"], "name": job["name"], "status": upper(job["status"]),
        "conclusion": upper(job["conclusion"]), "startedAt": job["started_at"],
        "completedAt": job["completed_at"],
    }  # fmt: skip


# -- the same data as REST ----------------------------------------------------------------------


def test_the_seed_query_reaches_the_default_branch_heads_workflow_runs(server) -> None:
    answer = post(server, SEED_QUERY)
    assert answer.status_code == 200
    ref = answer.json()["data"]["repository"]["defaultBranchRef"]
    head = next(r for r in rest(server, f"{API}/actions/runs", per_page="100")["workflow_runs"]
                if r["head_branch"] == "main")  # fmt: skip
    assert ref["name"] == "main" and ref["target"]["oid"] == head["head_sha"]
    assert ref["target"]["checkSuites"]["nodes"] == [
        {
            "status": head["status"].upper(),
            "conclusion": head["conclusion"].upper(),
            "createdAt": head["created_at"],
            "updatedAt": head["updated_at"],
            "workflowRun": {
                "workflow": {"name": head["name"]},
                "createdAt": head["created_at"],
                "updatedAt": head["updated_at"],
                "databaseId": head["id"],
            },
        }
    ]


@pytest.mark.parametrize("check_type", ["LATEST", "ALL"])
def test_a_runs_check_runs_are_its_rest_jobs(server, check_type: str) -> None:
    runs = rest(server, f"{API}/actions/runs", per_page="100")["workflow_runs"]
    reruns = [r for r in runs if r["run_attempt"] > 1][:3]
    chosen = runs[:20] + reruns
    answer = post(server, JOBS_OF_RUNS, {"ids": [r["node_id"] for r in chosen], "type": check_type})
    nodes = answer.json()["data"]["nodes"]
    assert len(reruns) == 3 and len(nodes) == len(chosen)
    for run, node in zip(chosen, nodes, strict=True):
        which = "latest" if check_type == "LATEST" else "all"
        jobs = rest(server, f"{API}/actions/runs/{run['id']}/jobs", filter=which)["jobs"]
        assert node["databaseId"] == run["id"]
        assert node["runNumber"] == run["run_number"] and node["event"] == run["event"]
        assert node["workflow"] == {"databaseId": run["workflow_id"], "name": run["name"]}
        assert node["checkSuite"]["checkRuns"]["nodes"] == [as_check_run(j) for j in jobs]
        assert node["checkSuite"]["checkRuns"]["totalCount"] == len(jobs)


def test_workflow_runs_page_through_cursors_like_rest(server) -> None:
    workflow = rest(server, f"{API}/actions/workflows")["workflows"][0]
    listing = f"{API}/actions/workflows/{workflow['id']}/runs"
    expected = [
        r["id"]
        for page in ("1", "2")
        for r in rest(server, listing, per_page="100", page=page)["workflow_runs"]
    ]
    assert 100 < len(expected) <= 200
    query = """query($id: ID!, $after: String) { node(id: $id) { ... on Workflow {
      runs(first: 30, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        nodes { databaseId } } } } }"""
    seen: list[int] = []
    after = None
    while True:
        runs = post(server, query, {"id": workflow["node_id"], "after": after}).json()
        page = runs["data"]["node"]["runs"]
        assert page["totalCount"] == len(expected)
        seen += [n["databaseId"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected
    tail = query.replace("first: 30, after: $after", "last: 2").replace(", $after: String", "")
    last = post(server, tail, {"id": workflow["node_id"]})
    assert [n["databaseId"] for n in last.json()["data"]["node"]["runs"]["nodes"]] == expected[-2:]


def test_node_finds_every_kind_of_object_by_its_rest_node_id(server) -> None:
    run = rest(server, f"{API}/actions/runs", per_page="1")["workflow_runs"][0]
    job = rest(server, f"{API}/actions/runs/{run['id']}/jobs")["jobs"][0]
    workflow = rest(server, f"{API}/actions/workflows/{run['workflow_id']}")
    repository = rest(server, API)
    cases = {
        run["node_id"]: ("WorkflowRun", run["id"]),
        job["node_id"]: ("CheckRun", job["id"]),
        run["check_suite_node_id"]: ("CheckSuite", run["check_suite_id"]),
        workflow["node_id"]: ("Workflow", workflow["id"]),
        repository["node_id"]: ("Repository", repository["id"]),
    }
    query = "query($id: ID!) { node(id: $id) { __typename id ... on WorkflowRun { databaseId } " \
        "... on CheckRun { databaseId } ... on CheckSuite { databaseId } " \
        "... on Workflow { databaseId } ... on Repository { databaseId } } }"  # fmt: skip
    for node_id, (kind, database_id) in cases.items():
        found = post(server, query, {"id": node_id}).json()["data"]["node"]
        assert found == {"__typename": kind, "id": node_id, "databaseId": database_id}


def test_an_unknown_node_id_gets_githubs_not_found(server) -> None:
    answer = post(server, 'query { node(id: "WFR_nothing") { id } }')
    assert answer.status_code == 200
    assert answer.json() == {
        "errors": [
            {
                "type": "NOT_FOUND",
                "path": ["node"],
                "locations": [{"line": 1, "column": 9}],
                "message": "Could not resolve to a node with the global id of 'WFR_nothing'",
            }
        ],
        "data": {"node": None},
    }


def test_nodes_answers_known_ids_and_reports_each_unknown_one(server) -> None:
    run = rest(server, f"{API}/actions/runs", per_page="1")["workflow_runs"][0]
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    body = post(server, query, {"ids": ["nope", run["node_id"]]}).json()
    assert body["data"] == {"nodes": [None, {"id": run["node_id"]}]}
    assert [(e["type"], e["path"]) for e in body["errors"]] == [("NOT_FOUND", ["nodes", 0])]


def test_an_unknown_repository_is_not_found(server) -> None:
    body = post(server, 'query { repository(owner: "someone", name: "else") { id } }').json()
    assert body["data"] == {"repository": None}
    assert body["errors"][0]["type"] == "NOT_FOUND"
    assert body["errors"][0]["message"] == (
        "Could not resolve to a Repository with the name 'someone/else'."
    )


# -- points, headers, limits --------------------------------------------------------------------


def test_points_are_charged_and_reported_in_headers_body_and_rate_limit(serve) -> None:
    mock = serve(**UNLIMITED)
    runs = rest(mock, f"{API}/actions/runs", per_page="100")["workflow_runs"]
    answer = post(mock, JOBS_OF_RUNS, {"ids": [r["node_id"] for r in runs]})
    limit = answer.json()["data"]["rateLimit"]
    # 100 runs, checkRuns(first: 100) under each: 100 requests -> 1 point; 100 + 10,000 nodes.
    assert (limit["cost"], limit["used"], limit["nodeCount"]) == (1, 1, 10_100)
    assert limit["limit"] == 5000 and limit["remaining"] == 4999
    assert answer.headers["x-ratelimit-resource"] == "graphql"
    assert answer.headers["x-ratelimit-used"] == "1"
    assert answer.headers["x-ratelimit-remaining"] == "4999"
    core = rest(mock, "/rate_limit")["resources"]
    assert core["graphql"]["used"] == 1 and core["core"]["used"] == 1  # the REST page
    assert mock.model.stats()["graphql_points"] == 1


def test_the_cost_follows_githubs_formula(server) -> None:
    """100 runs of a workflow, 50 check runs of each: 1 + 100 requests -> 1 point; a third
    nested connection of 20 under 100 x 100 parents: 10,101 requests -> 101 points. The cost
    assumes full pages: the big query asks for the page after the last run, so it is priced in
    full but has nothing to execute."""
    workflow = rest(server, f"{API}/actions/workflows")["workflows"][0]["node_id"]
    small = """query($id: ID!) { node(id: $id) { ... on Workflow { runs(first: 100) { nodes {
      checkSuite { checkRuns(first: 50) { nodes { name } } } } } } }
      rateLimit { cost nodeCount } }"""
    assert post(server, small, {"id": workflow}).json()["data"]["rateLimit"] == {
        "cost": 1, "nodeCount": 100 + 5_000,
    }  # fmt: skip
    last = """query($id: ID!) { node(id: $id) { ... on Workflow {
      runs(last: 1) { pageInfo { endCursor } } } } }"""
    end = post(server, last, {"id": workflow}).json()["data"]["node"]["runs"]["pageInfo"]
    big = """query($id: ID!, $end: String) { node(id: $id) { ... on Workflow {
      runs(first: 100, after: $end) { nodes { workflow { runs(first: 100) { nodes {
        checkSuite { checkRuns(first: 20) { totalCount } } } } } } } } }
      rateLimit { cost nodeCount } }"""
    answer = post(server, big, {"id": workflow, "end": end["endCursor"]}).json()["data"]
    assert answer["node"] == {"runs": {"nodes": []}}
    assert answer["rateLimit"] == {"cost": 101, "nodeCount": 100 + 10_000 + 200_000}


def test_a_query_past_the_node_limit_gets_githubs_error(server) -> None:
    workflow = rest(server, f"{API}/actions/workflows")["workflows"][0]["node_id"]
    query = """query($id: ID!) { node(id: $id) { ... on Workflow { runs(first: 100) { nodes {
      workflow { runs(first: 100) { nodes { checkSuite { checkRuns(first: 51) { nodes { name } }
    } } } } } } } } }"""
    before = server.model.stats()["graphql_points"]
    answer = post(server, query, {"id": workflow})
    assert answer.status_code == 200
    assert answer.json() == {
        "errors": [
            {
                "type": "MAX_NODE_LIMIT_EXCEEDED",
                "message": "By the time this query traverses to the checkRuns connection, it is "
                "requesting up to 520,100 possible nodes which exceeds the maximum limit of "
                "500,000.",
            }
        ]
    }
    assert server.model.stats()["graphql_points"] == before  # refused queries cost nothing


def test_a_syntax_error_gets_githubs_error_shape(server) -> None:
    answer = post(server, "query { rateLimit { cost }")
    assert answer.status_code == 200
    assert answer.json() == {
        "errors": [
            {
                "locations": [{"line": 1, "column": 27}],
                "message": "Syntax Error: Expected Name, found <EOF>.",
            }
        ]
    }


def test_an_unknown_field_gets_githubs_error_shape(server) -> None:
    answer = post(server, f'query {{ repository(owner: "{OWNER}", name: "{NAME}") {{ stars }} }}')
    assert answer.status_code == 200
    assert answer.json() == {
        "errors": [
            {
                "path": ["query", "repository", "stars"],
                "extensions": {
                    "code": "undefinedField", "typeName": "Repository", "fieldName": "stars",
                },
                "locations": [{"line": 1, "column": 60}],
                "message": "Field 'stars' doesn't exist on type 'Repository'",
            }
        ]
    }  # fmt: skip


def test_a_field_the_mock_does_not_serve_is_refused_in_the_same_shape(server) -> None:
    body = post(server, "query { viewer { login } }").json()
    assert body["errors"] == [
        {
            "path": ["query", "viewer"],
            "extensions": {"code": "fieldNotServed", "typeName": "Query", "fieldName": "viewer"},
            "locations": [{"line": 1, "column": 9}],
            "message": "Field 'viewer' on type 'Query' is not served by mockgithub",
        }
    ]


@pytest.mark.parametrize(
    ("arguments", "kind", "message"),
    [
        ("", "MISSING_PAGINATION_BOUNDARIES",
         "You must provide a `first` or `last` value to properly paginate the `runs` connection."),
        ("(first: 101)", "EXCESSIVE_PAGINATION",
         "Requesting 101 records on the `runs` connection exceeds the `first` limit of 100 "
         "records."),
    ],
)  # fmt: skip
def test_connections_need_first_or_last_up_to_100(server, arguments, kind, message) -> None:
    workflow = rest(server, f"{API}/actions/workflows")["workflows"][0]["node_id"]
    runs = f"runs{arguments} {{ nodes {{ id }} }}"
    query = f'query {{ node(id: "{workflow}") {{ ... on Workflow {{ {runs} }} }} }}'
    error = post(server, query).json()["errors"][0]
    assert (error["type"], error["message"]) == (kind, message)
    assert error["path"] == ["query", "node", "... on Workflow", "runs"]


def test_an_exhausted_points_budget_gets_rate_limited(serve) -> None:
    mock = serve(graphql_rate_limit="2/3600", **{k: v for k, v in UNLIMITED.items()})
    cheap = "query { rateLimit { remaining } }"
    assert [post(mock, cheap).json()["data"]["rateLimit"]["remaining"] for _ in range(2)] == [1, 0]
    refused = post(mock, cheap)
    assert refused.status_code == 200
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert refused.headers["x-ratelimit-resource"] == "graphql"
    message = refused.json()["errors"][0]["message"]
    assert refused.json() == {
        "errors": [{"type": "RATE_LIMITED", "code": "graphql_rate_limit", "message": message}]
    }
    assert message.startswith("API rate limit already exceeded for user ID ")
    assert mock.model.stats()["rate_limited"] == 1
    assert rest(mock, "/rate_limit")["resources"]["core"]["used"] == 0  # REST is its own bucket


# -- authentication, secondary limits, latency, faults, transports -------------------------------


def test_graphql_needs_a_token(server) -> None:
    anonymous = post(server, "query { rateLimit { cost } }", headers={})
    assert anonymous.status_code == 401
    assert anonymous.json()["message"] == "This endpoint requires you to be authenticated."
    rejected = post(
        server, "query { rateLimit { cost } }", headers={"Authorization": "Bearer invalid"}
    )
    assert rejected.status_code == 401 and rejected.json()["message"] == "Bad credentials"


def test_a_body_that_is_not_json_gets_400(server) -> None:
    answer = requests.post(f"{server.base_url}/graphql", data=b"{nope", headers=TOKEN, timeout=10)
    assert answer.status_code == 400 and answer.json()["message"] == "Problems parsing JSON"


def test_the_secondary_limit_applies_to_graphql_as_to_rest(serve) -> None:
    mock = serve(secondary_rate_limit="1/60")
    assert post(mock, "query { rateLimit { cost } }").status_code == 200
    limited = post(mock, "query { rateLimit { cost } }")
    assert limited.status_code == 403 and "retry-after" in limited.headers
    assert "secondary rate limit" in limited.json()["message"]


def test_latency_and_faults_apply_to_graphql(serve: Callable[..., MockServer]) -> None:
    mock = serve(latency_ms=40, error_rate=1.0, **UNLIMITED)
    request_body = json.dumps({"query": "query { rateLimit { cost } }"}).encode()
    from mockgithub.model import MockRequest

    response = mock.model.handle(MockRequest("POST", "/graphql", headers=TOKEN, body=request_body))
    assert response.delay_s == pytest.approx(0.040)
    assert response.status in (500, 502, 503)
    assert mock.model.stats()["faults"] == {"error": 1}


def test_http_and_responses_adapter_answer_graphql_alike(serve, clock) -> None:
    server = serve(seed=5, runs=40, **UNLIMITED)
    query = (
        'query { rateLimit { cost remaining } repository(owner: "octo-org", name: "octo-repo") '
        "{ nameWithOwner url } }"
    )
    over_http = post(server, query)
    with mocked_github(MockConfig(seed=5, runs=40, **UNLIMITED), base_url=server.base_url) as model:  # type: ignore[arg-type]
        model.clock = clock
        model.limits.clock = clock
        in_process = requests.post(
            f"{server.base_url}/graphql", json={"query": query}, headers=TOKEN
        )
    assert in_process.json() == over_http.json()
    assert over_http.json()["data"]["repository"]["url"] == f"{server.base_url}/{REPO}"
