"""``bench export`` to the formats other tools read, each checked against its published shape,
and ``bench import pytest-benchmark``, round trip included."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from harness.export import ExportOptions, export
from harness.records import Direction, RunResult
from tests.harness.compare.factory import bench, counter, metric, noisy, run, timed

DATA = (
    Path(__file__).parent / "history" / "data" / "pytest_benchmark.json"
)  # pytest-benchmark's own

# Bencher's published JSON Schema of BMF (https://bencher.dev/bmf.json, draft-07), as data.
BMF_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema",
    "type": "object",
    "patternProperties": {
        ".+": {
            "type": "object",
            "patternProperties": {
                ".+": {
                    "type": "object",
                    "properties": {
                        "value": {"type": "number"},
                        "lower_value": {"type": "number"},
                        "upper_value": {"type": "number"},
                    },
                    "required": ["value"],
                }
            },
        }
    },
}
# github-action-benchmark's BenchmarkResult (src/extract.ts), the entries of a custom JSON file.
GAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "value": {"type": "number"},
            "unit": {"type": "string"},
            "range": {"type": "string"},
            "extra": {"type": "string"},
        },
        "required": ["name", "value", "unit"],
        "additionalProperties": False,
    },
}
# pytest-benchmark's --benchmark-json document (plugin.pytest_benchmark_generate_json,
# stats.Metadata.as_dict and Stats.fields).
STATS = ["min", "max", "mean", "stddev", "rounds", "median", "iqr", "q1", "q3", "iqr_outliers",
         "stddev_outliers", "outliers", "ld15iqr", "hd15iqr", "ops", "total", "data",
         "iterations"]  # fmt: skip
PYTEST_BENCHMARK_SCHEMA = {
    "type": "object",
    "required": ["machine_info", "commit_info", "benchmarks", "datetime", "version"],
    "properties": {
        "machine_info": {"type": "object"},
        "commit_info": {"type": "object"},
        "datetime": {"type": "string"},
        "version": {"type": "string"},
        "benchmarks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "group",
                    "name",
                    "fullname",
                    "params",
                    "param",
                    "extra_info",
                    "options",
                    "stats",
                ],  # fmt: skip
                "properties": {
                    "group": {"type": ["string", "null"]},
                    "name": {"type": "string"},
                    "fullname": {"type": "string"},
                    "params": {"type": ["object", "null"]},
                    "param": {"type": ["string", "null"]},
                    "extra_info": {"type": "object"},
                    "options": {"type": "object"},
                    "stats": {
                        "type": "object",
                        "required": STATS,
                        "properties": {
                            "data": {"type": "array", "items": {"type": "number"}, "minItems": 1},
                            "rounds": {"type": "integer"},
                            "outliers": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
}


def sample_run() -> RunResult:
    """A time benchmark with a counter, a higher-is-better metric, a micro test, a failure."""
    return run(
        "20261130T000000000000Z",
        timed("cache.Get.time_get(backend='file')", 1, 0.010),
        bench(
            "load.Scenario.track_rps",
            metric("rps", noisy(2, 900.0, 0.03), unit="req/s", direction="higher"),
        ),  # fmt: skip
        bench(
            "micro.test_cache.test_get[file]",
            metric("time", noisy(3, 2e-6, 0.05, 40), processes=1),
            params={"backend": "file"},
        ),  # fmt: skip
        bench("flaky.Crash.time_crash", status="failed", error="RuntimeError: died"),
        bench("fetch.Pages.track_pages", counter("pages", 12), metric("time", noisy(4, 0.5, 0.02))),
    )


def test_bmf_matches_bencher_schema_with_medians_and_their_ci() -> None:
    document = json.loads(export("bmf", sample_run()))
    jsonschema.validate(document, BMF_SCHEMA)
    assert "flaky.Crash.time_crash" not in document  # failed: nothing measured to send
    get = sample_run().benchmarks[0]
    time = get.metric("time")
    assert time is not None
    latency = document["cache.Get.time_get(backend='file')"]["latency"]
    assert latency == {  # nanoseconds, as Bencher's latency measure is
        "value": round(time.summary["median"] * 1e9, 3),
        "lower_value": round(time.summary["ci_low"] * 1e9, 3),
        "upper_value": round(time.summary["ci_high"] * 1e9, 3),
    }
    assert latency["lower_value"] < latency["value"] < latency["upper_value"]
    assert document["cache.Get.time_get(backend='file')"]["requests"] == {"value": 5.0}
    assert set(document["load.Scenario.track_rps"]) == {"rps"}
    assert document["fetch.Pages.track_pages"]["pages"] == {"value": 12.0}


def test_gab_matches_the_actions_entries_one_direction_per_file() -> None:
    smaller = json.loads(export("gab", sample_run(), ExportOptions(Direction.LOWER)))
    bigger = json.loads(export("gab", sample_run(), ExportOptions(Direction.HIGHER)))
    jsonschema.validate(smaller, GAB_SCHEMA)
    jsonschema.validate(bigger, GAB_SCHEMA)
    assert [e["name"] for e in bigger] == ["load.Scenario.track_rps (rps)"]
    assert bigger[0]["unit"] == "req/s"
    names = [e["name"] for e in smaller]
    assert "cache.Get.time_get(backend='file') (time)" in names
    assert "cache.Get.time_get(backend='file') (requests)" in names
    assert not any("rps" in n or "flaky" in n for n in names)
    time = next(e for e in smaller if e["name"] == "micro.test_cache.test_get[file] (time)")
    assert time["unit"] == "ns" and 1500 < time["value"] < 2500
    assert re.fullmatch(r"95% CI [\d.]+ µs to [\d.]+ µs", time["range"]), time["range"]
    assert time["extra"] == "median of 40 samples from 1 worker process (sampled)"


def test_pytest_benchmark_export_matches_its_shape_and_its_own_statistics() -> None:
    from pytest_benchmark.stats import Stats

    document = json.loads(export("pytest-benchmark", sample_run()))
    jsonschema.validate(document, PYTEST_BENCHMARK_SCHEMA)
    by_name = {b["fullname"]: b for b in document["benchmarks"]}
    assert set(by_name) == {"cache.Get.time_get(backend='file')", "fetch.Pages.track_pages",
                            "micro/test_cache.py::test_get[file]"}  # fmt: skip
    micro = by_name["micro/test_cache.py::test_get[file]"]
    assert (micro["name"], micro["param"], micro["group"]) == ("test_get[file]", "file", None)
    cache = by_name["cache.Get.time_get(backend='file')"]
    assert (cache["group"], cache["name"]) == ("cache.Get", "time_get(backend='file')")
    stats = Stats()
    for x in noisy(3, 2e-6, 0.05, 40):
        stats.update(x)
    assert micro["stats"] == {**stats.as_dict(), "data": list(noisy(3, 2e-6, 0.05, 40)),
                              "iterations": 1}  # fmt: skip


def bench_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_pytest_benchmarks_own_json_round_trips_every_round(tmp_path: Path) -> None:
    original = json.loads(DATA.read_text())
    imported = bench_cli("import", "pytest-benchmark", str(DATA), "-o", "run.json", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    rounds = sum(len(b["stats"]["data"]) for b in original["benchmarks"])
    assert imported.stdout.startswith(f"imported {len(original['benchmarks'])} benchmarks "
                                      f"({rounds} rounds): run.json")  # fmt: skip
    exported = bench_cli("export", "run.json", "--format", "pytest-benchmark", "-o", "out.json",
                         cwd=tmp_path)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    again = json.loads((tmp_path / "out.json").read_text())
    by_name = {b["name"]: b for b in again["benchmarks"]}
    assert sorted(by_name) == sorted(b["name"] for b in original["benchmarks"])
    for before in original["benchmarks"]:
        after = by_name[before["name"]]
        assert after["fullname"] == before["fullname"].removeprefix("suites/")
        assert after["stats"]["data"] == before["stats"]["data"]  # every round, in order
        # The statistics pytest-benchmark derives from them come out the same.
        for field in STATS:
            if field not in ("data", "iterations"):
                assert after["stats"][field] == pytest.approx(before["stats"][field]), field
    assert again["machine_info"]["node"] == original["machine_info"]["node"]
    assert again["commit_info"]["id"] == original["commit_info"]["id"]


def test_pytest_benchmark_itself_reads_the_export(tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text(export("pytest-benchmark", sample_run()))
    tool = str(Path(sys.executable).parent / "pytest-benchmark")
    done = subprocess.run(
        [tool, "compare", str(tmp_path / "run.json"), "--columns=min,median,rounds"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("time_get(backend='file')", "test_get[file]", "track_pages"):
        assert name in done.stdout, done.stdout


def test_every_round_survives_import_past_the_micro_suites_limit(tmp_path: Path) -> None:
    big = json.loads(DATA.read_text())
    data = [1e-6 + i * 1e-9 for i in range(1500)]
    big["benchmarks"] = [{**big["benchmarks"][0], "stats": {**big["benchmarks"][0]["stats"],
                                                             "data": data}}]  # fmt: skip
    (tmp_path / "big.json").write_text(json.dumps(big))
    done = bench_cli("import", "pytest-benchmark", "big.json", "-o", "run.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    saved: Any = json.loads((tmp_path / "run.json").read_text())
    (benchmark,) = saved["benchmarks"]
    assert [x for r in benchmark["metrics"][0]["runs"] for x in r["samples"]] == data


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("{", "cannot read it as JSON"),
        ('{"results": []}', "not a pytest-benchmark JSON file"),
        ('{"benchmarks": [{"fullname": "t.py::x", "stats": {}}]}', "no per-round data"),
    ],
)
def test_a_file_that_is_not_pytest_benchmarks_is_refused_in_one_line(
    tmp_path: Path, content: str, why: str
) -> None:
    (tmp_path / "in.json").write_text(content)
    done = bench_cli("import", "pytest-benchmark", "in.json", cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "in.json" in done.stderr
    assert why in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "results").exists()
