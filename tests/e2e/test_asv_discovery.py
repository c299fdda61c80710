"""asv and bench see the same benchmarks in suites/: names, kinds and parameter grids."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import asv

from harness.suite import discover

SUITES = Path(__file__).resolve().parents[2] / "suites"


def asv_discovery(tmp_path: Path) -> list[dict]:
    """What `asv run` discovers: asv's own discovery script, run as asv runs it."""
    script = Path(asv.__file__).parent / "benchmark.py"
    out = tmp_path / "discovered.json"
    command = [sys.executable, str(script), "discover", str(SUITES), str(out)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return json.loads(out.read_text())


def test_asv_discovers_exactly_benchs_benchmarks(tmp_path: Path) -> None:
    by_asv = {b["name"]: b for b in asv_discovery(tmp_path)}
    by_bench = {b.name: b for b in discover(SUITES)}
    assert set(by_asv) == set(by_bench)
    for name, bench in by_bench.items():
        assert by_asv[name]["type"] == bench.kind, name
        asv_grid = [[repr(v) for v in axis] for axis in bench.params]
        assert by_asv[name]["params"] == asv_grid, name
