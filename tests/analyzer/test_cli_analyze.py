"""``bench analyze`` end to end: the mock by default, exit codes, atomic output."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from harness.cli import main

KNOB_ENV = (
    "MAX_PARALLEL_JOBS",
    "GITHUB_TOKEN",
    "ANALYZER_PROFILE",
    "OUTPUT_FORMAT",
    "CACHE_TTL",
    "GITHUB_API_MODE",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in KNOB_ENV:
        monkeypatch.delenv(name, raising=False)


def bench(*argv: str) -> int:
    with pytest.raises(SystemExit) as caught:
        main(list(argv))
    return int(caught.value.code or 0)


def test_default_run_analyzes_the_mock_and_writes_json(tmp_path: Path, capsys) -> None:
    out = tmp_path / "report.json"
    code = bench(
        "analyze",
        "octo-org/octo-repo",
        "--limit",
        "30",
        "--jobs",
        "4",
        "--format",
        "json",
        "--output",
        str(out),
        "--cache",
        "none",
    )
    assert code == 0
    data = json.loads(out.read_text())
    assert data["format_version"] == 1 and data["repository"] == "octo-org/octo-repo"
    assert data["runs_analyzed"] == 30
    # GITHUB_API_MODE=auto with the mock's token: one list page, the jobs of 30 runs in one query.
    usage = data["api_usage"]
    assert (usage["requests"], usage["graphql_requests"], usage["graphql_points"]) == (2, 1, 1)
    assert "report:" in capsys.readouterr().err


def test_another_repository_name_gets_its_own_mock(capsys) -> None:
    assert bench("analyze", "someone/elsewhere", "--limit", "3", "--format", "markdown") == 0
    assert capsys.readouterr().out.startswith("# Workflow performance: someone/elsewhere")


def test_a_bad_knob_exits_2_with_one_line(capsys) -> None:
    assert bench("analyze", "octo-org/octo-repo", "--jobs", "40") == 2
    err = capsys.readouterr().err
    assert err.strip() == "bench: analyze: MAX_PARALLEL_JOBS must be 1..16, got 40 (command line)"


def test_a_bad_repository_exits_2(capsys) -> None:
    assert bench("analyze", "not-a-repo") == 2
    assert "OWNER/NAME" in capsys.readouterr().err


def test_an_unreachable_api_exits_3_and_names_what_failed(
    monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_clisecret")
    monkeypatch.setenv("MAX_RETRIES", "1")
    monkeypatch.setenv("RATE_LIMIT_DELAY", "0")
    out = tmp_path / "never.json"
    code = bench(
        "analyze", "o/r", "--api-url", "http://127.0.0.1:9", "--cache", "none", "--output", str(out)
    )
    err = capsys.readouterr().err
    assert code == 3
    assert "GET /repos/o/r/actions/runs failed after 2 attempt(s): connection failed" in err
    assert "no report was written" in err and "ghp_clisecret" not in err
    assert not out.exists()


def test_github_api_url_in_the_environment_alone_never_reaches_that_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitHub's runners set GITHUB_API_URL for every job: without --api-url, bench analyze
    must still analyze its own mock, and neither call that URL nor send the token there."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{listener.getsockname()[1]}")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_realTokenThatMustStayHome000000000000")
    out = tmp_path / "report.json"
    argv = ["analyze", "octo-org/octo-repo", "--limit", "5", "--format", "json", "--cache", "none"]
    code = bench(*argv, "--output", str(out))
    with pytest.raises(BlockingIOError):  # nobody ever connected to the "real" API
        listener.accept()
    listener.close()
    assert code == 0
    assert json.loads(out.read_text())["runs_analyzed"] == 5  # the mock's data


def test_api_graphql_reads_the_mocks_jobs_in_batches(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    args = ("analyze", "octo-org/octo-repo", "--limit", "150", "--format", "json")
    assert bench(*args, "--output", str(out), "--cache", "none", "--api", "graphql") == 0
    usage = json.loads(out.read_text())["api_usage"]
    assert (usage["requests"], usage["graphql_requests"], usage["graphql_points"]) == (4, 2, 2)


def test_an_unknown_api_mode_is_refused_with_exit_2(capsys) -> None:
    assert bench("analyze", "octo-org/octo-repo", "--api", "soap") == 2
    assert "--api" in capsys.readouterr().err


def test_without_graphql_schema_the_mock_is_read_through_rest_and_says_so(tmp_path: Path) -> None:
    """auto means GraphQL against the built-in mock; a fresh machine without GitHub's schema
    (fetched from npm by make assets) still analyzes, through REST."""
    import shutil
    import subprocess
    import sys

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").symlink_to(shutil.which("git") or "/usr/bin/git")  # no npm here
    env = {"PATH": str(bin_dir), "XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    argv = [sys.executable, "-m", "harness.cli", "analyze", "octo-org/octo-repo", "--limit", "5",
            "--format", "json", "--cache", "none"]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (
        done.stderr.count("note: the mock has no GraphQL schema (make assets): reading REST") == 1
    )
    report = json.loads(done.stdout)
    assert report["api_usage"]["requests"] == 6  # one list page and five job lists
