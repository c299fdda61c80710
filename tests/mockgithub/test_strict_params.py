"""Query parameters and ids as GitHub reads them (issue 14, point 8): ASCII digits, real dates;
and ``bench serve`` binds loopback unless told otherwise."""

from __future__ import annotations

import pytest

from harness.cli import main
from tests.mockgithub.conftest import REPO

RUNS = f"/repos/{REPO}/actions/runs"


@pytest.mark.parametrize(
    "query",
    [
        "created=>=9999-99-99",
        "created=2024-02-30",
        "created=2024-13-01",
        "created=2024-01-01T25:00",
        "created=2024-01-01T10:00+24:00",
        "created=2024-01-01..9999-99-99",
        "created=\u0662\u0660\u0662\u0664-01-01",
        "page=\u0663",
        "per_page=\u0661\u0660",
        "page=+3",
        "page=1_0",
        "page=%203",
        "page=99999999999999999999",
        "check_suite_id=\u0663",
    ],
)
def test_an_invalid_parameter_gets_422(shared, http, query):
    answer = http.get(f"{shared.base_url}{RUNS}?{query}", timeout=10)
    assert answer.status_code == 422, answer.text
    assert "Invalid value for parameter" in answer.json()["message"]


@pytest.mark.parametrize(
    "query",
    ["created=>=2024-01-01", "created=2024-02-29", "created=2024-01-01T10:00Z..*", "page=3"],
)
def test_a_valid_parameter_gets_200(shared, http, query):
    assert http.get(f"{shared.base_url}{RUNS}?{query}", timeout=10).status_code == 200


def test_an_id_in_other_digits_is_not_found(shared, http):
    run_id = str(http.get(f"{shared.base_url}{RUNS}", timeout=10).json()["workflow_runs"][0]["id"])
    assert http.get(f"{shared.base_url}{RUNS}/{run_id}", timeout=10).status_code == 200
    arabic = run_id.translate(
        str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
    )
    assert http.get(f"{shared.base_url}{RUNS}/{arabic}", timeout=10).status_code == 404


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--host", ""], "empty host"),
        (["--host", " "], "empty host"),
        (["--host", "0.0.0.0"], "--allow-remote"),
        (["--host", "example.org"], "--allow-remote"),
        (["--host", "0.0.0.0", "--allow-remote", "--open-control"], "loopback only"),
    ],
)
def test_bench_serve_refuses_to_bind_beyond_loopback_unless_asked(args, words, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", *args])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert words in err and len(err.strip().splitlines()) == 1


def test_python_m_mockgithub_refuses_an_empty_host():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mockgithub", "--host", ""],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2 and "empty host" in done.stderr and done.stdout == ""
