"""GitHub's JSON for the seeded facts: repository, workflows, runs, jobs, timing.

Bodies carry every field GitHub's OpenAPI description requires of them (the tests validate each
endpoint against it). Every absolute URL is written against :data:`CANONICAL_BASE`; the model
swaps in the server's own base URL when it serializes, so ETags do not depend on the port a
server happens to get. Users and the embedded repository are built once and shared by every run
that embeds them: a page of 100 runs then costs no more to build than before they grew.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from mockgithub import nodeids
from mockgithub.dataset import RunFacts
from mockgithub.hypermedia import CANONICAL_BASE, repository_urls, user_urls
from mockgithub.jobs import JobFacts
from mockgithub.profiles import EPOCH_S, WorkflowProfile

__all__ = ["CANONICAL_BASE", "iso", "job", "node_id", "repository", "run", "workflow"]

REPO_ID = 1_296_269
OWNER_ID = 9_919


def iso(epoch_s: int | None) -> str | None:
    """GitHub's timestamp form: ISO 8601 UTC with a ``Z``."""
    if epoch_s is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_s))


def node_id(prefix: str, number: int) -> str:
    return nodeids.encode(prefix, number)


@lru_cache(maxsize=256)
def user(login: str, user_id: int, kind: str = "") -> dict[str, Any]:
    """A ``simple-user``; ``kind`` defaults to Bot for ``…[bot]`` logins, else User.

    Cached: callers embed the same (read-only) dict wherever that user appears.
    """
    kind = kind or ("Bot" if login.endswith("[bot]") else "User")
    body: dict[str, Any] = {
        "login": login,
        "id": user_id,
        "node_id": node_id(nodeids.PREFIXES[kind], user_id),
        "avatar_url": f"{CANONICAL_BASE}/avatars/u/{user_id}?v=4",
        "gravatar_id": "",
        **dict(user_urls(login)),
        "type": kind,
        "user_view_type": "public",
        "site_admin": False,
    }
    return body


def minimal_repository(full_name: str) -> dict[str, Any]:
    """The repository as it is embedded in runs (``repository``, ``head_repository``)."""
    owner, name = full_name.split("/", 1)
    return {
        "id": REPO_ID,
        "node_id": node_id("R", REPO_ID),
        "name": name,
        "full_name": full_name,
        "private": False,
        "owner": user(owner, OWNER_ID, "Organization"),
        "html_url": f"{CANONICAL_BASE}/{full_name}",
        "description": "A repository served by mockgithub",
        "fork": False,
        "url": f"{CANONICAL_BASE}/repos/{full_name}",
        **dict(repository_urls(full_name)),
    }


def repository(full_name: str, pushed: int) -> dict[str, Any]:
    """The ``full-repository`` of ``GET /repos/{owner}/{repo}``."""
    body = minimal_repository(full_name)
    body.update(
        {
            "created_at": iso(EPOCH_S - 86_400 * 900),
            "updated_at": iso(pushed),
            "pushed_at": iso(pushed),
            "git_url": f"git://mockgithub.invalid/{full_name}.git",
            "ssh_url": f"git@mockgithub.invalid:{full_name}.git",
            "clone_url": f"{CANONICAL_BASE}/{full_name}.git",
            "svn_url": f"{CANONICAL_BASE}/{full_name}",
            "mirror_url": None,
            "homepage": None,
            "size": 10_240,
            "stargazers_count": 42,
            "watchers_count": 42,
            "watchers": 42,
            "subscribers_count": 5,
            "network_count": 7,
            "language": "Python",
            "forks_count": 7,
            "forks": 7,
            "open_issues_count": 3,
            "open_issues": 3,
            "license": None,
            "default_branch": "main",
            "visibility": "public",
            "archived": False,
            "disabled": False,
            "has_issues": True,
            "has_projects": False,
            "has_wiki": False,
            "has_pages": False,
            "has_discussions": False,
            "topics": ["ci", "github-actions"],
            "permissions": {"admin": False, "push": False, "pull": True},
        }
    )
    return body


def workflow(full_name: str, profile: WorkflowProfile) -> dict[str, Any]:
    api = f"{CANONICAL_BASE}/repos/{full_name}/actions/workflows/{profile.id}"
    html = f"{CANONICAL_BASE}/{full_name}/blob/main/{profile.path}"
    return {
        "id": profile.id,
        "node_id": node_id("W", profile.id),
        "name": profile.name,
        "path": profile.path,
        "state": "active",
        "created_at": iso(profile.created_at),
        "updated_at": iso(profile.created_at + 86_400 * 30),
        "url": api,
        "html_url": html,
        "badge_url": f"{CANONICAL_BASE}/{full_name}/workflows/{profile.name}/badge.svg",
    }


def run(
    full_name: str, facts: RunFacts, repo: dict[str, Any], with_prs: bool = True
) -> dict[str, Any]:
    """One workflow run as GitHub lists it (its latest attempt)."""
    api = f"{CANONICAL_BASE}/repos/{full_name}/actions/runs/{facts.id}"
    actor = user(*facts.actor)
    attempt = facts.latest.number
    return {
        "id": facts.id,
        "name": facts.workflow.name,
        "node_id": node_id("WFR", facts.id),
        "head_branch": facts.branch,
        "head_sha": facts.sha,
        "path": facts.workflow.path,
        "display_title": facts.title,
        "run_number": facts.number,
        "event": facts.event,
        "status": facts.status,
        "conclusion": facts.conclusion,
        "workflow_id": facts.workflow.id,
        "check_suite_id": facts.check_suite_id,
        "check_suite_node_id": node_id("CS", facts.check_suite_id),
        "url": api,
        "html_url": f"{CANONICAL_BASE}/{full_name}/actions/runs/{facts.id}",
        "pull_requests": _pull_requests(full_name, facts) if with_prs else [],
        "created_at": iso(facts.created),
        "updated_at": iso(facts.updated),
        "actor": actor,
        "run_attempt": attempt,
        "referenced_workflows": [],
        "run_started_at": iso(facts.latest.started),
        "triggering_actor": actor,
        "jobs_url": f"{api}/jobs",
        "logs_url": f"{api}/logs",
        "check_suite_url": f"{repo['url']}/check-suites/{facts.check_suite_id}",
        "artifacts_url": f"{api}/artifacts",
        "cancel_url": f"{api}/cancel",
        "rerun_url": f"{api}/rerun",
        "previous_attempt_url": f"{api}/attempts/{attempt - 1}" if attempt > 1 else None,
        "workflow_url": f"{CANONICAL_BASE}/repos/{full_name}/actions/workflows/{facts.workflow.id}",
        "head_commit": _head_commit(facts),
        "repository": repo,
        "head_repository": repo,
    }


def run_attempt(
    full_name: str, facts: RunFacts, repo: dict[str, Any], number: int
) -> dict[str, Any]:
    """The run as it was at attempt ``number`` (GitHub's ``/attempts/{n}`` view)."""
    attempt = facts.attempts[number - 1]
    body = run(full_name, facts, repo)
    api = body["url"]
    finished = attempt is not facts.latest or facts.status == "completed"
    body.update(
        {
            "run_attempt": number,
            "run_started_at": iso(attempt.started),
            "status": "completed" if finished else facts.status,
            "conclusion": attempt.conclusion if finished else None,
            "updated_at": iso(attempt.completed if finished else attempt.started),
            "previous_attempt_url": f"{api}/attempts/{number - 1}" if number > 1 else None,
        }
    )
    return body


def _pull_requests(full_name: str, facts: RunFacts) -> list[dict[str, Any]]:
    if facts.pr_number is None:
        return []
    api = f"{CANONICAL_BASE}/repos/{full_name}"
    repo = {"id": REPO_ID, "url": api, "name": full_name.split("/", 1)[1]}
    return [
        {
            "id": 1_700_000_000 + facts.pr_number,
            "number": facts.pr_number,
            "url": f"{api}/pulls/{facts.pr_number}",
            "head": {"ref": facts.branch, "sha": facts.sha, "repo": repo},
            "base": {"ref": "main", "sha": facts.sha[::-1], "repo": repo},
        }
    ]


def _head_commit(facts: RunFacts) -> dict[str, Any]:
    login = facts.actor[0]
    person = {"name": login, "email": f"{facts.actor[1]}+{login}@users.noreply.github.com"}
    return {
        "id": facts.sha,
        "tree_id": facts.sha[::-1],
        "message": facts.title,
        "timestamp": iso(facts.created - 120),
        "author": person,
        "committer": person,
    }


def job(full_name: str, facts: RunFacts, job_facts: JobFacts) -> dict[str, Any]:
    api = f"{CANONICAL_BASE}/repos/{full_name}"
    runner = job_facts.runner
    return {
        "id": job_facts.id,
        "run_id": facts.id,
        "workflow_name": facts.workflow.name,
        "head_branch": facts.branch,
        "run_url": f"{api}/actions/runs/{facts.id}",
        "run_attempt": job_facts.attempt,
        "node_id": node_id("CR", job_facts.id),
        "head_sha": facts.sha,
        "url": f"{api}/actions/jobs/{job_facts.id}",
        "html_url": f"{CANONICAL_BASE}/{full_name}/actions/runs/{facts.id}/job/{job_facts.id}",
        "status": job_facts.status,
        "conclusion": job_facts.conclusion,
        "created_at": iso(job_facts.created),
        "started_at": iso(job_facts.started),
        "completed_at": iso(job_facts.completed),
        "name": job_facts.name,
        "steps": [
            {
                "name": s.name,
                "status": s.status,
                "conclusion": s.conclusion,
                "number": s.number,
                "started_at": iso(s.started),
                "completed_at": iso(s.completed),
            }
            for s in job_facts.steps
        ],
        "check_run_url": f"{api}/check-runs/{job_facts.id}",
        "labels": list(job_facts.labels),
        "runner_id": runner[0] if runner else None,
        "runner_name": runner[1] if runner else None,
        "runner_group_id": runner[2] if runner else None,
        "runner_group_name": runner[3] if runner else None,
    }


def timing(jobs: list[JobFacts], run_duration_ms: int) -> dict[str, Any]:
    """GitHub's billable time per OS for the latest attempt's jobs."""
    billable: dict[str, dict[str, Any]] = {}
    for item in jobs:
        if item.completed is None or item.labels[0] == "self-hosted":
            continue
        os_name = item.labels[0].split("-", 1)[0].upper()
        os_name = {"MACOS": "MACOS", "WINDOWS": "WINDOWS"}.get(os_name, "UBUNTU")
        entry = billable.setdefault(os_name, {"total_ms": 0, "jobs": 0, "job_runs": []})
        duration = (item.completed - item.started) * 1000
        entry["total_ms"] += duration
        entry["jobs"] += 1
        entry["job_runs"].append({"job_id": item.id, "duration_ms": duration})
    return {"billable": billable, "run_duration_ms": run_duration_ms}
