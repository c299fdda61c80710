"""One case in one fresh worker process: spawn, supervise (timeout, memory cap), collect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from harness.measure import SampleSettings
from harness.results import BenchmarkResult, Metric
from harness.stats import summarize
from harness.suite import CaseRef


@dataclass(frozen=True)
class WorkerSetup:
    """Where a worker finds the suites, and what it gets in its environment."""

    suites_root: Path
    package: str
    settings: SampleSettings
    max_rss_mb: float
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None


def run_case(case: CaseRef, setup: WorkerSetup) -> BenchmarkResult:
    """Measure one case in a fresh worker process; failures become failed results."""
    job = {
        "suites_root": str(setup.suites_root.resolve()),
        "suites_package": setup.package,
        "module": case.module,
        "class_name": case.class_name,
        "method": case.method,
        "kind": case.kind,
        "param_index": list(case.param_index),
        "settings": vars(setup.settings),
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-worker-") as tmp:
        cap = case.max_rss_mb or setup.max_rss_mb
        outcome = _run_worker(job, Path(tmp), setup, case.timeout_s, cap)
    elapsed = time.perf_counter() - started
    if outcome.get("status") != "ok":
        status = "skipped" if outcome.get("status") == "skipped" else "failed"
        return BenchmarkResult(
            case.id, case.name, case.params, status, error=outcome["error"], duration_s=elapsed
        )
    metrics = tuple(_metric(m) for m in outcome["metrics"])
    timeline = tuple(outcome.get("memory_timeline") or ())
    return BenchmarkResult(
        case.id, case.name, case.params, "ok", metrics, duration_s=elapsed, memory_timeline=timeline
    )


def _metric(raw: dict[str, Any]) -> Metric:
    samples = tuple(raw["samples"])
    fields = {k: v for k, v in raw.items() if k != "samples"}
    return Metric(**fields, samples=samples, summary=summarize(samples), processes=(len(samples),))


def _run_worker(
    job: dict[str, Any], tmp: Path, setup: WorkerSetup, timeout_s: float, max_rss_mb: float
) -> dict[str, Any]:
    job_path, out_path, err_path = tmp / "job.json", tmp / "out.json", tmp / "stderr.txt"
    job_path.write_text(json.dumps(job))
    command = [sys.executable, "-m", "harness.worker", str(job_path), str(out_path)]
    with err_path.open("wb") as stderr:
        process = subprocess.Popen(
            command,
            env={**os.environ, **setup.env},
            cwd=setup.cwd,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
        failure = _supervise(process, timeout_s, max_rss_mb)
    if failure:
        return {"status": "failed", "error": failure}
    if not out_path.exists():
        tail = err_path.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
        return {
            "status": "failed",
            "error": f"worker exited with code {process.returncode}: {tail[0]}",
        }
    outcome: dict[str, Any] = json.loads(out_path.read_text())
    return outcome


def _supervise(process: subprocess.Popen[bytes], timeout_s: float, max_rss_mb: float) -> str | None:
    """Wait for the worker; kill it past its timeout or memory cap and say why."""
    deadline = time.monotonic() + timeout_s
    watched = psutil.Process(process.pid)
    try:
        while process.poll() is None:
            if time.monotonic() > deadline:
                _kill(process)
                return f"timed out after {timeout_s:g} s"
            rss = _rss_mb(watched)
            if rss > max_rss_mb:
                _kill(process)
                return f"memory cap exceeded: RSS {rss:.0f} MB > {max_rss_mb:g} MB"
            time.sleep(0.02)
    except KeyboardInterrupt:
        _kill(process)
        raise
    return None


def _rss_mb(process: psutil.Process) -> float:
    try:
        return process.memory_info().rss / 2**20
    except psutil.Error:
        return 0.0


def _kill(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait()
