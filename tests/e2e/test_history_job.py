"""The history job of .github/workflows/bench.yml, run step by step on a small project: the
asv database survives on the data branch from run to run, and a manual run backfills."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.e2e.actions import Actions, JobResult, load
from tests.e2e.test_pipeline import SETUP, git

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "bench.yml"
MACHINE = "github-ubuntu-latest"  # the workflow's BENCH_ASV_MACHINE
DATA = "bench-data"
SUITE = """
def track_answer():
    return {answer}


track_answer.unit = "answers"
track_answer.exact = True
"""


def project(root: Path, commits: int) -> tuple[Path, list[str]]:
    origin = root / "origin"
    (origin / "suites").mkdir(parents=True)
    (origin / "suites" / "__init__.py").write_text("")
    # No run-level fixtures. Said out loud: with bench installed editable, a missing
    # suites._fixtures would be found in bench's own suites package (the mock server).
    (origin / "suites" / "_fixtures.py").write_text("def run_fixtures():\n    return []\n")
    conf = {"version": 1, "project": "tiny", "repo": ".", "branches": ["main"],
            "environment_type": "existing", "benchmark_dir": "suites",
            "results_dir": ".asv/results", "html_dir": ".asv/html"}  # fmt: skip
    (origin / "asv.conf.json").write_text(json.dumps(conf))
    (origin / ".gitignore").write_text("results/\n.asv/\n")
    git(origin, "init", "-q", "-b", "main")
    made = []
    for answer in range(commits):
        (origin / "suites" / "tiny.py").write_text(SUITE.format(answer=40 + answer))
        git(origin, "add", "-A")
        git(origin, "commit", "-q", "-m", f"answer {40 + answer}")
        made.append(git(origin, "rev-parse", "HEAD"))
    return origin, made


def history_run(
    origin: Path, root: Path, sha: str, event: str = "push", backfill: str = ""
) -> JobResult:
    context: dict[str, Any] = {
        "github": {"event_name": event, "sha": sha, "ref": "refs/heads/main"},
        "inputs": {"backfill": backfill},
        "vars": {"BENCH_PAGES": "false"},
    }
    actions = Actions(origin, root, context, SETUP)
    workflow = load(WORKFLOW)
    assert actions.evaluate(workflow["jobs"]["history"]["if"], context)
    job = actions.run_job(workflow, "history")
    assert job.code == 0, job.log
    assert (actions.artifacts["bench-history"] / ".asv" / "html" / "index.html").is_file()
    return job


def recorded(origin: Path) -> dict[str, str]:
    """commit -> its asv results file, as the data branch holds them."""
    listed = git(origin, "ls-tree", "-r", "--name-only", DATA, f"results/{MACHINE}")
    found = {}
    for name in listed.splitlines():
        if name.endswith("-bench.json"):
            data = json.loads(git(origin, "show", f"{DATA}:{name}"))
            found[data["commit_hash"]] = name
    return found


def test_the_history_outlives_each_run_on_the_data_branch(tmp_path: Path) -> None:
    origin, (first, second) = project(tmp_path, 2)
    started = history_run(origin, tmp_path / "run1", first)
    assert f"no {DATA} branch yet" in started.log
    assert set(recorded(origin)) == {first}
    history_run(origin, tmp_path / "run2", second)  # a new runner: only the branch remains
    assert set(recorded(origin)) == {first, second}
    assert git(origin, "log", "--format=%s", DATA).splitlines() == [
        f"bench history: {second}",
        f"bench history: {first}",
    ]
    assert git(origin, "show", f"{DATA}:bench-series.json").startswith("{")


def test_a_manual_run_backfills_past_commits_first(tmp_path: Path) -> None:
    origin, commits = project(tmp_path, 4)
    job = history_run(origin, tmp_path / "run", commits[-1], "workflow_dispatch", "HEAD~3..HEAD~1")
    assert job.step("Backfill past commits").ran
    assert "2 commit(s) measured, 0 already recorded" in job.log
    assert set(recorded(origin)) == set(commits[1:])
    subprocess.run(["git", "-C", str(origin), "fsck", "--no-progress"], check=True, timeout=60)
