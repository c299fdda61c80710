"""Exporters of a run to formats other tools read: one small module per format behind one
interface, each returning the whole document as text (``bench export``).

  bmf               Bencher Metric Format: benchmark -> measure -> value, lower/upper bounds
  gab               github-action-benchmark's custom JSON (customSmallerIsBetter or
                    customBiggerIsBetter: one direction per file, chosen by ExportOptions)
  pytest-benchmark  pytest-benchmark's --benchmark-json document, every round's time kept
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from harness.export import bmf, gab, pytest_benchmark
from harness.export.options import ExportOptions
from harness.records import RunResult


@dataclass(frozen=True)
class Exporter:
    """An export format: its name, the usual file suffix, and its renderer."""

    name: str
    suffix: str
    render: Callable[[RunResult, ExportOptions], str]


EXPORTERS: dict[str, Exporter] = {
    "bmf": Exporter("bmf", ".json", bmf.render),
    "gab": Exporter("gab", ".json", gab.render),
    "pytest-benchmark": Exporter("pytest-benchmark", ".json", pytest_benchmark.render),
}
FORMATS = tuple(EXPORTERS)


def export(fmt: str, run: RunResult, options: ExportOptions | None = None) -> str:
    """``run`` in format ``fmt`` (one of ``FORMATS``)."""
    return EXPORTERS[fmt].render(run, options or ExportOptions())


__all__ = ["EXPORTERS", "FORMATS", "ExportOptions", "Exporter", "export"]
