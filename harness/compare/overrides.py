"""Per-benchmark thresholds and noise floors declared in the suites (the ``thresholds`` and
``noise_floors`` attributes: metric name → fraction, metric name → amount in the metric's unit)."""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from harness.compare.policy import Policy
from harness.errors import InputError
from harness.suite import Benchmark, discover

Declared = dict[str, dict[str, float]]  # benchmark name → metric name → value


def with_suite_overrides(policy: Policy, root: Path) -> Policy:
    """``policy`` with the thresholds and noise floors the suites at ``root`` declare (one
    discovery of the suites for both)."""
    benchmarks = discover(root)
    return replace(
        policy,
        benchmark_thresholds=_thresholds(benchmarks),
        benchmark_floors=_floors(benchmarks),
    )


def suite_thresholds(root: Path) -> Declared:
    """Benchmark name → metric name → fraction, for every benchmark that declares any."""
    return _thresholds(discover(root))


def suite_floors(root: Path) -> Declared:
    """Benchmark name → metric name → noise floor, for every benchmark that declares any."""
    return _floors(discover(root))


def _thresholds(benchmarks: list[Benchmark]) -> Declared:
    return _declared_maps(benchmarks, "thresholds", "fractions", "0.3")


def _floors(benchmarks: list[Benchmark]) -> Declared:
    found = _declared_maps(benchmarks, "noise_floors", "amounts in their units", "1.0")
    for name, floors in found.items():
        if any(not v >= 0 for v in floors.values()):
            raise InputError(f"{name}: 'noise_floors' values must be 0 or more, e.g. 1.0")
    return found


def _declared_maps(benchmarks: list[Benchmark], attr: str, what: str, example: str) -> Declared:
    found: Declared = {}
    for bench in benchmarks:
        declared = _declared(bench, attr)
        if declared:
            found[bench.name] = _validated(bench.name, declared, attr, what, example)
    return found


def _declared(bench: Benchmark, attr: str) -> Any:
    owner: Any = importlib.import_module(bench.module)
    if bench.class_name:
        owner = getattr(owner, bench.class_name)
    func = getattr(owner, bench.method)
    return getattr(func, attr, getattr(owner, attr, None))


def _validated(name: str, declared: Any, attr: str, what: str, example: str) -> dict[str, float]:
    if not isinstance(declared, dict):
        raise InputError(f"{name}: {attr!r} must map metric names to {what}")
    try:
        return {str(k): float(v) for k, v in declared.items()}
    except (TypeError, ValueError):
        raise InputError(f"{name}: {attr!r} values must be numbers, e.g. {example}") from None
