"""The pull-request jobs of .github/workflows/bench.yml, run step by step on a small project.

A temporary git project (a three-benchmark suite, two of them exact counters) gets a base and a
head commit; both shard jobs and the merge job run their ``run:`` blocks as the workflow says
(tests/e2e/actions.py emulates the actions). A/A passes; a real regression fails the job with
exit 1 and an annotation naming the benchmark; the job summary names the head commit and holds
no image link.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.e2e.actions import Actions, JobResult, load

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "bench.yml"
SETUP = frozenset({"Install Redis and bench", "Install bench"})  # done: this venv has bench
SUITE = '''
"""A tiny project's suite: two exact counters in two shards (and a sampled benchmark)."""

REQUESTS = {requests}  # the head's change, when it regresses


def track_requests():  # shard 1
    return REQUESTS


track_requests.unit = "requests"
track_requests.exact = True


def track_waits():  # shard 2
    return 3


track_waits.unit = "waits"
track_waits.exact = True
'''
TIMED = """

def time_sum():  # shard 1
    sum(range(1000))


# A shared machine's noise is not what this test is about: no time change can regress, and
# only the suite's own thresholds say so.
time_sum.thresholds = {"time": 10.0, "cpu_time": 10.0}
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
        cwd=repo, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def commit(repo: Path, requests: int, message: str, extra: str = "") -> str:
    (repo / "suites" / "tiny.py").write_text(SUITE.format(requests=requests) + extra)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def pull_request(
    tmp: Path, head_requests: int, timed: bool = False, comment: str = ""
) -> tuple[Actions, str]:
    origin = tmp / "origin"
    (origin / "suites").mkdir(parents=True)
    (origin / "suites" / "__init__.py").write_text("")
    # No run-level fixtures. Said out loud: with bench installed editable, a missing
    # suites._fixtures would be found in bench's own suites package (the mock server).
    (origin / "suites" / "_fixtures.py").write_text("def run_fixtures():\n    return []\n")
    (origin / ".gitignore").write_text("results/\n.asv/\n")
    git(origin, "init", "-q", "-b", "main")
    extra = TIMED if timed else ""
    base = commit(origin, 10, "Base: ten requests per page", extra)
    head = commit(origin, head_requests, "Head: fetch the pages", extra + comment)
    context = {
        "github": {
            "event_name": "pull_request",
            "sha": head,
            "event": {"pull_request": {"number": 7, "base": {"sha": base}}},
        },
        "vars": {"BENCH_PR_COMMENT": "true"},
    }
    return Actions(origin, tmp / "runner", context, SETUP), head


def run_pull_request(actions: Actions) -> tuple[list[JobResult], JobResult]:
    workflow = load(WORKFLOW)
    for job_id in ("shard", "merge"):
        assert actions.evaluate(workflow["jobs"][job_id]["if"], actions.context)
    assert not actions.evaluate(workflow["jobs"]["history"]["if"], actions.context)
    shards = [
        actions.run_job(workflow, "shard", {"shard": n})
        for n in workflow["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    ]
    for shard in shards:
        assert shard.code == 0, shard.log
    return shards, actions.run_job(workflow, "merge")


def test_an_aa_pull_request_passes_with_a_summary_that_reads(tmp_path: Path) -> None:
    actions, head = pull_request(tmp_path, 10, timed=True, comment="# only a comment changed\n")
    shards, merge = run_pull_request(actions)
    assert merge.code == 0, merge.log
    assert not merge.step("Fail on a regression").ran
    summary = merge.summary
    assert f"- **head** `{head[:7]}` Head: fetch the pages" in summary
    assert "![" not in summary
    assert "[artifact](<https://github.com/owner/repo/actions/runs/1/artifacts/3>)" in summary
    # Everything unchanged: the merge judged with the suite's own thresholds, as the shards did.
    assert "`tiny.track_requests`" in summary and "\n### " not in summary
    assert "::error" not in merge.log
    comment = actions.artifacts["bench-comment"]
    assert (comment / "pr-number").read_text().strip() == "7"
    assert (comment / "summary.md").read_text() == summary


def test_a_regression_fails_the_job_with_exit_1_naming_it(tmp_path: Path) -> None:
    actions, head = pull_request(tmp_path, 12)
    shards, merge = run_pull_request(actions)
    failing = merge.step("Fail on a regression")
    assert failing.ran and failing.code == 1, merge.log
    assert failing.stdout.splitlines()[0] == (
        "::error title=tiny.track_requests::track +20.0%25 (10 requests → 12 requests), ratio 1.20"
    )
    assert "### ▲ Regressed" in merge.summary and "`tiny.track_requests`" in merge.summary
    assert f"`{head[:7]}`" in merge.summary and "![" not in merge.summary
    report = actions.artifacts["bench-report"]
    assert {"base.json", "head.json", "report.md", "report.html"} <= {
        p.name for p in report.iterdir()
    }
