"""Run-level fixtures: services a run needs, started once and reset between benchmarks.

A suites package declares them in its ``_fixtures`` module as ``run_fixtures()``. The parent
process starts them and passes what workers need through environment variables; in the worker,
the same fixture is asked for exact counters around every sample.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from harness.errors import InputError
from harness.suite import import_suite_module


@runtime_checkable
class RunFixture(Protocol):
    """A service shared by every benchmark of a run."""

    name: str

    def start(self) -> dict[str, str]:
        """Start the service (parent process); return environment variables for workers."""

    def reset(self) -> None:
        """Bring the service back to its initial state before the next benchmark."""

    def metadata(self) -> dict[str, Any]:
        """What the service was configured as, recorded in the run's metadata."""

    def stop(self) -> None:
        """Stop the service."""

    def before_sample(self, env: dict[str, str]) -> None:
        """In the worker: prepare to count the next sample."""

    def sample_counters(self, env: dict[str, str]) -> dict[str, int]:
        """In the worker: exact counters of the sample just taken."""


def load_fixtures(package: str) -> list[RunFixture]:
    """The fixtures declared by ``<package>._fixtures.run_fixtures()``, or none."""
    name = f"{package}._fixtures"
    root = Path(importlib.import_module(package).__file__ or ".").parent
    if not (root / "_fixtures.py").is_file() and not (root / "_fixtures").is_dir():
        return []
    module = import_suite_module(name, root)
    try:
        return list(module.run_fixtures())
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - the suite's code, not the harness's
        what = f"{module.__file__}: run_fixtures() failed: {type(exc).__name__}: {exc}"
        raise InputError(what) from None
