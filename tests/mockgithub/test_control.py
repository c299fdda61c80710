"""The control API, the child process, ``python -m mockgithub`` and ``bench serve``."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from harness.cli import main
from mockgithub import MockConfig, spawn_server
from mockgithub.server import is_loopback
from tests.mockgithub.conftest import REPO

BENCH = Path(sys.executable).with_name("bench")


def test_config_round_trip_and_validation(shared, http):
    url = f"{shared.base_url}/_mock/config"
    http.headers.update(shared.control_headers())
    full = http.get(url).json()
    assert MockConfig().updated({**full, **{}}).to_dict() == full
    changed = http.post(url, json={"latency_ms": 0, "runs": 251}).json()
    assert changed["runs"] == 251
    bad = http.post(url, json={"runs": "many"})
    assert bad.status_code == 422 and "runs" in bad.json()["message"]
    unknown = http.post(url, json={"colour": "blue"})
    assert unknown.status_code == 422
    assert http.post(url, json=full).json() == full
    assert http.get(f"{shared.base_url}/_mock/reset").status_code == 405


def test_stats_count_by_endpoint_status_and_bytes(serve, http):
    server = serve()
    http.headers.update(server.control_headers())
    http.post(f"{server.base_url}/_mock/reset", json={})
    http.get(f"{server.base_url}/repos/{REPO}/actions/runs")
    http.get(f"{server.base_url}/repos/{REPO}/nope")
    http.get(f"{server.base_url}/rate_limit")
    stats = http.get(f"{server.base_url}/_mock/stats").json()
    assert stats["requests_total"] == 3
    assert stats["requests"] == {"not_found 404": 1, "rate_limit 200": 1, "runs 200": 1}
    assert stats["by_status"] == {"200": 2, "404": 1}
    assert stats["bytes_sent"] > 30_000 and stats["peak_concurrency"] == 1


def test_spawned_process_is_driven_through_the_control_api():
    with spawn_server(MockConfig(runs=40)) as process:
        url = f"{process.base_url}/repos/{REPO}/actions/runs"
        assert requests.get(url, timeout=10).json()["total_count"] == 40
        assert process.configure(runs=60)["runs"] == 60
        assert requests.get(url, timeout=10).json()["total_count"] == 60
        assert len(process.add_runs(2)) == 2
        assert process.stats()["requests_total"] == 2
        process.reset()
        assert process.stats()["requests_total"] == 0
        assert requests.get(url, timeout=10).json()["total_count"] == 60
        with pytest.raises(ValueError, match="runs"):
            process.configure(runs=-1)
    assert process.process.poll() is not None


def _first_line(command: list[str]) -> tuple[subprocess.Popen[str], str]:
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    return child, child.stdout.readline().strip()


def _stop(child: subprocess.Popen[str]) -> str:
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=10)
    return err


def test_python_m_mockgithub_prints_the_base_url_first():
    config = json.dumps({"runs": 12})
    child, line = _first_line([sys.executable, "-m", "mockgithub", "--config-json", config])
    try:
        body = requests.get(f"{line}/repos/{REPO}/actions/runs", timeout=10).json()
        assert body["total_count"] == 12
    finally:
        _stop(child)


def test_bench_serve_serves_until_interrupted():
    child, line = _first_line(
        [str(BENCH), "serve", "--runs", "77", "--repo", "a/b", "--rate-limit", "50/2",
         "--seed", "3", "--workflows", "2"]
    )  # fmt: skip
    try:
        assert line.startswith("http://127.0.0.1:")
        response = requests.get(f"{line}/repos/a/b/actions/runs", headers={"Authorization": "x y"})
        assert response.json()["total_count"] == 77
        assert response.headers["x-ratelimit-limit"] == "50"
    finally:
        err = _stop(child)
    assert child.returncode == 0 and "warning" not in err


@pytest.mark.parametrize(
    "args",
    [["--rate-limit", "fast"], ["--repo", "no-slash"], ["--error-rate", "2"], ["--port", "x"]],
)
def test_bench_serve_rejects_bad_input_with_one_line_and_exit_2(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", *args])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2
    assert out == "" and len(err.strip().splitlines()) == 1 and "bench serve" in err


def test_bench_serve_rejects_a_bad_fixture(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "mockgithub-recording", "version": 99}')
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--fixture", str(bad)])
    assert exit_info.value.code == 2
    assert "version 99 is not supported" in capsys.readouterr().err


def test_only_loopback_hosts_pass_without_a_warning():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")
