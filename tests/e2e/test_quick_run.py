"""The quick start's promise: a run against the mock records timing samples and exact requests."""

from __future__ import annotations

import json
import math
from pathlib import Path

from tests.e2e.test_cli import bench

SUITES = Path(__file__).resolve().parents[2] / "suites"


def test_quick_analysis_run_records_samples_and_exact_requests(tmp_path: Path) -> None:
    done = bench(
        "run", "analysis", "--quick", "-b", "Analysis.time_analyze.*cold",
        "--suites-dir", str(SUITES), "--results-dir", str(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (path,) = tmp_path.glob("*.json")
    data = json.loads(path.read_text())
    assert data["meta"]["fixtures"]["mock"]["server"] == "mockgithub"
    (bench_result,) = data["benchmarks"]
    assert bench_result["params"] == {"runs": 50, "cache": "cold"}
    metrics = {m["name"]: m for m in bench_result["metrics"]}
    (time_run,) = metrics["time"]["runs"]
    assert len(time_run["samples"]) == 3
    # The README's promise, exactly: one page of runs plus one job list per run, 1 + 50,
    # counted alike by the analyzer and by the server, sample after sample.
    assert math.ceil(50 / 100) + 50 == 51
    assert metrics["requests"]["runs"][0]["samples"] == [51.0, 51.0, 51.0]
    assert metrics["mock.requests"]["runs"][0]["samples"] == [51.0, 51.0, 51.0]
