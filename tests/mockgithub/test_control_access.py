"""Who may use the control API and what it may do (issue 14, point 5): a per-server secret,
JSON only, no DNS names, config changes all or nothing, fixtures read only where allowed."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
import requests

from mockgithub import MockConfig, MockServer, spawn_server
from mockgithub.control import SECRET_HEADER, ControlAccess
from mockgithub.recorded import FixtureError, read_fixture
from tests.mockgithub.conftest import REPO

RECORDING = {"format": "mockgithub-recording", "version": 1, "responses": []}


def recording(runs: list[dict[str, object]]) -> str:
    return json.dumps({**RECORDING, "responses": [{"url": "x", "body": {"workflow_runs": runs}}]})


@pytest.fixture
def guarded(tmp_path: Path):
    server = MockServer(MockConfig(), control=ControlAccess.guarded(fixture_dir=tmp_path))
    server.start()
    yield server
    server.stop()


def test_a_control_request_without_the_secret_is_refused_and_changes_nothing(guarded, http):
    url = f"{guarded.base_url}/_mock/config"
    for headers in ({}, {SECRET_HEADER: "guess"}, {SECRET_HEADER: ""}):
        answer = http.post(url, json={"runs": 7}, headers=headers, timeout=10)
        assert answer.status_code == 403 and SECRET_HEADER in answer.json()["message"]
        assert http.get(f"{guarded.base_url}/_mock/stats", headers=headers).status_code == 403
    assert guarded.model.config.runs == 250
    answer = http.post(url, json={"runs": 7}, headers=guarded.control_headers(), timeout=10)
    assert answer.status_code == 200 and guarded.model.config.runs == 7


def test_each_server_makes_its_own_secret():
    first, second = ControlAccess.guarded(), ControlAccess.guarded()
    assert first.secret and second.secret and first.secret != second.secret
    assert len(first.secret) >= 40 and first.secret not in repr(first)


def test_an_open_control_api_needs_no_secret(serve, http):
    server = MockServer(MockConfig(), control=ControlAccess(None))
    with server:
        answer = http.post(f"{server.base_url}/_mock/reset", json={}, timeout=10)
        assert answer.status_code == 200 and server.control_headers() == {}


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/plain",
        None,
        "application/jsonp",
    ],
)
def test_a_control_post_that_is_not_json_is_refused_with_415(guarded, http, content_type):
    headers = {**guarded.control_headers()}
    if content_type:
        headers["Content-Type"] = content_type
    url = f"{guarded.base_url}/_mock/config"
    answer = http.post(url, data=b'{"runs": 9}', headers=headers, timeout=10)
    assert answer.status_code == 415
    assert guarded.model.config.runs == 250


def test_json_with_a_charset_is_json(guarded, http):
    headers = {**guarded.control_headers(), "Content-Type": "application/json; charset=utf-8"}
    url = f"{guarded.base_url}/_mock/config"
    assert http.post(url, data=b'{"runs": 9}', headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("host", "allowed"),
    [("attacker.example", False), ("attacker.example:80", False), ("127.0.0.1:1", True),
     ("localhost", True), ("[::1]:8080", True), ("10.1.2.3", True)],
)  # fmt: skip
def test_a_control_request_naming_the_server_by_a_dns_name_is_refused(guarded, http, host, allowed):
    headers = {**guarded.control_headers(), "Host": host}
    answer = http.get(f"{guarded.base_url}/_mock/stats", headers=headers, timeout=10)
    assert answer.status_code == (200 if allowed else 403)


def test_a_config_change_that_fails_to_build_changes_nothing(guarded, http, tmp_path):
    (tmp_path / "broken.json").write_text(recording([{"id": 1}]))  # a run with no fields
    control = guarded.control_headers()
    config_url = f"{guarded.base_url}/_mock/config"
    answer = http.post(config_url, json={"runs": 60, "fixture": "broken.json"}, headers=control)
    assert answer.status_code == 422 and "broken.json" in answer.json()["message"]
    assert http.get(config_url, headers=control).json() == MockConfig().to_dict()
    runs = http.get(f"{guarded.base_url}/repos/{REPO}/actions/runs", headers={"Authorization": "x"})
    assert runs.status_code == 200 and runs.json()["total_count"] == 250
    # Later changes and a reset work, and take effect
    assert http.post(config_url, json={"runs": 70}, headers=control).status_code == 200
    assert http.post(f"{guarded.base_url}/_mock/reset", json={}, headers=control).ok
    again = http.get(
        f"{guarded.base_url}/repos/{REPO}/actions/runs", headers={"Authorization": "y"}
    )
    assert again.status_code == 200 and again.json()["total_count"] == 70


def test_a_fixture_outside_the_fixture_dir_gets_one_answer_whether_or_not_it_exists(
    guarded, http, tmp_path
):
    control = guarded.control_headers()
    url = f"{guarded.base_url}/_mock/config"
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    answers = [
        http.post(url, json={"fixture": path}, headers=control, timeout=10)
        for path in ("/etc/hostname", "/no/such/file.json", "../outside.json", "zero.json")
    ]
    assert {a.status_code for a in answers} == {403}
    assert len({a.json()["message"] for a in answers}) == 1
    assert guarded.model.config.fixture is None


def test_without_a_fixture_dir_the_control_api_loads_no_fixture(serve, http):
    server = serve()
    url = f"{server.base_url}/_mock/config"
    answer = http.post(url, json={"fixture": "/tmp/x.json"}, headers=server.control_headers())
    assert answer.status_code == 403 and "--fixture-dir" in answer.json()["message"]


def test_unreadable_fixtures_inside_the_fixture_dir_get_one_message(guarded, http, tmp_path):
    os.mkfifo(tmp_path / "fifo.json")  # opening it for reading would block a careless loader
    (tmp_path / "directory.json").mkdir()
    control, url = guarded.control_headers(), f"{guarded.base_url}/_mock/config"
    messages = set()
    for name in ("missing.json", "fifo.json", "directory.json"):
        answer = http.post(url, json={"fixture": name}, headers=control, timeout=10)
        assert answer.status_code == 422
        messages.add(answer.json()["message"].replace(str(tmp_path / name), "PATH"))
    assert len(messages) == 1, messages


def test_fixture_reads_are_bounded(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 1025)
    assert read_fixture(big, limit=1025) == " " * 1025
    with pytest.raises(FixtureError, match="at most"):
        read_fixture(big, limit=1024)


def test_a_slow_fixture_load_does_not_stall_the_api(guarded, http, monkeypatch):
    import mockgithub.model

    entered, release = threading.Event(), threading.Event()
    real = mockgithub.model.build_source

    def slow(config: MockConfig) -> object:
        entered.set()
        release.wait(10)
        return real(config)

    monkeypatch.setattr(mockgithub.model, "build_source", slow)
    url, control = f"{guarded.base_url}/_mock/config", guarded.control_headers()
    change = threading.Thread(target=lambda: http.post(url, json={"runs": 5}, headers=control))
    change.start()
    try:
        assert entered.wait(10)
        with requests.get(f"{guarded.base_url}/rate_limit", timeout=5) as answer:
            assert answer.status_code == 200  # served while the new config is being built
        assert guarded.model.config.runs == 250
    finally:
        release.set()
        change.join(10)
    assert guarded.model.config.runs == 5


def test_a_spawned_server_gets_its_secret_from_the_environment_not_the_command_line():
    with spawn_server(MockConfig(runs=3)) as process:
        assert process.control_secret
        assert process.control_secret not in " ".join(process.process.args)  # type: ignore[arg-type]
        assert requests.get(f"{process.base_url}/_mock/stats", timeout=10).status_code == 403
        assert process.stats()["requests_total"] == 0
