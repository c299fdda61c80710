"""JSON schemas of GitHub's required fields (GITHUB_API.md), for the contract tests."""

from __future__ import annotations

from typing import Any

STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
TIME: dict[str, Any] = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": sorted(properties), "properties": properties}


RUN_STATUS = {"enum": ["queued", "in_progress", "completed", "waiting", "requested", "pending"]}
CONCLUSION = {
    "enum": [
        "success", "failure", "neutral", "cancelled", "skipped", "timed_out",
        "action_required", "stale", None,
    ]
}  # fmt: skip
REPOSITORY = obj({"id": INT, "node_id": STR, "name": STR, "full_name": STR, "url": STR,
                  "html_url": STR, "owner": obj({"login": STR, "id": INT})})  # fmt: skip
RUN = obj(
    {
        "id": INT, "node_id": STR, "head_branch": nullable(STR), "head_sha": STR, "path": STR,
        "run_number": INT, "event": STR, "status": nullable(RUN_STATUS), "conclusion": CONCLUSION,
        "workflow_id": INT, "url": STR, "html_url": STR,
        "pull_requests": nullable({"type": "array"}), "created_at": TIME, "updated_at": TIME,
        "jobs_url": STR, "logs_url": STR, "check_suite_url": STR, "artifacts_url": STR,
        "cancel_url": STR, "rerun_url": STR, "workflow_url": STR,
        "head_commit": nullable({"type": "object"}), "repository": REPOSITORY,
        "head_repository": REPOSITORY, "display_title": STR, "name": STR, "run_attempt": INT,
        "run_started_at": TIME, "actor": {"type": "object"}, "triggering_actor": {"type": "object"},
        "check_suite_id": INT, "previous_attempt_url": nullable(STR),
    }
)  # fmt: skip
STEP = obj({"name": STR, "status": STR, "conclusion": nullable(STR), "number": INT,
            "started_at": nullable(TIME), "completed_at": nullable(TIME)})  # fmt: skip
JOB = obj(
    {
        "id": INT, "run_id": INT, "run_url": STR, "node_id": STR, "head_sha": STR, "url": STR,
        "html_url": nullable(STR), "status": STR, "conclusion": CONCLUSION, "created_at": TIME,
        "started_at": TIME, "completed_at": nullable(TIME), "name": STR,
        "steps": {"type": "array", "items": STEP}, "check_run_url": STR,
        "labels": {"type": "array", "items": STR}, "runner_id": nullable(INT),
        "runner_name": nullable(STR), "runner_group_id": nullable(INT),
        "runner_group_name": nullable(STR), "workflow_name": STR, "head_branch": nullable(STR),
        "run_attempt": INT,
    }
)  # fmt: skip
WORKFLOW = obj(
    {
        "id": INT, "node_id": STR, "name": STR, "path": STR, "created_at": TIME,
        "updated_at": TIME, "url": STR, "html_url": STR, "badge_url": STR,
        "state": {"enum": ["active", "deleted", "disabled_fork", "disabled_inactivity",
                           "disabled_manually"]},
    }
)  # fmt: skip
QUOTA = obj({"limit": INT, "remaining": INT, "reset": INT, "used": INT})
RATE_LIMIT = obj(
    {"resources": obj({"core": QUOTA, "search": QUOTA, "graphql": QUOTA, "code_search": QUOTA}),
     "rate": QUOTA}
)  # fmt: skip
ERROR = {
    "type": "object",
    "required": ["message", "documentation_url"],
    "properties": {"message": STR, "documentation_url": STR},
    "additionalProperties": False,
}


def wrapper(key: str, item: dict[str, Any]) -> dict[str, Any]:
    """A list wrapper: exactly ``total_count`` plus one array."""
    return {
        "type": "object",
        "required": ["total_count", key],
        "properties": {"total_count": INT, key: {"type": "array", "items": item}},
        "additionalProperties": False,
    }
