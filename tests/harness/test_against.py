"""``--against``: another revision's code and this tree's, measured interleaved in one run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.against import interleave, run_against
from harness.errors import InputError
from harness.measure import SampleSettings
from harness.results import load
from harness.runner import RunOptions
from harness.suite import CaseRef

SUITE = """
import analyzer


class Version:
    params = [[1, 2]]
    param_names = ["n"]

    def time_work(self, n):
        analyzer.work(n)

    def counters(self):
        return {"version": analyzer.VERSION}
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _write(repo: Path, version: int) -> None:
    (repo / "analyzer").mkdir(exist_ok=True)
    (repo / "analyzer" / "__init__.py").write_text(
        f"VERSION = {version}\n\ndef work(n):\n    return sum(range(n * {version} * 100))\n"
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "suites").mkdir(parents=True)
    (repo / "suites" / "__init__.py").write_text("")
    (repo / "suites" / "versioned.py").write_text(SUITE)
    _write(repo, 1)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "v1")
    _write(repo, 2)  # the working tree: a new version, not committed
    return repo


def test_each_side_runs_its_own_code_interleaved(repo: Path, tmp_path: Path) -> None:
    fast = SampleSettings(samples=3, min_samples=3, max_time_s=2, warmup_s=0, min_sample_s=0.001)
    options = RunOptions(repo / "suites", tmp_path / "results", settings=fast)
    done = run_against(options, "HEAD", repo)
    for result, version in ((done.base, 1.0), (done.current, 2.0)):
        assert [b.status for b in result.benchmarks] == ["ok", "ok"]
        assert {b.metric("version").samples for b in result.benchmarks} == {(version,) * 3}
    assert done.base.meta["role"] == "base" and done.base.complete and done.current.complete
    assert done.current.meta["against"]["base_run_id"] == done.base.run_id
    assert done.base.meta["git"]["commit"] == done.current.meta["against"]["commit"]
    worktrees = subprocess.run(
        ["git", "worktree", "list"], cwd=repo, capture_output=True, text=True
    )
    assert len(worktrees.stdout.strip().splitlines()) == 1  # the temporary worktree is gone


def test_unknown_revision_is_an_input_error(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a commit"):
        run_against(RunOptions(repo / "suites", tmp_path), "no-such-rev", repo)


def _ref(case_id: str) -> CaseRef:
    return CaseRef(case_id, case_id, {}, "m", None, "time_x", "time", (), 60.0, None)


def test_interleave_alternates_and_runs_new_cases_alone() -> None:
    base, current = object(), object()
    schedule = interleave(base, [_ref("a"), _ref("b")], current, [_ref("a"), _ref("b"), _ref("c")])  # type: ignore[arg-type]
    sides = [("base" if rec is base else "current", case.id) for rec, case in schedule]
    assert sides == [
        ("base", "a"), ("current", "a"), ("current", "b"), ("base", "b"), ("current", "c"),
    ]  # fmt: skip


def test_interleave_swaps_the_order_in_each_round_of_processes() -> None:
    base, current = object(), object()
    schedule = interleave(base, [_ref("a")], current, [_ref("a")], rounds=3)  # type: ignore[arg-type]
    sides = ["B" if rec is base else "C" for rec, _ in schedule]
    assert sides == ["B", "C", "C", "B", "B", "C"]


def test_bench_run_against_judges_the_revision(repo: Path, tmp_path: Path) -> None:
    command = [
        sys.executable, "-m", "harness.cli", "run", "--against", "HEAD", "--samples", "3",
        "-b", "n=1", "--suites-dir", str(repo / "suites"), "--results-dir", str(tmp_path / "r"),
        "--format", "json", "--confirm-rounds", "0",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # the exact counter "version" went from 1 to 2
    report = json.loads(done.stdout[done.stdout.index("{") :])
    verdicts = {v["metric"]: v for v in report["verdicts"] if v["metric"]}
    assert verdicts["version"]["status"] == "regressed"
    # --against measures 5 worker processes per side by default: times are judged per process.
    assert (verdicts["time"]["level"], verdicts["time"]["baseline_n"]) == ("processes", 5)
    files = sorted((tmp_path / "r").glob("*.json"))
    assert len(files) == 2
    for path in files:
        (bench,) = load(path).benchmarks
        assert bench.metric("time").processes == (3,) * 5
