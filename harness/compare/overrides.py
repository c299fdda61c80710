"""Per-benchmark thresholds and noise floors declared in the suites (the ``thresholds`` and
``noise_floors`` attributes: metric name → fraction, metric name → amount in the metric's unit)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from harness.errors import InputError
from harness.suite import Benchmark, discover


def suite_thresholds(root: Path) -> dict[str, dict[str, float]]:
    """Benchmark name → metric name → fraction, for every benchmark that declares any."""
    return _declared_maps(root, "thresholds", "fractions", "0.3")


def suite_floors(root: Path) -> dict[str, dict[str, float]]:
    """Benchmark name → metric name → noise floor, for every benchmark that declares any."""
    return _declared_maps(root, "noise_floors", "amounts in their units", "1.0")


def _declared_maps(root: Path, attr: str, what: str, example: str) -> dict[str, dict[str, float]]:
    found: dict[str, dict[str, float]] = {}
    for bench in discover(root):
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
        values = {str(k): float(v) for k, v in declared.items()}
    except (TypeError, ValueError):
        raise InputError(f"{name}: {attr!r} values must be numbers, e.g. {example}") from None
    if attr == "noise_floors" and any(not v >= 0 for v in values.values()):
        raise InputError(f"{name}: {attr!r} values must be 0 or more, e.g. {example}")
    return values
