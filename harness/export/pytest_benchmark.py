"""pytest-benchmark's ``--benchmark-json`` document: machine, commit, and one entry per
benchmark with its statistics and every round's time (``stats.data``).

The shape is pytest-benchmark's own (its ``pytest_benchmark_generate_json`` and
``Metadata.as_dict``); the statistics are computed by its ``Stats`` class from the samples, so
they are the numbers pytest-benchmark itself would report for them. Each benchmark's ``time``
metric is exported, one round per sample (``iterations`` 1: bench's samples are already per
call); benchmarks without one (counters, tracks) and benchmarks that did not finish are left
out. bench's own ids become ``fullname``; micro suites get their pytest node ids back.
"""

from __future__ import annotations

import json
from typing import Any

from harness.export.options import ExportOptions
from harness.micro import PREFIX
from harness.records import BenchmarkResult, Kind, Metric, RunResult


def _names(bench: BenchmarkResult) -> dict[str, Any]:
    """group, name, fullname and param as pytest-benchmark names a test."""
    head, bracket, tail = bench.id.partition("[")
    parts = head.split(".")
    if parts[0] == PREFIX and len(parts) >= 3:  # a micro suite's test: its node id again
        node = "::".join(parts[2:]) + bracket + tail
        return {
            "group": None,
            "name": node.split("::")[-1],
            "fullname": f"{PREFIX}/{parts[1]}.py::{node}",
            "param": tail[:-1] if bracket else None,
        }
    call, paren, args = bench.id.partition("(")
    group, _, name = call.rpartition(".")
    return {
        "group": group or None,
        "name": name + paren + args,
        "fullname": bench.id,
        "param": args[:-1] if paren else None,
    }


def _options(run: RunResult) -> dict[str, Any]:
    settings = run.meta.settings
    return {
        "disable_gc": False,
        "timer": "perf_counter",
        "min_rounds": settings.get("min_samples"),
        "max_time": settings.get("max_time_s"),
        "min_time": settings.get("min_sample_s"),
        "warmup": bool(settings.get("warmup_s")),
    }


def _stats(metric: Metric) -> dict[str, Any]:
    from pytest_benchmark.stats import Stats

    # pytest-benchmark's Stats is unannotated; these three calls are its whole use here.
    stats = Stats()  # type: ignore[no-untyped-call]
    for sample in metric.samples:
        stats.update(sample)  # type: ignore[no-untyped-call]
    found: dict[str, Any] = stats.as_dict()  # type: ignore[no-untyped-call]
    return {**found, "data": list(metric.samples), "iterations": 1}


def benchmark(run: RunResult, bench: BenchmarkResult, metric: Metric) -> dict[str, Any]:
    return {
        **_names(bench),
        "params": dict(bench.params) or None,
        "extra_info": {"bench_id": bench.id, "processes": len(metric.runs)},
        "options": _options(run),
        "stats": _stats(metric),
    }


def _machine(run: RunResult) -> dict[str, Any]:
    machine, python = run.meta.machine, run.meta.python
    return {
        "node": machine.hostname,
        "processor": machine.arch,
        "machine": machine.arch,
        "python_implementation": python.implementation,
        "python_version": python.version,
        "system": (machine.os or "").split(" ")[0] or None,
        "release": (machine.os or "").partition(" ")[2] or None,
        "cpu": {"brand_raw": machine.cpu_model, "count": machine.cores},
    }


def _commit(run: RunResult) -> dict[str, Any]:
    git = run.meta.git
    return {"id": git.commit, "dirty": git.dirty, "branch": git.branch, "project": None}


def to_dict(run: RunResult) -> dict[str, Any]:
    from pytest_benchmark import __version__

    timed = [
        (bench, metric)
        for bench in run.benchmarks
        if bench.ok
        for metric in bench.metrics
        if metric.name == "time" and metric.unit == "s" and metric.kind is Kind.SAMPLED
        and metric.samples
    ]  # fmt: skip
    return {
        "machine_info": _machine(run),
        "commit_info": _commit(run),
        "benchmarks": [benchmark(run, bench, metric) for bench, metric in timed],
        "datetime": run.meta.start_time or None,
        "version": __version__,
    }


def render(run: RunResult, options: ExportOptions) -> str:
    return json.dumps(to_dict(run), indent=2, ensure_ascii=False) + "\n"
