"""Results made elsewhere, read into bench's own format (``bench import``).

``pytest-benchmark``: a ``--benchmark-json`` file becomes one complete run. Each benchmark is a
micro benchmark (``micro.<module>.<test>[param]``) whose ``time`` metric holds every round's
time, unthinned; the machine, Python and commit come from the file's ``machine_info`` and
``commit_info``, the start time from its ``datetime``. From then on it is a result like any
other: compared, judged, exported, recorded into the history.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from harness.codec import DecodeError, finite
from harness.errors import InputError
from harness.meta import GitInfo, MachineInfo, PythonInfo, RunMeta
from harness.micro import import_pytest_benchmark
from harness.records import RunResult
from harness.results import read_bounded


def _read(path: Path) -> dict[str, Any]:
    """The file's JSON: size-bounded and regular files only, as result files are read."""
    text = read_bounded(path, "pytest-benchmark JSON file")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
        raise InputError(f"{path}: cannot read it as JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise InputError(
            f"{path}: not a pytest-benchmark JSON file (no 'benchmarks' list; write one with "
            "pytest --benchmark-json=FILE)"
        )
    _check_finite(data["benchmarks"], path)
    return data


def _check_finite(benchmarks: list[Any], path: Path) -> None:
    """Every round's time a finite number: NaN, Infinity or 1e999 is bad input, not a time."""
    for i, bench in enumerate(benchmarks):
        stats = bench.get("stats") if isinstance(bench, dict) else None
        rounds = stats.get("data") if isinstance(stats, dict) else None
        for j, value in enumerate(rounds if isinstance(rounds, list) else []):
            try:
                finite(value, f"benchmarks[{i}].stats.data[{j}]")
            except DecodeError as exc:
                raise InputError(f"{path}: not a pytest-benchmark JSON file: {exc}") from None


def _text(info: Mapping[str, Any], key: str) -> str | None:
    value = info.get(key)
    return str(value) if value is not None else None


def _meta(data: dict[str, Any], path: Path) -> RunMeta:
    machine = data.get("machine_info") or {}
    commit = data.get("commit_info") or {}
    cpu = machine.get("cpu") or {}
    system = " ".join(filter(None, (_text(machine, "system"), _text(machine, "release"))))
    return RunMeta(
        start_time=str(data.get("datetime") or ""),
        end_time=_text(data, "datetime"),
        command=("bench", "import", "pytest-benchmark", str(path)),
        machine=MachineInfo(
            hostname=_text(machine, "node"),
            cpu_model=_text(cpu, "brand_raw") or _text(cpu, "brand"),
            cores=cpu.get("count") if isinstance(cpu.get("count"), int) else None,
            os=system or None,
            arch=_text(machine, "machine"),
        ),
        python=PythonInfo(
            version=_text(machine, "python_version"),
            implementation=_text(machine, "python_implementation"),
        ),
        git=GitInfo(
            commit=_text(commit, "id"),
            branch=_text(commit, "branch"),
            dirty=commit.get("dirty") if isinstance(commit.get("dirty"), bool) else None,
        ),
        packages={"pytest-benchmark": str(data.get("version") or "")},
        extra={"imported_from": {"format": "pytest-benchmark", "file": path.name}},
    )


def from_pytest_benchmark(path: Path, run_id: str) -> RunResult:
    """The run a pytest-benchmark JSON file describes, every round's time kept."""
    data = _read(path)
    try:
        benchmarks = import_pytest_benchmark(data, max_samples=None)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: not a pytest-benchmark JSON file ({exc!r})") from None
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    ids = tuple(b.id for b in benchmarks)
    meta = replace(_meta(data, path), planned_benchmarks=len(ids), planned_ids=ids)
    return RunResult(run_id, meta, tuple(benchmarks), complete=True)
