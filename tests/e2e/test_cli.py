"""The ``bench`` command end to end, as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness import __version__
from tests.harness.conftest import SAMPLE_SUITES


def bench(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "harness.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=300)


def test_version_and_help() -> None:
    assert bench("--version").stdout.strip() == f"bench {__version__}"
    helped = bench("--help")
    assert helped.returncode == 0
    assert "Exit codes" in helped.stdout
    assert "run" in helped.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("run", "--bogus-flag"),
        ("run", "--samples", "zero"),
        ("nosuchcommand",),
        ("run", "-b", "("),
        ("baseline", "show", "no-such-baseline"),
        ("baseline", "save", "bad/name"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], tmp_path: Path) -> None:
    done = bench(*args, "--suites-dir", str(SAMPLE_SUITES)) if args[0] == "run" else bench(*args)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_run_writes_results_and_saves_a_baseline(tmp_path: Path) -> None:
    done = bench(
        "run", "basic", "-b", "track|Cold", "--suites-dir", str(SAMPLE_SUITES),
        "--results-dir", str(tmp_path / "results"), "--save-baseline", "main",
        "--baselines-dir", str(tmp_path / "baselines"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (path,) = (tmp_path / "results").glob("*.json")
    data = json.loads(path.read_text())
    assert data["complete"] is True
    assert {b["name"] for b in data["benchmarks"]} == {"basic.Cold.time_once", "basic.track_answer"}
    assert json.loads((tmp_path / "baselines" / "main.json").read_text()) == data
    listed = bench("baseline", "list", "--baselines-dir", str(tmp_path / "baselines"))
    assert listed.stdout.startswith("main\t")


def test_failed_benchmark_gives_exit_3(tmp_path: Path) -> None:
    done = bench(
        "run", "broken", "-b", "raises", "--suites-dir", str(SAMPLE_SUITES),
        "--results-dir", str(tmp_path),
    )  # fmt: skip
    assert done.returncode == 3
    assert "boom from the benchmark" in done.stderr


def test_ctrl_c_keeps_finished_benchmarks_and_marks_the_run_incomplete(tmp_path: Path) -> None:
    command = [
        sys.executable, "-m", "harness.cli", "run", "basic", "--suites-dir", str(SAMPLE_SUITES),
        "--results-dir", str(tmp_path), "--samples", "50",
    ]  # fmt: skip
    # Ctrl-C as at a terminal, whatever this test inherited: a shell without job control starts
    # its background commands with SIGINT ignored, and bench would then never see it.
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        files = list(tmp_path.glob("*.json"))
        if files and json.loads(files[0].read_text())["benchmarks"]:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 3
    assert "interrupted: kept" in stderr and "Traceback" not in stderr
    data = json.loads(files[0].read_text())
    assert data["complete"] is False and data["meta"]["interrupted"] is True
    assert data["benchmarks"] and all(b["status"] == "ok" for b in data["benchmarks"])
