"""pytest-benchmark micro suites (``suites/micro``) as ordinary cases of a run.

Each pytest-benchmark test is a case of kind ``micro``; its id is
``micro.<module>.<test>[param]``, e.g. ``micro.test_cache.test_get[file]``, its name drops the
``[param]`` and its params are pytest's. The plan lists them with ``pytest --collect-only`` (in a
child process, so the parent never imports test modules); a worker measures all micro cases of
a round in one pytest session (:func:`measure`), and each test becomes one ``BenchmarkResult``
whose ``time`` metric holds pytest-benchmark's per-round times as one ``ProcessRun``. So every
mode — plain, ``--compare``, ``--against``, shards, ``bench calibrate`` — measures them like
any other case. :func:`import_pytest_benchmark` reads a ``--benchmark-json`` file from
elsewhere.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from harness.errors import InputError
from harness.lifetime import die_with_parent
from harness.records import BenchmarkResult, Direction, Kind, Metric, ProcessRun, Status
from harness.suite import Attributes, BenchKind, CaseRef, jsonable

MICRO = "micro"  # the suite name, and the folder under the suites root
PREFIX = MICRO
MAX_SAMPLES = 1000  # more rounds than this are thinned evenly: the files stay small
# Rounds of at least 0.5 ms keep the round count (and the samples) bounded by max-time.
COMMON_ARGS = ("--benchmark-min-time=0.0005", "--benchmark-disable-gc")
QUICK_ARGS = ("--benchmark-min-rounds=5", "--benchmark-max-time=0.05", "--benchmark-warmup=off")
FULL_ARGS = ("--benchmark-min-rounds=20", "--benchmark-max-time=0.5", "--benchmark-warmup=on")
PYTEST_OK = (0, 1)  # all passed, or some tests failed (recorded as failed results)
COLLECT_TIMEOUT_S = 120.0


def bench_id(nodeid: str) -> str:
    """``suites/micro/test_cache.py::test_get[file]`` -> ``micro.test_cache.test_get[file]``."""
    path, *parts = nodeid.split("::")
    return ".".join([PREFIX, Path(path).stem, *parts])


def nodeid_of(case: CaseRef, suites_root: Path) -> str:
    """The pytest node id of a micro case, under ``suites_root``."""
    return f"{suites_root / case.module}::{case.method}"


def case_of(nodeid: str, seen: dict[str, Any], suites_root: Path) -> CaseRef:
    """The case of a collected test; ``seen["path"]`` is its file."""
    ident = bench_id(nodeid)
    folder = (suites_root / MICRO).resolve()
    module = Path(MICRO) / Path(seen["path"]).resolve().relative_to(folder)
    return CaseRef(
        id=ident,
        name=ident.split("[", 1)[0],
        params=seen["params"],
        module=module.as_posix(),
        class_name=None,
        method=nodeid.partition("::")[2],
        kind=BenchKind.MICRO,
        attrs=Attributes(),
    )


def collect(suites_root: Path) -> list[CaseRef]:
    """The micro cases under ``suites_root/micro``, sorted by id; none if there is no folder.

    Collected by ``python -m harness.worker --collect-micro`` in a child process: importing
    test modules into the parent (or into a pytest session running bench's own tests) would
    leave pytest's state behind.
    """
    if not (suites_root / MICRO).is_dir():
        return []
    command = [sys.executable, "-m", "harness.worker", "--collect-micro", str(suites_root)]
    # The parent of the suites as given, symlinks kept: for another revision's side that is
    # the overlay which puts this harness first (harness.against).
    env = {**os.environ, "PYTHONPATH": _path_with(Path(os.path.abspath(suites_root)).parent)}
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=COLLECT_TIMEOUT_S, check=False,
            env=env, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent(os.getpid()),
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise InputError(f"{suites_root / MICRO}: collecting the micro suites timed out") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError(f"{suites_root / MICRO}: cannot collect the micro suites: {last}")
    last = (done.stdout.strip().splitlines() or ["[]"])[-1]
    return [CaseRef.from_dict(item) for item in json.loads(last)]


def collect_here(suites_root: Path) -> list[CaseRef]:
    """Collection in this process (the child of :func:`collect`)."""
    from harness.micro_outcomes import Outcomes  # pytest: only where micro cases run

    plugin = Outcomes()
    code = _pytest_main([str(suites_root / MICRO), "--collect-only"], plugin)
    broken = [f"{n}: {s['error']}" for n, s in plugin.seen.items() if s["outcome"] == "failed"]
    if code not in PYTEST_OK or broken:
        raise InputError(f"pytest cannot collect the micro suites ({code}): {'; '.join(broken)}")
    cases = [case_of(n, s, suites_root) for n, s in plugin.seen.items() if "path" in s]
    return sorted(cases, key=lambda c: c.id)


def measure(
    cases: Sequence[CaseRef], suites_root: Path, quick: bool, run: ProcessRun
) -> list[BenchmarkResult]:
    """Measure ``cases`` in one pytest-benchmark session in this process (a worker).

    ``run`` gives the round, side and timing of the ``ProcessRun`` each result holds. A test
    that failed or was skipped becomes a failed or skipped result with the reason; a case that
    pytest never reported is failed.
    """
    from harness.micro_outcomes import Outcomes  # pytest: only where micro cases run

    plugin = Outcomes()
    with tempfile.TemporaryDirectory(prefix="bench-micro-") as tmp:
        json_path = Path(tmp) / "benchmark.json"
        args = [nodeid_of(c, suites_root) for c in cases]
        args += [
            f"--benchmark-json={json_path}",
            *COMMON_ARGS,
            *(QUICK_ARGS if quick else FULL_ARGS),
        ]
        code = _pytest_main(args, plugin)
        data = json.loads(json_path.read_text()) if json_path.exists() else {"benchmarks": []}
    if code not in PYTEST_OK:
        raise RuntimeError(f"pytest exited with code {code}")
    found = {r.id: r for r in import_pytest_benchmark(data, plugin.seen, run)}
    return [found.get(c.id) or _unreported(c) for c in cases]


def count(cases: Sequence[CaseRef], suites_root: Path) -> list[BenchmarkResult]:
    """Run ``cases`` in one pytest session in this process (a counting worker under callgrind),
    pytest-benchmark switched off: each test's ``benchmark`` call is counted once and dumped
    under the test's index in ``cases`` (``harness.micro_outcomes.Counting``); the parent
    reads the counts. One result per case, without metrics: failed or skipped as pytest said."""
    from harness.micro_outcomes import Counting, Outcomes

    plugin = Outcomes()
    nodes = [nodeid_of(c, suites_root) for c in cases]
    off = ["-p", "no:benchmark", "-p", "no:codspeed"]
    labels = {c.id: str(i) for i, c in enumerate(cases)}
    code = _pytest_main([*nodes, *off], plugin, Counting(labels))
    if code not in PYTEST_OK:
        raise RuntimeError(f"pytest exited with code {code}")
    return [_outcome(c, plugin.seen) for c in cases]


def _outcome(case: CaseRef, seen: dict[str, dict[str, Any]]) -> BenchmarkResult:
    node = next((n for n in seen if bench_id(n) == case.id), None)
    if node is None:
        return _unreported(case)
    if seen[node]["outcome"] != "passed":
        return _unmeasured(node, seen[node])
    duration = float(seen[node].get("duration_s") or 0.0)
    return BenchmarkResult(case.id, case.name, case.params, Status.OK, duration_s=duration)


def _pytest_main(args: list[str], *plugins: object) -> int:
    import pytest

    quiet = ["-q", "-p", "no:cacheprovider", "-o", "addopts=", "-o", "testpaths="]
    return int(pytest.main([*args, *quiet], plugins=list(plugins)))


def _unreported(case: CaseRef) -> BenchmarkResult:
    return BenchmarkResult(
        case.id, case.name, case.params, Status.FAILED, error="pytest did not run this test"
    )


def import_pytest_benchmark(
    json_data: dict[str, Any],
    outcomes: dict[str, dict[str, Any]] | None = None,
    run: ProcessRun | None = None,
    max_samples: int | None = MAX_SAMPLES,
) -> list[BenchmarkResult]:
    """pytest-benchmark's ``--benchmark-json`` data as bench results, sorted by id.

    ``outcomes`` (node id -> outcome, error, duration) adds the tests that failed or were
    skipped; without it, every benchmark in the JSON counts as passed. ``run`` is the process
    record the samples belong to (round 0 of the current side when not given). More rounds
    than ``max_samples`` are thinned evenly; None keeps every round (``bench import``).
    """
    outcomes = outcomes or {}
    run = run or ProcessRun(())
    found: dict[str, BenchmarkResult] = {}
    for bench in json_data.get("benchmarks", []):
        node = bench["fullname"]
        found[node] = _result(node, bench, outcomes.get(node, {}), run, max_samples)
    for node, seen in outcomes.items():
        if node not in found and seen.get("outcome") in ("failed", "skipped") and "::" in node:
            found[node] = _unmeasured(node, seen)
    return sorted(found.values(), key=lambda r: r.id)


def _result(
    node: str,
    bench: dict[str, Any],
    seen: dict[str, Any],
    run: ProcessRun,
    max_samples: int | None = MAX_SAMPLES,
) -> BenchmarkResult:
    ident, name, params = _identity(node, seen.get("params") or bench.get("params") or {})
    duration = float(seen.get("duration_s") or bench["stats"].get("total") or 0.0)
    if seen.get("outcome") == "failed":
        error = seen.get("error") or "failed"
        return BenchmarkResult(ident, name, params, Status.FAILED, error=error, duration_s=duration)
    samples = _thin(bench["stats"].get("data") or [], max_samples)
    if not all(map(math.isfinite, samples)):
        error = "pytest-benchmark recorded a time that is not a finite number (NaN or infinity)"
        return BenchmarkResult(ident, name, params, Status.FAILED, error=error, duration_s=duration)
    if not samples:
        raise InputError(
            f"pytest-benchmark JSON holds no per-round data for {node}: "
            "write it with --benchmark-json (it includes the data)"
        )
    process = ProcessRun(samples, run.round, run.side, run.started_at, run.duration_s)
    metric = Metric("time", "s", Direction.LOWER, Kind.SAMPLED, (process,))
    return BenchmarkResult(ident, name, params, Status.OK, (metric,), duration_s=duration)


def _unmeasured(node: str, seen: dict[str, Any]) -> BenchmarkResult:
    ident, name, params = _identity(node, seen.get("params") or {})
    status = Status.SKIPPED if seen["outcome"] == "skipped" else Status.FAILED
    error = seen.get("error") or seen["outcome"]
    duration = float(seen.get("duration_s") or 0.0)
    return BenchmarkResult(ident, name, params, status, error=error, duration_s=duration)


def _identity(node: str, params: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    ident = bench_id(node)
    return ident, ident.split("[", 1)[0], jsonable(params)


def _thin(data: Iterable[float], limit: int | None = MAX_SAMPLES) -> tuple[float, ...]:
    values = [float(x) for x in data]
    if limit is None or len(values) <= limit:
        return tuple(values)
    step = len(values) / limit
    return tuple(values[int(i * step)] for i in range(limit))


def _path_with(directory: Path) -> str:
    return os.pathsep.join(filter(None, [str(directory), os.environ.get("PYTHONPATH")]))
