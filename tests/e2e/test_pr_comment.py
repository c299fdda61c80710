"""The sticky pull-request comment (.github/workflows/bench-comment.yml), run against a stand-in
for the ``gh`` command line that keeps a pull request's comments in a JSON file."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.actions import Actions, load

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "bench-comment.yml"
HEAD = "4f2a9c1e0d9b8a7f6e5d4c3b2a1908f7e6d5c4b3"
# Answers the four `gh api` calls the workflow makes, from and into the state file.
FAKE_GH = r"""#!/usr/bin/env python3
import json, re, sys
state_path = STATE_PATH
state = json.load(open(state_path))
args = sys.argv[1:]
state["calls"].append(args)
method = args[args.index("--method") + 1] if "--method" in args else "GET"
path = next(a for a in args if a.startswith("repos/"))
def save():
    json.dump(state, open(state_path, "w"))
def body():
    field = args[args.index("-F") + 1]
    assert field.startswith("body=@"), field
    return open(field[len("body=@"):]).read()
if m := re.fullmatch(r"repos/owner/repo/pulls/(\d+)", path):
    pull = state["pulls"].get(m[1])
    if pull is None:
        sys.exit("gh: Not Found (HTTP 404)")
    print(pull["head"])
elif m := re.fullmatch(r"repos/owner/repo/issues/(\d+)/comments", path):
    if method == "POST":
        state["comments"].append({"id": 100 + len(state["comments"]), "pr": m[1], "body": body()})
    else:
        marker = re.search(r'startswith\("(.*?)"\)', args[args.index("--jq") + 1])[1]
        for c in state["comments"]:
            if c["pr"] == m[1] and c["body"].startswith(marker):
                print(c["id"])
elif m := re.fullmatch(r"repos/owner/repo/issues/comments/(\d+)", path):
    assert method == "PATCH"
    next(c for c in state["comments"] if c["id"] == int(m[1]))["body"] = body()
else:
    sys.exit(f"fake gh: unexpected call {args}")
save()
"""


def context(event: str = "pull_request", comment: str = "true") -> dict[str, Any]:
    return {
        "github": {
            "event": {"workflow_run": {"event": event, "conclusion": "failure", "id": 1,
                                       "head_sha": HEAD}},
            "repository": "owner/repo",
            "token": "not-a-real-token",
            "sha": HEAD,
        },
        "vars": {"BENCH_PR_COMMENT": comment},
    }  # fmt: skip


class Repo:
    """The workflow's runner, a fake gh, and the pull requests and comments it knows."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        (tmp / "bin").mkdir()
        gh = tmp / "bin" / "gh"
        self.state_path = tmp / "gh.json"
        gh.write_text(FAKE_GH.replace("STATE_PATH", repr(str(self.state_path))))
        gh.chmod(gh.stat().st_mode | stat.S_IEXEC)
        self.state_path.write_text(json.dumps({"pulls": {"7": {"head": HEAD}}, "comments": [],
                                               "calls": []}))  # fmt: skip
        self.runs = 0

    def comment(self, pr_number: str, summary: str) -> int:
        self.runs += 1
        root = self.tmp / f"run{self.runs}"
        actions = Actions(self.tmp, root, context(), path=(self.tmp / "bin",))
        uploaded = root / "artifacts" / "bench-comment"
        uploaded.mkdir(parents=True)
        (uploaded / "pr-number").write_text(pr_number + "\n")
        (uploaded / "summary.md").write_text(summary)
        actions.artifacts["bench-comment"] = uploaded
        (root / "comment-").mkdir()
        job = actions.run_job(load(WORKFLOW), "comment")
        self.log = job.log
        return job.code

    @property
    def comments(self) -> list[dict[str, Any]]:
        comments: list[dict[str, Any]] = json.loads(self.state_path.read_text())["comments"]
        return comments


def test_the_comment_is_posted_once_then_updated_in_place(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    assert repo.comment("7", "## Benchmarks: first\n") == 0, repo.log
    assert repo.comment("7", "## Benchmarks: second\n") == 0, repo.log
    assert repo.comments == [
        {"id": 100, "pr": "7", "body": "<!-- bench-summary -->\n## Benchmarks: second\n"}
    ]
    assert "updated comment 100 on #7" in repo.log


@pytest.mark.parametrize(
    ("pr_number", "why"),
    [("7; rm -rf /", "not a number"), ("8", "Not Found"), ("../7", "not a number")],
)
def test_a_pr_number_that_does_not_check_out_posts_nothing(
    tmp_path: Path, pr_number: str, why: str
) -> None:
    repo = Repo(tmp_path)
    state = json.loads(repo.state_path.read_text())
    state["pulls"]["8"] = {"head": "another-commit"}
    repo.state_path.write_text(json.dumps(state))
    assert repo.comment(pr_number, "## Benchmarks\n") != 0
    assert repo.comments == []
    if why == "Not Found":
        assert f"pull request #8 is at another-commit, not {HEAD}" in repo.log
    else:
        assert why in repo.log


def test_it_runs_only_after_pull_request_runs_when_asked() -> None:
    workflow = load(WORKFLOW)
    condition = workflow["jobs"]["comment"]["if"]
    actions = Actions(Path("."), Path("."), {})
    assert actions.evaluate(condition, context())
    assert not actions.evaluate(condition, context(comment="false"))
    assert not actions.evaluate(condition, context(event="push"))
