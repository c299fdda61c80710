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
    bench_result = data["benchmarks"][0]
    metrics = {m["name"]: m for m in bench_result["metrics"]}
    assert len(metrics["time"]["samples"]) >= 3
    pages = math.ceil(bench_result["params"]["runs"] / 100)
    # Exact and repeatable: the analyzer's own count and the server's agree, sample after sample.
    counted = metrics["requests"]["samples"]
    assert len(set(counted)) == 1 and counted[0] >= pages
    assert metrics["mock.requests"]["samples"] == counted
