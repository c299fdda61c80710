"""Orchestration of a run: start fixtures, one worker process per case, save after each case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import psutil

from harness import __version__
from harness.environment import git_info, machine_info, package_versions, python_info
from harness.errors import RunInterrupted
from harness.fixtures import RunFixture, load_fixtures
from harness.measure import SampleSettings
from harness.results import BenchmarkResult, Metric, RunResult, save
from harness.shard import Shard, select_shard
from harness.stats import summarize
from harness.suite import Case, discover, import_suites, select

DEFAULT_MAX_RSS_MB = 400


@dataclass(frozen=True)
class RunOptions:
    """What to run and how; built by the CLI, used by :func:`run`."""

    suites_root: Path
    results_dir: Path
    suites: tuple[str, ...] = ()
    pattern: str | None = None
    quick: bool = False
    settings: SampleSettings = field(default_factory=SampleSettings)
    max_rss_mb: float = DEFAULT_MAX_RSS_MB
    shard: Shard | None = None
    command: tuple[str, ...] = ()


class Progress(Protocol):
    """Receives the run's progress; the CLI draws it, tests may record it."""

    def started(self, total: int) -> None: ...

    def case_started(self, case: Case) -> None: ...

    def case_finished(self, case: Case, result: BenchmarkResult) -> None: ...


class _Silent:
    def started(self, total: int) -> None:
        pass

    def case_started(self, case: Case) -> None:
        pass

    def case_finished(self, case: Case, result: BenchmarkResult) -> None:
        pass


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique enough: UTC time to the microsecond."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def plan(options: RunOptions) -> list[Case]:
    """The cases a run with ``options`` would measure, in order."""
    cases = select(discover(options.suites_root), options.suites, options.pattern, options.quick)
    return select_shard(cases, options.shard) if options.shard else cases


def run(options: RunOptions, progress: Progress | None = None) -> tuple[RunResult, Path]:
    """Measure every planned case; the result file is rewritten after each case."""
    cases = plan(options)
    package = import_suites(options.suites_root).__name__
    fixtures = load_fixtures(package)
    run_id = new_run_id()
    path = options.results_dir / f"{run_id}.json"
    report = progress or _Silent()
    env: dict[str, str] = {}
    started = [f for f in fixtures if env.update(f.start()) is None]
    result = RunResult(run_id, _metadata(options, fixtures, len(cases)))
    save(result, path)
    try:
        report.started(len(cases))
        for case in cases:
            report.case_started(case)
            for fixture in started:
                fixture.reset()
            outcome = run_case(case, options, package, env)
            result = result.with_benchmark(outcome)
            save(result, path)
            report.case_finished(case, outcome)
        result = result.finished({"end_time": _now()})
        save(result, path)
    except KeyboardInterrupt:
        # Keep every finished benchmark; the file says the run is incomplete.
        save(replace(result, meta={**result.meta, "end_time": _now(), "interrupted": True}), path)
        raise RunInterrupted(
            f"interrupted: kept {len(result.benchmarks)} finished benchmarks in {path}"
        ) from None
    finally:
        for fixture in started:
            fixture.stop()
    return result, path


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _metadata(options: RunOptions, fixtures: list[RunFixture], planned: int) -> dict[str, Any]:
    return {
        "harness_version": __version__,
        "start_time": _now(),
        "end_time": None,
        "command": list(options.command),
        "quick": options.quick,
        "planned_benchmarks": planned,
        "shard": str(options.shard) if options.shard else None,
        "machine": machine_info(),
        "python": python_info(),
        "packages": package_versions(),
        "git": git_info(options.suites_root.resolve().parent),
        "fixtures": {f.name: f.metadata() for f in fixtures},
        "settings": vars(options.settings),
    }


def run_case(case: Case, options: RunOptions, package: str, env: dict[str, str]) -> BenchmarkResult:
    """Measure one case in a fresh worker process; failures become failed results."""
    bench = case.benchmark
    job = {
        "suites_root": str(options.suites_root.resolve()),
        "suites_package": package,
        "module": bench.module,
        "class_name": bench.class_name,
        "method": bench.method,
        "kind": bench.kind,
        "param_index": list(case.param_index),
        "settings": vars(options.settings),
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-worker-") as tmp:
        cap = bench.max_rss_mb or options.max_rss_mb
        outcome = _run_worker(job, Path(tmp), env, bench.timeout_s, cap)
    elapsed = time.perf_counter() - started
    base = {"id": case.id, "name": bench.name, "params": _jsonable(case.params)}
    if outcome.get("status") != "ok":
        status = "skipped" if outcome.get("status") == "skipped" else "failed"
        return BenchmarkResult(**base, status=status, error=outcome["error"], duration_s=elapsed)
    metrics = tuple(_metric(m) for m in outcome["metrics"])
    return BenchmarkResult(**base, status="ok", metrics=metrics, duration_s=elapsed)


def _metric(raw: dict[str, Any]) -> Metric:
    samples = tuple(raw["samples"])
    fields = {k: v for k, v in raw.items() if k != "samples"}
    return Metric(**fields, samples=samples, summary=summarize(samples))


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    simple = (str, int, float, bool, type(None))
    return {k: v if isinstance(v, simple) else repr(v) for k, v in params.items()}


def _run_worker(
    job: dict[str, Any], tmp: Path, env: dict[str, str], timeout_s: float, max_rss_mb: float
) -> dict[str, Any]:
    job_path, out_path, err_path = tmp / "job.json", tmp / "out.json", tmp / "stderr.txt"
    job_path.write_text(json.dumps(job))
    command = [sys.executable, "-m", "harness.worker", str(job_path), str(out_path)]
    with err_path.open("wb") as stderr:
        process = subprocess.Popen(
            command,
            env={**os.environ, **env},
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
    return json.loads(out_path.read_text())


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
