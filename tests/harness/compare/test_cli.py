"""``bench compare``, ``history`` and ``report`` end to end through the CLI's error boundary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from harness.results import save
from tests.harness.compare.factory import run, run_id, timed


def _bench(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture
def results(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "base": save(run("a", timed("x", 1, 1.0), timed("y", 2, 1.0)), tmp_path / "a.json"),
        "same": save(run("b", timed("x", 3, 1.0), timed("y", 4, 1.0)), tmp_path / "b.json"),
        "slow": save(run("c", timed("x", 5, 1.6), timed("y", 6, 1.0)), tmp_path / "c.json"),
    }
    return paths


def test_missing_baseline_exits_2_naming_the_file(
    tmp_path: Path, results: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.json"
    code, _, err = _bench(["compare", str(missing), str(results["same"])], capsys)
    assert code == 2
    assert str(missing) in err and "Traceback" not in err


def test_corrupt_baseline_exits_2_naming_the_file(
    tmp_path: Path, results: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"format": "bench-result", "format_version": 1, "run_id": ')
    code, _, err = _bench(["compare", str(corrupt), str(results["same"])], capsys)
    assert code == 2 and str(corrupt) in err and "Traceback" not in err
    corrupt.write_text('{"format": "something-else"}')
    code, _, err = _bench(["compare", str(corrupt), str(results["same"])], capsys)
    assert code == 2 and f"{corrupt}: not a bench result file" in err


def test_unknown_baseline_name_exits_2(
    tmp_path: Path, results: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["compare", "main", str(results["same"]), "--baselines-dir", str(tmp_path / "b")]
    code, _, err = _bench(argv, capsys)
    assert code == 2 and "no baseline named 'main'" in err


@pytest.mark.parametrize("threshold", ["20x", "-5%", "0"])
def test_bad_threshold_is_a_usage_error(
    threshold: str, results: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["compare", str(results["base"]), str(results["same"]), "--threshold", threshold]
    code, _, err = _bench(argv, capsys)
    assert code == 2 and "--threshold" in err


def test_exit_codes_follow_the_verdicts(
    results: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _bench(["compare", str(results["base"]), str(results["same"])], capsys)[0] == 0
    code, out, _ = _bench(["compare", str(results["base"]), str(results["slow"])], capsys)
    assert code == 1 and "regressed" in out
    loose = ["compare", str(results["base"]), str(results["slow"]), "--threshold", "100%"]
    assert _bench(loose, capsys)[0] == 0


def test_json_report_to_a_file(
    tmp_path: Path, results: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "report.json"
    argv = [
        "compare",
        str(results["base"]),
        str(results["slow"]),
        "--format",
        "json",
        "-o",
        str(out),
    ]
    code, stdout, _ = _bench(argv, capsys)
    document = json.loads(out.read_text())
    assert code == 1 and stdout == ""
    assert document["format"] == "bench-comparison" and document["format_version"] == 3
    assert document["verdicts"][0]["status"] == "regressed"
    assert document["exit_code"] == {"regression": 1, "missing": 1, "uncertain": 1}


def test_markdown_names_the_plots_folder_relative_to_the_report(
    tmp_path: Path, results: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "summary.md"
    argv = [
        "compare",
        str(results["base"]),
        str(results["slow"]),
        "--format",
        "markdown",
        "-o",
        str(out),
        "--results-dir",
        str(tmp_path / "results"),
    ]
    assert _bench(argv, capsys)[0] == 1
    text = out.read_text()
    slow = run_id("c")
    # No image link: a job summary cannot reach the runner's files (the artifact holds them).
    assert "![" not in text
    assert f"PNG files in `results/{slow}/plots`" in text
    assert (tmp_path / "results" / slow / "plots" / "summary.png").is_file()


def test_history_command_prints_every_run(
    tmp_path: Path, results: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _bench(["history", "x", "--results-dir", str(tmp_path)], capsys)
    assert code == 0
    rows = {label: [line for line in out.splitlines() if run_id(label) in line] for label in "abc"}
    assert all(len(lines) == 1 for lines in rows.values()), out  # one line per stored run
    # Each run's own median (seeded samples), and the step to x's slower third run marked.
    assert "1.02 s" in rows["a"][0] and "983 ms" in rows["b"][0] and "1.59 s" in rows["c"][0]
    assert [label for label in "abc" if "change" in rows[label][0]] == ["c"]
    code, _, err = _bench(["history", "x", "--results-dir", str(tmp_path / "none")], capsys)
    assert code == 2 and "no such results directory" in err


@pytest.mark.parametrize(
    ("text", "value"), [("20%", 0.2), ("0.2", 0.2), (" 35% ", 0.35), ("1.5", 1.5)]
)
def test_threshold_accepts_percent_or_fraction(text: str, value: float) -> None:
    from harness.cli.compare import FRACTION

    assert FRACTION.convert(text, None, None) == pytest.approx(value)


def test_public_api_is_honest() -> None:
    import harness.compare as api

    assert {"judge", "confirm", "Policy", "Comparison", "Verdict", "Status"} <= set(api.__all__)
    assert all(hasattr(api, name) for name in api.__all__)
