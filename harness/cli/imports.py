"""``bench import``: results made by other tools, as bench result files."""

from __future__ import annotations

from pathlib import Path

import click

from harness.cli.options import results_dir_option, writable_dir, writable_file
from harness.imports import from_pytest_benchmark
from harness.results import save
from harness.runner import new_run_id


@click.group("import")
def import_group() -> None:
    """Read results made by another tool into a bench result file."""


@import_group.command("pytest-benchmark")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=writable_file,
    help="Where to write the result (default: RESULTS_DIR/<new-run-id>.json).",
)
@results_dir_option
def pytest_benchmark_command(file: Path, output: Path | None, results_dir: Path) -> None:
    """Import FILE, written by pytest --benchmark-json, keeping every round's time.

    Each test becomes a benchmark micro.<module>.<test>[param] with a time metric; compare,
    judge, export or record it like any bench result.
    """
    if output is None:
        writable_dir(results_dir, "--results-dir")
    run = from_pytest_benchmark(file, new_run_id())
    path = save(run, output or results_dir / f"{run.run_id}.json")
    rounds = sum(len(m.samples) for b in run.benchmarks for m in b.metrics)
    click.echo(f"imported {len(run.benchmarks)} benchmarks ({rounds} rounds): {path}")
