"""Run-level fixtures: services a run needs, started once and reset between benchmarks.

A suites package declares them in its ``_fixtures`` module as ``run_fixtures()``. The parent
process starts them and passes what workers need through environment variables; in the worker,
the same fixture is asked for exact counters around every sample.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol, runtime_checkable


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
    try:
        module = importlib.import_module(f"{package}._fixtures")
    except ModuleNotFoundError as exc:
        if exc.name == f"{package}._fixtures":
            return []
        raise
    return list(module.run_fixtures())
