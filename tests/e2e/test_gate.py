"""``bench run --compare`` as CI uses it: verdicts decide the exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.harness.conftest import SAMPLE_SUITES


def bench(tmp: Path, *args: str, requests: int = 10) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "harness.cli", "run", "basic", "-b", "Tunable",
        "--suites-dir", str(SAMPLE_SUITES), "--results-dir", str(tmp / "results"),
        "--baselines-dir", str(tmp / "baselines"), *args,
    ]  # fmt: skip
    env = {**os.environ, "SAMPLE_REQUESTS": str(requests)}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)


def test_an_exact_counter_regression_fails_the_gate(tmp_path: Path) -> None:
    assert bench(tmp_path, "--save-baseline", "main").returncode == 0
    # Time verdicts on a shared machine are not what this test is about: only a 10x slowdown
    # could regress, so the exit code is decided by the exact counter alone.
    same = bench(tmp_path, "--compare", "main", "--threshold", "900%")
    assert same.returncode == 0, same.stdout + same.stderr
    worse = bench(
        tmp_path, "--compare", "main", "--threshold", "900%", "--format", "json", requests=11
    )
    assert worse.returncode == 1, worse.stderr
    report = json.loads(worse.stdout[worse.stdout.index("{") :])
    statuses = {(v["metric"], v["status"]) for v in report["verdicts"]}
    assert ("requests", "regressed") in statuses


def test_a_missing_or_corrupt_baseline_stops_before_running(tmp_path: Path) -> None:
    missing = bench(tmp_path, "--compare", "nope")
    assert missing.returncode == 2 and "nope" in missing.stderr
    assert not (tmp_path / "results").exists()  # nothing ran
    (tmp_path / "baselines").mkdir()
    (tmp_path / "baselines" / "torn.json").write_text("{")
    torn = bench(tmp_path, "--compare", "torn")
    assert torn.returncode == 2 and "torn.json" in torn.stderr
    assert len(torn.stderr.strip().splitlines()) == 1 and "Traceback" not in torn.stderr
