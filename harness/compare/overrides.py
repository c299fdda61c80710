"""Per-benchmark thresholds declared in the suites (the ``thresholds`` attribute)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from harness.errors import InputError
from harness.suite import Benchmark, discover


def suite_thresholds(root: Path) -> dict[str, dict[str, float]]:
    """Benchmark name → metric name → fraction, for every benchmark that declares any."""
    found: dict[str, dict[str, float]] = {}
    for bench in discover(root):
        declared = _declared(bench)
        if declared:
            found[bench.name] = _validated(bench.name, declared)
    return found


def _declared(bench: Benchmark) -> Any:
    owner: Any = importlib.import_module(bench.module)
    if bench.class_name:
        owner = getattr(owner, bench.class_name)
    func = getattr(owner, bench.method)
    return getattr(func, "thresholds", getattr(owner, "thresholds", None))


def _validated(name: str, declared: Any) -> dict[str, float]:
    if not isinstance(declared, dict):
        raise InputError(f"{name}: 'thresholds' must map metric names to fractions")
    try:
        return {str(k): float(v) for k, v in declared.items()}
    except (TypeError, ValueError):
        raise InputError(f"{name}: 'thresholds' values must be numbers, e.g. 0.3") from None
