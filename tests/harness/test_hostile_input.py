"""Every bad input a careless or hostile user can hand bench, through the CLI's error boundary.

Issue 14's table: each case must exit 2 (bad input) or 3 (a benchmark or bench itself failed,
or a planned benchmark has no result), with exactly one line on stderr, no traceback, and
nothing written outside the results directory, whatever the files say (an id is never a path).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from analyzer.cache import CacheEntry
from analyzer.cache.codec import encode_file
from harness.cli import main
from harness.errors import InputError
from harness.plots import plots_dir
from harness.results import to_dict
from tests.harness.compare.factory import bench, counter, run
from tests.harness.conftest import SAMPLE_SUITES

Edit = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Place:
    """The folders of one case: inputs, the working directory, and a folder that must stay
    empty (the target of path-like ids)."""

    inputs: Path
    work: Path
    outside: Path


def good() -> dict[str, Any]:
    """A valid result file's data: exact counters only (no noise warnings to print)."""
    return to_dict(run("a", bench("s.x", counter("requests", 5)), bench("s.y", counter("n", 2))))


def variant(edit: Edit) -> dict[str, Any]:
    data = good()
    edit(data)
    return data


def first_run(data: dict[str, Any]) -> dict[str, Any]:
    run_record: dict[str, Any] = data["benchmarks"][0]["metrics"][0]["runs"][0]
    return run_record


def shard(index: int, ids: list[str], **meta: Any) -> dict[str, Any]:
    data = good()
    data["run_id"] = f"2026010{index}T000000000000Z"
    data["benchmarks"] = [b for b in data["benchmarks"] if b["id"] in ids]
    data["meta"].update(shard=f"{index}/2", planned_ids=ids, **meta)
    return data


PYTEST_BENCHMARK = json.dumps(
    {"benchmarks": [{"fullname": "t.py::test_x", "stats": {"data": [0.001, 0.002]}}]}
)


def without_machine(data: dict[str, Any]) -> dict[str, Any]:
    del data["meta"]["machine"]
    return data


def bad_files(place: Place) -> dict[str, Any]:
    """File name -> data (a dict is written as JSON, a str as it is)."""
    v3 = variant(lambda d: d.update(run_id="../../../outside"))
    v3.update(format_version=3)
    for b in v3["benchmarks"]:
        for m in b["metrics"]:
            m["samples"] = [x for r in m.pop("runs") for x in r["samples"]]
            m["processes"] = [len(m["samples"])]
    return {
        "good.json": good(),
        "no-benchmarks.json": variant(lambda d: d.pop("benchmarks")),
        "string-benchmarks.json": variant(lambda d: d.update(benchmarks="all of them")),
        "meta-null.json": variant(lambda d: d.update(meta=None)),
        "meta-list.json": variant(lambda d: d.update(meta=[])),
        "string-samples.json": variant(lambda d: first_run(d).update(samples=["5"])),
        "sideways.json": variant(
            lambda d: d["benchmarks"][0]["metrics"][0].update(direction="sideways")
        ),
        "integer-id.json": variant(lambda d: d["benchmarks"][0].update(id=7)),
        "deep.json": '{"format": "bench-result", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "nan.json": json.dumps(good()).replace('"samples": [5.0', '"samples": [NaN'),
        "inf.json": json.dumps(good()).replace('"samples": [5.0', '"samples": [Infinity'),
        "relative-run-id.json": variant(lambda d: d.update(run_id="../../../outside")),
        "absolute-run-id.json": variant(lambda d: d.update(run_id=str(place.outside / "abs"))),
        "v3-relative-run-id.json": v3,
        "shard1.json": shard(1, ["s.x"]),
        "shard2.json": shard(2, ["s.y"]),
        "shard2-no-machine.json": without_machine(shard(2, ["s.y"])),
        "shard2-other-b.json": shard(2, ["s.y"], pattern="y"),
        "shard2-unfinished.json": shard(2, ["s.y", "s.z"]),
        "pb-nan.json": PYTEST_BENCHMARK.replace("[0.001, 0.002]", "[0.001, NaN]"),
        "pb-huge.json": PYTEST_BENCHMARK.replace("[0.001, 0.002]", "[0.001, 1e999]"),
        "pb-deep.json": '{"benchmarks": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "interrupted.json": variant(
            lambda d: d["meta"].update(planned_ids=["s.x", "s.y", "s.z"], interrupted=True)
        ),
    }


def write_inputs(place: Place) -> None:
    for name, data in bad_files(place).items():
        text = data if isinstance(data, str) else json.dumps(data)
        (place.inputs / name).write_text(text)
    (place.inputs / "zero.json").symlink_to("/dev/zero")
    broken = place.inputs / "badsuites"
    broken.mkdir()
    (broken / "__init__.py").write_text("")
    (broken / "slow_ones.py").write_text("def time_x(:\n    pass\n")
    missing = place.inputs / "importsuites"
    missing.mkdir()
    (missing / "__init__.py").write_text("")
    (missing / "needs.py").write_text('"""Needs a package."""\nimport no_such_package_here\n')
    for name, fixtures in (
        ("brokenfixtures", "def run_fixtures(:\n"),
        ("deadfixtures", DEAD_FIXTURE),
    ):
        suites = place.inputs / name
        suites.mkdir()
        (suites / "__init__.py").write_text("")
        (suites / "_fixtures.py").write_text(fixtures)
        (suites / "fine.py").write_text("def time_nothing():\n    pass\n")


DEAD_FIXTURE = """
class Dead:
    name = "dead"

    def start(self):
        raise ConnectionRefusedError("no server today")

    def stop(self):
        pass


def run_fixtures():
    return [Dead()]
"""


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Place:
    here = Place(tmp_path / "in", tmp_path / "work", tmp_path / "outside")
    for folder in (here.inputs, here.work, here.outside):
        folder.mkdir()
    write_inputs(here)
    (here.work / "baselines").mkdir()
    (here.work / "baselines" / "main.json").write_text(json.dumps(good()))
    monkeypatch.chdir(here.work)
    return here


# name: (arguments, exit code, what the one line names); "IN/" is the inputs folder
CASES: dict[str, tuple[list[str], int, str]] = {
    "no benchmarks": (["compare", "IN/good.json", "IN/no-benchmarks.json"], 2, "'benchmarks'"),
    "benchmarks not a list": (
        ["compare", "IN/good.json", "IN/string-benchmarks.json"], 2, "benchmarks:"),
    "meta null": (["compare", "IN/meta-null.json", "IN/good.json"], 2, "meta:"),
    "meta a list": (["compare", "IN/good.json", "IN/meta-list.json"], 2, "meta:"),
    "string samples": (["compare", "IN/good.json", "IN/string-samples.json"], 2, "samples[0]"),
    "direction sideways": (["compare", "IN/good.json", "IN/sideways.json"], 2, "direction"),
    "integer id": (["compare", "IN/good.json", "IN/integer-id.json"], 2, "benchmarks[0].id"),
    "nested 100,000 deep": (["compare", "IN/good.json", "IN/deep.json"], 2, "deep.json"),
    "symlink to /dev/zero": (["compare", "IN/good.json", "IN/zero.json"], 2, "regular file"),
    "NaN sample": (["compare", "IN/good.json", "IN/nan.json"], 2, "finite number"),
    "infinite sample": (["compare", "IN/good.json", "IN/inf.json"], 2, "finite number"),
    "baseline by name, corrupt": (["compare", "main", "IN/deep.json"], 2, "deep.json"),
    "relative run id, plots": (
        ["compare", "IN/good.json", "IN/relative-run-id.json", "--format", "markdown"], 2,
        "run_id"),
    "absolute run id, plots": (
        ["plot", "IN/good.json", "IN/absolute-run-id.json"], 2, "run_id"),
    "relative run id in a version 3 file": (
        ["report", "IN/good.json", "IN/v3-relative-run-id.json"], 2, "run_id"),
    "relative run id as a baseline": (
        ["baseline", "save", "copied", "IN/relative-run-id.json"], 2, "run_id"),
    "merge: a shard without meta.machine": (
        ["merge", "IN/shard1.json", "IN/shard2-no-machine.json"], 2, "machine"),
    "merge: shards of different -b": (
        ["merge", "IN/shard1.json", "IN/shard2-other-b.json"], 2, "'pattern'"),
    "merge: a planned benchmark in no shard": (
        ["merge", "IN/shard1.json", "IN/shard2-unfinished.json"], 3, "s.z"),
    "compare: planned benchmarks that did not run": (
        ["compare", "IN/good.json", "IN/interrupted.json"], 3, "s.z"),
    "suite with a SyntaxError": (
        ["run", "--suites-dir", "IN/badsuites"], 2, "slow_ones.py:1: SyntaxError"),
    "suite with an import error": (
        ["run", "--suites-dir", "IN/importsuites"], 2, "needs.py:2: ModuleNotFoundError"),
    "suite whose _fixtures.py does not import": (
        ["run", "--suites-dir", "IN/brokenfixtures"], 2, "_fixtures.py:1: SyntaxError"),
    "-b that matches nothing, gated": (
        ["run", "--suites-dir", str(SAMPLE_SUITES), "-b", "typo", "--quick", "--compare",
         "IN/good.json"], 2, "-b 'typo'"),
    "--results-dir under /proc": (
        ["run", "--suites-dir", str(SAMPLE_SUITES), "--results-dir", "/proc/x"], 2,
        "--results-dir"),
    "-o under /proc": (
        ["compare", "IN/good.json", "IN/good.json", "-o", "/proc/nope/x.md"], 2, "'--output'"),
    "pytest-benchmark import: a NaN round": (
        ["import", "pytest-benchmark", "IN/pb-nan.json"], 2, "stats.data[1]"),
    "pytest-benchmark import: a round of 1e999": (
        ["import", "pytest-benchmark", "IN/pb-huge.json"], 2, "finite number"),
    "pytest-benchmark import: nested 100,000 deep": (
        ["import", "pytest-benchmark", "IN/pb-deep.json"], 2, "pb-deep.json"),
    "pytest-benchmark import: a symlink to /dev/zero": (
        ["import", "pytest-benchmark", "IN/zero.json"], 2, "regular file"),
    "a baseline name with a newline": (["baseline", "save", "main\n", "IN/good.json"], 2, "name"),
    "a baseline that exists": (["baseline", "save", "main", "IN/good.json"], 2, "--force"),
    "--max-time with nothing to confirm against": (
        ["run", "--suites-dir", str(SAMPLE_SUITES), "--max-time", "5m"], 2, "--max-time"),
    "--max-time that is not a duration": (
        ["run", "--suites-dir", str(SAMPLE_SUITES), "--compare", "main", "--max-time", "5x"], 2,
        "'--max-time': '5x' is not a duration"),
    "--max-time of zero": (
        ["run", "--suites-dir", str(SAMPLE_SUITES), "--compare", "main", "--max-time", "0s"], 2,
        "'--max-time': '0s' must be a positive duration"),
}  # fmt: skip


def invoke(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def files_under(root: Path) -> set[Path]:
    return {Path(d, f) for d, _, names in os.walk(root) for f in names}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_and_its_exit_code_and_writes_nothing_outside_results(
    case: str, place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    args, expected, named = CASES[case]
    argv = [a.replace("IN/", f"{place.inputs}/") for a in args]
    before = files_under(place.inputs.parent)
    code, _, err = invoke(argv, capsys)
    lines = err.strip().splitlines()
    assert (code, len(lines)) == (expected, 1), err
    assert named in lines[0] and "Traceback" not in err
    written = files_under(place.inputs.parent) - before
    assert all(place.work / "results" in p.parents for p in written), written
    assert not any(place.outside.iterdir())
    assert not (place.inputs.parent.parent / "outside").exists()  # "../../../outside"


def test_a_run_fixture_that_does_not_start_is_exit_3_after_the_progress_line(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = invoke(["run", "--suites-dir", f"{place.inputs}/deadfixtures"], capsys)
    assert code == 3 and "Traceback" not in err
    assert err.strip().splitlines() == [
        "preparing: 1 benchmark(s) found, starting fixtures",
        "bench: run fixture 'dead' did not start: ConnectionRefusedError: no server today",
    ]


def test_a_bug_is_exit_3_in_one_line_naming_a_log_with_the_traceback(
    place: Place, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ZeroDivisionError("division by zero, deep inside")

    monkeypatch.setattr("harness.cli.compare.judge", broken)
    code, _, err = invoke(["compare", f"{place.inputs}/good.json", "main"], capsys)
    (line,) = err.strip().splitlines()
    assert code == 3
    assert line.startswith("bench: internal error: ZeroDivisionError: division by zero, deep")
    log = Path(line.split("traceback in ", 1)[1].split(";", 1)[0])
    try:
        assert "Traceback" in log.read_text() and "def broken" not in line
        assert "raise ZeroDivisionError" in log.read_text()
        assert log.stat().st_mode & 0o077 == 0  # private to its user
    finally:
        log.unlink()


def test_debug_prints_the_traceback_instead(
    place: Place, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise KeyError("body")

    monkeypatch.setattr("harness.cli.compare.judge", broken)
    code, _, err = invoke(["--debug", "compare", f"{place.inputs}/good.json", "main"], capsys)
    assert code == 3 and "Traceback (most recent call last)" in err
    assert err.strip().splitlines()[-1] == "bench: internal error: KeyError: 'body'"


def test_a_planned_benchmark_that_did_not_run_passes_only_when_asked(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["compare", f"{place.inputs}/good.json", f"{place.inputs}/interrupted.json"]
    code, out, _ = invoke([*argv, "--fail-on", "regression"], capsys)
    assert code == 0 and "s.z" in out


def test_merged_shards_missing_a_planned_benchmark_are_written_incomplete(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["merge", f"{place.inputs}/shard1.json", f"{place.inputs}/shard2-unfinished.json"]
    code, out, _ = invoke([*argv, "-o", "results/merged.json"], capsys)
    merged = json.loads((place.work / "results" / "merged.json").read_text())
    assert code == 3 and "merged 2 shards, 2 benchmarks" in out
    assert merged["complete"] is False
    assert merged["meta"]["planned_ids"] == ["s.x", "s.y", "s.z"]
    good_shards = ["merge", f"{place.inputs}/shard1.json", f"{place.inputs}/shard2.json"]
    code, _, _ = invoke([*good_shards, "-o", "results/whole.json"], capsys)
    whole = json.loads((place.work / "results" / "whole.json").read_text())
    assert code == 0 and whole["complete"] is True


def test_a_baseline_is_replaced_only_with_force(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    source = place.inputs / "shard1.json"
    code, _, _ = invoke(["baseline", "save", "main", str(source), "--force"], capsys)
    saved = json.loads((place.work / "baselines" / "main.json").read_text())
    assert code == 0 and saved["run_id"] == "20260101T000000000000Z"


def test_the_table_covers_issue_14s_list() -> None:
    """Points 2, 3, 4 and 8 of the issue, each a row above (this test fails if one is cut)."""
    listed = " | ".join(CASES)
    for needle in ("no benchmarks", "meta null", "meta a list", "string samples", "sideways",
                   "integer id", "100,000", "/dev/zero", "meta.machine", "SyntaxError",
                   "NaN", "different -b", "-b that matches nothing", "relative run id",
                   "absolute run id", "/proc", "newline", "exists"):  # fmt: skip
        assert needle in listed, needle


@pytest.mark.parametrize(("api", "requests"), [("rest", 4), ("graphql", 2)])
def test_cache_entries_of_the_wrong_shape_are_recomputed_by_bench_analyze(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    api: str,
    requests: int,
) -> None:
    """Every entry of a file cache rewritten with a valid header and a value of another shape
    (the API level once crashed with ``KeyError: 'body'``): the same report, exit 0. Through
    REST: a page of runs and 3 job lists; through GraphQL: the page and one query."""
    for name in ("CACHE_TTL", "GITHUB_TOKEN", "ANALYZER_PROFILE", "OUTPUT_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_API_CACHE_DIR", str(tmp_path / "cache"))
    argv = ["analyze", "octo-org/octo-repo", "--limit", "3", "--format", "json", "--cache", "file"]
    argv += ["--api", api]
    code, first, _ = invoke(argv, capsys)
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert code == 0 and len(entries) >= 5  # report, analysis, a page of runs, 3 runs' jobs
    for path in entries:
        path.write_bytes(encode_file(CacheEntry({"wrong": "shape"}, time.time()), 10**10))
    code, again, err = invoke(argv, capsys)
    assert code == 0 and "Traceback" not in err
    assert json.loads(again)["runs_analyzed"] == json.loads(first)["runs_analyzed"] == 3
    assert json.loads(again)["api_usage"]["requests"] == requests  # every entry was a miss


@pytest.mark.parametrize("run_id", ["../../../outside", "/tmp/outside", "a/b", "..", "", "x\n"])
def test_a_run_id_that_is_not_a_plain_name_never_names_the_plots_folder(run_id: str) -> None:
    """Files are validated on reading; this guards records made in memory too."""
    with pytest.raises(InputError, match="not a plain name"):
        plots_dir(Path("results"), run_id)
    assert plots_dir(Path("results"), "20260102T030405000000Z") == Path(
        "results/20260102T030405000000Z/plots"
    )
