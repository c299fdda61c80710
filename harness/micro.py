"""pytest-benchmark micro suites (``suites/micro``): run them, import their JSON as bench results.

Each pytest-benchmark test becomes one ``BenchmarkResult`` with a ``time`` metric (kind
``sampled``, unit ``s``) whose samples are pytest-benchmark's own per-round times, so the same
verdicts, plots and asv history apply. Its id is ``micro.<module>.<test>[param]``, e.g.
``micro.test_cache.test_get[file]``; its name drops the ``[param]`` and its params are
pytest's. A test that failed or was skipped becomes a failed or skipped result with the reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness.errors import HarnessFailure, InputError
from harness.micro_outcomes import OUTCOMES_ENV
from harness.results import BenchmarkResult, Metric
from harness.stats import summarize

MICRO_DIR = Path("suites/micro")
PREFIX = "micro"
DEFAULT_TIMEOUT_S = 900.0
MAX_SAMPLES = 1000  # more rounds than this are thinned evenly: the files stay small
# Rounds of at least 0.5 ms keep the round count (and the samples) bounded by max-time.
COMMON_ARGS = ("--benchmark-min-time=0.0005", "--benchmark-disable-gc")
QUICK_ARGS = ("--benchmark-min-rounds=5", "--benchmark-max-time=0.05", "--benchmark-warmup=off")
FULL_ARGS = ("--benchmark-min-rounds=20", "--benchmark-max-time=0.5", "--benchmark-warmup=on")
_PYTEST_OK = (0, 1)  # all passed, or some tests failed (recorded as failed results)


def run_micro(
    quick: bool = False,
    *,
    root: Path = MICRO_DIR,
    pattern: str | None = None,
    ids: Sequence[str] = (),
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> list[BenchmarkResult]:
    """Run the micro suites under ``root`` through pytest-benchmark; one result per test.

    ``ids`` runs only those benchmarks; ``pattern`` (a regex on the id) filters the results.
    """
    regex = _compile(pattern)
    with tempfile.TemporaryDirectory(prefix="bench-micro-") as tmp:
        json_path, outcomes_path = Path(tmp) / "benchmark.json", Path(tmp) / "outcomes.json"
        command = [
            sys.executable, "-m", "pytest", *_targets(root, ids), "-q", "-p", "no:cacheprovider",
            "-p", "harness.micro_outcomes", f"--benchmark-json={json_path}",
            *COMMON_ARGS, *(QUICK_ARGS if quick else FULL_ARGS),
        ]  # fmt: skip
        done = _pytest(command, root, {OUTCOMES_ENV: str(outcomes_path)}, timeout_s)
        data = json.loads(json_path.read_text()) if json_path.exists() else {"benchmarks": []}
        outcomes = json.loads(outcomes_path.read_text()) if outcomes_path.exists() else {}
    if done.returncode not in _PYTEST_OK:
        tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["no output"]
        raise HarnessFailure(f"micro suites: pytest exited with {done.returncode}: {tail[0]}")
    results = import_pytest_benchmark(data, outcomes)
    return [r for r in results if regex is None or regex.search(r.id)]


def import_pytest_benchmark(
    json_data: dict[str, Any], outcomes: dict[str, dict[str, Any]] | None = None
) -> list[BenchmarkResult]:
    """pytest-benchmark's ``--benchmark-json`` data as bench results, sorted by id.

    ``outcomes`` (node id -> outcome, error, duration) adds the tests that failed or were
    skipped; without it, every benchmark in the JSON counts as passed.
    """
    outcomes = outcomes or {}
    found: dict[str, BenchmarkResult] = {}
    for bench in json_data.get("benchmarks", []):
        node = bench["fullname"]
        found[node] = _result(node, bench, outcomes.get(node, {}))
    for node, seen in outcomes.items():
        if node not in found and seen.get("outcome") in ("failed", "skipped"):
            found[node] = _unmeasured(node, seen)
    return sorted(found.values(), key=lambda r: r.id)


def bench_id(nodeid: str) -> str:
    """``suites/micro/test_cache.py::test_get[file]`` -> ``micro.test_cache.test_get[file]``."""
    path, *parts = nodeid.split("::")
    return ".".join([PREFIX, Path(path).stem, *parts])


def nodeid_of(bench_id_: str, root: Path) -> str:
    """The inverse of :func:`bench_id`, relative to ``root``'s parent of parents."""
    head, bracket, param = bench_id_.partition("[")
    prefix, module, *parts = head.split(".")
    if prefix != PREFIX or not parts:
        raise InputError(f"not a micro benchmark id: {bench_id_!r}")
    return "::".join([str(root / f"{module}.py"), *parts]) + bracket + param


def _result(node: str, bench: dict[str, Any], seen: dict[str, Any]) -> BenchmarkResult:
    base = _identity(node, bench.get("params") or {})
    duration = float(seen.get("duration_s") or bench["stats"].get("total") or 0.0)
    if seen.get("outcome") == "failed":
        return BenchmarkResult(
            **base, status="failed", error=seen.get("error"), duration_s=duration
        )
    samples = _thin(bench["stats"].get("data") or [])
    if not samples:
        raise InputError(
            f"pytest-benchmark JSON holds no per-round data for {node}: "
            "write it with --benchmark-json (it includes the data)"
        )
    metric = Metric("time", "s", "lower", "sampled", samples, summarize(samples))
    return BenchmarkResult(**base, status="ok", metrics=(metric,), duration_s=duration)


def _unmeasured(node: str, seen: dict[str, Any]) -> BenchmarkResult:
    return BenchmarkResult(
        **_identity(node, seen.get("params") or {}),
        status="skipped" if seen["outcome"] == "skipped" else "failed",
        error=seen.get("error") or seen["outcome"],
        duration_s=float(seen.get("duration_s") or 0.0),
    )


def _identity(node: str, params: dict[str, Any]) -> dict[str, Any]:
    ident = bench_id(node)
    simple = (str, int, float, bool, type(None))
    return {
        "id": ident,
        "name": ident.split("[", 1)[0],
        "params": {k: v if isinstance(v, simple) else repr(v) for k, v in params.items()},
    }


def _thin(data: Sequence[float]) -> tuple[float, ...]:
    if len(data) <= MAX_SAMPLES:
        return tuple(float(x) for x in data)
    step = len(data) / MAX_SAMPLES
    return tuple(float(data[int(i * step)]) for i in range(MAX_SAMPLES))


def _targets(root: Path, ids: Sequence[str]) -> list[str]:
    if not root.is_dir():
        raise InputError(f"no micro suites at {root}")
    return [nodeid_of(i, root) for i in ids] if ids else [str(root)]


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern) if pattern else None
    except re.error as exc:
        raise InputError(f"-b: not a valid regular expression: {pattern!r} ({exc})") from None


def _pytest(
    command: list[str], root: Path, env: dict[str, str], timeout_s: float
) -> subprocess.CompletedProcess[str]:
    # The project's root: where `analyzer`, `mockgithub` and `harness` import from.
    project = root.resolve().parents[1]
    path = os.pathsep.join(filter(None, [str(project), os.environ.get("PYTHONPATH")]))
    try:
        return subprocess.run(
            command,
            cwd=project,
            env={**os.environ, **env, "PYTHONPATH": path},
            capture_output=True, text=True, timeout=timeout_s, check=False,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise HarnessFailure(f"micro suites did not finish within {timeout_s:g} s") from None
