"""A tiny git project measured on two commits and published as asv's site, built once per module.

The suites package is called ``tinysuites`` so that it never shadows the project's ``suites``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

MACHINE = "history-test-machine"
SUITE = """
ANSWER = {answer}


class Tiny:
    params = [[1, 2]]
    param_names = ["n"]
    number = 1

    def setup(self, n):
        self.n = n

    def time_sum(self, n):
        sum(range(n * 1000))

    def counters(self):
        return {{"items": self.n * 10}}


def track_answer():
    return ANSWER


track_answer.unit = "answers"
track_answer.exact = True
"""


@dataclass(frozen=True)
class History:
    repo: Path
    commits: tuple[str, str]
    results: tuple[Path, Path]
    asv_dir: Path
    html: Path


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
        cwd=repo, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def bench(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # `bench run` records into asv's history itself, under this machine name.
    env = {**os.environ, "BENCH_ASV_MACHINE": MACHINE}
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args],
        cwd=cwd, capture_output=True, text=True, timeout=300, check=False, env=env,
    )  # fmt: skip


def commit_and_run(repo: Path, answer: int) -> tuple[str, Path]:
    (repo / "tinysuites" / "tiny.py").write_text(SUITE.format(answer=answer))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"answer {answer}")
    done = bench("run", "--quick", "--suites-dir", "tinysuites", "--results-dir", "results",
                 cwd=repo)  # fmt: skip
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.split("results: ")[-1].split()[0])
    return git(repo, "rev-parse", "HEAD"), repo / path


def make_history(root: Path) -> History:
    repo = root / "project"
    (repo / "tinysuites").mkdir(parents=True)
    (repo / "tinysuites" / "__init__.py").write_text("")
    conf = {"version": 1, "project": "tiny", "repo": ".", "branches": ["main"],
            "environment_type": "existing", "benchmark_dir": "tinysuites",
            "results_dir": ".asv/results", "html_dir": ".asv/html"}  # fmt: skip
    (repo / "asv.conf.json").write_text(json.dumps(conf))
    (repo / ".gitignore").write_text("results/\n.asv/\n")
    git(repo, "init", "-q", "-b", "main")
    first, first_result = commit_and_run(repo, 41)
    second, second_result = commit_and_run(repo, 42)
    done = bench("publish", "--machine", MACHINE, cwd=repo)
    assert done.returncode == 0, done.stderr
    asv_dir = repo / ".asv"
    return History(repo, (first, second), (first_result, second_result), asv_dir,
                   asv_dir / "html")  # fmt: skip


@pytest.fixture(scope="package")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    return make_history(tmp_path_factory.mktemp("history"))
